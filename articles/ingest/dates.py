"""Date parsing for every input the archive takes: ISO 8601, RFC 822, Solar Hijri (Jalali).

Persian pages often print only a Solar Hijri date, with Afghan month names ("دلو ۰۴, ۱۴۰۳")
or Iranian ones ("۴ بهمن ۱۴۰۳"), or numerically ("۱۴۰۳/۱۱/۰۴"); `articles.text.calendar`
converts those. Naive datetimes are taken as UTC; offsets such as +04:30 are kept. Dates more
than a day in the future or before 1800 are rejected (None) with a warning, since they are
almost always parsing accidents.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime

from articles.text.calendar import AFGHAN_MONTHS, JALALI_MONTHS, fold_digits, gregorian_of

MIN_YEAR = 1800
FUTURE_SLACK = timedelta(days=1)

_LETTERS = str.maketrans({"ي": "ی", "ك": "ک", "\u200c": " ", "،": ","})

# Month names as Persian pages print them, Afghan ("دلو") and Iranian ("بهمن"), to numbers.
MONTH_NUMBERS: dict[str, int] = {
    **{name: i for i, name in enumerate(AFGHAN_MONTHS, start=1)},
    **{name: i for i, name in enumerate(JALALI_MONTHS, start=1)},
}
_MONTH_ALT = "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True))
# "دلو 04, 1403" | "04 دلو 1403" (month names need word boundaries: "دی" is also a word part)
_JALALI_NAMED = re.compile(
    rf"(?<![\w])(?:(?P<m1>{_MONTH_ALT})\s+(?P<d1>\d{{1,2}})\s*,?\s*(?P<y1>1[2-4]\d\d)"
    rf"|(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH_ALT})\s*,?\s*(?P<y2>1[2-4]\d\d))(?![\w])"
)
_YMD = re.compile(r"(?<!\d)(\d{4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})(?!\d)")
_TIME = re.compile(r"(?<!\d)(\d{1,2}):(\d{2})(?::(\d{2}))?(?!\d)")
_ENGLISH_FORMATS = (
    "%B %d, %Y",
    "%b %d, %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%B %d %Y",
    "%b. %d, %Y",
    "%A, %B %d, %Y",
)


def parse_date(
    value: object,
    warnings: list[str] | None = None,
    *,
    now: datetime | None = None,
) -> datetime | None:
    """Parse ``value`` into an aware datetime, or None (appending a reason to ``warnings``).

    Accepts datetime/date objects, ISO 8601 strings, RFC 822 strings, ``YYYY-MM-DD``,
    English month-name dates and Solar Hijri strings (named months or ``YYYY/MM/DD`` with a
    year between 1200 and 1499). Empty values give None without a warning.
    """
    if value is None or value == "":
        return None
    parsed = _parse(value)
    if parsed is None:
        _warn(warnings, f"unparsable date {str(value)[:80]!r}")
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    if parsed > now + FUTURE_SLACK:
        _warn(warnings, f"date {parsed.isoformat()} is in the future; ignored")
        return None
    if parsed.year < MIN_YEAR:
        _warn(warnings, f"date {parsed.isoformat()} is before {MIN_YEAR}; ignored")
        return None
    return parsed


_YEAR_ONLY = re.compile(r"(\d{4})")
_YEAR_MONTH = re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})")


def precision_of(value: object) -> str:
    """How much of a date `value` states: "time", "day", "month" or "year" (see
    articles/text/dateprecision.py); what `parse_date` reads from it, it reads at this precision."""
    if isinstance(value, datetime):
        return "time"
    if isinstance(value, date):
        return "day"
    text = fold_digits(" ".join(str(value or "").split()))
    if _YEAR_ONLY.fullmatch(text):
        return "year"
    if _YEAR_MONTH.fullmatch(text):
        return "month"
    return "time" if _TIME.search(text) else "day"


def parse_dated(
    value: object, warnings: list[str] | None = None, *, now: datetime | None = None
) -> tuple[datetime | None, str]:
    """`parse_date` and the precision of what it read ("" when it read nothing)."""
    parsed = parse_date(value, warnings, now=now)
    return parsed, precision_of(value) if parsed is not None else ""


def find_jalali_date(text: str) -> datetime | None:
    """The first Solar Hijri date printed in ``text`` (named month or numeric), else None."""
    text = fold_digits(text).translate(_LETTERS)
    match = _JALALI_NAMED.search(text)
    if match:
        month = MONTH_NUMBERS[match["m1"] or match["m2"]]
        day = int(match["d1"] or match["d2"])
        year = int(match["y1"] or match["y2"])
        return _from_jalali(year, month, day, text[match.end() : match.end() + 20])
    for match in _YMD.finditer(text):
        year, month, day = (int(g) for g in match.groups())
        if 1200 <= year < 1500:
            return _from_jalali(year, month, day, text[match.end() : match.end() + 20])
    return None


def _parse(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    if not text:
        return None
    ascii_text = fold_digits(text)
    partial = _partial_date(ascii_text)
    if partial is not None:
        return partial
    try:
        parsed = datetime.fromisoformat(
            ascii_text.replace(" ", "T", 1) if _isoish(ascii_text) else ascii_text
        )
    except ValueError:
        parsed = None
    if parsed is not None:
        return parsed if parsed.year >= 1500 else _jalali_from_gregorian_fields(parsed)
    if "," in text or any(c.isalpha() for c in text[:3]):
        try:
            return parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            pass
    jalali = find_jalali_date(text)
    if jalali is not None:
        return jalali
    match = _YMD.search(ascii_text)
    if match and int(match[1]) >= 1500:
        try:
            return datetime(int(match[1]), int(match[2]), int(match[3]), tzinfo=UTC)
        except ValueError:
            return None
    for fmt in _ENGLISH_FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


def _partial_date(text: str) -> datetime | None:
    """A year ("2010") or a year and month ("2010-08"), as the first day of that period;
    Solar Hijri years (1200-1499) are converted at the first day of the year or month."""
    year_month = _YEAR_MONTH.fullmatch(text)
    year = _YEAR_ONLY.fullmatch(text)
    if not (year or year_month):
        return None
    number = int((year_month or year)[1])
    month = int(year_month[2]) if year_month else 1
    if not 1 <= month <= 12:
        return None
    if 1200 <= number < 1500:
        gregorian = gregorian_of(number, month, 1)
        return datetime(gregorian.year, gregorian.month, gregorian.day, tzinfo=UTC)
    return datetime(number, month, 1, tzinfo=UTC) if number >= 1500 else None


def _isoish(text: str) -> bool:
    return len(text) > 10 and text[4] == "-" and text[10] == " "


def _jalali_from_gregorian_fields(parsed: datetime) -> datetime | None:
    """An ISO-looking string with a Solar Hijri year (e.g. 1403-11-04)."""
    if not 1200 <= parsed.year < 1500:
        return parsed
    try:
        gregorian = gregorian_of(parsed.year, parsed.month, parsed.day)
    except ValueError:
        return None
    return parsed.replace(year=gregorian.year, month=gregorian.month, day=gregorian.day)


def _from_jalali(year: int, month: int, day: int, tail: str) -> datetime | None:
    try:
        gregorian = gregorian_of(year, month, day)
    except ValueError:
        return None
    hour = minute = second = 0
    time_match = _TIME.match(tail.lstrip(" ,-–"))
    if time_match:
        hour, minute = int(time_match[1]), int(time_match[2])
        second = int(time_match[3] or 0)
        if hour > 23 or minute > 59 or second > 59:
            hour = minute = second = 0
    return datetime(
        gregorian.year, gregorian.month, gregorian.day, hour, minute, second, tzinfo=UTC
    )


def _warn(warnings: list[str] | None, message: str) -> None:
    if warnings is not None:
        warnings.append(message)
