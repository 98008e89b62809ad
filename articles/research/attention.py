"""Attention over time: how many articles of a search fall in each period, and what share
they are of every public article of the archive in that period and language.

    attention = attention_for(params, calendar="jalali")      # resolution chosen from the span
    attention.periods[0].share("fa")                           # 0.031: 3.1 % of Persian articles

The counts are column operations over the search's matching documents
(`articles.search.engine.match_search`); the denominators are the same binning over every live
document of the index (the public archive), cached per index generation. Days are counted in
the archive's time zone (`TIME_ZONE`), as the dates on the pages are. Periods are Gregorian or
Solar Hijri (weeks start on Monday, or on Saturday in the Solar Hijri calendar); undated
articles cannot be placed and are counted apart (`undated`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import numpy as np
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.search.engine import match_search
from articles.search.types import SearchParams
from articles.search.whoosh.columns import MISSING
from articles.text.calendar import jalali, jalali_span

LANGUAGES = ("fa", "en")
RESOLUTIONS = ("day", "week", "month", "year")
CALENDARS = ("gregorian", "jalali")
MAX_PERIODS = 400  # a finer resolution than this many bars is coarsened (with a message)
_USEC_PER_DAY = 86_400_000_000
_period_cache: dict[tuple[str, str, int], tuple[int, int]] = {}
_totals_cache: dict[tuple, dict[tuple[int, str], int]] = {}


@dataclass
class Period:
    start: date
    end: date
    key: str  # "2021-01", "1399-10", "2021-01-04" (a day or a week's first day), "1399"
    counts: dict[str, int]
    totals: dict[str, int]

    @property
    def count(self) -> int:
        return sum(self.counts.values())

    def share(self, language: str | None = None) -> float | None:
        """The share of all archived articles of the period (in `language`, else both)."""
        languages = [language] if language else list(LANGUAGES)
        total = sum(self.totals.get(code, 0) for code in languages)
        hits = sum(self.counts.get(code, 0) for code in languages)
        return hits / total if total else None


@dataclass
class Attention:
    resolution: str
    calendar: str
    periods: list[Period]
    count: int  # every matching article, dated or not
    undated: int
    automatic: bool = True
    messages: list[str] = field(default_factory=list)

    @property
    def dated(self) -> int:
        return self.count - self.undated


# -- days and periods -----------------------------------------------------------------------
def day_ordinals(columns, docnums: np.ndarray) -> np.ndarray:
    """Each document's local publication day as a proleptic Gregorian ordinal (0: undated)."""
    values = columns.single("published")[docnums]
    # One offset for every date: exact for zones without summer time (Asia/Kabul).
    offset = datetime.now(UTC).astimezone(timezone.get_default_timezone()).utcoffset()
    shift = int(offset.total_seconds() * 1_000_000) if offset else 0
    days = (values + shift) // _USEC_PER_DAY + 1
    return np.where(values == MISSING, 0, days)


def _period(ordinal: int, resolution: str, calendar: str) -> tuple[int, int]:
    """(first day, last day) ordinals of the period holding day `ordinal`."""
    key = (resolution, calendar, ordinal)
    found = _period_cache.get(key)
    if found is not None:
        return found
    day = date.fromordinal(ordinal)
    if resolution == "day":
        span = (ordinal, ordinal)
    elif resolution == "week":
        first_weekday = 5 if calendar == "jalali" else 0  # Saturday / Monday
        start = ordinal - (day.weekday() - first_weekday) % 7
        span = (start, start + 6)
    elif calendar == "jalali":
        jday = jalali(day)
        first, last = jalali_span(jday.year, jday.month if resolution == "month" else None)
        span = (first.toordinal(), last.toordinal())
    elif resolution == "month":
        first = day.replace(day=1)
        following = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        span = (first.toordinal(), following.toordinal() - 1)
    else:
        span = (date(day.year, 1, 1).toordinal(), date(day.year, 12, 31).toordinal())
    if len(_period_cache) > 200_000:
        _period_cache.clear()
    _period_cache[key] = span
    return span


def period_key(start: date, resolution: str, calendar: str) -> str:
    if resolution in ("day", "week"):
        return start.isoformat()
    if calendar == "jalali":
        jday = jalali(start)
        return f"{jday.year:04d}-{jday.month:02d}" if resolution == "month" else str(jday.year)
    return start.strftime("%Y-%m") if resolution == "month" else str(start.year)


def automatic_resolution(first: int, last: int) -> str:
    """The finest resolution that keeps the chart legible for a span of days."""
    span = last - first + 1
    if span <= 62:
        return "day"
    if span <= 2 * 366:
        return "week"
    if span <= 12 * 366:
        return "month"
    return "year"


def _bin(days: np.ndarray, languages: np.ndarray, resolution: str, calendar: str):
    """{(period start ordinal, language code): count} for dated documents."""
    dated = days > 0
    days, languages = days[dated], languages[dated]
    if not len(days):
        return {}
    unique, inverse = np.unique(days, return_inverse=True)
    starts = np.fromiter(
        (_period(int(d), resolution, calendar)[0] for d in unique), np.int64, len(unique)
    )
    pairs, counts = np.unique(np.stack([starts[inverse], languages]), axis=1, return_counts=True)
    return {(int(a), int(b)): int(n) for (a, b), n in zip(pairs.T, counts, strict=True)}


def _language_codes(columns, docnums: np.ndarray) -> tuple[np.ndarray, dict[int, str]]:
    codes = columns.single("language")[docnums]
    vocabulary = columns.vocab.get("language")
    names = {} if vocabulary is None else {i: v for i, v in enumerate(vocabulary.values)}
    return codes, names


def archive_totals(columns, resolution: str, calendar: str) -> dict[tuple[int, str], int]:
    """{(period start, language): public articles} over the whole index, cached."""
    key = (id(columns), columns._generation, resolution, calendar)
    found = _totals_cache.get(key)
    if found is None:
        everything = np.flatnonzero(columns.live)
        codes, names = _language_codes(columns, everything)
        binned = _bin(day_ordinals(columns, everything), codes, resolution, calendar)
        found = {(start, names.get(code, "")): n for (start, code), n in binned.items()}
        if len(_totals_cache) > 32:
            _totals_cache.clear()
        _totals_cache[key] = found
    return found


def dated_span(matches) -> tuple[int, int] | None:
    """(first, last) local day ordinals of the dated matching documents, or None."""
    days = day_ordinals(matches.columns, matches.docnums)
    days = days[days > 0]
    return (int(days.min()), int(days.max())) if len(days) else None


def attention_from(
    matches,
    *,
    resolution: str = "",
    calendar: str = "gregorian",
    span: tuple[int, int] | None = None,
) -> Attention:
    """Attention of already matched documents (`articles.search.engine.Matches`); `span`
    (first, last day ordinals) fixes the periods, so several searches share one axis."""
    columns, docnums = matches.columns, matches.docnums
    calendar = calendar if calendar in CALENDARS else "gregorian"
    days = day_ordinals(columns, docnums)
    dated_days = days[days > 0]
    count, undated = len(docnums), int(len(docnums) - len(dated_days))
    automatic = resolution not in RESOLUTIONS
    messages: list[str] = []
    if span is None and not len(dated_days):
        return Attention(resolution or "month", calendar, [], count, undated, automatic)
    first, last = span or (int(dated_days.min()), int(dated_days.max()))
    if automatic:
        resolution = automatic_resolution(first, last)
    while _estimated_periods(first, last, resolution) > MAX_PERIODS:
        coarser = RESOLUTIONS[RESOLUTIONS.index(resolution) + 1]
        messages.append(
            _("Too many bars by %(fine)s: shown by %(coarse)s.")
            % {"fine": resolution_label(resolution), "coarse": resolution_label(coarser)}
        )
        resolution = coarser
    codes, names = _language_codes(columns, docnums)
    binned = _bin(days, codes, resolution, calendar)
    hits = {(start, names.get(code, "")): n for (start, code), n in binned.items()}
    totals = archive_totals(columns, resolution, calendar)
    periods = []
    start = _period(first, resolution, calendar)[0]
    while start <= last:
        end = _period(start, resolution, calendar)[1]
        periods.append(
            Period(
                start=date.fromordinal(start),
                end=date.fromordinal(end),
                key=period_key(date.fromordinal(start), resolution, calendar),
                counts={language: hits.get((start, language), 0) for language in LANGUAGES},
                totals={language: totals.get((start, language), 0) for language in LANGUAGES},
            )
        )
        start = end + 1
    return Attention(resolution, calendar, periods, count, undated, automatic, messages)


def _estimated_periods(first: int, last: int, resolution: str) -> int:
    days = {"day": 1, "week": 7, "month": 30, "year": 365}[resolution]
    return (last - first) // days + 1


def attention_for(
    params: SearchParams, *, resolution: str = "", calendar: str = "gregorian"
) -> Attention:
    return attention_from(match_search(params), resolution=resolution, calendar=calendar)


def resolution_label(resolution: str) -> str:
    return {"day": _("day"), "week": _("week"), "month": _("month"), "year": _("year")}.get(
        resolution, resolution
    )
