"""Research exports: CSV with BOM and Persian text, JSON Lines, limits, streaming by chunks."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import translation

from articles.models import Article, Entity
from articles.outputs.exports import EXPORT_DEFAULT_LIMIT, EXPORT_MAX_LIMIT
from articles.outputs.searching import clamp_limit
from articles.outputs.selectors import published_articles_in_order, snippet
from articles.outputs.writers import CSV_COLUMNS, csv_chunks, export_record, jsonl_chunks
from articles.search.sync import indexing
from tests.test_feeds import PERSIAN_TITLE, TRICKY_TITLE, make_article, make_source, tag


@pytest.fixture
def articles(db) -> list[Article]:
    source = make_source()
    kabul = Entity.objects.create(slug="kabul", name_en="Kabul", name_fa="کابل")
    herat = Entity.objects.create(slug="herat", name_en="Herat", name_fa="هرات")
    persian = make_article(
        source,
        PERSIAN_TITLE,
        language="fa",
        published_at=datetime(2021, 1, 4, 20, 0, tzinfo=UTC),  # 5 January in Kabul
        summary="خلاصهٔ خبر، با «گیومه» و ویرگول, و خط\nتازه",
    )
    english = make_article(source, TRICKY_TITLE, days_ago=3)
    formula = make_article(source, "=HYPERLINK(1)", days_ago=4)
    tag(persian, kabul, 3)
    tag(persian, herat, 1)
    return [persian, english, formula]


def rows_of(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def test_csv_has_a_bom_persian_text_both_calendars_and_one_row_per_article(articles):
    ids = [article.pk for article in articles]
    records = (
        export_record(article, base_url="https://archive.example", language="fa")
        for article in published_articles_in_order(ids, chunk_size=2)
    )
    text = "".join(csv_chunks(records, rows_per_chunk=2))
    rows = rows_of(text)
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert len(rows) == 3
    persian = rows[0]
    assert persian["id"] == str(articles[0].pk)
    assert persian["title"] == PERSIAN_TITLE
    assert persian["source"] == "طلوع‌نیوز"
    assert persian["language"] == "fa"
    assert persian["published_gregorian"] == "2021-01-05"
    assert persian["published_solar_hijri"] == "1399-10-16"
    assert persian["published_at"] == "2021-01-05T00:30:00+04:30"
    assert persian["entities"] == "کابل|هرات"  # most mentioned first
    assert persian["snippet"] == "خلاصهٔ خبر، با «گیومه» و ویرگول, و خط تازه"
    assert persian["permalink"].startswith(f"https://archive.example/en/articles/{articles[0].pk}/")
    assert rows[1]["title"] == TRICKY_TITLE
    assert rows[2]["title"] == "'=HYPERLINK(1)"  # not a live formula in a spreadsheet


def test_export_keeps_the_given_order_and_drops_what_is_not_published(articles):
    Article.objects.filter(pk=articles[1].pk).update(status=Article.Status.HIDDEN)
    ids = [articles[2].pk, 999999, articles[1].pk, articles[0].pk]
    assert [a.pk for a in published_articles_in_order(ids)] == [articles[2].pk, articles[0].pk]


def test_articles_are_fetched_a_chunk_at_a_time(articles, django_assert_num_queries):
    ids = [article.pk for article in articles] * 2
    found = published_articles_in_order(ids, chunk_size=2)
    with django_assert_num_queries(2):  # one chunk: articles with sources, then their tags
        next(found)
    with django_assert_num_queries(4):  # the two further chunks
        assert len(list(found)) == 5


def test_json_lines_parse_one_object_per_line(articles):
    records = [export_record(a, base_url="", language="en") for a in articles]
    lines = "".join(jsonl_chunks(records, rows_per_chunk=2)).splitlines()
    parsed = [json.loads(line) for line in lines]
    assert [item["title"] for item in parsed] == [PERSIAN_TITLE, TRICKY_TITLE, "=HYPERLINK(1)"]
    assert parsed[0]["entities"] == ["Kabul", "Herat"]
    assert parsed[0]["published_solar_hijri"] == "1399-10-16"
    assert "گیومه" in lines[0]  # UTF-8, not \\u escapes


def test_snippet_is_plain_text_cut_at_a_word():
    article = Article(summary="word " * 100)
    assert snippet(article, 22) == "word word word word…"
    assert snippet(Article(summary="", body_text="x")) == ""


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("10", 10), ("0", 1), ("100000", EXPORT_MAX_LIMIT), ("ten", EXPORT_DEFAULT_LIMIT)],
)
def test_export_limit_is_clamped(raw, expected):
    assert clamp_limit(raw, default=EXPORT_DEFAULT_LIMIT, maximum=EXPORT_MAX_LIMIT) == expected


# Over HTTP: the exports run the search engine against a real temporary index.


def export_url(name: str, query: str, language: str = "fa") -> str:
    with translation.override(language):
        return f"{reverse(f'articles:{name}')}?{query}"


def streamed_text(response) -> str:
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.fixture
def indexed(articles, request):
    request.getfixturevalue("search_index")

    indexing.rebuild()
    return articles


def test_csv_export_of_a_search_over_http(client, indexed):
    response = client.get(export_url("export_csv", "q=&sort=newest"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="newsarchive-search-')
    assert response["Content-Disposition"].endswith('.csv"')
    rows = rows_of(streamed_text(response))
    assert [row["title"] for row in rows] == [PERSIAN_TITLE, TRICKY_TITLE, "'=HYPERLINK(1)"]
    assert rows[0]["source"] == "طلوع‌نیوز" and rows[0]["permalink"].startswith(
        "http://testserver/fa/"
    )


def test_export_limit_and_a_persian_query_over_http(client, indexed):
    limited = rows_of(streamed_text(client.get(export_url("export_csv", "sort=newest&limit=2"))))
    assert len(limited) == 2
    response = client.get(export_url("export_jsonl", "q=کابل&limit=999999"))
    assert response["X-Export-Limit"] == str(EXPORT_MAX_LIMIT)
    lines = [json.loads(line) for line in streamed_text(response).splitlines()]
    assert [line["id"] for line in lines] == [indexed[0].pk]


@pytest.mark.parametrize(
    ("name", "marker"), [("export_bibtex", "@article{"), ("export_ris", "TY  - NEWS")]
)
def test_citation_exports_of_a_search(client, indexed, name, marker):
    text = streamed_text(client.get(export_url(name, "sort=newest")))
    assert text.count(marker) == 3
    assert PERSIAN_TITLE.replace("&", r"\&") in text or PERSIAN_TITLE in text


def test_malformed_search_exports_without_an_error(client, indexed):
    # An unclosed quote searches its word, which no article holds; unreadable year and date
    # parameters are left out rather than refused.
    unclosed = client.get(export_url("export_csv", "q=%22unclosed&year=abc&from=1399-13-40"))
    assert unclosed.status_code == 200
    assert rows_of(streamed_text(unclosed)) == []
    # Brackets alone are no query and an unknown sort is the default: every article.
    brackets = client.get(export_url("export_csv", "q=(((&sort=sideways&page=-3"))
    assert brackets.status_code == 200
    ids = sorted(int(row["id"]) for row in rows_of(streamed_text(brackets)))
    assert ids == sorted(article.pk for article in indexed)
