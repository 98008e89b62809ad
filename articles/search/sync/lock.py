"""One writer at a time for the search index, across threads and processes.

`index_write_lock(index_path)` holds an exclusive `fcntl.flock` on `<index_path>.writer.lock`.
The kernel releases a flock when its process dies, however it dies (even `kill -9`), so a crash
can never leave this lock held; the file keeps the last holder's pid for diagnostics only. The
lock is re-entrant within a process (the worker holds it around a batch and the backend takes
it again for each write).
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class IndexLockTimeout(TimeoutError):
    pass


_guard = threading.Lock()
_held: dict[str, tuple[threading.RLock, list[int], list[int]]] = {}


def lock_path_for(index_path: str | os.PathLike) -> Path:
    path = Path(index_path)
    return path.with_name(path.name + ".writer.lock")


def _state(key: str) -> tuple[threading.RLock, list[int], list[int]]:
    with _guard:
        if key not in _held:
            _held[key] = (threading.RLock(), [0], [-1])  # lock, depth, fd
        return _held[key]


def last_holder(index_path: str | os.PathLike) -> int | None:
    """The pid written by the last process that took the lock (it may be dead by now)."""
    try:
        text = lock_path_for(index_path).read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


@contextmanager
def index_write_lock(index_path: str | os.PathLike, *, timeout: float = 60.0) -> Iterator[None]:
    """Wait up to `timeout` seconds (backing off) for the index's writer lock, then hold it."""
    path = lock_path_for(index_path)
    key = str(path)
    rlock, depth, fd_box = _state(key)
    if not rlock.acquire(timeout=max(timeout, 0.001)):
        raise IndexLockTimeout(f"Another thread has held the index writer lock {path} too long.")
    try:
        if depth[0] == 0:
            fd_box[0] = _acquire_file(path, timeout)
        depth[0] += 1
        try:
            yield
        finally:
            depth[0] -= 1
            if depth[0] == 0:
                fd, fd_box[0] = fd_box[0], -1
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)
    finally:
        rlock.release()


def _acquire_file(path: Path, timeout: float) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + timeout
    delay = 0.005
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                holder = last_holder(path.with_name(path.name.removesuffix(".writer.lock")))
                raise IndexLockTimeout(
                    f"The search index is being written by another process (pid {holder}) "
                    f"and {timeout:.0f}s passed; pending updates stay queued. Run "
                    "`python manage.py run_index_worker --once` when it has finished."
                ) from None
            time.sleep(delay)
            delay = min(delay * 2, 0.25)
    os.ftruncate(fd, 0)
    os.pwrite(fd, str(os.getpid()).encode(), 0)
    return fd
