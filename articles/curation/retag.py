"""Re-tagging after the gazetteer changes, in the background, the way the index queue works.

An edit to an entity or its aliases records a `RetagRequest` in the same transaction as the
edit. Right after the commit (with `NEWSARCHIVE_INDEX_SYNC`) the requests are drained only if
the index writer lock is free at once: a curator's request never waits for it. Otherwise
`run_index_worker` drains them on its next round. A drain re-tags every article against the
whole gazetteer once, however many requests are pending (an alias can take mentions from
another entity's shorter alias, so only a full pass is exact), and holds the writer lock so
two drains never tag the same article at once; the tags it changes are queued for the index
and applied under the same lock.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from articles.models import Article, RetagRequest
from articles.search.backend import get_backend
from articles.search.lock import IndexLockTimeout, index_write_lock
from articles.tagging import TagReport, tag_articles

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetagState:
    requests: int
    articles: int  # the articles the pending pass will read
    reasons: tuple[str, ...]


def request_retag(*, reason: str) -> RetagState:
    """Record that the gazetteer changed; drained after the commit when the lock is free."""
    RetagRequest.objects.create(reason=reason[:300])
    if settings.NEWSARCHIVE_INDEX_SYNC:
        transaction.on_commit(_drain_if_free)
    return pending_state() or RetagState(1, Article.objects.count(), (reason,))


def pending_state() -> RetagState | None:
    """What is waiting to be re-tagged, for the admin to show; None when nothing is."""
    reasons = tuple(RetagRequest.objects.order_by("pk").values_list("reason", flat=True)[:6])
    if not reasons:
        return None
    return RetagState(RetagRequest.objects.count(), Article.objects.count(), reasons)


def drain(*, lock_timeout: float | None = None, using: str = "default") -> TagReport | None:
    """Re-tag every article once for all pending requests; None if none were pending or the
    writer lock was not free within `lock_timeout` seconds (the requests then stay)."""
    last = RetagRequest.objects.order_by("-pk").values_list("pk", flat=True).first()
    if last is None:
        return None
    backend = get_backend(using)
    timeout = backend.lock_timeout if lock_timeout is None else lock_timeout
    try:
        with index_write_lock(backend.path, timeout=timeout):
            report = tag_articles(Article.objects.all())
            RetagRequest.objects.filter(pk__lte=last).delete()
    except IndexLockTimeout:
        logger.info("Re-tagging left queued: the index writer lock is busy")
        return None
    logger.info("Re-tagged after gazetteer changes: %s", "; ".join(report.lines()))
    return report


def _drain_if_free() -> None:
    # The edit is committed: a failure here must not turn it into an error page.
    try:
        drain(lock_timeout=0)
    except Exception:
        logger.exception("Re-tagging after commit failed; the request stays queued")
