"""The page and the JSON API say the same things (one code path, docs/search-api.md): every
value that was dropped, clamped, swapped or read some way gets the same sentence in both, in
the interface language."""

from __future__ import annotations

import html
import json
import re

import pytest

from tests.factories import make_article, make_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(search_index):
    from articles.search.sync import indexing

    wire = make_source(slug="wire", name_en="Wire", name_fa="خبرگزاری")
    make_article(language="en", source=wire, body="Kabul election results were announced.")
    make_article(language="fa", source=wire, body="نتایج انتخابات کابل اعلام شد.")
    indexing.rebuild()


def page_messages(content: str) -> list[str]:
    found = re.findall(r'<p class="notice">(.*?)</p>', content, re.S)
    found += re.findall(r'<ul class="date-notes"[^>]*>(.*?)</ul>', content, re.S)
    items = []
    for chunk in found:
        parts = re.findall(r"<li>(.*?)</li>", chunk, re.S) or [chunk]
        # The page writes a notice's left-to-right isolates (U+2066…U+2069) as <bdi dir="ltr">.
        parts = [
            re.sub(r'<bdi dir="ltr" class="nowrap">(.*?)</bdi>', "\u2066\\1\u2069", part)
            for part in parts
        ]
        items += [html.unescape(part).strip() for part in parts]
    return items


def both(client, language: str, params: dict) -> tuple[list[str], dict]:
    page = client.get(f"/{language}/search/", params)
    data = client.get(f"/{language}/search/", {**params, "format": "json"})
    assert page.status_code == data.status_code == 200
    return page_messages(page.content.decode()), json.loads(data.content)


BAD = {
    "lang": ("xx", {"en": "Unknown language", "fa": "xx"}),
    "per_page": ("500", {"en": "between 1 and 100", "fa": "۱۰۰"}),
    "from": ("garbage", {"en": "is not a date", "fa": "garbage"}),
    "sort": ("sideways", {"en": "Unknown sort", "fa": "sideways"}),
    "page": ("-3", {"en": "not a page number", "fa": "-3"}),
}


@pytest.mark.parametrize("language", ["en", "fa"])
@pytest.mark.parametrize("q", ["kabul", "کابل"])
@pytest.mark.parametrize("key", sorted(BAD))
def test_a_bad_parameter_gets_the_same_message_on_the_page_and_in_json(
    client, archive, language, q, key
):
    value, expected = BAD[key]
    shown, data = both(client, language, {"q": q, key: value})
    assert any(expected[language] in message for message in data["messages"]), data["messages"]
    assert sorted(shown) == sorted(data["messages"])
    assert [n["text"] for n in data["notices"]] == data["messages"]


@pytest.mark.parametrize("language", ["en", "fa"])
@pytest.mark.parametrize("q", ["election", "انتخابات"])
def test_reversed_dates_are_swapped_and_said_so_in_both(client, archive, language, q):
    shown, data = both(client, language, {"q": q, "from": "1400", "to": "2019-01-01"})
    assert data["params"]["from"] == "2019-01-01" and data["params"]["to"] == "2021-03-21"
    swapped = [m for m in data["messages"] if "swapped" in m or "جابه‌جا" in m]
    assert len(swapped) == 1, data["messages"]
    dates = [n["text"] for n in data["notices"] if n["kind"] == "date"]
    assert len(dates) == 2
    assert sorted(shown) == sorted(data["messages"])
    if language == "fa":
        assert "هجری خورشیدی" in dates[0] and "۱۴۰۰" in dates[0]
    else:
        assert "Solar Hijri" in dates[0] and "Gregorian" in dates[1]


@pytest.mark.parametrize("language", ["en", "fa"])
def test_query_messages_reach_json_and_page_alike(client, archive, language):
    shown, data = both(client, language, {"q": 'colour:red "kabul'})
    assert len(data["messages"]) >= 2
    assert sorted(shown) == sorted(data["messages"])
