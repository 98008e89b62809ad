"""Source health: coverage, daily volume, fetch state, and the alerts raised from them.

Volume counts articles by the day they were *added to the archive* (what the harvester
controls), in the site's time zone. A source's usual band is the mean ± 2 standard deviations
(at least ± 1 article) of its daily counts over the last 8 weeks, once it has 14 days of
history; yesterday's count outside the band raises a low- or high-volume alert. No article
added for ``NEWSARCHIVE_HARVEST_SILENT_DAYS`` days raises a silent alert, and
``FAILING_STREAK`` failed fetches in a row a failing alert. An alert resolves itself when its
condition clears; one alert per source and kind is open at a time.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, Max, Min
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article, Source

from .models import Feed, HealthAlert

WINDOW_DAYS = 56
MIN_HISTORY_DAYS = 14
FAILING_STREAK = 3


def silent_days() -> int:
    return int(getattr(settings, "NEWSARCHIVE_HARVEST_SILENT_DAYS", 3))


@dataclass
class Health:
    source: Source
    published: int = 0
    first: datetime | None = None
    last: datetime | None = None
    daily: list[int] = field(default_factory=list)  # articles added per day, oldest first
    last_success: datetime | None = None
    error_streak: int = 0
    last_error: str = ""
    feeds: int = 0
    alerts: list[HealthAlert] = field(default_factory=list)

    @property
    def per_day(self) -> float:
        return sum(self.daily) / len(self.daily) if self.daily else 0.0

    @property
    def weekly(self) -> list[int]:
        return [sum(self.daily[i : i + 7]) for i in range(0, len(self.daily), 7)]


def daily_counts(
    source_ids: Iterable[int], *, today: date, days: int = WINDOW_DAYS
) -> dict[int, list[int]]:
    """Per source, articles added on each of the ``days`` days before ``today`` (oldest first)."""
    start = today - timedelta(days=days)
    start_at = timezone.make_aware(datetime.combine(start, datetime.min.time()))
    end_at = timezone.make_aware(datetime.combine(today, datetime.min.time()))
    ids = list(source_ids)
    series = {source_id: [0] * days for source_id in ids}
    rows = (
        Article.objects.filter(source_id__in=ids, created_at__gte=start_at, created_at__lt=end_at)
        .annotate(day=TruncDate("created_at"))
        .values_list("source_id", "day")
        .annotate(n=Count("id"))
    )
    for source_id, day, n in rows:
        index = (day - start).days
        if 0 <= index < days:
            series[source_id][index] = n
    return series


def health_of(sources: list[Source], *, now: datetime | None = None) -> list[Health]:
    """Health figures for many sources in a fixed number of queries."""
    now = now or timezone.now()
    ids = [source.pk for source in sources]
    today = timezone.localdate(now)
    published = {
        row["source_id"]: row
        for row in Article.objects.published()
        .filter(source_id__in=ids)
        .values("source_id")
        .annotate(total=Count("id"), first=Min("published_at"), last=Max("published_at"))
    }
    feeds: dict[int, list[Feed]] = {}
    for feed in Feed.objects.filter(source_id__in=ids, is_active=True):
        feeds.setdefault(feed.source_id, []).append(feed)
    alerts: dict[int, list[HealthAlert]] = {}
    for alert in HealthAlert.objects.filter(source_id__in=ids, resolved_at__isnull=True):
        alerts.setdefault(alert.source_id, []).append(alert)
    series = daily_counts(ids, today=today)
    result = []
    for source in sources:
        row = published.get(source.pk, {})
        own = feeds.get(source.pk, [])
        worst = max(own, key=lambda f: f.error_streak, default=None)
        result.append(
            Health(
                source=source,
                published=row.get("total", 0),
                first=row.get("first"),
                last=row.get("last"),
                daily=series[source.pk],
                last_success=max(
                    (f.last_success_at for f in own if f.last_success_at), default=None
                ),
                error_streak=worst.error_streak if worst else 0,
                last_error=worst.last_error if worst and worst.error_streak else "",
                feeds=len(own),
                alerts=alerts.get(source.pk, []),
            )
        )
    return result


def volume_band(daily: list[int]) -> tuple[float, float] | None:
    if len(daily) < MIN_HISTORY_DAYS:
        return None
    mean = statistics.fmean(daily)
    spread = max(2 * statistics.pstdev(daily), 1.0)
    return mean - spread, mean + spread


def evaluate(sources: Iterable[Source], *, now: datetime | None = None) -> list[HealthAlert]:
    """Open or resolve each source's alerts; returns the alerts opened now."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sources = list(sources)
    opened: list[HealthAlert] = []
    ids = [s.pk for s in sources]
    added = dict(
        Article.objects.filter(source_id__in=ids)
        .values_list("source_id")
        .annotate(first=Min("created_at"))
        .values_list("source_id", "first")
    )
    newest = dict(
        Article.objects.filter(source_id__in=ids)
        .values_list("source_id")
        .annotate(last=Max("created_at"))
        .values_list("source_id", "last")
    )
    series = daily_counts(ids, today=today, days=WINDOW_DAYS + 1)
    for health in health_of(sources, now=now):
        source = health.source
        conditions: dict[str, str] = {}
        if health.error_streak >= FAILING_STREAK:
            conditions[HealthAlert.Kind.FAILING] = _(
                "%(n)d fetches failed in a row; last error: %(error)s"
            ) % {"n": health.error_streak, "error": health.last_error}
        last = newest.get(source.pk)
        if last is not None and now - last >= timedelta(days=silent_days()):
            conditions[HealthAlert.Kind.SILENT] = _(
                "No new article for %(days)d days (last added %(date)s)."
            ) % {"days": (now - last).days, "date": timezone.localdate(last).isoformat()}
        first = added.get(source.pk)
        if first is not None:
            history_days = (today - timezone.localdate(first)).days
            days = min(WINDOW_DAYS, history_days - 1)  # full days before yesterday
            band = volume_band(series[source.pk][:-1][-days:]) if days >= MIN_HISTORY_DAYS else None
            yesterday = series[source.pk][-1]
            if band is not None and not band[0] <= yesterday <= band[1]:
                kind = (
                    HealthAlert.Kind.LOW_VOLUME
                    if yesterday < band[0]
                    else HealthAlert.Kind.HIGH_VOLUME
                )
                conditions[kind] = _(
                    "%(n)d articles added yesterday; the usual band is %(low).1f to %(high).1f "
                    "a day (8 weeks, 2 standard deviations)."
                ) % {"n": yesterday, "low": max(band[0], 0), "high": band[1]}
        opened += _apply(source, conditions, now)
    return opened


def _apply(source: Source, conditions: dict[str, str], now: datetime) -> list[HealthAlert]:
    open_alerts = {a.kind: a for a in HealthAlert.objects.filter(source=source, resolved_at=None)}
    opened = []
    for kind, alert in open_alerts.items():
        if kind not in conditions:
            alert.resolved_at = now
            alert.save(update_fields=["resolved_at"])
    for kind, message in conditions.items():
        if kind in open_alerts:
            continue
        opened.append(
            HealthAlert.objects.create(source=source, kind=kind, message=message, created_at=now)
        )
    return opened
