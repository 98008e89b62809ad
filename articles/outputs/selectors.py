"""What feeds and exports read from the database: articles in a given order, with their source,
the start of their text and their entities, a bounded chunk at a time.

Writers (`articles.outputs.writers`) and feeds (`articles.outputs.feeds`) format these; nothing
here writes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import NamedTuple

from django.db.models import QuerySet
from django.db.models.functions import Substr

from articles.models import Article, ArticleEntity
from articles.outputs.citations import one_line

CHUNK_SIZE = 500
SNIPPET_CHARS = 300
# Enough of the body to make a snippet without loading whole articles.
_TEXT_START_CHARS = 1200


class EntityLabel(NamedTuple):
    entity_id: int
    name_en: str
    name_fa: str

    def name_in(self, language: str) -> str:
        if language == "fa":
            return self.name_fa or self.name_en
        return self.name_en or self.name_fa


def articles_for_output(queryset: QuerySet[Article]) -> QuerySet[Article]:
    """Articles with their source and the start of their text, without the heavy columns."""
    return queryset.for_listing().annotate(text_start=Substr("body_text", 1, _TEXT_START_CHARS))


def with_entities(articles: list[Article]) -> list[Article]:
    """Set `entity_labels` on each article (most mentioned first), in one query.

    Plain tuples instead of prefetched model instances: a chunk of a 50,000-row export then
    costs a fraction of the memory and time.
    """
    labels: dict[int, list[EntityLabel]] = defaultdict(list)
    rows = (
        ArticleEntity.objects.filter(article_id__in=[article.pk for article in articles])
        .order_by("article_id", "-mentions", "entity_id")
        .values_list("article_id", "entity_id", "entity__name_en", "entity__name_fa")
    )
    for article_id, entity_id, name_en, name_fa in rows:
        labels[article_id].append(EntityLabel(entity_id, name_en, name_fa))
    for article in articles:
        article.entity_labels = labels.get(article.pk, [])
    return articles


def snippet(article: Article, length: int = SNIPPET_CHARS) -> str:
    """Plain text: the summary, else the start of the body, cut at a word boundary."""
    text = one_line(article.summary or getattr(article, "text_start", "") or "")
    if len(text) <= length:
        return text
    cut = text[:length].rsplit(" ", 1)[0] or text[:length]
    return cut.rstrip(" ,.;:،؛") + "…"


def entity_names(article: Article, language: str) -> list[str]:
    if not hasattr(article, "entity_labels"):
        with_entities([article])
    return [label.name_in(language) for label in article.entity_labels]


def published_articles_in_order(
    ids: Iterable[int], *, chunk_size: int = CHUNK_SIZE
) -> Iterator[Article]:
    """The published articles among `ids`, in the order given, fetched a chunk at a time."""
    id_iter = iter(ids)
    while chunk := list(islice(id_iter, chunk_size)):
        found = articles_for_output(Article.objects.published().filter(pk__in=chunk))
        by_id = {article.pk: article for article in with_entities(list(found))}
        ordered = [by_id[pk] for pk in chunk if pk in by_id]
        del by_id, found  # only one chunk is held at a time
        yield from ordered
        del ordered


def newest_articles(
    queryset: QuerySet[Article], limit: int, *, order: str = "published"
) -> list[Article]:
    """The first `limit` of `queryset`, newest published first, or newest added to the
    archive first (`order="added"`), with their entities."""
    articles = articles_for_output(queryset)
    # Ids grow as articles are added, so the newest id is the latest arrival (and the
    # primary key's index serves the order).
    articles = articles.order_by("-pk") if order == "added" else articles.newest_first()
    return with_entities(list(articles[:limit]))
