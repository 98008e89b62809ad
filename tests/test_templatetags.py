"""Calendars, digits, direction and links in templates."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.test import RequestFactory
from django.utils import translation

from articles.search.query.dates import read_date
from articles.templatetags import archive_tags as tags


def test_persian_interface_shows_solar_hijri_with_persian_digits_and_gregorian_on_hover():
    with translation.override("fa"):
        html = tags.archive_date(date(2021, 1, 4))
    assert html == '<time datetime="2021-01-04" title="۴ ژانویه ۲۰۲۱">۱۵ دی ۱۳۹۹</time>'


def test_english_interface_shows_gregorian():
    with translation.override("en"):
        assert tags.archive_date(date(2021, 1, 4)).endswith(">4 January 2021</time>")


def test_aware_datetimes_are_shown_in_the_archive_time_zone():
    # 22:00 UTC on 20 March 2021 is already Nowruz (1 Farvardin 1400) in Kabul.
    moment = datetime(2021, 3, 20, 22, 0, tzinfo=UTC)
    with translation.override("fa"):
        assert "۱ فروردین ۱۴۰۰" in tags.archive_datetime(moment)


def test_numbers_use_the_interface_digits_and_separators():
    with translation.override("fa"):
        assert tags.number(1234567) == "۱٬۲۳۴٬۵۶۷"
        assert tags.localdigits("2021-03") == "۲۰۲۱-۰۳"
    with translation.override("en"):
        assert tags.number(1234567) == "1,234,567"
        assert tags.number("not a number") == "not a number"


def test_month_labels_and_direction():
    with translation.override("fa"):
        assert tags.month_label("2021-01") == "ژانویه ۲۰۲۱"
    with translation.override("en"):
        assert tags.month_label("2021-13") == "2021-13"
    assert tags.direction("fa") == "rtl" and tags.direction("en") == "ltr"


def test_query_toggle_adds_and_removes_a_value_and_resets_the_page():
    request = RequestFactory().get("/en/search/", {"q": "کابل", "source": "tolonews", "page": "3"})
    context = {"request": request}
    assert tags.query_toggle(context, "source", "pajhwok").count("source=") == 2
    removed = tags.query_toggle(context, "source", "tolonews")
    assert "source" not in removed and "page" not in removed and "q=" in removed


def test_query_with_replaces_and_drops_parameters():
    request = RequestFactory().get("/en/search/", {"q": "kabul", "expand": "0"})
    assert tags.query_with({"request": request}, expand=None) == "?q=kabul"
    assert "format=json" in tags.query_with({"request": request}, format="json")


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("۱۳۹۹/۱۰/۱۵", "fa", "\u2068۱۵ دی ۱۳۹۹\u2069 = \u2068۴ ژانویه ۲۰۲۱\u2069"),
        ("1399-10-15", "fa", "هجری خورشیدی"),
        ("2021-01-04", "en", "Gregorian date: \u2068۱۵ دی ۱۳۹۹\u2069 = \u20684 January 2021\u2069"),
        ("1399", "en", "to"),
    ],
)
def test_dates_typed_in_either_calendar_say_how_they_were_read(text, language, expected):
    with translation.override(language):
        note = read_date(text).how
    assert expected in note
    assert note.kind == "date"


def test_unreadable_dates_are_not_read_at_all():
    assert read_date("1399/13/45") is None
    assert read_date("") is None
