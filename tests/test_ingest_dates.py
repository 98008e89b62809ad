"""Date parsing: ISO, RFC 822, Solar Hijri, offsets, future and ancient dates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from articles.ingest.dates import find_jalali_date, parse_date

KABUL = timezone(timedelta(hours=4, minutes=30))
NOW = datetime(2025, 3, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-02-26T15:02:56+04:30", datetime(2025, 2, 26, 15, 2, 56, tzinfo=KABUL)),
        ("2021-01-04", datetime(2021, 1, 4, tzinfo=UTC)),
        ("1987-02-26T15:01:01", datetime(1987, 2, 26, 15, 1, 1, tzinfo=UTC)),
        ("2025-01-01T10:00:00Z", datetime(2025, 1, 1, 10, tzinfo=UTC)),
        ("Mon, 04 Jan 2021 10:00:00 GMT", datetime(2021, 1, 4, 10, tzinfo=UTC)),
        ("Mon, 04 Jan 2021 14:30:00 +0430", datetime(2021, 1, 4, 14, 30, tzinfo=KABUL)),
        ("January 4, 2021", datetime(2021, 1, 4, tzinfo=UTC)),
        ("دلو ۰۴, ۱۴۰۳", datetime(2025, 1, 23, tzinfo=UTC)),
        ("۴ بهمن ۱۴۰۳", datetime(2025, 1, 23, tzinfo=UTC)),
        ("۱۴۰۳/۱۱/۰۴", datetime(2025, 1, 23, tzinfo=UTC)),
        ("1403-11-04", datetime(2025, 1, 23, tzinfo=UTC)),
        ("حمل ۱, ۱۴۰۰", datetime(2021, 3, 21, tzinfo=UTC)),
        ("۸ حوت ۱۴۰۳ - ۱۴:۳۰", datetime(2025, 2, 26, 14, 30, tzinfo=UTC)),
    ],
)
def test_parse_date_understands_the_formats_news_sites_use(value: str, expected: datetime) -> None:
    parsed = parse_date(value, now=NOW)
    assert parsed == expected
    assert parsed is not None and parsed.utcoffset() == expected.utcoffset()


def test_offsets_are_kept() -> None:
    parsed = parse_date("2025-02-26T15:02:56+04:30")
    assert parsed is not None
    assert parsed.utcoffset() == timedelta(hours=4, minutes=30)


@pytest.mark.parametrize("value", ["2025-03-05", "1700-01-01", "not a date", "۱۴۰۳/۱۳/۴۰"])
def test_unusable_dates_give_none_and_a_warning(value: str) -> None:
    warnings: list[str] = []
    assert parse_date(value, warnings, now=NOW) is None
    assert len(warnings) == 1


def test_tomorrow_is_tolerated_for_time_zones() -> None:
    parsed = parse_date("2025-03-01T22:00:00-02:00", now=NOW)
    assert parsed == datetime(2025, 3, 2, 0, 0, tzinfo=UTC)
    assert parsed.utcoffset() == timedelta(hours=-2)


def test_empty_values_give_none_without_warning() -> None:
    warnings: list[str] = []
    assert parse_date(None, warnings) is None
    assert parse_date("", warnings) is None
    assert warnings == []


def test_jalali_date_is_found_inside_page_text() -> None:
    text = "صدای امریکا · دلو ۰۴, ۱۴۰۳ · ۲۳ جنوری ۲۰۲۵ کابل"
    assert find_jalali_date(text) == datetime(2025, 1, 23, tzinfo=UTC)
    assert find_jalali_date("no date here 2025") is None
