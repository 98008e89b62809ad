"""When a feed is next due: sooner for busy feeds, later for quiet ones, backing off on failure.

A feed's ``interval`` is its healthy pace. A fetch that brought ``BUSY_ITEMS`` or more new
articles halves it (not below ``min_interval``); a fetch with nothing new (or a 304) stretches
it by half (not above ``max_interval``). Failures leave the pace alone and wait
``interval × 2^streak`` instead, capped at ``max_interval``, so a source that comes back
resumes its old pace.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings

BUSY_ITEMS = 5


@dataclass(frozen=True)
class Pace:
    min_interval: int = 600
    max_interval: int = 86_400

    @classmethod
    def from_settings(cls) -> Pace:
        return cls(
            min_interval=getattr(settings, "NEWSARCHIVE_HARVEST_MIN_INTERVAL", 600),
            max_interval=getattr(settings, "NEWSARCHIVE_HARVEST_MAX_INTERVAL", 86_400),
        )


def next_interval(interval: int, *, new_items: int, pace: Pace) -> int:
    if new_items >= BUSY_ITEMS:
        return max(pace.min_interval, interval // 2)
    if new_items == 0:
        return min(pace.max_interval, int(interval * 1.5))
    return max(pace.min_interval, min(pace.max_interval, interval))


def failure_wait(interval: int, *, streak: int, pace: Pace) -> int:
    return min(pace.max_interval, interval * 2 ** min(max(streak, 1), 16))


def next_fetch(now: datetime, seconds: int) -> datetime:
    return now + timedelta(seconds=seconds)
