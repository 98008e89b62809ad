"""The index queue: changes are recorded as IndexTask rows in the same transaction as the
change itself, and one writer applies them (articles.search.worker)."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction

from articles.models import IndexTask

logger = logging.getLogger(__name__)

ARTICLE_LABEL = "articles.article"
SYNC_LOCK_WAIT = 10.0  # seconds a committing process waits for the index writer


def enqueue(model_label: str, ids: Iterable[object], action: str = IndexTask.Action.UPDATE) -> int:
    tasks = [
        IndexTask(model_label=model_label, object_id=str(pk), action=action)
        for pk in dict.fromkeys(ids)
    ]
    if not tasks:
        return 0
    IndexTask.objects.bulk_create(tasks, batch_size=500)
    if settings.NEWSARCHIVE_INDEX_SYNC:
        transaction.on_commit(_process_now)
    return len(tasks)


def enqueue_articles(ids: Iterable[int], action: str = IndexTask.Action.UPDATE) -> int:
    return enqueue(ARTICLE_LABEL, ids, action)


def _process_now() -> None:
    """Apply the queue right after the commit that filled it (NEWSARCHIVE_INDEX_SYNC).

    The change itself is already committed: a failure here must not turn it into an error
    page. The tasks stay queued and the next run (or `run_index_worker`) applies them.
    """
    from articles.search.worker import process_pending

    try:
        # A request should not hang behind a long rebuild: the tasks are safe in the queue.
        process_pending(lock_timeout=SYNC_LOCK_WAIT)
    except Exception:
        logger.exception("Applying index tasks after commit failed; they stay queued")
