"""The index catches up by itself: one background thread per process waits for the writer
lock, then applies the queue.

A request that commits a change while another process holds the index writer (a rebuild, an
import, another worker) does not wait for it (`articles.search.sync.queue`); it asks for a
catch-up here and returns. The thread waits, backing off, for the lock, applies every queued
task and ends; a later request starts a new one. Searches leave withheld articles out in the
meantime (`queue.withheld_article_ids`), so nothing depends on how long the wait is.
"""

from __future__ import annotations

import logging
import threading
import time

from django.db import connections

from articles.search.sync.worker import pending_count, process_pending

logger = logging.getLogger(__name__)

WAIT = 30.0  # seconds per attempt to take the writer lock
GIVE_UP = 6 * 3600.0  # after this the queue waits for the next change or the worker

_lock = threading.Lock()
_thread: threading.Thread | None = None
_again = threading.Event()


def schedule() -> None:
    """Make sure a catch-up runs soon in this process (at most one thread at a time)."""
    global _thread
    with _lock:
        _again.set()
        if _thread is not None and _thread.is_alive():
            return
        _thread = threading.Thread(target=_run, name="index-catch-up", daemon=True)
        _thread.start()


def running() -> bool:
    with _lock:
        return _thread is not None and _thread.is_alive()


def wait(timeout: float) -> bool:
    """Wait up to `timeout` seconds for a running catch-up to end; whether none is left."""
    with _lock:
        thread = _thread
    if thread is not None:
        thread.join(timeout)
    return not running()


def _run() -> None:
    started = time.monotonic()
    try:
        while time.monotonic() - started < GIVE_UP:
            _again.clear()
            try:
                report = process_pending(lock_timeout=WAIT)
            except Exception:
                logger.exception("Index catch-up failed; retrying")
                time.sleep(1.0)
                continue
            if report.lock_timeout:
                continue
            if not _again.is_set() and (report.failed or not pending_count()):
                return
    finally:
        connections.close_all()  # this thread's own connections
