"""Small model factories for tests: plain functions with sensible defaults."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from articles import services
from articles.curation.retag import wait_for_background
from articles.models import Article, ArticleEntity, Entity, EntityAlias, Source
from articles.search.sync import catchup

_counter = itertools.count(1)


def make_source(**fields) -> Source:
    n = next(_counter)
    fields.setdefault("name_en", f"Source {n}")
    fields.setdefault("slug", f"source-{n}")
    return Source.objects.create(**fields)


def make_article(*, body: str = "", source: Source | None = None, **fields) -> Article:
    n = next(_counter)
    language = fields.setdefault("language", "en")
    fields.setdefault("title", f"Article number {n}" if language == "en" else f"خبر شماره {n}")
    fields.setdefault("status", Article.Status.PUBLISHED)
    fields.setdefault("published_at", datetime(2021, 1, 1 + n % 28, 12, 0, tzinfo=UTC))
    article = Article(source=source or make_source(), **fields)
    services.article_prepare(
        article, body_text=body or (f"Body text {n}." if language == "en" else f"متن خبر {n}.")
    )
    article.full_clean()
    article.save()
    return article


def make_entity(*, aliases: dict[str, list[str]] | None = None, **fields) -> Entity:
    n = next(_counter)
    fields.setdefault("name_en", f"Entity {n}")
    fields.setdefault("slug", f"entity-{n}")
    entity = Entity.objects.create(**fields)
    for language, names in (aliases or {}).items():
        for alias in names:
            EntityAlias.objects.create(entity=entity, language=language, alias=alias)
    return entity


def tag(
    article: Article, entity: Entity, *, origin: str = "manual", mentions: int = 1
) -> ArticleEntity:
    return ArticleEntity.objects.create(
        article=article, entity=entity, origin=origin, mentions=mentions
    )


def background_work_done(timeout: float = 60) -> None:
    """Let the re-tagging and index catch-up threads finish: with SQLite's shared in-memory
    test database a write beside theirs fails with "table is locked"."""
    wait_for_background(timeout)
    catchup.wait(timeout)
