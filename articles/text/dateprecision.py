"""How much of a publication date the source gave: a time, a day, a month or only a year.

A source that prints "13 August 2010" gives a day, not midnight: the archive stores the date
as midnight UTC with the precision `day`, and every output (pages, feeds, citations, exports,
JSON) shows only what the source gave. Times are shown in the archive's time zone; a day, month
or year is the source's own calendar date, never shifted by a time zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Precision(models.TextChoices):
    TIME = "time", _("date and time")
    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year only")
    UNKNOWN = "", _("no date")


def effective(moment: datetime | None, precision: str) -> str:
    """The precision to use: none without a date; a date of unrecorded precision (a curator's
    entry) counts as a time."""
    if moment is None:
        return Precision.UNKNOWN
    return precision or Precision.TIME


def calendar_day(moment: datetime, precision: str) -> date:
    """The day a reader should see: local for a time, the source's own date otherwise."""
    if effective(moment, precision) == Precision.TIME:
        return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    return moment.astimezone(UTC).date() if timezone.is_aware(moment) else moment.date()


def iso(moment: datetime | None, precision: str) -> str:
    """ISO 8601 cut at the precision: `2010-08-13T10:00:00+04:30`, `2010-08-13`, `2010-08`,
    `2010`, or "" without a date."""
    precision = effective(moment, precision)
    if moment is None:
        return ""
    if precision == Precision.TIME:
        return (timezone.localtime(moment) if timezone.is_aware(moment) else moment).isoformat()
    day = calendar_day(moment, precision)
    if precision == Precision.YEAR:
        return f"{day.year:04d}"
    if precision == Precision.MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def has_day(moment: datetime | None, precision: str) -> bool:
    return effective(moment, precision) in {Precision.TIME, Precision.DAY}
