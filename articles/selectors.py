"""Reads for the pages. Each returns what a page needs in a bounded number of queries, whatever
the number of articles, tags or entities involved (tests/test_query_counts.py holds them to it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext

from articles.models import Article, ArticleEntity, Entity, Source

PUBLISHED = Article.Status.PUBLISHED
# Aggregations over every tag (top entities, co-mentions) cost hundreds of milliseconds on a
# 100k-article archive whatever the indexes; they are kept this long in the cache.
AGGREGATE_SECONDS = 300


def _cached(key: str, compute: Callable[[], list]) -> list:
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, AGGREGATE_SECONDS)
    return value


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
    counts["sources"] = Source.objects.public().count()
    counts["entities"] = Entity.objects.count()
    return counts


def top_entities(*, limit: int = 12) -> list[Entity]:
    return _cached(
        f"newsarchive:top-entities:{limit}",
        lambda: list(
            Entity.objects.annotate(
                article_total=Count("tags", filter=Q(tags__article__status=PUBLISHED))
            )
            .filter(article_total__gt=0)
            .order_by("-article_total", "name_en", "name_fa")[:limit]
        ),
    )


def article_for_page(*, pk: int) -> Article:
    """A published article with its source, tags (and their entities), counterpart and the
    near-duplicates around it: four queries whatever their number."""
    tags = ArticleEntity.objects.select_related("entity").order_by("-mentions", "entity__name_en")
    return get_object_or_404(
        Article.objects.published()
        .select_related("source", "counterpart", "duplicate_of__source")
        .prefetch_related(
            Prefetch("tags", queryset=tags),
            Prefetch(
                "duplicates",
                queryset=Article.objects.published().for_listing().order_by("-duplicate_score"),
            ),
        ),
        pk=pk,
    )


def article_is_withdrawn(*, pk: int) -> bool:
    """Hidden by a curator after publication (a draft was never public: that is a 404)."""
    return Article.objects.filter(pk=pk, status=Article.Status.HIDDEN).exists()


def same_story_elsewhere(article: Article) -> list[Article]:
    """The published copies of the story: the original it duplicates, then its duplicates."""
    original = article.duplicate_of
    first = [original] if original is not None and original.is_published else []
    return first + list(article.duplicates.all())


def published_counterpart(article: Article) -> Article | None:
    counterpart = article.counterpart
    if counterpart is None or counterpart.status != PUBLISHED:
        return None
    return counterpart


def source_for_page(*, slug: str) -> Source:
    """Only a public source has a page: active, with a published article (docs/harvesting.md)."""
    return get_object_or_404(Source.objects.public(), slug=slug)


def source_summary(*, source: Source) -> dict:
    """Article counts per language and the date span of the source's published articles."""
    return (
        Article.objects.published()
        .filter(source=source)
        .aggregate(
            total=Count("id"),
            fa=Count("id", filter=Q(language="fa")),
            en=Count("id", filter=Q(language="en")),
            first=Min("published_at"),
            last=Max("published_at"),
        )
    )


def source_articles(*, source: Source) -> QuerySet[Article]:
    return Article.objects.published().filter(source=source).for_listing().newest_first()


def entity_for_page(*, slug: str) -> Entity:
    return get_object_or_404(Entity.objects.prefetch_related("aliases"), slug=slug)


def entity_articles(*, entity: Entity, language: str | None = None) -> QuerySet[Article]:
    """The published articles tagged with `entity`, newest first (paginate them)."""
    articles = Article.objects.published().filter(tags__entity=entity)
    if language:
        articles = articles.in_language(language)
    return articles.for_listing().newest_first()


def entity_counts(*, entity: Entity) -> dict[str, int]:
    return (
        Article.objects.published()
        .filter(tags__entity=entity)
        .aggregate(
            total=Count("id", distinct=True),
            fa=Count("id", distinct=True, filter=Q(language="fa")),
            en=Count("id", distinct=True, filter=Q(language="en")),
        )
    )


def entity_timeline(*, entity: Entity) -> list[dict]:
    """Mentions per month and language: `[{"month": "2021-01", "fa": 2, "en": 5}, …]`."""
    rows = (
        ArticleEntity.objects.filter(
            entity=entity, article__status=PUBLISHED, article__published_at__isnull=False
        )
        .annotate(month=TruncMonth("article__published_at"))
        .values("month", "article__language")
        .annotate(total=Count("article_id", distinct=True))
        .order_by("month")
    )
    months: dict[str, dict] = {}
    for row in rows:
        if row["month"] is None:
            continue
        key = row["month"].strftime("%Y-%m")
        slot = months.setdefault(key, {"month": key, "fa": 0, "en": 0})
        slot[row["article__language"]] = slot.get(row["article__language"], 0) + row["total"]
    return list(months.values())


def co_mentioned_entities(*, entity: Entity, limit: int = 12) -> list[Entity]:
    """The entities most often tagged on the same published articles as `entity`."""
    shared_articles = ArticleEntity.objects.filter(entity=entity, article__status=PUBLISHED).values(
        "article_id"
    )
    return _cached(
        f"newsarchive:co-mentioned:{entity.pk}:{limit}",
        lambda: list(
            Entity.objects.filter(tags__article_id__in=shared_articles)
            .exclude(pk=entity.pk)
            .annotate(shared=Count("tags__article_id", distinct=True))
            .order_by("-shared", "name_en", "name_fa")[:limit]
        ),
    )


@dataclass
class PageChoice:
    page: Page
    notice: str  # why the requested page was not the one shown, if it was not


def paginate(
    queryset: QuerySet, *, page_text: str | None, per_page: int = 20, count: int | None = None
) -> PageChoice:
    """One page of `queryset` (a count and a slice); a nonsense page number falls back.
    Pass `count` when it is already known, to spare the count query."""
    paginator = Paginator(queryset, per_page, allow_empty_first_page=True)
    if count is not None:
        paginator.count = count  # a cached property: set, it is not queried
    notice = ""
    try:
        page = paginator.page(page_text or 1)
    except PageNotAnInteger:
        notice = gettext("“%(page)s” is not a page number; showing the first page.") % {
            "page": str(page_text)[:20]
        }
        page = paginator.page(1)
    except EmptyPage:
        notice = gettext("There is no page %(page)s; showing the last page.") % {
            "page": str(page_text)[:20]
        }
        page = paginator.page(paginator.num_pages)
    return PageChoice(page, notice)
