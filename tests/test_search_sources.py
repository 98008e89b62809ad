"""`source:` in the query and the `source` parameter take a source's slug, its names in both
languages and its domain, folded as search folds words; an unknown source is said so."""

from __future__ import annotations

import json

import pytest

from tests.factories import make_article, make_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(search_index):
    from articles.search.sync import indexing

    fars = make_source(slug="farsnews", name_en="Fars News Agency", name_fa="خبرگزاری فارس",
                       homepage_url="https://www.farsnews.ir/")  # fmt: skip
    bbc_fa = make_source(slug="bbc-persian", name_en="BBC Persian", name_fa="بی‌بی‌سی فارسی",
                         homepage_url="https://www.bbc.com/persian")  # fmt: skip
    bbc_en = make_source(slug="bbc-news", name_en="BBC News", name_fa="بی‌بی‌سی",
                         homepage_url="https://www.bbc.co.uk/news")  # fmt: skip
    for source in (fars, bbc_fa, bbc_en):
        make_article(language="en", source=source, body="Kabul report, کابل.")
        make_article(language="fa", source=source, body="گزارش کابل, Kabul.")
    indexing.rebuild()


def search(client, language: str, **params) -> dict:
    response = client.get(f"/{language}/search/", {**params, "format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def sources_of(data: dict) -> set[str]:
    return {hit["source"]["slug"] for hit in data["results"]}


FARS = [
    "farsnews", "FarsNews", "FARSNEWS", "fars", "Fars News Agency", "fars-news-agency",
    "fars news agency", "فارس", "خبرگزاری فارس", "خبرگزاري فارس", "خبرگزاری‌فارس",
    "farsnews.ir", "www.farsnews.ir", "https://farsnews.ir/",
]  # fmt: skip


@pytest.mark.parametrize("language", ["en", "fa"])
@pytest.mark.parametrize("typed", FARS)
def test_a_source_is_found_by_slug_names_and_domain(client, archive, language, typed):
    words = "کابل" if language == "fa" else "kabul"
    by_parameter = search(client, language, q=words, source=typed)
    assert sources_of(by_parameter) == {"farsnews"} and by_parameter["count"] == 2, typed
    quoted = f'"{typed}"' if " " in typed else typed
    in_query = search(client, language, q=f"source:{quoted} {words}")
    assert sources_of(in_query) == {"farsnews"} and in_query["count"] == 2, typed


@pytest.mark.parametrize("language", ["en", "fa"])
@pytest.mark.parametrize("typed", ["bbc", "BBC", "بی‌بی‌سی"])
def test_a_word_shared_by_several_sources_takes_them_all_and_says_which(
    client, archive, language, typed
):
    data = search(client, language, q="kabul OR کابل", source=typed)
    if typed == "بی‌بی‌سی":  # the Persian name of BBC News, exactly
        assert sources_of(data) == {"bbc-news"}
        return
    assert sources_of(data) == {"bbc-persian", "bbc-news"}
    assert any("BBC Persian" in m and "BBC News" in m for m in data["messages"])


@pytest.mark.parametrize(("language", "expected"), [("en", "No source is called"),
                                                    ("fa", "منبعی به نام")])  # fmt: skip
@pytest.mark.parametrize("how", ["parameter", "query"])
def test_an_unknown_source_is_said_so_never_a_silent_zero(client, archive, language, expected, how):
    params = {"q": "kabul", "source": "tasnim"} if how == "parameter" else {"q": "source:tasnim"}
    data = search(client, language, **params)
    assert data["count"] == 0
    assert any(expected in m and "tasnim" in m for m in data["messages"]), data["messages"]
    page = client.get(f"/{language}/search/", params).content.decode()
    assert "tasnim" in page and expected in page


def test_a_near_miss_names_the_closest_source(client, archive):
    data = search(client, "en", q="kabul", source="Fars Nws Agency")
    assert data["count"] == 0
    assert any("Fars News Agency" in m for m in data["messages"]), data["messages"]
