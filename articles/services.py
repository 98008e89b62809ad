"""Writes to articles and entities one at a time: what the admin, views and commands change by
hand (save, publish or hide, counterparts, tags, entity merges). Each service validates
(`full_clean`) before it saves and records the index updates it causes in the same transaction.
Reads are in `articles.selectors` (and `articles.outputs.selectors` for feeds and exports).

Bulk writes have their own named writers, each recording its index updates the same way:
imports go through the loader `articles.ingest.load.ArticleLoader`, the gazetteer import
through `articles.curation.gazetteer`, automatic tagging and re-tagging through
`articles.curation.tagging` and `retag`, harvest bookkeeping (feeds, fetch attempts, health)
in `articles.harvest`, and the index queue through `articles.search.sync.queue`."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from articles.curation.retag import RetagState, request_retag
from articles.models import Article, ArticleEntity, Entity, EntityAlias, EntitySlugRedirect
from articles.search.sync.queue import enqueue_articles
from articles.text import content_hash
from articles.text.aliases import alias_key
from articles.text.sanitize import clean_title, html_to_text, sanitize_html, text_to_safe_html


def unique_slug(text: str, *, max_length: int = 120) -> str:
    return slugify(text, allow_unicode=True)[:max_length].strip("-") or "-"


def free_slug(model: type[Model], base: str) -> str:
    """`base`, else `base-2`, `base-3`…: the first slug no row of `model` has yet."""
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


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
    article.save()  # the index update is recorded by articles.search.sync.signals
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


def _partners_of(ids: set[int]) -> set[int]:
    """Every article paired with one of `ids`, whichever way the link points."""
    pointed_to = Article.objects.filter(pk__in=ids).values_list("counterpart_id", flat=True)
    pointing = Article.objects.filter(counterpart_id__in=ids).values_list("pk", flat=True)
    return ({pk for pk in pointed_to if pk} | set(pointing)) - ids


@transaction.atomic
def articles_link_counterparts(first: Article, second: Article) -> None:
    """Make two articles each other's counterpart (the same story in fa and en).

    The pair is symmetric: whatever either article was paired with before (in the database,
    whichever way that link pointed) loses its counterpart.
    """
    if first.pk == second.pk:
        raise ValidationError(_("An article cannot be its own counterpart."))
    if first.language == second.language:
        raise ValidationError(_("The counterpart must be in the other language."))
    pair = {first.pk, second.pk}
    previous = _partners_of(pair)
    now = timezone.now()
    Article.objects.filter(pk__in=previous).update(counterpart=None, updated_at=now)
    Article.objects.filter(pk__in=pair).update(counterpart=None)
    Article.objects.filter(pk=first.pk).update(counterpart=second.pk, updated_at=now)
    Article.objects.filter(pk=second.pk).update(counterpart=first.pk, updated_at=now)
    first.counterpart_id, second.counterpart_id = second.pk, first.pk
    enqueue_articles([first.pk, second.pk, *sorted(previous)])


@transaction.atomic
def article_unlink_counterpart(article: Article) -> None:
    """The article has no counterpart any more, and nothing keeps it as its counterpart."""
    partners = _partners_of({article.pk})
    article.counterpart_id = None
    if not partners:
        return
    ids = {article.pk} | partners
    Article.objects.filter(pk__in=ids).update(counterpart=None, updated_at=timezone.now())
    enqueue_articles(sorted(ids))


def article_set_counterpart(article: Article, counterpart: Article | None) -> None:
    """The one way an edit form changes a counterpart: set (both ways), re-point or clear."""
    if counterpart is None:
        article_unlink_counterpart(article)
        return
    stored = dict(
        Article.objects.filter(pk__in=[article.pk, counterpart.pk]).values_list(
            "pk", "counterpart_id"
        )
    )
    if stored.get(article.pk) == counterpart.pk and stored.get(counterpart.pk) == article.pk:
        article.counterpart_id = counterpart.pk  # already a pair (one-to-one: nobody else)
        return
    articles_link_counterparts(article, counterpart)


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
    manual if either was manual, confirmed if either was confirmed. The merged entities' slugs
    (and any slugs that already redirected to them) redirect to the survivor for good.
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

    known = {alias_key(alias) for alias in survivor.aliases.values_list("alias", flat=True)}
    names = [(entity.name_en, "en") for entity in others] + [(e.name_fa, "fa") for e in others]
    for alias in EntityAlias.objects.filter(entity_id__in=other_ids).order_by("pk"):
        key = alias_key(alias.alias)
        if key in known:
            alias.delete()
            continue
        alias.entity = survivor
        alias.save()
        known.add(key)
    entity_add_aliases(survivor, names, known=known)

    for entity in others:
        survivor.name_en = survivor.name_en or entity.name_en
        survivor.name_fa = survivor.name_fa or entity.name_fa
        if not survivor.description and entity.description:
            survivor.description = entity.description
    EntitySlugRedirect.objects.filter(entity_id__in=other_ids).update(entity=survivor)
    for entity in others:
        EntitySlugRedirect.objects.update_or_create(
            old_slug=entity.slug, defaults={"entity": survivor}
        )
    EntitySlugRedirect.objects.filter(old_slug=survivor.slug).delete()
    Entity.objects.filter(pk__in=other_ids).delete()
    survivor.full_clean()
    survivor.save()
    return survivor


def entity_ensure_name_aliases(entity: Entity) -> None:
    """An entity's own names are aliases too, so tagging and search find them."""
    known = {alias_key(alias) for alias in entity.aliases.values_list("alias", flat=True)}
    entity_add_aliases(entity, [(entity.name_en, "en"), (entity.name_fa, "fa")], known=known)


def entity_add_aliases(
    entity: Entity,
    aliases: Iterable[tuple[str, str]],
    *,
    known: set[str],
    key: Callable[[str], str] = alias_key,
) -> int:
    """Give `entity` each `(alias, language)` whose `key` is not in `known` yet (the keys of
    the aliases it has; updated as aliases are added). Returns how many were added."""
    added = 0
    for alias, language in aliases:
        alias_text = alias or ""
        found = key(alias_text)
        if not found or found in known:
            continue
        EntityAlias.objects.create(entity=entity, language=language, alias=alias_text[:300])
        known.add(found)
        added += 1
    return added


def gazetteer_changed(*, reason: str) -> RetagState:
    """An entity or its aliases changed: every article is re-tagged in the background
    (`articles.curation.retag`). Returns what is now pending."""
    return request_retag(reason=reason)
