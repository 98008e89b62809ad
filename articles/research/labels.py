"""How a period reads: in the interface's calendar and digits, the other calendar on hover."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from articles.text.calendar import (
    GREGORIAN_MONTHS_EN,
    GREGORIAN_MONTHS_FA,
    JALALI_MONTHS,
    jalali,
    persian_digits,
)


def _digits(text: str, language: str) -> str:
    return persian_digits(text) if language == "fa" else text


def _gregorian(day: date, resolution: str, language: str) -> str:
    months = GREGORIAN_MONTHS_FA if language == "fa" else GREGORIAN_MONTHS_EN
    if resolution == "year":
        text = str(day.year)
    elif resolution == "month":
        text = f"{months[day.month - 1]} {day.year}"
    else:
        text = f"{day.day} {months[day.month - 1]} {day.year}"
    return _digits(text, language)


def _jalali(day: date, resolution: str, language: str) -> str:
    jday = jalali(day)
    if resolution == "year":
        text = str(jday.year)
    elif resolution == "month":
        text = f"{JALALI_MONTHS[jday.month - 1]} {jday.year}"
    else:
        text = f"{jday.day} {JALALI_MONTHS[jday.month - 1]} {jday.year}"
    return _digits(text, language)


def period_label(start: date, resolution: str, calendar: str, language: str) -> str:
    """ "دی ۱۳۹۹", "January 2021", "week of 4 January 2021", "2021"."""
    text = (_jalali if calendar == "jalali" else _gregorian)(start, resolution, language)
    if resolution == "week":
        return _("week of %(day)s") % {"day": text}
    return text


def other_calendar(start: date, end: date, resolution: str, calendar: str, language: str) -> str:
    """The same span in the other calendar (for `title=` hovers): "21 Dec 2020 – 19 Jan 2021"."""
    write = _gregorian if calendar == "jalali" else _jalali
    if resolution == "day":
        return write(start, "day", language)
    return f"{write(start, 'day', language)} – {write(end, 'day', language)}"


def axis_label(start: date, resolution: str, calendar: str, language: str) -> str:
    """A short label under a bar: the year, "دی ۹۹" / "Jan 2021", or the day of a week."""
    if resolution == "year":
        return period_label(start, resolution, calendar, language)
    if calendar == "jalali":
        jday = jalali(start)
        month = JALALI_MONTHS[jday.month - 1]
        text = f"{month} {jday.year % 100:02d}" if resolution == "month" else f"{jday.day} {month}"
    else:
        months = GREGORIAN_MONTHS_FA if language == "fa" else GREGORIAN_MONTHS_EN
        month = months[start.month - 1][:3] if language == "en" else months[start.month - 1]
        text = f"{month} {start.year}" if resolution == "month" else f"{start.day} {month}"
    return _digits(text, language)


def percent(value: float | None, language: str) -> str:
    if value is None:
        return "–"
    digits = 2 if value < 0.1 else 1
    text = f"{value * 100:.{digits}f}%"
    return persian_digits(text.replace(".", "٫")).replace("%", "٪") if language == "fa" else text
