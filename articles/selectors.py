"""Reads for the pages. Each returns what a page needs in a bounded number of queries."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404

from articles.models import Article, ArticleEntity, Entity, Source


def latest_articles(*, language: str | None = None, limit: int = 10) -> list[Article]:
    articles = Article.objects.published()
    if language:
        articles = articles.in_language(language)
    return list(articles.for_listing().newest_first()[:limit])


def archive_counts() -> dict[str, int]:
    counts = Article.objects.published().aggregate(
        total=Count("id"),
        fa=Count("id", filter=Q(language="fa")),
        en=Count("id", filter=Q(language="en")),
    )
    counts["sources"] = Source.objects.count()
    counts["entities"] = Entity.objects.count()
    return counts


def top_entities(*, limit: int = 12) -> list[Entity]:
    return list(
        Entity.objects.annotate(
            article_total=Count("tags", filter=Q(tags__article__status=Article.Status.PUBLISHED))
        )
        .filter(article_total__gt=0)
        .order_by("-article_total", "name_en")[:limit]
    )


def article_for_page(*, pk: int) -> Article:
    tags = ArticleEntity.objects.select_related("entity").order_by("-mentions", "entity__name_en")
    return get_object_or_404(
        Article.objects.published()
        .select_related("source", "counterpart", "duplicate_of__source")
        .prefetch_related(
            Prefetch("tags", queryset=tags),
            Prefetch("duplicates", queryset=Article.objects.published().for_listing()),
        ),
        pk=pk,
    )


def source_for_page(*, slug: str) -> Source:
    return get_object_or_404(Source, slug=slug)


def entity_for_page(*, slug: str) -> Entity:
    return get_object_or_404(Entity.objects.prefetch_related("aliases"), slug=slug)


def entity_articles(*, entity: Entity, limit: int = 20) -> list[Article]:
    return list(
        Article.objects.published()
        .filter(tags__entity=entity)
        .for_listing()
        .newest_first()[:limit]
    )


def source_articles(*, source: Source, limit: int = 20) -> list[Article]:
    return list(Article.objects.published().filter(source=source).for_listing().newest_first()[:limit])
