"""Search parameters from a query string: both calendars, Persian digits, nonsense falls back."""

from __future__ import annotations

from datetime import date

import pytest
from django.http import QueryDict

from articles.search.query.dates import read_date
from articles.search.query.params import params_from_query


def read(query: str, ui_language: str = "fa"):
    return params_from_query(QueryDict(query), ui_language=ui_language)


@pytest.mark.parametrize(
    ("text", "start", "end", "calendar"),
    [
        ("2021-01-04", date(2021, 1, 4), date(2021, 1, 4), "gregorian"),
        ("1399-10-15", date(2021, 1, 4), date(2021, 1, 4), "jalali"),
        ("۱۳۹۹/۱۰/۱۵", date(2021, 1, 4), date(2021, 1, 4), "jalali"),
        ("١٣٩٩.١٠.١٥", date(2021, 1, 4), date(2021, 1, 4), "jalali"),
        ("1399", date(2020, 3, 20), date(2021, 3, 20), "jalali"),
        ("1399-12", date(2021, 2, 19), date(2021, 3, 20), "jalali"),  # Esfand of a leap year
        ("2021-02", date(2021, 2, 1), date(2021, 2, 28), "gregorian"),
        ("2020", date(2020, 1, 1), date(2020, 12, 31), "gregorian"),
    ],
)
def test_dates_in_both_calendars(text, start, end, calendar):
    reading = read_date(text)
    assert (reading.start, reading.end, reading.calendar) == (start, end, calendar)
    assert text.strip() in reading.how or reading.text in reading.how


@pytest.mark.parametrize(
    "text", ["", "yesterday", "1399-13-01", "2021-02-30", "0", "1/2/3/4", "x" * 99]
)
def test_non_dates_are_none(text):
    assert read_date(text) is None


def test_a_full_search_from_the_url():
    params, messages = read(
        "q=کتاب&lang=fa&source=tolonews&source=ariana,bbc&entity=taliban&kind=group"
        "&from=۱۳۹۹/۱۰/۱۵&to=2021-12&sort=newest&page=2&per_page=50&expand=0"
    )
    assert params.q == "کتاب" and params.language == "fa"
    assert params.sources == ["tolonews", "ariana", "bbc"] and params.entities == ["taliban"]
    assert params.entity_kinds == ["group"]
    assert params.date_from == date(2021, 1, 4) and params.date_to == date(2021, 12, 31)
    assert (params.sort, params.page, params.per_page) == ("newest", 2, 50)
    assert params.expand_entities is False
    assert len(messages) == 2  # how each date was read
    assert "Solar Hijri" in messages[0] and "Gregorian" in messages[1]


@pytest.mark.parametrize(
    ("query", "check"),
    [
        ("lang=klingon", lambda p: p.language == ""),
        ("sort=sideways", lambda p: p.sort == "relevance"),
        ("page=-3", lambda p: p.page == 1),
        ("page=abc", lambda p: p.page == 1),
        ("page=99999999999999999999", lambda p: p.page == 10_000),
        ("per_page=1000", lambda p: p.per_page == 100),
        ("per_page=0", lambda p: p.per_page == 1),
        ("per_page=many", lambda p: p.per_page == 20),
        ("year=abc", lambda p: p.year is None),
        ("year=1399", lambda p: p.jyear == 1399 and p.year is None),
        ("jyear=2021", lambda p: p.year == 2021 and p.jyear is None),
        ("from=tomorrow", lambda p: p.date_from is None),
        ("from=2021-05-01&to=2021-01-01", lambda p: p.date_from < p.date_to),
        ("kind=wizard", lambda p: p.entity_kinds == []),
        ("expand=maybe", lambda p: p.expand_entities is True),
    ],
)
def test_nonsense_falls_back_with_a_message(query, check):
    params, messages = read(query)
    assert check(params)
    assert messages


def test_persian_digits_in_numbers():
    params, messages = read("year=۲۰۲۱&page=۳")
    assert (params.year, params.page, messages) == (2021, 3, [])


def test_empty_query_string_is_the_default_search_without_messages():
    params, messages = read("")
    assert params.q == "" and params.page == 1 and params.per_page == 20 and messages == []


def test_plain_dicts_and_control_characters_never_raise():
    params, messages = params_from_query({"q": "a\x00b", "page": ["2"]}, ui_language="en")
    assert params.page == 2
    params, messages = params_from_query({}, ui_language="en")
    assert params.q == ""
