"""Re-tagging after the gazetteer changes, in the background, the way the index queue works.

An edit to an entity or its aliases records a `RetagRequest` in the same transaction as the
edit. Right after the commit (with `NEWSARCHIVE_INDEX_SYNC`) a background thread drains the
requests, so the curator's request returns at once (a pass reads every article: about 5 ms
each, minutes at 100k); without that setting, or when the thread cannot finish (the process
ends), `run_index_worker` drains them on its next round: a request is deleted only once its
pass is done. A drain re-tags every article against the whole gazetteer once, however many
requests are pending (an alias can take mentions from another entity's shorter alias, so
only a full pass is exact). Drains take their own writer lock, never waiting for it, so two
never tag the same article at once; they do not hold the index's lock, which a long pass would
keep from every other update: the tags they change are queued for the index like any edit.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import OperationalError, connections, transaction

from articles.curation.tagging import TagReport, tag_articles
from articles.models import Article, RetagRequest
from articles.search.contract import get_backend
from articles.search.sync.lock import IndexLockTimeout, index_write_lock

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
        transaction.on_commit(drain_in_background)
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
        with index_write_lock(f"{backend.path}.retag", timeout=timeout):
            report = tag_articles(Article.objects.all())
            RetagRequest.objects.filter(pk__lte=last).delete()
    except IndexLockTimeout:
        logger.info("Re-tagging left queued: another drain is running")
        return None
    logger.info("Re-tagged after gazetteer changes: %s", "; ".join(report.lines()))
    return report


_threads: list[threading.Thread] = []


def drain_in_background() -> threading.Thread:
    """Drain in a thread of this process, so the request that committed the edit returns."""
    thread = threading.Thread(target=_drain_quietly, name="newsarchive-retag", daemon=True)
    _threads[:] = [t for t in _threads if t.is_alive()] + [thread]
    thread.start()
    return thread


def wait_for_background(timeout: float | None = None) -> None:
    """Wait for the drains started by this process (tests, and a clean shutdown)."""
    for thread in list(_threads):
        thread.join(timeout)


BUSY_RETRIES = 5  # a database busy with another writer (SQLite) is tried again, backing off


def _drain_quietly() -> None:
    # The edit is committed: a failure here must not be lost, nor end the process.
    try:
        for attempt in range(BUSY_RETRIES):
            try:
                drain(lock_timeout=0)
                return
            except OperationalError as error:  # "database is locked": another writer
                if attempt == BUSY_RETRIES - 1:
                    raise
                logger.info("Re-tagging waits for the database (%s)", error)
                time.sleep(0.2 * 2**attempt)
    except Exception:
        logger.exception("Re-tagging in the background failed; the request stays queued")
    finally:
        connections.close_all()
