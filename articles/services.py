"""Writes to the archive. Views, admin actions and commands call these; none of them holds
business logic of its own. Each service validates (`full_clean`) before it saves and records
the index updates it causes in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from articles.models import Article, ArticleEntity, Entity, EntityAlias
from articles.sanitize import clean_title, html_to_text, sanitize_html, text_to_safe_html
from articles.search.queue import enqueue_articles
from articles.text import content_hash, normalize


def unique_slug(text: str, *, max_length: int = 120) -> str:
    return slugify(text, allow_unicode=True)[:max_length].strip("-") or "-"


def article_prepare(
    article: Article, *, body_html: str | None = None, body_text: str | None = None
) -> Article:
    """Fill the derived fields of an article from its body: sanitised HTML, plain text, hash.

    Pass the body as HTML or as plain text; with neither, the current `body_html` is
    sanitised again (the admin path).
    """
    if body_html is None and body_text is not None:
        article.body_html = text_to_safe_html(body_text)  # escaped: no bleach pass needed
    else:
        article.body_html = sanitize_html(article.body_html if body_html is None else body_html)
    article.body_text = html_to_text(article.body_html)
    article.title = clean_title(article.title)
    article.byline = clean_title(article.byline)[:300]
    article.summary = html_to_text(sanitize_html(article.summary)) if article.summary else ""
    if not article.slug:
        article.slug = unique_slug(article.title, max_length=200)
    article.content_hash = content_hash(f"{article.title}\n{article.body_text}")
    return article


@transaction.atomic
def article_save(article: Article) -> Article:
    article_prepare(article)
    article.full_clean()
    article.save()  # the index update is recorded by articles.search.signals
    return article


def _set_status(articles: QuerySet[Article], status: str) -> int:
    with transaction.atomic():
        ids = list(articles.exclude(status=status).values_list("pk", flat=True))
        Article.objects.filter(pk__in=ids).update(status=status, updated_at=timezone.now())
        enqueue_articles(ids)
    return len(ids)


def articles_publish(articles: QuerySet[Article]) -> int:
    return _set_status(articles, Article.Status.PUBLISHED)


def articles_hide(articles: QuerySet[Article]) -> int:
    return _set_status(articles, Article.Status.HIDDEN)


@transaction.atomic
def articles_link_counterparts(first: Article, second: Article) -> None:
    """Make two articles each other's counterpart (the same story in fa and en)."""
    if first.pk == second.pk:
        raise ValidationError(_("An article cannot be its own counterpart."))
    if first.language == second.language:
        raise ValidationError(_("The counterpart must be in the other language."))
    previous = {first.counterpart_id, second.counterpart_id} - {None, first.pk, second.pk}
    Article.objects.filter(pk__in=previous).update(counterpart=None, updated_at=timezone.now())
    Article.objects.filter(pk__in=[first.pk, second.pk]).update(counterpart=None)
    Article.objects.filter(pk=first.pk).update(counterpart=second.pk, updated_at=timezone.now())
    Article.objects.filter(pk=second.pk).update(counterpart=first.pk, updated_at=timezone.now())
    first.counterpart_id, second.counterpart_id = second.pk, first.pk
    enqueue_articles([first.pk, second.pk, *previous])


@transaction.atomic
def article_unlink_counterpart(article: Article) -> None:
    ids = [article.pk] + ([article.counterpart_id] if article.counterpart_id else [])
    Article.objects.filter(pk__in=ids).update(counterpart=None, updated_at=timezone.now())
    article.counterpart_id = None
    enqueue_articles(ids)


@transaction.atomic
def article_unmark_duplicate(article: Article) -> None:
    Article.objects.filter(pk=article.pk).update(
        duplicate_of=None, duplicate_score=None, updated_at=timezone.now()
    )
    article.duplicate_of_id = None
    article.duplicate_score = None
    enqueue_articles([article.pk])


@transaction.atomic
def article_tag(
    *, article: Article, entity: Entity, mentions: int = 0, confirmed: bool = True
) -> ArticleEntity:
    """A curator's tag: manual, and never removed or overwritten by automatic tagging."""
    tag, _created = ArticleEntity.objects.update_or_create(
        article=article,
        entity=entity,
        defaults={"origin": ArticleEntity.Origin.MANUAL, "confirmed": confirmed},
    )
    if mentions and tag.mentions != mentions:
        tag.mentions = mentions
        tag.save(update_fields=["mentions"])
    return tag


@transaction.atomic
def entity_merge(*, survivor: Entity, others: Iterable[Entity]) -> Entity:
    """Fold `others` into `survivor`: their tags and aliases move over, none lost or doubled.

    Where both entities tag the same article, the tags become one: the larger mention count,
    manual if either was manual, confirmed if either was confirmed.
    """
    others = [entity for entity in others if entity.pk != survivor.pk]
    if not others:
        return survivor
    other_ids = [entity.pk for entity in others]

    existing = {tag.article_id: tag for tag in ArticleEntity.objects.filter(entity=survivor)}
    for tag in ArticleEntity.objects.filter(entity_id__in=other_ids).order_by("pk"):
        kept = existing.get(tag.article_id)
        if kept is None:
            tag.entity = survivor
            tag.save(update_fields=["entity"])
            existing[tag.article_id] = tag
            continue
        kept.mentions = max(kept.mentions, tag.mentions)
        if tag.origin == ArticleEntity.Origin.MANUAL:
            kept.origin = ArticleEntity.Origin.MANUAL
        kept.confirmed = kept.confirmed or tag.confirmed
        kept.save(update_fields=["mentions", "origin", "confirmed"])
        tag.delete()

    known = set(survivor.aliases.values_list("normalized", flat=True))
    names = [(entity.name_en, "en") for entity in others] + [(e.name_fa, "fa") for e in others]
    for alias in EntityAlias.objects.filter(entity_id__in=other_ids).order_by("pk"):
        if alias.normalized in known:
            alias.delete()
            continue
        alias.entity = survivor
        alias.save()
        known.add(alias.normalized)
    for name, language in names:
        key = normalize(name or "")
        if key and key not in known:
            EntityAlias.objects.create(entity=survivor, language=language, alias=name)
            known.add(key)

    for entity in others:
        survivor.name_en = survivor.name_en or entity.name_en
        survivor.name_fa = survivor.name_fa or entity.name_fa
        if not survivor.description and entity.description:
            survivor.description = entity.description
    Entity.objects.filter(pk__in=other_ids).delete()
    survivor.full_clean()
    survivor.save()
    return survivor


def entity_ensure_name_aliases(entity: Entity) -> None:
    """An entity's own names are aliases too, so tagging and search find them."""
    known = set(entity.aliases.values_list("normalized", flat=True))
    for name, language in ((entity.name_en, "en"), (entity.name_fa, "fa")):
        key = normalize(name or "")
        if key and key not in known:
            EntityAlias.objects.create(entity=entity, language=language, alias=name)
            known.add(key)
