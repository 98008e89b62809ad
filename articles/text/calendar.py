"""The one home of calendars and digits: Solar Hijri and Gregorian dates read and written out
in Persian or English, month names, Persian digits, and folding typed digits back to ASCII.

Ingest (`articles.ingest.dates`), the search's date reading (`articles.search.query.dates`),
template tags, the admin, the research labels, feeds and exports call these; this is the only
module that imports `jdatetime`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import jdatetime
from django.utils import timezone
from django.utils.translation import get_language

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_ASCII_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
JALALI_MONTHS = (
    "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
    "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند",
)  # fmt: skip
# The same twelve months as Afghanistan names them (حمل = فروردین, …).
AFGHAN_MONTHS = (
    "حمل", "ثور", "جوزا", "سرطان", "اسد", "سنبله",
    "میزان", "عقرب", "قوس", "جدی", "دلو", "حوت",
)  # fmt: skip
GREGORIAN_MONTHS_FA = (
    "ژانویه", "فوریه", "مارس", "آوریل", "مه", "ژوئن",
    "ژوئیه", "اوت", "سپتامبر", "اکتبر", "نوامبر", "دسامبر",
)  # fmt: skip
GREGORIAN_MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


# -- digits ---------------------------------------------------------------------------------
def is_fa(language: str | None = None) -> bool:
    """Whether `language` (default: the active interface language) is Persian."""
    return (language or get_language() or "en").startswith("fa")


def persian_digits(value: object) -> str:
    return str(value).translate(PERSIAN_DIGITS)


def fold_digits(text: str) -> str:
    """Persian and Arabic-Indic digits as ASCII digits (what people type, as code reads it)."""
    return text.translate(_ASCII_DIGITS)


def local_digits(value: object, language: str | None = None) -> str:
    """Digits as the interface writes them: Persian digits in the Persian interface."""
    if value is None:
        return ""
    return persian_digits(value) if is_fa(language) else str(value)


def grouped_number(value: object, language: str | None = None) -> str:
    """An integer with thousands separators, in the interface's digits (۱٬۲۳۴ or 1,234)."""
    try:
        integer = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return "" if value is None else str(value)
    if is_fa(language):
        return persian_digits(f"{integer:,}".replace(",", "٬"))
    return f"{integer:,}"


# -- Solar Hijri <-> Gregorian --------------------------------------------------------------
def local_date(value: date | datetime) -> date:
    """The calendar day of a date or datetime, in the archive's time zone."""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def jalali(value: date | datetime) -> jdatetime.date:
    """The Solar Hijri day (`.year`, `.month`, `.day`) of a Gregorian date or datetime."""
    return jdatetime.date.fromgregorian(date=local_date(value))


def gregorian_of(year: int, month: int, day: int) -> date:
    """The Gregorian day of a Solar Hijri one; ValueError when there is no such day."""
    return jdatetime.date(year, month, day).togregorian()


def jalali_span(year: int, month: int | None = None, day: int | None = None) -> tuple[date, date]:
    """A Solar Hijri year, month or day as Gregorian (first day, last day), both inclusive."""
    if month is None:
        return gregorian_of(year, 1, 1), gregorian_of(year + 1, 1, 1) - timedelta(days=1)
    if day is None:
        following = gregorian_of(year + (month == 12), month % 12 + 1, 1)
        return gregorian_of(year, month, 1), following - timedelta(days=1)
    moment = gregorian_of(year, month, day)
    return moment, moment


def jalali_iso(value: date | datetime) -> str:
    """ "1399-10-15": the Solar Hijri day in ISO order and ASCII digits."""
    day = jalali(value)
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


# -- written out ----------------------------------------------------------------------------
def date_parts(
    value: date | datetime, calendar: str = "gregorian", language: str = "en"
) -> tuple[int, str, int]:
    """(day, month name, year) of a date in the Solar Hijri (`"jalali"`) or the Gregorian
    calendar; Solar Hijri months are named in Persian, Gregorian ones in `language`."""
    if calendar == "jalali":
        day = jalali(value)
        return day.day, JALALI_MONTHS[day.month - 1], day.year
    day = local_date(value)
    names = GREGORIAN_MONTHS_FA if language.startswith("fa") else GREGORIAN_MONTHS_EN
    return day.day, names[day.month - 1], day.year


def jalali_text(value: date | datetime) -> str:
    """ "۱۵ دی ۱۳۹۹": the Solar Hijri day, month name and year in Persian digits."""
    day, month, year = date_parts(value, "jalali")
    return persian_digits(f"{day} {month} {year}")


def gregorian_text(value: date | datetime, language: str = "en") -> str:
    """ "4 January 2021", or "۴ ژانویه ۲۰۲۱" in Persian."""
    day, month, year = date_parts(value, "gregorian", language)
    text = f"{day} {month} {year}"
    return persian_digits(text) if language.startswith("fa") else text


def gregorian_month_text(year: int, month: int, language: str = "en") -> str:
    names = GREGORIAN_MONTHS_FA if language.startswith("fa") else GREGORIAN_MONTHS_EN
    text = f"{names[month - 1]} {year}"
    return persian_digits(text) if language.startswith("fa") else text


def month_text(value: object, language: str | None = None) -> str:
    """ "2021-01" as a month name in the interface's language (Gregorian months); a year
    bucket ("2021") in the interface's digits; anything else as it is."""
    text = str(value)
    if text.isdigit():
        return local_digits(text, language)
    try:
        year, month = (int(part) for part in text.split("-", 1))
        return gregorian_month_text(year, month, "fa" if is_fa(language) else "en")
    except (ValueError, IndexError):
        return text


def clock_text(value: datetime, language: str = "en") -> str:
    """The local time of day, "14:05" (in Persian digits in Persian)."""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    text = local.strftime("%H:%M")
    return persian_digits(text) if language.startswith("fa") else text
