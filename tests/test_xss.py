"""Hostile content: XSS vectors (tests/fixtures/xss/vectors.json) imported through every path
(text page, HTML page, RSS, Atom, JSONL via `import_articles`, the admin's add forms), and every
page that shows them parsed as a browser does (html5lib): no foreign script, event handler,
`javascript:`/`data:` URL, frame, object or CSS expression. tests/browser/ runs them in Chromium."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path
from urllib.parse import quote

import html5lib
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from lxml import etree

from articles import services
from articles.models import Article, Entity, Source
from articles.search.sync import indexing
from tests.factories import background_work_done, make_article

VECTORS_FILE = Path(__file__).parent / "fixtures" / "xss" / "vectors.json"
_DATA = json.loads(VECTORS_FILE.read_text(encoding="utf-8"))
VECTORS: list[str] = _DATA["vectors"]
TITLES: list[str] = _DATA["titles"]
BIDI_OVERRIDES = re.compile("[\u202a-\u202e\u2066-\u2069]")
SEARCHES = ["window", "script", "alert onerror", "books", "کتاب", '"click me"', "xss*"]

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "background", "poster", "cite",
                  "lowsrc", "dynsrc", "xlink:href", "ping", "codebase"}  # fmt: skip
FORBIDDEN_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base",
                      "portal", "template"}  # fmt: skip
_URL_NOISE = re.compile(r"[\x00-\x20\x7f-\x9f]+")


# --- the hostile inputs ----------------------------------------------------------------------


def paragraphs(language: str) -> list[str]:
    """Each vector once as markup and once as text that merely looks like markup."""
    word = "books" if language == "en" else "کتاب"
    return [f"Paragraph {n} about {word}: {vector}" for n, vector in enumerate(VECTORS)]


def _cdata(text: str) -> str:
    return text.replace("]]>", "]]]]><![CDATA[>")


def write_inputs(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    text_page = ["Menu", TITLES[0], "", *(html.escape(p) for p in paragraphs("en"))]
    files["text"] = folder / "hostile_page.txt"
    files["text"].write_text("\n\n".join(text_page) + "\n\n" + "\n\n".join(VECTORS), "utf-8")

    body = "".join(f"<p>{p}</p><p>{html.escape(p)}</p>" for p in paragraphs("fa"))
    files["html"] = folder / "hostile_page.html"
    files["html"].write_text(
        f'<!doctype html><html lang="fa" dir="rtl"><head><meta charset="utf-8">'
        f"<title>{html.escape(TITLES[1])}</title><script>window.__xss=1</script></head>"
        f"<body><article><h1>{html.escape(TITLES[1])}</h1>{body}</article></body></html>",
        "utf-8",
    )

    items = "".join(
        f"<item><title>{html.escape(TITLES[n % len(TITLES)])} {n}</title>"
        f"<link>https://hostile.example/rss/{n}</link>"
        f"<guid>https://hostile.example/rss/{n}</guid>"
        f"<pubDate>Wed, 26 Feb 2025 15:02:56 +0430</pubDate>"
        f"<description><![CDATA[<p>{html.escape(p)}</p>{_cdata(p.split(': ', 1)[1])}"
        f"<p>Feed text about books and more books.</p>]]></description></item>"
        for n, p in enumerate(paragraphs("en"))
    )
    files["rss"] = folder / "hostile.rss"
    files["rss"].write_text(
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        "<title><![CDATA[<script>window.__xss=1</script> Hostile Wire]]></title>"
        "<link>https://hostile.example/</link><description>x</description>"
        f"{items}</channel></rss>",
        "utf-8",
    )

    entries = "".join(
        f'<entry><title type="html">{html.escape(html.escape(TITLES[2]))} {n}</title>'
        f'<id>urn:hostile:atom:{n}</id><link href="https://hostile.example/atom/{n}"/>'
        f"<updated>2024-03-0{1 + n % 9}T10:00:00Z</updated>"
        f'<content type="html">{html.escape(vector)} {html.escape("<p>Atom books</p>")}</content>'
        f"</entry>"
        for n, vector in enumerate(VECTORS)
    )
    files["atom"] = folder / "hostile.atom"
    files["atom"].write_text(
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        '<title type="html">&lt;img src=x onerror=window.__xss=1&gt; Atom Hostile</title>'
        "<id>urn:hostile:atom</id><updated>2024-03-09T10:00:00Z</updated>"
        f"{entries}</feed>",
        "utf-8",
    )

    records = [
        {
            "id": f"hostile-{n}",
            "lang": "fa" if n % 2 else "en",
            "title": title,
            "body": "\n\n".join(paragraphs("fa" if n % 2 else "en")),
            "summary": VECTORS[n],
            "published": f"2023-05-0{1 + n}",
            "source": '"><svg onload=window.__xss=1> Dump',
            "url": f"https://hostile.example/dump/{n}",
            "tags": [VECTORS[0], "<img src=x onerror=window.__xss=1>"],
        }
        for n, title in enumerate(TITLES)
    ]
    files["jsonl"] = folder / "hostile.jsonl"
    files["jsonl"].write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8"
    )
    return files


def _admin_post(client: Client, url: str, data: dict) -> None:
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]


def build_hostile_archive(tmp_path: Path) -> dict:
    """Import the vectors through every path, post them through the admin; index it all."""
    files = write_inputs(tmp_path / "hostile-inputs")
    for kind in ("text", "html", "rss", "atom", "jsonl"):
        call_command(
            "import_articles", str(files[kind]), status="published", verbosity=0,
            **({"source": "Hostile Pages"} if kind in {"text", "html"} else {}),
        )  # fmt: skip
    staff = get_user_model().objects.create_superuser("xss-curator", "x@example.org", "pw-123456")
    client = Client()
    client.force_login(staff)
    source = Source.objects.order_by("pk").first()
    _admin_post(
        client,
        reverse("admin:articles_entity_add"),
        {"kind": "person", "name_en": "<img src=x onerror=window.__xss=1> Mallory",
         "name_fa": "مالوری \u202e<script>window.__xss=1</script>", "slug": "mallory",
         "description": VECTORS[0] + VECTORS[5],
         "aliases-TOTAL_FORMS": "1", "aliases-INITIAL_FORMS": "0",
         "aliases-MIN_NUM_FORMS": "0", "aliases-MAX_NUM_FORMS": "1000",
         "aliases-0-language": "en", "aliases-0-alias": "<svg onload=window.__xss=1>"},
    )  # fmt: skip
    background_work_done()  # the new alias's re-tagging and index catch-up write in threads
    entity = Entity.objects.get(slug="mallory")
    _admin_post(
        client,
        reverse("admin:articles_article_add"),
        {"title": TITLES[3] + " <script>window.__xss=1</script> admin books", "slug": "",
         "source": source.pk, "language": "en", "status": "published",
         "summary": VECTORS[5], "body_html": "".join(f"<p>{p}</p>" for p in paragraphs("en")),
         "original_url": "", "canonical_url": "", "external_id": "", "byline": VECTORS[12],
         "published_at_0": "2024-01-05", "published_at_1": "10:00:00",
         "tags-TOTAL_FORMS": "1", "tags-INITIAL_FORMS": "0", "tags-MIN_NUM_FORMS": "0",
         "tags-MAX_NUM_FORMS": "1000", "tags-0-entity": entity.pk, "tags-0-mentions": "3",
         "tags-0-origin": "manual", "tags-0-confirmed": "on"},
    )  # fmt: skip
    background_work_done()
    for article in Article.objects.exclude(tags__entity=entity)[:20]:
        services.article_tag(article=article, entity=entity, mentions=1)
    indexing.rebuild()
    return {"client": client, "entity": entity, "files": files}


def pages_to_check(languages=("en", "fa")) -> list[str]:
    """Every page where imported content appears, in both interfaces."""
    urls: list[str] = []
    articles = list(Article.objects.published().order_by("pk"))
    for language in languages:
        prefix = f"/{language}"
        urls.append(f"{prefix}/")
        urls += [f"{prefix}/search/?q={quote(q)}" for q in SEARCHES]
        urls += [f"{prefix}/sources/{quote(s.slug)}/" for s in Source.objects.all()]
        urls += [f"{prefix}/entities/{quote(e.slug)}/" for e in Entity.objects.all()]
    for article in articles:
        urls.append(f"/en/articles/{article.pk}/{quote(article.slug or '-')}/")
    return urls


def feed_urls() -> list[str]:
    urls = ["/en/feeds/latest/rss/", "/en/feeds/latest/atom/", "/fa/feeds/latest/rss/"]
    for source in Source.objects.all():
        urls += [f"/en/feeds/sources/{quote(source.slug)}/{kind}/" for kind in ("rss", "atom")]
    urls += [f"/en/feeds/entities/mallory/{kind}/" for kind in ("rss", "atom")]
    urls += [f"/en/feeds/search/{kind}/?q={quote(q)}" for q in SEARCHES for kind in ("rss", "atom")]
    return urls


def admin_urls() -> list[str]:
    mallory = Entity.objects.get(slug="mallory").pk
    urls = ["/en/admin/articles/article/", "/fa/admin/articles/article/",
            "/en/admin/articles/entity/", "/en/admin/articles/source/",
            f"/en/admin/articles/entity/{mallory}/change/"]  # fmt: skip
    urls += [
        f"/en/admin/articles/article/{pk}/change/"
        for pk in Article.objects.values_list("pk", flat=True)
    ]
    urls += [
        f"/en/admin/articles/source/{pk}/change/"
        for pk in Source.objects.values_list("pk", flat=True)
    ]
    return urls  # fmt: skip


# --- the checks --------------------------------------------------------------------------------


def _attributes(element) -> dict[str, str]:
    return {name.rsplit("}", 1)[-1].lower(): value for name, value in element.attrib.items()}


def script_problems(markup: str, *, static_url: str = "/static/") -> list[str]:
    """What in `markup` could run script, as a browser's HTML5 parser reads it."""
    problems = []
    root = html5lib.parse(markup, treebuilder="lxml", namespaceHTMLElements=False)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.split("}", 1)[-1].lower()
        attrs = _attributes(element)
        where = f"<{tag} {' '.join(f'{k}={v!r}' for k, v in attrs.items())[:120]}>"
        if tag == "script":
            src, kind = attrs.get("src", ""), attrs.get("type", "").lower()
            ours = src.startswith(static_url) or re.fullmatch(r"/(en|fa)/admin/jsi18n/", src)
            if not (ours or kind == "application/json"):
                problems.append(f"script element {where} {(element.text or '')[:80]!r}")
        if tag in FORBIDDEN_ELEMENTS:
            problems.append(f"forbidden element {where}")
        if tag == "meta" and attrs.get("http-equiv", "").lower() == "refresh":
            problems.append(f"meta refresh {where}")
        if tag == "style" and re.search(r"expression\s*\(|javascript:", element.text or "", re.I):
            problems.append(f"style element runs script {where}")
        for name, value in attrs.items():
            if name.startswith("on"):
                problems.append(f"event handler {name} on {where}")
            if name == "srcdoc":
                problems.append(f"srcdoc on {where}")
            if name == "style" and re.search(r"expression\s*\(|javascript:|url\s*\(", value, re.I):
                problems.append(f"style attribute runs script {where}")
            if name in URL_ATTRIBUTES:
                url = _URL_NOISE.sub("", value).lower()
                if url.startswith(("javascript:", "vbscript:", "data:text", "data:application")):
                    problems.append(f"script URL in {name} of {where}")
    return problems


_RAW_INPUT = re.compile(r"<details><summary>[^<]*</summary><pre[^>]*>.*?</pre></details>", re.S)


def assert_script_free(markup: str, where: str) -> None:
    problems = script_problems(markup)
    assert not problems, f"{where}: " + "\n".join(problems[:10])
    # The admin shows an article's raw input verbatim (escaped) as provenance; everything
    # else is cleaned text, where a bidi override would reorder what readers see.
    shown = _RAW_INPUT.sub("", markup) if "/admin/" in where else markup
    assert not BIDI_OVERRIDES.search(shown), f"{where}: bidi override characters survive"


def feed_problems(xml: bytes) -> list[str]:
    """Feed XML: well formed, no markup elements, every HTML payload (an RSS item's
    description, Atom content/summary unless typed text) clean. Titles, the channel
    description and Atom's subtitle are plain text by the specs: `<` there is a character."""
    root = etree.fromstring(xml)
    problems = []
    for element in root.iter():
        name = etree.QName(element).localname
        parent = (
            etree.QName(element.getparent()).localname if element.getparent() is not None else ""
        )
        if name in {"script", "svg", "img", "iframe", "math", "html", "body", "div"}:
            problems.append(f"markup element <{name}> in the feed XML")
        is_html = (name == "description" and parent == "item") or (
            name in {"content", "summary"} and element.get("type", "text") != "text"
        )
        if is_html and element.text:
            problems += [f"{parent}/{name}: {p}" for p in script_problems(element.text)]
        if name in {"title", "subtitle"} and element.get("type", "text") != "text":
            problems.append(f"{parent}/{name} typed {element.get('type')!r}, not text")
    return problems


# --- the tests ---------------------------------------------------------------------------------


@pytest.fixture
def hostile(db, search_index, tmp_path):
    return build_hostile_archive(tmp_path)


def check_stored_html(hostile) -> None:
    origins = set(Article.objects.values_list("provenance_format", flat=True))
    assert len(Article.objects.all()) >= len(VECTORS) + len(TITLES) + 2
    assert {"jsonl", "rss", "atom"} <= {o.lower() for o in origins} | {"rss", "atom"}
    for article in Article.objects.all():
        assert_script_free(article.body_html, f"article {article.pk} body_html")
        assert not BIDI_OVERRIDES.search(article.title), article.title
        assert article.body_text and article.content_hash
    for source in Source.objects.all():
        assert not BIDI_OVERRIDES.search(str(source))


def check_pages(hostile) -> None:
    client = hostile["client"]  # staff: the admin pages need it; public pages ignore it
    checked = 0
    for url in pages_to_check() + admin_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        assert_script_free(response.content.decode(), url)
        checked += 1
    assert checked > len(VECTORS)


def check_search_json(hostile) -> None:
    for q in SEARCHES:
        response = hostile["client"].get("/en/search/", {"q": q, "format": "json"})
        assert response.status_code == 200 and response["Content-Type"].startswith(
            "application/json"
        )
        for hit in response.json()["results"]:
            for key in ("title_html", "snippet"):
                assert_script_free(hit[key], f"json {q} {key}")
                assert "<" not in re.sub(r"</?mark>", "", hit[key]), hit[key]


def check_feeds(hostile) -> None:
    for url in feed_urls():
        response = hostile["client"].get(url)
        assert response.status_code == 200, url
        assert "xml" in response["Content-Type"], url
        assert not feed_problems(response.content), (url, feed_problems(response.content)[:5])


def check_exports(hostile) -> None:
    client = hostile["client"]
    for q in ("window", "books", ""):
        csv_response = client.get("/en/exports/search.csv", {"q": q, "limit": 50})
        jsonl_response = client.get("/en/exports/search.jsonl", {"q": q, "limit": 50})
        for response, kind in ((csv_response, "text/csv"), (jsonl_response, "json")):
            assert response.status_code == 200
            assert kind in response["Content-Type"] and "html" not in response["Content-Type"]
            assert response["X-Content-Type-Options"] == "nosniff"
            assert "attachment" in response.get("Content-Disposition", "")
        rows = list(csv.reader(io.StringIO(b"".join(csv_response.streaming_content).decode())))
        for row in rows[1:]:
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@")), cell  # no spreadsheet formulas
        for line in b"".join(jsonl_response.streaming_content).decode().splitlines():
            json.loads(line)


def test_hostile_content_from_every_path_is_inert_on_every_page(hostile):
    """One archive (it takes a while to build), five checks: what was stored, the pages
    (public and admin), the search JSON, the feeds, the exports."""
    check_stored_html(hostile)
    check_pages(hostile)
    check_search_json(hostile)
    check_feeds(hostile)
    check_exports(hostile)


def test_snippets_escape_before_marking(db, search_index):
    body = '<script>alert("books")</script> and more books <img src=x onerror=alert(1)>'
    make_article(title="<b>books</b> \u202eevil", body=body)
    make_article(title="کتاب <script>", body='<script>window.__xss="کتاب"</script>', language="fa")
    indexing.rebuild()
    expected = [("books", "<mark>books</mark>"), ("script", "&lt;<mark>script</mark>&gt;"),
                ("کتاب", "<mark>کتاب</mark>"), ("onerror", "<mark>onerror</mark>")]  # fmt: skip
    for q, marked in expected:
        page = Client().get("/en/search/", {"q": q}).content.decode()
        assert marked in page, q
        assert_script_free(page, q)
        hits = Client().get("/en/search/", {"q": q, "format": "json"}).json()["results"]
        assert hits and all("<script" not in h["snippet"] + h["title_html"] for h in hits)


def test_names_lose_bidi_overrides_and_control_characters(db):
    from articles.models import EntityAlias

    entity = Entity(slug="spoof", name_en="Evil\u202e gnirts\x07", name_fa="نام\u2066 جعلی\u2069")
    entity.full_clean()
    entity.save()
    source = Source(slug="spoof", name_en="Wire \u202dLRO\u202c")
    source.full_clean()
    alias = EntityAlias.objects.create(entity=entity, language="en", alias="Ev\u202eil")
    assert (entity.name_en, entity.name_fa) == ("Evil gnirts", "نام جعلی")
    assert source.name_en == "Wire LRO" and alias.alias == "Evil"
