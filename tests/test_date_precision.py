"""Dates as precise as their source: a date-only article never gets a time (it used to show
04:30 in Kabul, midnight UTC), in pages, feeds, citations, exports and the search JSON; every
input format records the precision it read; existing dates are read back by the migration."""

from __future__ import annotations

import importlib
import json
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from articles.ingest.parse import iter_records
from articles.models import Article
from tests.factories import make_article, make_source

pytestmark = pytest.mark.django_db

RECORDS = [
    {"id": "d-day", "lang": "en", "title": "Library reopens in Kabul", "published": "2010-08-13",
     "body": "The library reopened on Friday after repairs.", "source": "Wire",
     "url": "https://wire.example/a/1"},
    {"id": "d-month", "lang": "en", "title": "Monthly books review", "published": "2010-08",
     "body": "Books of the month, reviewed.", "source": "Wire", "url": "https://wire.example/a/2"},
    {"id": "d-year", "lang": "fa", "title": "گزارش سالانه کتاب", "published": "1389",
     "body": "گزارش سالانه درباره کتاب‌ها.", "source": "Wire", "url": "https://wire.example/a/3"},
    {"id": "d-fa-day", "lang": "fa", "title": "بازگشایی کتابخانه", "published": "۱۳۸۹/۰۵/۲۲",
     "body": "کتابخانه پس از تعمیر بازگشایی شد.", "source": "Wire",
     "url": "https://wire.example/a/4"},
    {"id": "d-time", "lang": "en", "title": "Books at noon", "published": "2010-08-13T10:15:00Z",
     "body": "Books, at a stated time.", "source": "Wire", "url": "https://wire.example/a/5"},
]  # fmt: skip
EXPECTED = {"d-day": "day", "d-month": "month", "d-year": "year", "d-fa-day": "day",
            "d-time": "time"}  # fmt: skip
INVENTED_TIMES = ("04:30", "۰۴:۳۰", "00:00", "T00:00", "T04:30")


@pytest.fixture
def imported(tmp_path: Path, search_index) -> dict[str, Article]:
    from articles.search.sync import indexing

    path = tmp_path / "dated.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), "utf-8")
    call_command("import_articles", str(path), status="published", verbosity=0, stdout=StringIO())
    indexing.rebuild()
    return {a.external_id: a for a in Article.objects.all()}


def _body(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode("utf-8")


def test_import_records_the_precision_the_source_gave(imported):
    assert {key: a.published_precision for key, a in imported.items()} == EXPECTED
    assert imported["d-fa-day"].published_at == datetime(2010, 8, 13, tzinfo=UTC)
    assert imported["d-day"].published_from == "the record's published field"


@pytest.mark.parametrize("language", ["en", "fa"])
def test_pages_show_no_time_the_source_did_not_give(client, imported, language):
    for key in ("d-day", "d-month", "d-year", "d-fa-day"):
        article = imported[key]
        html = _body(client.get(f"/{language}/articles/{article.pk}/{article.slug}/"))
        meta = html[html.index('<p class="meta') : html.index("</p>", html.index('<p class="meta'))]
        assert not any(clock in meta for clock in INVENTED_TIMES), (key, meta)
        cite = html[html.index('class="cite-line"') :][:600]
        assert not any(clock in cite for clock in INVENTED_TIMES), (key, cite)
    day = _body(client.get(f"/{language}/articles/{imported['d-day'].pk}/-/", follow=True))
    assert '<time datetime="2010-08-13"' in day
    month = _body(client.get(f"/{language}/articles/{imported['d-month'].pk}/-/", follow=True))
    assert '<time datetime="2010-08">' in month
    timed = _body(client.get(f"/{language}/articles/{imported['d-time'].pk}/-/", follow=True))
    assert "14:45" in timed or "۱۴:۴۵" in timed  # 10:15 UTC in Kabul: a stated time stays


def test_feeds_exports_citations_and_json_carry_no_invented_time(client, imported):
    day = imported["d-day"]
    rss = _body(client.get("/en/feeds/latest/rss/"))
    item = rss[rss.index(f"article:{day.pk}<") - 600 : rss.index(f"article:{day.pk}<") + 400]
    assert "<pubDate>" not in item and "<dc:date>2010-08-13</dc:date>" in item
    assert "<pubDate>" in rss  # the article with a stated time keeps it
    atom = _body(client.get("/en/feeds/latest/atom/"))
    entry = atom[atom.index(f"article:{day.pk}<") :].split("</entry>")[0]
    assert "<published>" not in entry
    csv_text = _body(client.get("/en/exports/search.csv", {"q": "library"}))
    assert ",2010-08-13,2010-08-13," in csv_text and "T00:00" not in csv_text
    records = [
        json.loads(line) for line in _body(client.get("/en/exports/search.jsonl")).splitlines()
    ]
    by_id = {record["id"]: record for record in records}
    assert by_id[day.pk]["published_at"] == "2010-08-13"
    assert by_id[imported["d-month"].pk]["published_at"] == "2010-08"
    assert by_id[imported["d-year"].pk]["published_solar_hijri"] == ""
    assert by_id[imported["d-time"].pk]["date_precision"] == "time"
    hits = client.get("/en/search/", {"q": "library", "format": "json"}).json()["results"]
    assert [hit["published"] for hit in hits if hit["id"] == day.pk] == ["2010-08-13"]
    ris = _body(client.get(f"/en/articles/{day.pk}/citation.ris"))
    assert "DA  - 2010/08/13\r\n" in ris
    bib = _body(client.get(f"/en/articles/{imported['d-year'].pk}/citation.bib"))
    assert "month" not in bib and "date = {2010}" in bib


def test_every_input_format_records_a_precision(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(
        "Menu\n\nLibrary reopens\n\nPublished: August 13, 2010\n\n"
        + "The library reopened on Friday after months of repairs to its old roof. " * 3,
        "utf-8",
    )
    rss = tmp_path / "feed.rss"
    rss.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>W</title><link>https://w.example/'
        "</link><description>d</description><item><title>Books</title>"
        "<link>https://w.example/1</link><pubDate>Fri, 13 Aug 2010 10:00:00 +0000</pubDate>"
        "<description>Books and more books.</description></item></channel></rss>",
        "utf-8",
    )
    (text_record,) = iter_records(str(page))
    (feed_record,) = iter_records(str(rss))
    assert (text_record.published_precision, text_record.published_from) == (
        "day", "a dateline of the page",
    )  # fmt: skip
    assert feed_record.published_precision == "time"
    assert feed_record.published_from == "the feed entry's published date"


def test_the_migration_reads_midnight_utc_back_as_a_day():
    migration = importlib.import_module("articles.migrations.0005_date_precision")
    source = make_source()
    midnight = make_article(source=source, published_at=datetime(2010, 8, 13, tzinfo=UTC))
    timed = make_article(source=source, published_at=datetime(2010, 8, 13, 10, tzinfo=UTC))
    undated = make_article(source=source, published_at=None)
    Article.objects.update(published_precision="")
    migration.read_back(apps, None)
    found = dict(Article.objects.values_list("pk", "published_precision"))
    assert (found[midnight.pk], found[timed.pk], found[undated.pk]) == ("day", "time", "")


def test_a_curators_date_without_precision_counts_as_a_time():
    article = make_article(published_at=datetime(2021, 1, 4, 12, tzinfo=UTC))
    assert article.published_precision == "time"


@pytest.mark.parametrize("language", ["en", "fa"])
def test_lists_and_search_results_show_a_year_as_a_year(client, imported, language):
    year = imported["d-year"]
    results = _body(client.get(f"/{language}/search/", {"q": "گزارش"}))
    assert f'<time datetime="2010">{"۲۰۱۰" if language == "fa" else "2010"}</time>' in results
    assert 'datetime="2010-01-01"' not in results
    source = _body(client.get(f"/{language}/sources/{year.source.slug}/"))
    assert '<time datetime="2010">' in source and 'datetime="2010-01-01"' not in source
    assert '<time datetime="2010-08-13"' in source  # a day stays a day, with no time
