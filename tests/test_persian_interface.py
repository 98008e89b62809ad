"""Slips of the Persian interface: bidi of example dates, translated notices, digits, reversed
date ranges in the query, the expansion notice and the entity page's paging."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from tests.factories import make_article, make_entity, tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def taliban_archive(search_index):
    from articles.search.sync import indexing

    entity = make_entity(name_en="Taliban", name_fa="طالبان", slug="taliban",
                         aliases={"fa": ["طالبان"], "en": ["Taliban"]})  # fmt: skip
    for n in range(3):  # Dey 1399 = January 2021
        tag(make_article(language="fa", body=f"طالبان در کابل {n}"), entity)
        tag(make_article(language="en", body=f"Taliban in Kabul {n}"), entity)
    indexing.rebuild()
    return entity


def _notices(html: str) -> str:
    match = re.search(r'<div class="notices".*?</div>', html, flags=re.S)
    return match.group(0) if match else ""


@pytest.mark.parametrize("path", ["/fa/search/?q=x", "/fa/help/"])
def test_example_dates_of_the_hints_are_isolated_left_to_right(client, path):
    html = client.get(path).content.decode()
    assert '<bdi dir="ltr">2021-01-04</bdi>' in html
    assert '<bdi dir="ltr">۱۳۹۹/۱۰/۱۵</bdi>' in html


def test_date_notice_of_the_query_is_translated_and_isolates_its_dates(client, taliban_archive):
    html = client.get("/fa/search/?q=date:1399+طالبان").content.decode()
    notes = re.search(r'<ul class="date-notes".*?</ul>', html, flags=re.S).group(0)
    expected = (
        "«1399» تاریخ هجری خورشیدی خوانده شد: \u2068۱ فروردین ۱۳۹۹\u2069 = \u2068۲۰ مارس ۲۰۲۰\u2069"
        " تا \u2068۳۰ اسفند ۱۳۹۹\u2069 = \u2068۲۰ مارس ۲۰۲۱\u2069."
    )
    assert expected in notes
    assert " to " not in notes
    messages = client.get("/fa/search/?q=date:1399+طالبان&format=json").json()["messages"]
    assert expected in messages


def test_date_notice_of_the_form_isolates_each_calendar(client):
    html = client.get("/en/search/?q=x&from=1399").content.decode()
    assert "\u2068۱ فروردین ۱۳۹۹\u2069 = \u206820 March 2020\u2069 to" in html


def test_invalid_date_notice_names_the_field_as_the_form_labels_it(client):
    html = client.get("/fa/search/?q=x&from=abc").content.decode()
    assert "«از تاریخ»" in _notices(html)
    assert "«from»" not in html
    assert "“To date” field was ignored" in client.get("/en/search/?q=x&to=abc").content.decode()


def test_time_taken_is_translated_with_persian_digits(client, taliban_archive):
    html = client.get("/fa/search/?q=طالبان").content.decode()
    assert "took ms" not in html
    assert re.search(r"<dt>زمان صرف‌شده</dt><dd[^>]*><bdi>[۰-۹]+٫[۰-۹] میلی‌ثانیه</bdi>", html)


def test_reversed_date_range_in_the_query_is_swapped_with_a_message(client, taliban_archive):
    for language, swapped in (("fa", "جابه‌جا شدند"), ("en", "they were swapped")):
        response = client.get(f"/{language}/search/?q=date:1399..1398&format=json")
        assert response.json()["count"] == 6
        html = client.get(f"/{language}/search/?q=date:1399..1398").content.decode()
        assert swapped in _notices(html)


def test_expansion_notice_names_the_entity_once_when_it_is_what_was_typed(client, taliban_archive):
    same = client.get("/fa/search/?q=طالبان").content.decode()
    expansion = re.search(r'<div class="expansion".*?</div>', same, flags=re.S).group(0)
    assert "→" not in expansion and "طالبان" in expansion
    other = client.get("/fa/search/?q=Taliban").content.decode()
    assert re.search(r"<bdi[^>]*>Taliban</bdi> → <a", other)


def test_chart_table_writes_years_in_persian_digits(client):
    entity = make_entity(name_fa="کابل", slug="kabul")
    for year in (2005, 2021):  # more than 120 months apart: one bar per year
        tag(make_article(published_at=datetime(year, 5, 1, tzinfo=UTC)), entity)
    html = client.get("/fa/entities/kabul/").content.decode()
    rows = re.findall(r'<th scope="row">(.*?)</th>', html)
    assert "۲۰۰۵" in rows and "۲۰۲۱" in rows
    assert not any(re.search(r"[0-9]", row) for row in rows)


def test_entity_page_pages_through_each_language(client):
    entity = make_entity(name_fa="هرات", slug="herat")
    for _ in range(17):
        tag(make_article(language="fa"), entity)
    tag(make_article(language="en"), entity)
    first = client.get("/fa/entities/herat/").content.decode()
    assert first.count('<li class="item"') == 16
    assert "?page_fa=2" in first and "page_en=2" not in first
    second = client.get("/fa/entities/herat/?page_fa=2").content.decode()
    fa_column = second[second.index('id="ent-fa"') : second.index('id="ent-en"')]
    assert fa_column.count("<li") == 2
    wrong = client.get("/fa/entities/herat/?page_fa=zz").content.decode()
    assert "zz" in _notices(wrong)


def test_persian_text_is_set_in_the_vendored_vazirmatn_font_with_its_licence(client):
    from django.contrib.staticfiles import finders

    css = open(finders.find("css/site.css"), encoding="utf-8").read()  # noqa: SIM115
    face = re.search(r"@font-face \{(.*?)\}", css, flags=re.S).group(1)
    assert 'font-family: "Vazirmatn"' in face and "font-display: swap" in face
    font = finders.find("fonts/vazirmatn/Vazirmatn-NL-Variable.woff2")
    assert font and open(font, "rb").read(4) == b"wOF2"  # noqa: SIM115
    licence = open(finders.find("fonts/vazirmatn/OFL.txt"), encoding="utf-8").read()  # noqa: SIM115
    assert "SIL Open Font License" in licence
    assert re.search(r'--font-fa: "Vazirmatn"', css)
