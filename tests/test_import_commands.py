"""The import commands end to end: files, folders and URLs in, a summary and an exit status out."""

from __future__ import annotations

import functools
import http.server
import json
import threading
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles import services
from articles.models import Article, ArticleEntity, Entity, IndexTask, Source
from tests.conftest import SHARED, needs_shared

GAZETTEER = Path(__file__).parent / "fixtures" / "gazetteer" / "afghanistan.jsonl"
SEED = SHARED / "seeds" / "tolonews_alqaeda_page.txt"
SEED_TITLE = "Al-Qaeda 'Gaining Strength' in Afghanistan: US Treasury"

EN_PAGE = """Skip to main content
Latest news
Share this post

Floods Close the Salang Highway Again

Heavy rain and floods closed the Salang highway on Tuesday, officials of the public works ministry said, and hundreds of travellers were stranded on both sides of the tunnel.

The Taliban said their engineers were working with the UN to reopen the road before the weekend, while drivers complained of the cold.

Floods Close the Salang Highway Again

Heavy rain and floods closed the Salang highway on Tuesday, officials of the public works ministry said, and hundreds of travellers were stranded on both sides of the tunnel.

The Taliban said their engineers were working with the UN to reopen the road before the weekend, while drivers complained of the cold.
"""  # noqa: E501

FA_PAGE = """رفتن به محتوای اصلی
آخرین اخبار

بازگشایی شاهراه سالنگ پس از سیلاب

شاهراه سالنگ پس از دو روز بسته بودن به دلیل سیلاب روز چهارشنبه دوباره به روی مسافران باز شد و صدها مسافر به مقصد رسیدند.

مقام‌های وزارت فواید عامه گفتند که طالبان و سازمان ملل در پاک‌کاری جاده همکاری کردند و ترافیک عادی شده است.
"""  # noqa: E501


def _html(lang: str, title: str, body: str, url: str, other_lang: str, other_url: str) -> str:
    direction = "rtl" if lang == "fa" else "ltr"
    return f"""<!doctype html>
<html lang="{lang}" dir="{direction}"><head><meta charset="utf-8">
<title>{title}</title>
<link rel="canonical" href="{url}">
<link rel="alternate" hreflang="{other_lang}" href="{other_url}">
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="Kabul Daily">
</head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>{title}</h1>{body}</article><footer>All rights reserved</footer></body></html>"""


EN_URL = "https://kabul-daily.example.org/en/bridge"
FA_URL = "https://kabul-daily.example.org/fa/bridge"
EN_HTML = _html(
    "en",
    "A New Bridge Opens Over the Kabul River",
    "<p>A new bridge over the Kabul river opened on Sunday, linking two districts of the city "
    "that had been cut off from each other since the floods of last spring.</p>"
    "<p>The municipality said the bridge was built in eight months with help from the United "
    "Nations and will carry both cars and pedestrians across the river.</p>",
    EN_URL,
    "fa",
    FA_URL,
)
FA_HTML = _html(
    "fa",
    "پل تازه بر دریای کابل گشایش یافت",
    "<p>یک پل تازه روز یکشنبه بر دریای کابل گشایش یافت و دو ناحیه شهر را که از سیلاب بهار گذشته "
    "از هم جدا شده بودند دوباره به هم وصل کرد.</p>"
    "<p>شهرداری گفت این پل در هشت ماه با کمک سازمان ملل ساخته شده و هم موترها و هم پیاده‌ها "
    "از آن عبور خواهند کرد.</p>",
    FA_URL,
    "en",
    EN_URL,
)
FEED_FA = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>خبرگزاری نمونه</title><link>https://feed.example.org/</link>
<item><title>نشست شورای ولایتی هرات درباره آب</title><link>https://feed.example.org/news/1</link>
<guid>feed-item-1</guid><pubDate>Mon, 04 Jan 2021 08:00:00 +0000</pubDate>
<description>اعضای شورای ولایتی هرات روز دوشنبه درباره کمبود آب آشامیدنی در شهر و راه‌های حل آن گفتگو کردند.</description></item>
<item><title>بازگشایی مکتب‌ها در بلخ</title><link>https://feed.example.org/news/2</link>
<guid>feed-item-2</guid><pubDate>Tue, 05 Jan 2021 08:00:00 +0000</pubDate>
<description>ریاست معارف بلخ اعلام کرد که مکتب‌های این ولایت از هفته آینده دوباره باز می‌شوند.</description></item>
</channel></rss>"""  # noqa: E501
DUMP = [
    {
        "id": "pair-en",
        "lang": "en",
        "title": "Wheat Prices Fall in Mazar Markets",
        "body": "Wheat prices fell in the markets of Mazar-i-Sharif this week as the harvest "
        "came in, traders said.\n\nA sack of flour now sells for less than last month.",
        "published": "2021-06-01",
        "source": "Balkh Wire",
        "counterpart_id": "pair-fa",
    },
    {
        "id": "pair-fa",
        "lang": "fa",
        "title": "کاهش قیمت گندم در بازارهای مزار",
        "body": "قیمت گندم در بازارهای مزارشریف این هفته با رسیدن حاصلات کاهش یافت.\n\n"
        "به گفته تاجران یک بوری آرد اکنون ارزان‌تر از ماه گذشته فروخته می‌شود.",
        "published": "2021-06-01",
        "source": "Balkh Wire",
    },
]


def write_fixtures(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "en_page.txt").write_text(EN_PAGE, encoding="utf-8")
    (folder / "fa_page.txt").write_text(FA_PAGE, encoding="utf-8")
    (folder / "en_bridge.html").write_text(EN_HTML, encoding="utf-8")
    (folder / "fa_bridge.html").write_text(FA_HTML, encoding="utf-8")
    (folder / "feed_fa.rss").write_text(FEED_FA, encoding="utf-8")
    (folder / "dump.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in DUMP) + "\n", encoding="utf-8"
    )
    return folder


def run_import(*args: str) -> str:
    out = StringIO()
    call_command("import_articles", *args, "--verbosity", "0", stdout=out)
    return out.getvalue()


def counts() -> tuple[int, int, int, int]:
    return (
        Article.objects.count(),
        Source.objects.count(),
        ArticleEntity.objects.count(),
        IndexTask.objects.count(),
    )


@pytest.fixture(autouse=True)
def _queue_only(settings):
    # The queue rows are the contract here; applying them is the search worker's job.
    settings.NEWSARCHIVE_INDEX_SYNC = False


@pytest.fixture
def gazetteer(db):
    call_command("import_entities", str(GAZETTEER), stdout=StringIO())


@needs_shared("seeds", "tolonews_alqaeda_page.txt")
def test_seed_page_imports_as_one_tagged_english_article(gazetteer):
    summary = run_import(str(SEED))
    assert "created: 1" in summary
    article = Article.objects.get()
    assert article.title == SEED_TITLE
    assert article.language == "en"
    tagged = set(article.tags.values_list("entity__slug", flat=True))
    assert tagged == {
        "al-qaeda",
        "taliban",
        "us-treasury",
        "haqqani-network",
        "aqis",
        "ttp",
        "ayman-al-zawahiri",
        "united-nations",
    }
    assert "Skip to main content" not in article.body_text
    assert article.removed_blocks

    before = counts()
    again = run_import(str(SEED))
    assert "unchanged: 1" in again and "created: 0" in again
    assert counts() == before


def test_bilingual_fixtures_import_and_pair_up(tmp_path, gazetteer):
    folder = write_fixtures(tmp_path / "inbox")
    summary = run_import(str(folder), "--status", "published")
    assert "created: 8" in summary
    assert "counterparts linked: 2" in summary
    assert Article.objects.filter(language="fa").count() == 5
    assert Article.objects.filter(language="en").count() == 3
    assert not Article.objects.exclude(status="published").exists()

    en_html = Article.objects.get(canonical_url=EN_URL)
    assert en_html.counterpart.canonical_url == FA_URL
    assert Article.objects.get(canonical_url=FA_URL).counterpart_id == en_html.pk
    pair_en = Article.objects.get(external_id="pair-en")
    assert pair_en.counterpart.external_id == "pair-fa"

    page = Article.objects.get(title="Floods Close the Salang Highway Again")
    assert page.body_text.count("Heavy rain and floods") == 1
    slugs = set(page.tags.values_list("entity__slug", flat=True))
    assert slugs == {"taliban", "united-nations"}
    fa_page = Article.objects.get(title="بازگشایی شاهراه سالنگ پس از سیلاب")
    assert set(fa_page.tags.values_list("entity__slug", flat=True)) == {
        "taliban",
        "united-nations",
    }
    assert IndexTask.objects.filter(object_id=str(page.pk)).exists()

    before = counts()
    again = run_import(str(folder))
    assert "created: 0" in again and "unchanged: 8" in again and "updated: 0" in again
    assert counts() == before


def test_changed_input_updates_and_keeps_curation(tmp_path, gazetteer):
    folder = write_fixtures(tmp_path / "inbox")
    run_import(str(folder / "dump.jsonl"))
    article = Article.objects.get(external_id="pair-en")
    other = Article.objects.create(
        source=article.source, language="fa", title="یک خبر دیگر", body_text="متن"
    )
    services.articles_link_counterparts(article, other)
    services.articles_publish(Article.objects.filter(pk=article.pk))
    entity = Entity.objects.get(slug="aqis")
    services.article_tag(article=article, entity=entity)

    changed = dict(DUMP[0], body=DUMP[0]["body"] + "\n\nThe Taliban set new prices.")
    (folder / "dump.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in [changed, DUMP[1]]) + "\n",
        encoding="utf-8",
    )
    summary = run_import(str(folder / "dump.jsonl"))
    assert "updated: 1" in summary and "unchanged: 1" in summary and "created: 0" in summary

    article.refresh_from_db()
    assert "The Taliban set new prices." in article.body_text
    assert article.status == Article.Status.PUBLISHED
    assert article.counterpart_id == other.pk
    tags = dict(article.tags.values_list("entity__slug", "origin"))
    assert tags == {"aqis": "manual", "taliban": "auto"}


def test_bad_inputs_are_reported_one_line_each_and_the_rest_imports(tmp_path, db):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "image.bin").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    (folder / "empty.txt").write_bytes(b"")
    persian = "خبرگزاری کابل\n\n" + FA_PAGE.split("\n\n", 2)[2]
    (folder / "persian_cp1256.txt").write_bytes(persian.replace("ی", "ي").encode("cp1256"))
    (folder / "truncated.html").write_text(EN_HTML[: EN_HTML.index("The municipality")])
    (folder / "bozo.rss").write_text(FEED_FA.replace("</channel></rss>", "<item><title>x &"))
    good = {"id": "ok-1", "lang": "en", "source": "Dump", "title": "A good record"}
    good["body"] = "The road from Kabul to Jalalabad reopened after repairs on Sunday."
    lines = [
        json.dumps(good),
        json.dumps([1, 2, 3]),
        json.dumps(dict(good, id="ok-2", title="", body=good["body"] + " Again.")),
        json.dumps(dict(good, id="ok-3", title="Future", published="2999-01-01")),
        json.dumps(dict(good, id="ok-4", title="Unreadable", published="next Tuesday-ish")),
    ]
    (folder / "dump.jsonl").write_text("\n".join(lines) + "\n")

    with pytest.raises(CommandError) as error:
        run_import(str(folder))
    message = str(error.value)
    failed = [line for line in message.splitlines() if line.startswith("  ") and ": " in line]
    assert any("image.bin: binary" in line for line in failed)
    assert any("empty.txt: empty file" in line for line in failed)
    assert any("dump.jsonl:2: not a JSON object" in line for line in failed)
    assert "failed: 4" in message  # the three above and the bozo feed's empty third item
    for origin in ("bozo.rss", "dump.jsonl:3", "dump.jsonl:4", "dump.jsonl:5"):
        assert any(origin in line for line in failed), origin
    assert Article.objects.filter(external_id__startswith="ok-").count() == 4
    cp1256 = Article.objects.get(provenance_origin__endswith="persian_cp1256.txt")
    assert cp1256.language == "fa" and "سالنگ" in cp1256.body_text
    assert Article.objects.filter(provenance_origin__endswith="truncated.html").exists()


def test_dry_run_reports_without_writing(tmp_path, db):
    folder = write_fixtures(tmp_path / "inbox")
    summary = run_import(str(folder), "--dry-run", "--source", "Brand New Outlet")
    assert "Dry run" in summary and "created: 8" in summary
    assert counts() == (0, 0, 0, 0)


def test_forced_source_and_no_index(tmp_path, db):
    folder = write_fixtures(tmp_path / "inbox")
    summary = run_import(str(folder / "en_page.txt"), "--source", "Kabul Daily", "--no-index")
    assert "Search index not updated" in summary
    article = Article.objects.get()
    assert article.source.slug == "kabul-daily"
    assert not IndexTask.objects.exists()
    run_import(str(folder / "fa_page.txt"), "--source", "kabul-daily", "--no-index")
    assert Source.objects.count() == 1


@pytest.fixture
def http_folder(tmp_path):
    folder = write_fixtures(tmp_path / "site")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_url_import_over_loopback(http_folder, db):
    summary = run_import(f"{http_folder}/feed_fa.rss", f"{http_folder}/en_bridge.html")
    assert "created: 3" in summary
    assert Article.objects.filter(external_id="feed-item-1", language="fa").exists()
    assert Article.objects.filter(canonical_url=EN_URL).exists()
    with pytest.raises(CommandError) as error:
        run_import(f"{http_folder}/missing.html")
    assert "missing.html" in str(error.value) and "failed: 1" in str(error.value)


def test_bad_options_are_refused(db):
    with pytest.raises(CommandError):
        call_command("import_articles", "x", "--batch-size", "0", verbosity=0)


def test_imported_articles_are_searchable_once_the_queue_is_applied(tmp_path, db, search_index):
    from articles.search.engine import search_articles
    from articles.search.sync.worker import process_pending
    from articles.search.types import SearchParams

    folder = write_fixtures(tmp_path / "inbox")
    run_import(str(folder / "fa_page.txt"), str(folder / "dump.jsonl"), "--status", "published")
    process_pending()
    found = search_articles(SearchParams(q="سالنگ", highlight=False, with_facets=False))
    assert [hit.title for hit in found.hits] == ["بازگشایی شاهراه سالنگ پس از سیلاب"]
    found = search_articles(SearchParams(q="wheat", highlight=False, with_facets=False))
    assert found.count == 1
