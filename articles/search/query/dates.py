"""Dates typed by people, in either calendar: `2021-01-04`, `1399-10-15`, `۱۳۹۹/۱۰/۱۵`, `2021`.

A year below 1700 is read as Solar Hijri (no news archive reaches back to 1700 AD, and no
Solar Hijri year reaches 1700 yet). Every reading says how it was understood, so the page can
tell the visitor ("1399-10-15 read as Solar Hijri: 2021-01-04").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from articles.search.notices import DATE, Notice
from articles.text import calendar
from articles.text.calendar import fold_digits

JALALI_BELOW = 1700
_DATE = re.compile(r"^\s*(\d{1,4})(?:\s*[-/.]\s*(\d{1,2}))?(?:\s*[-/.]\s*(\d{1,2}))?\s*$")


@dataclass(frozen=True)
class DateReading:
    """A date span as typed: `start`..`end` (both inclusive) and how it was read."""

    start: date
    end: date
    calendar: str  # "gregorian" | "jalali"
    text: str  # the input, digits folded

    @property
    def how(self) -> str:
        """How the date was read, in the active language, with both calendars' days (a
        `Notice` of kind "date": the page shows it beside the date fields, JSON in
        `messages`)."""
        span = _both(self.start)
        if self.end != self.start:
            span = _("%(start)s to %(end)s") % {"start": span, "end": _both(self.end)}
        calendar = _("Solar Hijri") if self.calendar == "jalali" else _("Gregorian")
        note = _("“%(text)s” was read as a %(calendar)s date: %(span)s.") % {
            "text": self.text[:40],
            "calendar": calendar,
            "span": span,
        }
        return Notice(note, DATE)


def _isolated(text: str) -> str:
    # Each date in its own bidi isolate, so a Persian date in an English sentence (or the
    # reverse) cannot pull the digits beside it into its own direction.
    return f"\u2068{text}\u2069"


def _both(day: date) -> str:
    language = get_language() or "en"
    gregorian = _isolated(calendar.gregorian_text(day, language))
    try:
        solar = calendar.jalali_text(day)
    except (ValueError, OverflowError):  # past the Solar Hijri calendar's last year (9377)
        return gregorian
    return f"{_isolated(solar)} = {gregorian}"


def read_date(text: str) -> DateReading | None:
    """Read a year, a month or a day in either calendar; None when it is not a date."""
    folded = fold_digits(str(text or ""))[:40]
    match = _DATE.match(folded)
    if not match:
        return None
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    day = int(match.group(3)) if match.group(3) else None
    if year < 1 or (day is not None and month is None):
        return None
    shown = folded.strip()
    try:
        if year < JALALI_BELOW:
            start, end = calendar.jalali_span(year, month, day)
            return DateReading(start, end, "jalali", shown)
        start, end = _gregorian_span(year, month, day)
        return DateReading(start, end, "gregorian", shown)
    except (ValueError, OverflowError):
        return None


def _gregorian_span(year: int, month: int | None, day: int | None) -> tuple[date, date]:
    if month is None:
        return date(year, 1, 1), date(year, 12, 31)
    if day is None:
        start = date(year, month, 1)
        following = date(year + (month == 12), month % 12 + 1, 1)
        return start, following - timedelta(days=1)
    moment = date(year, month, day)
    return moment, moment
