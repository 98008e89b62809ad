"""Site-wide invariants, in both interface languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.ui_data import build_archive

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(search_index):
    from articles.search.sync import indexing

    data = build_archive()
    indexing.rebuild()
    return data


def public_paths(data: dict) -> list[str]:
    fa, en = data["fa"], data["en"]
    return [
        "/",
        "/search/",
        "/search/?q=kabul",
        "/search/?q=طالبان",
        "/help/",
        f"/articles/{fa.pk}/{fa.slug}/",
        f"/articles/{en.pk}/{en.slug}/",
        "/sources/tolonews/",
        "/entities/taliban/",
    ]


@pytest.mark.parametrize("language", ["fa", "en"])
def test_every_public_page_answers_with_one_h1_and_the_interface_direction(
    client, archive, language
):
    for path in public_paths(archive):
        response = client.get(f"/{language}{path}")
        assert response.status_code == 200, path
        html = response.content.decode()
        assert len(re.findall(r"<h1[\s>]", html)) == 1, path
        direction = "rtl" if language == "fa" else "ltr"
        assert f'<html lang="{language}" dir="{direction}">' in html, path
        assert '<main id="main"' in html and "<nav" in html and "<footer" in html


def test_a_known_ui_string_is_translated(client, archive):
    assert "جست‌وجو در بایگانی" in client.get("/fa/").content.decode()
    assert "Search the archive" in client.get("/en/").content.decode()


def test_first_visit_follows_accept_language(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fa-IR,fa;q=0.9,en;q=0.5")
    assert response.status_code == 302 and response["Location"] == "/fa/"
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response["Location"] == "/en/"


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("/fa/sources/no-such-source/", "صفحه پیدا نشد"),
        ("/fa/entities/هیچ/", "صفحه پیدا نشد"),
        ("/en/articles/999999/x/", "Page not found"),
        ("/en/no/such/page/", "Page not found"),
    ],
)
def test_unknown_addresses_are_translated_404_pages(client, db, path, text):
    response = client.get(path)
    assert response.status_code == 404
    assert text in response.content.decode()


def test_an_unpublished_article_is_a_404_and_a_withdrawn_one_a_410(client, archive):
    article = archive["fa"]
    article.status = "draft"
    article.save(update_fields=["status"])
    assert client.get(article.get_absolute_url()).status_code == 404
    article.status = "hidden"
    article.save(update_fields=["status"])
    assert client.get(article.get_absolute_url()).status_code == 410


@pytest.mark.parametrize(
    "query",
    [
        "page=abc",
        "page=-3",
        "page=99999999999999999999999",
        "sort=sideways",
        "from=not-a-date&to=1399/13/45",
        "from=%00&to=%ff",
        'q="unclosed',
        "q=((((((((kabul",
        "q=title:&q=source:",
        "q=*",
        "q=" + "کابل " * 400,
        "lang=xx&kind=zzz&year=abc&jyear=-1&per_page=1e9&expand=maybe",
        "q=<script>alert(1)</script>",
        "source=" + "&source=".join(str(n) for n in range(60)),
    ],
)
@pytest.mark.parametrize("language", ["fa", "en"])
def test_hostile_query_strings_never_cause_a_500(client, archive, language, query):
    response = client.get(f"/{language}/search/?{query}")
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()


@pytest.mark.parametrize(
    "path",
    ["/sources/tolonews/?page=abc", "/sources/tolonews/?page=0", "/sources/tolonews/?page=50"],
)
def test_nonsense_page_numbers_fall_back_with_a_message(client, archive, path):
    response = client.get("/en" + path)
    assert response.status_code == 200
    assert 'class="notice"' in response.content.decode()


def test_nonsense_sort_and_page_on_search_say_so(client, archive):
    html = client.get("/fa/search/?q=kabul&sort=sideways&page=abc").content.decode()
    assert html.count('class="notice"') >= 2


STYLESHEET = Path(__file__).resolve().parents[1] / "static" / "css" / "site.css"
PHYSICAL = re.compile(
    r"(?<![-\w])(margin|padding|border)-(left|right)\b|(?<![-\w])(left|right)\s*:"
    r"|text-align\s*:\s*(left|right)|float\s*:\s*(left|right)"
)


def test_the_stylesheet_uses_logical_properties_only():
    css = re.sub(r"/\*.*?\*/", "", STYLESHEET.read_text(), flags=re.S)
    assert not PHYSICAL.findall(css)


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_text_colours_have_at_least_4_5_to_1_contrast():
    css = STYLESHEET.read_text()
    colours = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", css))
    for text in ("text", "muted", "link"):
        for background in ("bg", "panel", "mark"):
            assert contrast(colours[text], colours[background]) >= 4.5, (text, background)
    assert contrast("#ffffff", colours["accent"]) >= 4.5  # header and buttons
    assert contrast(colours["text"], "#fff8e1") >= 4.5  # notices
