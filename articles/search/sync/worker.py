"""The one writer: applies queued index tasks to the Whoosh index, in order, in batches.

A task names an article; applying it makes the index agree with the database as it is now:
a published article is (re)indexed, an unpublished or missing one removed. So tasks for the
same article collapse, and an update can never be applied out of order. Applied tasks are
deleted; a task that fails stays with `attempts` and `last_error` (after `MAX_ATTEMPTS` it is
left for `check_index --repair` and an administrator).

The whole run holds the cross-process writer lock (`articles.search.sync.lock`), so however many
web or worker processes call `process_pending`, one writes at a time; a caller that cannot
get the lock in time leaves the tasks queued for the next run.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from articles.models import IndexTask
from articles.search.contract import get_backend
from articles.search.sync.lock import IndexLockTimeout, index_write_lock
from articles.search_indexes import ArticleIndex, indexable_articles, whoosh_id

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


@dataclass
class WorkerReport:
    tasks: int = 0
    indexed: int = 0
    removed: int = 0
    failed: int = 0
    lock_timeout: bool = False

    def __str__(self) -> str:
        return (
            f"{self.tasks} tasks: {self.indexed} indexed, {self.removed} removed, "
            f"{self.failed} failed"
        )


def pending_count() -> int:
    return IndexTask.objects.filter(attempts__lt=MAX_ATTEMPTS).count()


def process_pending(
    limit: int | None = None,
    *,
    batch_size: int = 500,
    using: str = "default",
    lock_timeout: float | None = None,
) -> WorkerReport:
    """Apply up to `limit` queued tasks (all of them by default) and report what was done."""
    report = WorkerReport()
    backend = get_backend(using)
    timeout = backend.lock_timeout if lock_timeout is None else lock_timeout
    try:
        with index_write_lock(backend.path, timeout=timeout):
            after = 0  # each task at most once per run, even one that fails
            while limit is None or report.tasks < limit:
                size = batch_size if limit is None else min(batch_size, limit - report.tasks)
                pending = IndexTask.objects.filter(attempts__lt=MAX_ATTEMPTS, pk__gt=after)
                tasks = list(pending.order_by("pk")[:size])
                if not tasks:
                    break
                after = tasks[-1].pk
                _apply_batch(backend, tasks, report)
    except IndexLockTimeout as error:
        report.lock_timeout = True
        # A request that does not wait (timeout 0) leaves the tasks to the catch-up thread.
        logger.log(logging.INFO if timeout <= 0 else logging.WARNING,
                   "Index tasks left queued: %s", error)  # fmt: skip
    return report


def _apply_batch(backend, tasks: list[IndexTask], report: WorkerReport) -> None:
    report.tasks += len(tasks)
    errors: dict[int, str] = {}
    ids: set[int] = set()
    for task in tasks:
        if task.model_label != IndexTask.ARTICLE:
            errors[task.pk] = f"No search index for {task.model_label}."
        elif not task.object_id.isdigit():
            errors[task.pk] = f"Not an article id: {task.object_id!r}."
        else:
            ids.add(int(task.object_id))

    index = ArticleIndex()
    documents, deletes, failed_ids = [], [], {}
    articles = {article.pk: article for article in indexable_articles().filter(pk__in=ids)}
    for pk in sorted(ids):
        article = articles.get(pk)
        if article is None:
            deletes.append(whoosh_id(pk))
            continue
        try:
            documents.append(index.full_prepare(article))
        except Exception as error:  # one bad article must not block the others
            failed_ids[pk] = f"{type(error).__name__}: {error}"
    try:
        backend.apply(documents, deletes)
    except Exception as error:
        logger.exception("Writing %d index tasks failed", len(tasks))
        _fail(tasks, {task.pk: f"{type(error).__name__}: {error}" for task in tasks}, report)
        return
    for task in tasks:
        if task.pk not in errors and task.object_id.isdigit():
            reason = failed_ids.get(int(task.object_id))
            if reason:
                errors[task.pk] = reason
    report.indexed += len(documents)
    report.removed += len(deletes)
    done = [task.pk for task in tasks if task.pk not in errors]
    IndexTask.objects.filter(pk__in=done).delete()
    _fail([task for task in tasks if task.pk in errors], errors, report)


def _fail(tasks: list[IndexTask], errors: dict[int, str], report: WorkerReport) -> None:
    for task in tasks:
        task.attempts += 1
        task.last_error = errors[task.pk][:2000]
        task.save(update_fields=["attempts", "last_error"])
        report.failed += 1
