"""The index queue: changes are recorded as IndexTask rows in the same transaction as the
change itself, and one writer applies them (articles.search.sync.worker).

A task for an article that is not public at the moment of the change (hidden, unpublished,
deleted) is recorded as a `delete`: from its commit on, searches leave that article out
(`withheld_article_ids`), whatever the index still holds and however long the writer is busy.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import transaction

from articles.models import Article, IndexTask
from articles.search.sync import catchup
from articles.search.sync.worker import process_pending

logger = logging.getLogger(__name__)

ARTICLE_LABEL = IndexTask.ARTICLE
SYNC_LOCK_WAIT = 0.0  # a committing request never waits for the writer: the catch-up does

_local = threading.local()


@contextmanager
def applied_by_caller() -> Iterator[None]:
    """Within this block (this thread), committed tasks are not applied after each commit:
    the caller applies them in bulk (`articles.search.sync.follow`). They are queued as ever, in
    the same transaction as the change, so withheld articles stay out of searches and a
    process that dies leaves them queued for the next writer."""
    before = getattr(_local, "deferred", False)
    _local.deferred = True
    try:
        yield
    finally:
        _local.deferred = before


def enqueue(model_label: str, ids: Iterable[object], action: str = IndexTask.Action.UPDATE) -> int:
    keys = [str(pk) for pk in dict.fromkeys(ids)]
    if not keys:
        return 0
    not_public: set[str] = set()
    if model_label == ARTICLE_LABEL and action != IndexTask.Action.DELETE:
        not_public = _not_public(keys)
    tasks = [
        IndexTask(
            model_label=model_label,
            object_id=key,
            action=IndexTask.Action.DELETE if key in not_public else action,
        )
        for key in keys
    ]
    IndexTask.objects.bulk_create(tasks, batch_size=500)
    if settings.NEWSARCHIVE_INDEX_SYNC and not getattr(_local, "deferred", False):
        transaction.on_commit(_process_now)
    return len(tasks)


def enqueue_articles(ids: Iterable[int], action: str = IndexTask.Action.UPDATE) -> int:
    return enqueue(ARTICLE_LABEL, ids, action)


def _not_public(keys: list[str]) -> set[str]:
    """The ids among `keys` whose article is missing or not published (as this transaction
    sees it)."""
    ids = [int(key) for key in keys if key.isdigit()]
    public: set[int] = set()
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        public.update(Article.objects.published().filter(pk__in=chunk).values_list("pk", flat=True))
    return {key for key in keys if not key.isdigit() or int(key) not in public}


def withheld_article_ids() -> list[int]:
    """Articles the index may still show but that are not public now: they have a queued
    `delete` and are not published. Normally none (one query); searches exclude them."""
    keys = set(
        IndexTask.objects.filter(
            model_label=ARTICLE_LABEL, action=IndexTask.Action.DELETE
        ).values_list("object_id", flat=True)
    )
    ids = {int(key) for key in keys if key.isdigit()}
    if not ids:
        return []
    public = set(Article.objects.published().filter(pk__in=ids).values_list("pk", flat=True))
    return sorted(ids - public)


def _process_now() -> None:
    """Apply the queue right after the commit that filled it (NEWSARCHIVE_INDEX_SYNC).

    The change itself is already committed: a failure here must not turn it into an error
    page. When another process holds the index writer (a rebuild, an import), the request
    does not wait: a catch-up thread applies the tasks once the writer is free, and until
    then searches leave out what the tasks withhold.
    """
    try:
        report = process_pending(lock_timeout=SYNC_LOCK_WAIT)
    except Exception:
        logger.exception("Applying index tasks after commit failed; they stay queued")
        catchup.schedule()
        return
    if report.lock_timeout or report.failed:
        catchup.schedule()
