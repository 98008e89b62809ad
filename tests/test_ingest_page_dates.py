"""HTML page dates by an order of trust (articles/ingest/page_dates.py), recorded in the
provenance, and pages in a third language refused unless the curator names a language."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles.ingest.parse import iter_records
from articles.ingest.records import ParsedArticle
from articles.models import Article
from tests.conftest import CORPUS, needs_shared

HTML = CORPUS / "html" / "en"
BODY = "<p>" + "The library reopened on Friday after months of repairs to its roof. " * 4 + "</p>"


def page(*, head: str = "", body: str = BODY, lang: str = "en") -> str:
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>Library reopens'
        f"</title>{head}</head><body><article><h1>Library reopens</h1>{body}</article>"
        "<aside><a href='https://other.example/2011/08/19/x.html'>Another story</a>, "
        '<time datetime="2011-08-19">19 August 2011</time></aside>'
        "</body></html>"
    )


def parse(tmp_path, html: str, url: str = "") -> ParsedArticle:
    path = tmp_path / "page.html"
    path.write_text(html, "utf-8")
    (record,) = iter_records(str(path))
    assert isinstance(record, ParsedArticle), record
    return record


CANONICAL = '<link rel="canonical" href="https://news.example/2010/POLITICS/08/13/library/">'


@pytest.mark.parametrize(
    ("head", "expected", "precision", "source"),
    [
        # 1. the page's own metadata beats the address
        ('<meta property="article:published_time" content="2010-08-12T21:30:00Z">' + CANONICAL,
         datetime(2010, 8, 12, 21, 30, tzinfo=UTC), "time", "article:published_time"),
        ('<script type="application/ld+json">{"datePublished": "2010-08-12"}</script>'
         + CANONICAL, datetime(2010, 8, 12, tzinfo=UTC), "day", "JSON-LD"),
        ('<script type="application/ld+json">{"@graph": [{"@type": "WebPage"}, '
         '{"@type": "NewsArticle", "datePublished": "2010-08"}]}</script>' + CANONICAL,
         datetime(2010, 8, 1, tzinfo=UTC), "month", "JSON-LD"),
        # 2. the address beats a sidebar <time> and the extractor's guess
        (CANONICAL + '<meta name="x" content="y">', datetime(2010, 8, 13, tzinfo=UTC), "day",
         "address"),
        # 3. without either, a <time> of the page
        ("", datetime(2011, 8, 19, tzinfo=UTC), "day", "<time>"),
    ],
)  # fmt: skip
def test_page_dates_follow_the_order_of_trust(tmp_path, head, expected, precision, source):
    record = parse(tmp_path, page(head=head))
    assert (record.published_at, record.published_precision) == (expected, precision)
    assert source in record.published_from


def test_the_address_date_reads_cnn_and_plain_layouts():
    from articles.ingest.page_dates import url_date

    assert url_date("http://www.cnn.com/2010/POLITICS/08/13/a/index.html") == datetime(
        2010, 8, 13, tzinfo=UTC
    )
    assert url_date("http://arabic.cnn.com/2013/middle_east/8/3/syria.clashes/index.html") == (
        datetime(2013, 8, 3, tzinfo=UTC)
    )
    assert url_date("https://x.example/news/2021-01-04-kabul-floods") == datetime(
        2021, 1, 4, tzinfo=UTC
    )
    assert url_date("https://x.example/2021/13/40/") is None
    assert url_date("https://x.example/article/12345") is None


@needs_shared("corpus", "html", "en", "goose3_cnn1.html")
def test_cnn_pages_get_the_date_of_their_address_not_of_the_links_around_them():
    (cnn,) = iter_records(str(HTML / "goose3_cnn1.html"))
    assert cnn.published_at == datetime(2010, 8, 13, tzinfo=UTC)
    assert cnn.published_precision == "day" and "address" in cnn.published_from
    (arabic,) = iter_records(str(HTML / "goose3_cnn_arabic.html"), language="fa")
    assert arabic.published_at == datetime(2013, 8, 3, tzinfo=UTC)
    assert arabic.published_precision == "day"


@needs_shared("corpus", "html", "en", "goose3_cnn_arabic.html")
def test_a_third_language_page_is_refused_unless_a_language_is_named(db):
    out = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import_articles", str(HTML / "goose3_cnn_arabic.html"), stdout=out,
                     stderr=out)  # fmt: skip
    report = out.getvalue() + str(failure.value)
    assert "'ar'" in report and "neither Persian nor English" in report
    assert "--language" in report
    assert not Article.objects.exists()
    call_command(
        "import_articles", str(HTML / "goose3_cnn_arabic.html"), "--language", "fa",
        stdout=StringIO(),
    )  # fmt: skip
    article = Article.objects.get()
    assert article.language == "fa"
    assert "address" in article.published_from


@needs_shared("corpus", "html", "en", "goose3_cnn1.html")
def test_the_article_page_shows_where_its_date_came_from_to_curators(admin_client):
    call_command("import_articles", str(HTML / "goose3_cnn1.html"), "--status", "published",
                 stdout=StringIO())  # fmt: skip
    article = Article.objects.get()
    html = admin_client.get(article.get_absolute_url()).content.decode()
    assert "the article&#x27;s address" in html or "the article's address" in html


@pytest.mark.parametrize("lang", ["ar", "ps", "de"])
def test_a_dump_record_in_a_third_language_is_refused(tmp_path, lang):
    path = tmp_path / "dump.jsonl"
    record = {"id": "x", "lang": lang, "title": "عنوان", "body": "متن خبر درباره کتاب."}
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", "utf-8")
    (result,) = iter_records(str(path))
    assert not isinstance(result, ParsedArticle)
    assert f"'{lang}'" in result.reason and "--language" in result.reason
    (forced,) = iter_records(str(path), language="fa")
    assert isinstance(forced, ParsedArticle) and forced.language == "fa"
    for accepted in ("fa-AF", "prs", "en_US"):
        path.write_text(json.dumps({**record, "lang": accepted}) + "\n", "utf-8")
        (ok,) = iter_records(str(path))
        assert isinstance(ok, ParsedArticle)
