"""The one home of calendars and digits for display: Solar Hijri and Gregorian dates written
out in Persian or English, Persian digits, and folding typed digits back to ASCII.

Template tags, the admin and the search form's notes call these; they hold no other logic.
"""

from __future__ import annotations

from datetime import date, datetime

import jdatetime
from django.utils import timezone

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_ASCII_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
JALALI_MONTHS = (
    "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
    "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند",
)  # fmt: skip
GREGORIAN_MONTHS_FA = (
    "ژانویه", "فوریه", "مارس", "آوریل", "مه", "ژوئن",
    "ژوئیه", "اوت", "سپتامبر", "اکتبر", "نوامبر", "دسامبر",
)  # fmt: skip
GREGORIAN_MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def persian_digits(value: object) -> str:
    return str(value).translate(PERSIAN_DIGITS)


def fold_digits(text: str) -> str:
    """Persian and Arabic-Indic digits as ASCII digits (what people type, as code reads it)."""
    return text.translate(_ASCII_DIGITS)


def local_date(value: date | datetime) -> date:
    """The calendar day of a date or datetime, in the archive's time zone."""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def jalali(value: date | datetime) -> jdatetime.date:
    return jdatetime.date.fromgregorian(date=local_date(value))


def jalali_text(value: date | datetime) -> str:
    """ "۱۵ دی ۱۳۹۹": the Solar Hijri day, month name and year in Persian digits."""
    day = jalali(value)
    return persian_digits(f"{day.day} {JALALI_MONTHS[day.month - 1]} {day.year}")


def gregorian_text(value: date | datetime, language: str = "en") -> str:
    """ "4 January 2021", or "۴ ژانویه ۲۰۲۱" in Persian."""
    day = local_date(value)
    if language.startswith("fa"):
        return persian_digits(f"{day.day} {GREGORIAN_MONTHS_FA[day.month - 1]} {day.year}")
    return f"{day.day} {GREGORIAN_MONTHS_EN[day.month - 1]} {day.year}"


def gregorian_month_text(year: int, month: int, language: str = "en") -> str:
    names = GREGORIAN_MONTHS_FA if language.startswith("fa") else GREGORIAN_MONTHS_EN
    text = f"{names[month - 1]} {year}"
    return persian_digits(text) if language.startswith("fa") else text


def clock_text(value: datetime, language: str = "en") -> str:
    """The local time of day, "14:05" (in Persian digits in Persian)."""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    text = local.strftime("%H:%M")
    return persian_digits(text) if language.startswith("fa") else text
