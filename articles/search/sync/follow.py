"""The index follows a bulk load (`import_articles`) in big batches, not one commit per batch.

Applying the queue after every 500-article database commit cost a Whoosh commit (a new
segment, often a merge) per 500 articles and kept the import waiting on it. Inside
`following()` the load's tasks are queued exactly as before (same transaction as the change,
`articles.search.sync.queue`), but applied by the loader itself every `every` articles and once at
the end, with one writer per `batch` tasks: fewer, larger segments and merges. Searches leave
queued deletes out meanwhile, a request never waits for this writer (it holds the lock only
while applying), and tasks not yet applied when the process dies stay queued for the next
writer (the worker, the next change's catch-up, or `check_index --repair`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings

from articles.search.sync.queue import applied_by_caller
from articles.search.sync.worker import process_pending

logger = logging.getLogger(__name__)

EVERY = 5000  # articles loaded between two applications of the queue
BATCH = 5000  # tasks per Whoosh commit


@dataclass
class Follower:
    every: int
    batch: int
    loaded: int = 0

    def loaded_more(self, count: int) -> None:
        """Count articles whose tasks are committed; apply the queue every `every` of them."""
        self.loaded += count
        if self.loaded >= self.every:
            self.apply(lock_timeout=0.0)  # busy writer: the next call or the end catches up

    def apply(self, lock_timeout: float | None = None) -> None:
        self.loaded = 0
        try:
            report = process_pending(batch_size=self.batch, lock_timeout=lock_timeout)
        except Exception:
            logger.exception("Applying the import's index tasks failed; they stay queued")
            return
        if report.lock_timeout or report.failed:
            logger.warning("Index tasks left queued after the import: %s", report)


@contextmanager
def following(every: int | None = None, batch: int | None = None) -> Iterator[Follower | None]:
    """Yield a follower to tell about committed articles, or None when another process
    applies the queue (NEWSARCHIVE_INDEX_SYNC off: the index worker)."""
    if not settings.NEWSARCHIVE_INDEX_SYNC:
        yield None
        return
    follower = Follower(every=every or EVERY, batch=batch or BATCH)
    with applied_by_caller():
        try:
            yield follower
        except Exception:
            follower.apply()  # what was committed before the error
            raise
    follower.apply()  # waits for the writer like any command; requests never do
