"""How a period reads: in the interface's calendar and digits, the other calendar on hover."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from articles.text.calendar import date_parts, persian_digits


def _digits(text: str, language: str) -> str:
    return persian_digits(text) if language == "fa" else text


def _written(day: date, resolution: str, calendar: str, language: str) -> str:
    number, month, year = date_parts(day, calendar, language)
    if resolution == "year":
        text = str(year)
    elif resolution == "month":
        text = f"{month} {year}"
    else:
        text = f"{number} {month} {year}"
    return _digits(text, language)


def period_label(start: date, resolution: str, calendar: str, language: str) -> str:
    """ "دی ۱۳۹۹", "January 2021", "week of 4 January 2021", "2021"."""
    text = _written(start, resolution, calendar, language)
    if resolution == "week":
        return _("week of %(day)s") % {"day": text}
    return text


def other_calendar(start: date, end: date, resolution: str, calendar: str, language: str) -> str:
    """The same span in the other calendar (for `title=` hovers): "21 Dec 2020 – 19 Jan 2021"."""
    other = "gregorian" if calendar == "jalali" else "jalali"
    first = _written(start, "day", other, language)
    return first if resolution == "day" else f"{first} – {_written(end, 'day', other, language)}"


def axis_label(start: date, resolution: str, calendar: str, language: str) -> str:
    """A short label under a bar: the year, "دی ۹۹" / "Jan 2021", or the day of a week."""
    if resolution == "year":
        return period_label(start, resolution, calendar, language)
    day, month, year = date_parts(start, calendar, language)
    if calendar == "jalali":
        text = f"{month} {year % 100:02d}" if resolution == "month" else f"{day} {month}"
    else:
        month = month[:3] if language == "en" else month
        text = f"{month} {year}" if resolution == "month" else f"{day} {month}"
    return _digits(text, language)


def percent(value: float | None, language: str) -> str:
    if value is None:
        return "–"
    digits = 2 if value < 0.1 else 1
    text = f"{value * 100:.{digits}f}%"
    return persian_digits(text.replace(".", "٫")).replace("%", "٪") if language == "fa" else text
