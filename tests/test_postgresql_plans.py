"""PostgreSQL only: the listing indexes exist and the key page queries use them.

Skipped on SQLite (the default test run). `.ci/run` runs the suite again with `DATABASE_URL`
pointing at PostgreSQL, which is where these run. With a few hundred rows PostgreSQL would
rightly read the table instead, so the plans are taken with `enable_seqscan = off`: the question
asked is whether an index serves the query's filter *and* order, not what is cheapest here.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from articles import selectors
from articles.models import Article, Source

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs DATABASE_URL pointing at PostgreSQL"
    ),
]

LISTING_INDEXES = {
    "article_pub_lang_newest",
    "article_pub_newest",
    "article_source_newest",
    "article_id_listing",
}


@pytest.fixture
def archive():
    sources = [Source.objects.create(slug=f"s{n}", name_en=f"S{n}") for n in range(3)]
    start = datetime(2020, 1, 1, tzinfo=UTC)
    Article.objects.bulk_create(
        Article(
            source=sources[n % 3],
            language="fa" if n % 2 else "en",
            title=f"خبر {n}" if n % 2 else f"News {n}",
            status=Article.Status.PUBLISHED if n % 10 else Article.Status.DRAFT,
            published_at=None if n % 7 == 0 else start + timedelta(hours=n),
        )
        for n in range(400)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
    return sources


def plan(queryset) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        try:
            return queryset.explain()
        finally:
            cursor.execute("SET LOCAL enable_seqscan = on")


def test_listing_indexes_exist():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'articles_article'")
        names = {row[0] for row in cursor.fetchall()}
    assert LISTING_INDEXES <= names


def test_latest_per_language_reads_the_index_in_order(archive):
    queryset = Article.objects.published().in_language("fa").for_listing().newest_first()[:10]
    text = plan(queryset)
    assert "article_pub_lang_newest" in text and "Sort" not in text  # read in order, no sort
    assert [a.language for a in selectors.latest_articles(language="fa")] == ["fa"] * 10


def test_latest_in_both_languages_reads_the_index_in_order(archive):
    text = plan(Article.objects.published().for_listing().newest_first()[:20])
    assert "article_pub_newest" in text and "Sort" not in text


SMALL = 100  # a quarter of the archive: too many to sort cheaply, too few to filter for


def test_source_list_reads_the_source_index(archive):
    # A small source among large ones: reading the newest articles of everything and
    # filtering would walk most of the table; its own index hands them over in order.
    small = Source.objects.create(slug="small", name_en="Small")
    Article.objects.filter(pk__in=Article.objects.published().values("pk")[:SMALL]).update(
        source=small
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
    text = plan(selectors.source_articles(source=small)[:20])
    assert "article_source_newest" in text and "Sort" not in text
