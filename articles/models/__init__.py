"""The archive: sources, articles, entities and the tags that join them (`archive`,
`entities`), and the queues of work that follow a change (`queues`).

The QuerySets are the archive's vocabulary: every list, feed and the search index start from
`Article.objects.published()`, so none of them can disagree on what is public.
"""

# The harvester's tables (feeds, fetch attempts, WARC captures, alerts) live in their package.
from articles.harvest.models import Capture, Feed, FetchAttempt, HealthAlert  # noqa: E402, I001
from articles.models.archive import (
    LANGUAGE_CHOICES,
    LANGUAGE_CODES,
    Article,
    ArticleQuerySet,
    Source,
    SourceQuerySet,
    other_language,
)
from articles.models.entities import ArticleEntity, Entity, EntityAlias, EntitySlugRedirect
from articles.models.queues import IndexTask, RetagRequest

__all__ = [
    "LANGUAGE_CHOICES",
    "LANGUAGE_CODES",
    "Article",
    "ArticleEntity",
    "ArticleQuerySet",
    "Capture",
    "Entity",
    "EntityAlias",
    "EntitySlugRedirect",
    "Feed",
    "FetchAttempt",
    "HealthAlert",
    "IndexTask",
    "RetagRequest",
    "Source",
    "SourceQuerySet",
    "other_language",
]
