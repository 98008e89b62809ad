"""Bidi controls (U+202A-202E, U+2066-2069) in hostile input, raw or written as character
references, through every import path and the admin: none reaches a stored field, a page, a
feed, an export, a citation or the search JSON (an RLO in a byline reversed the cite line, RIS
`AU` and RSS `dc:creator`). Part of the hostile-input suite with tests/test_xss.py."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from articles.models import Article, Source
from tests.test_xss import BIDI_OVERRIDES, _admin_post

# Bidi controls written as character references: the parser decodes them after any filter on
# raw characters ran, so they must be caught on the decoded text.
BIDI_REFERENCES = ["&#x202E;", "&#8238;", "&#X202e", "&#x2066;", "&#x0202D;"]
_BIDI_REFERENCE = re.compile(r"&#(?:[xX]0*20(?:2[a-eA-E]|6[6-9])|0*82(?:3[4-8]|9[4-7]));?")


def _write_bidi_inputs(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    refs = " ".join(BIDI_REFERENCES)
    record = {"id": "bidi-1", "lang": "en", "title": "Bidi books record",
              # The dump's body is plain text (a reference there is text, shown as typed);
              # its summary is read as HTML.
              "body": "Body about books \u202e\u2066 reversed.\n\nSecond paragraph on books.",
              "summary": "Summary about books &#x202E;desrever", "published": "2023-05-01",
              "source": "Bidi Dump", "url": "https://bidi.example/dump/1",
              "author": "Mallory \u202eeilrahc"}  # fmt: skip
    jsonl = folder / "bidi.jsonl"
    jsonl.write_text(json.dumps(record, ensure_ascii=False) + "\n", "utf-8")
    page = folder / "bidi.html"
    page.write_text(
        '<!doctype html><html lang="fa"><head><meta charset="utf-8"><title>کتاب‌ها</title>'
        '<meta name="author" content="نویسنده &#x202E;وارونه">'
        '<meta name="description" content="خلاصه درباره کتاب &#x202E;وارونه"></head><body>'
        f"<article><h1>کتاب‌ها</h1><p>متن درباره کتاب {refs} وارونه و کتاب‌های دیگر.</p>"
        "<p>بند دوم درباره کتاب و کتابخانه‌ها و خوانندگان آن‌ها در شهر.</p></article></body>"
        "</html>",
        "utf-8",
    )
    rss = folder / "bidi.rss"
    rss.write_text(
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Bidi Wire</title>'
        "<link>https://bidi.example/</link><description>x</description><item>"
        "<title>Wire books</title><link>https://bidi.example/rss/1</link>"
        "<dc:creator>Eve &#x202E;evE \u202eevE</dc:creator>"
        "<pubDate>Wed, 26 Feb 2025 15:02:56 +0430</pubDate>"
        f"<description><![CDATA[<p>Feed books {refs} text.</p>]]></description></item>"
        "</channel></rss>",
        "utf-8",
    )
    return [jsonl, page, rss]


def _bidi_problems(text: str) -> list[str]:
    found = BIDI_OVERRIDES.findall(text) + _BIDI_REFERENCE.findall(text)
    return [repr(item) for item in found]


def test_bidi_controls_written_as_references_reach_no_output(db, search_index, tmp_path):
    from articles.search.sync import indexing

    for path in _write_bidi_inputs(tmp_path / "bidi"):
        call_command("import_articles", str(path), status="published", verbosity=0)
    staff = get_user_model().objects.create_superuser("bidi-curator", "b@example.org", "pw-123")
    client = Client()
    client.force_login(staff)
    _admin_post(
        client,
        reverse("admin:articles_article_add"),
        {"title": "Admin books", "slug": "", "source": Source.objects.first().pk,
         "language": "en", "status": "published", "summary": "Sum &#x202E;mary",
         "body_html": f"<p>Admin books {' '.join(BIDI_REFERENCES)}</p>",
         "original_url": "", "canonical_url": "", "external_id": "",
         "byline": "By Trudy \u202eydurT", "published_at_0": "2024-01-05",
         "published_at_1": "10:00:00", "tags-TOTAL_FORMS": "0", "tags-INITIAL_FORMS": "0",
         "tags-MIN_NUM_FORMS": "0", "tags-MAX_NUM_FORMS": "1000"},
    )  # fmt: skip
    indexing.rebuild()
    articles = list(Article.objects.published())
    assert len(articles) == 4
    for article in articles:
        for field in ("title", "summary", "body_html", "body_text", "byline"):
            assert not _bidi_problems(getattr(article, field)), (article.pk, field)
    assert {a.byline for a in articles} >= {"Mallory eilrahc", "By Trudy ydurT"}
    public = Client()
    urls = [a.get_absolute_url() for a in articles]
    urls += [f"/en/articles/{a.pk}/citation.{kind}" for a in articles for kind in ("bib", "ris")]
    for query in ("books", "کتاب"):
        q = quote(query)
        urls += [f"/en/search/?q={q}", f"/en/search/?q={q}&format=json",
                 f"/en/feeds/search/rss/?q={q}", f"/en/feeds/search/atom/?q={q}"]  # fmt: skip
        urls += [f"/en/exports/search.{kind}?q={q}" for kind in ("csv", "jsonl", "bib", "ris")]
    urls += ["/en/feeds/latest/rss/", "/en/feeds/latest/atom/", "/fa/feeds/latest/rss/"]
    for url in urls:
        response = public.get(url)
        assert response.status_code == 200, url
        body = (
            b"".join(response.streaming_content) if response.streaming else response.content
        ).decode()
        assert not _bidi_problems(body), (url, _bidi_problems(body)[:3])
