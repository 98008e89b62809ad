"""The queue worker: batches, failures kept with their error, the cross-process lock, recovery
after a writer is killed, and the run_index_worker command."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.models import Article, IndexTask
from articles.search.sync.lock import IndexLockTimeout, index_write_lock, last_holder
from articles.search.sync.queue import enqueue, enqueue_articles
from articles.search.sync.worker import MAX_ATTEMPTS, pending_count, process_pending
from tests.factories import make_article

ROOT = Path(__file__).resolve().parents[1]

# A separate process that takes the writer lock and a Whoosh writer, then waits to be killed.
HOLD_WRITER = """
import sys, time
from whoosh import index
from articles.search.sync.lock import index_write_lock
path = sys.argv[1]
with index_write_lock(path, timeout=5):
    writer = index.open_dir(path).writer()
    print("holding", flush=True)
    time.sleep(60)
"""


@pytest.fixture
def backend(search_index, db):
    backend = search_index.get_backend()
    backend.setup()
    return backend


@pytest.fixture
def lock_holder(backend):
    """Start a process holding the index's writer lock; yields it (killed afterwards)."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD_WRITER, backend.path],
        stdout=subprocess.PIPE,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        text=True,
    )
    assert process.stdout.readline().strip() == "holding"
    yield process
    if process.poll() is None:
        process.kill()
    process.wait()


def indexed_ids(backend) -> list[int]:
    return sorted(hit.fields["article_id"] for hit in backend.raw_search(None, pagelen=100).hits)


def test_tasks_are_applied_in_batches_and_deleted(backend):
    articles = [make_article(title=f"Story {n}") for n in range(5)]
    assert pending_count() >= 5
    report = process_pending(batch_size=2)
    assert report.indexed == 5 and report.failed == 0
    assert report.tasks >= 5
    assert not IndexTask.objects.exists()
    assert indexed_ids(backend) == sorted(a.pk for a in articles)


def test_limit_leaves_the_rest_queued(backend):
    for n in range(3):
        make_article(title=f"Story {n}")
    IndexTask.objects.all().delete()
    enqueue_articles(Article.objects.values_list("pk", flat=True))
    report = process_pending(limit=2)
    assert report.tasks == 2
    assert pending_count() == 1


def test_unpublished_and_missing_articles_are_removed(backend):
    article = make_article(title="Soon hidden")
    process_pending()
    Article.objects.filter(pk=article.pk).update(status=Article.Status.HIDDEN)
    enqueue_articles([article.pk, 987654])
    report = process_pending()
    assert report.removed == 2
    assert indexed_ids(backend) == []


def test_failed_tasks_stay_with_their_error_and_stop_being_retried(backend):
    enqueue("articles.article", ["not-a-number"])
    enqueue("articles.unknown", [1])
    make_article(title="Fine")
    report = process_pending()
    assert report.failed == 2 and report.indexed == 1
    errors = sorted(IndexTask.objects.values_list("last_error", flat=True))
    assert errors[0].startswith("No search index for articles.unknown")
    assert "not-a-number" in errors[1]
    for _ in range(MAX_ATTEMPTS):
        process_pending()
    assert set(IndexTask.objects.values_list("attempts", flat=True)) == {MAX_ATTEMPTS}
    assert pending_count() == 0


def test_a_held_lock_leaves_tasks_queued_then_a_killed_holder_is_recovered(backend, lock_holder):
    article = make_article(title="Waiting")
    assert last_holder(backend.path) == lock_holder.pid
    started = time.monotonic()
    report = process_pending(lock_timeout=0.3)
    assert report.lock_timeout and report.tasks == 0
    assert time.monotonic() - started < 5
    assert pending_count() >= 1

    os.kill(lock_holder.pid, signal.SIGKILL)  # dies holding both locks, mid-write
    lock_holder.wait()
    report = process_pending(lock_timeout=5)
    assert not report.lock_timeout and report.indexed == 1
    assert indexed_ids(backend) == [article.pk]


def test_the_lock_is_reentrant_and_excludes_other_processes(backend, lock_holder):
    with pytest.raises(IndexLockTimeout, match="another process"):
        with index_write_lock(backend.path, timeout=0.2):
            pass
    lock_holder.kill()
    lock_holder.wait()
    with index_write_lock(backend.path, timeout=1):
        with index_write_lock(backend.path, timeout=1):
            assert last_holder(backend.path) == os.getpid()


def test_run_index_worker_once_applies_the_queue(backend, settings, capsys):
    settings.NEWSARCHIVE_INDEX_SYNC = False
    article = make_article(title="Queued")
    call_command("run_index_worker", "--once")
    assert "1 indexed" in capsys.readouterr().out
    assert indexed_ids(backend) == [article.pk]


def test_without_sync_a_commit_only_queues(backend, settings, django_capture_on_commit_callbacks):
    settings.NEWSARCHIVE_INDEX_SYNC = False
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        make_article(title="Only queued")
    assert callbacks == []
    assert pending_count() == 1
    assert indexed_ids(backend) == []
