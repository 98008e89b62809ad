"""Each page costs a bounded number of SQL queries, whatever the number of articles, tags,
entities or facets behind it: the same page over 5 and over 50 articles costs the same."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from articles import services
from tests.factories import make_article, make_entity, make_source, tag

pytestmark = pytest.mark.django_db

# page -> most queries it may take (anonymous visitor)
BOUNDS = {
    "home": 6,
    "article": 4,
    "entity": 7,
    "source": 4,
    "search": 6,
    "sources": 5,
}


def build(size: int) -> dict:
    sources = [make_source(slug=f"s{n}", name_fa=f"منبع {n}") for n in range(3)]
    entities = [
        make_entity(slug=f"e{n}", name_fa=f"نام {n}", aliases={"en": [f"Name{n}"]})
        for n in range(min(size, 12))
    ]
    start = datetime(2020, 1, 1, tzinfo=UTC)
    articles = []
    for n in range(size):
        language = "fa" if n % 2 else "en"
        body = "کابل و هرات" if language == "fa" else "Kabul and Herat"
        article = make_article(
            source=sources[n % 3],
            language=language,
            body=f"{body} {n}",
            published_at=start + timedelta(days=17 * n),
            duplicate_of=articles[0] if n and n % 5 == 0 else None,
        )
        for entity in entities[: 1 + n % len(entities)]:
            tag(article, entity)
        articles.append(article)
    services.articles_link_counterparts(articles[0], articles[1])
    first = articles[0]
    return {
        "home": "/fa/",
        "article": f"/fa/articles/{first.pk}/{first.slug}/",
        "entity": "/fa/entities/e0/",
        "source": "/fa/sources/s0/",
        "search": "/fa/search/?q=kabul+OR+%DA%A9%D8%A7%D8%A8%D9%84&sort=newest",
        "sources": "/fa/sources/",
    }


def counts(client, pages: dict, assert_max) -> dict[str, int]:
    result = {}
    for name, url in pages.items():
        client.get(url)  # warm caches that are not per-request (content types, translations)
        with assert_max(BOUNDS[name]) as captured:
            assert client.get(url).status_code == 200, url
        result[name] = len(captured.captured_queries)
    return result


def test_page_queries_are_bounded_and_do_not_grow_with_the_archive(
    client, search_index, django_assert_max_num_queries
):
    from articles.models import Article, Entity, Source
    from articles.search.sync import indexing

    pages = build(5)
    indexing.rebuild()
    small = counts(client, pages, django_assert_max_num_queries)
    Article.objects.update(counterpart=None, duplicate_of=None)
    Article.objects.all().delete()
    Entity.objects.all().delete()
    Source.objects.all().delete()
    pages = build(50)
    indexing.rebuild()
    large = counts(client, pages, django_assert_max_num_queries)
    print("queries per page:", large)
    assert small == large
