"""A cache for counters shared by every worker process of one machine, exact under parallel
requests.

Rate limits count requests with `cache.add()` then `cache.incr()`. Django's file-based and
database caches do both as a read followed by a write, so parallel requests lose increments
(20 parallel clients got 266 of 400 searches through a limit of 120 a minute). This backend
keeps the counters in one SQLite file and does each step in a single statement, which SQLite
applies atomically across processes. Redis or memcached (atomic `incr` too) serve the same
purpose when several machines share the limits (`NEWSARCHIVE_RATELIMIT_CACHE_URL`).

Only what counters need is stored well: integers stay integers; other values are pickled.
"""

from __future__ import annotations

import os
import pickle
import random
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS counters "
    "(key TEXT PRIMARY KEY, value, expires REAL NOT NULL) WITHOUT ROWID"
)
_FOREVER = 1e18


class SQLiteCounterCache(BaseCache):
    def __init__(self, location: str, params: dict) -> None:
        super().__init__(params)
        self.path = Path(location)
        self._local = threading.local()

    # -- the connection: one per thread and process ------------------------------------

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None or self._local.pid != os.getpid():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute(_SCHEMA)
            self._local.db, self._local.pid = db, os.getpid()
        return db

    def _expiry(self, timeout: float | None | object) -> float:
        seconds = self.get_backend_timeout(timeout)
        return _FOREVER if seconds is None else seconds

    @staticmethod
    def _dump(value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        return sqlite3.Binary(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))

    @staticmethod
    def _load(value: Any) -> Any:
        return pickle.loads(value) if isinstance(value, bytes) else value  # noqa: S301

    def _sweep(self) -> None:
        if random.random() < 0.01:  # noqa: S311 - now and then, not on every write
            self._db().execute("DELETE FROM counters WHERE expires <= ?", (time.time(),))

    # -- the cache API -------------------------------------------------------------------

    def add(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version=None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        self._sweep()
        cursor = self._db().execute(
            "INSERT INTO counters (key, value, expires) VALUES (?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires = excluded.expires "
            "WHERE counters.expires <= ?",
            (key, self._dump(value), self._expiry(timeout), time.time()),
        )
        return cursor.rowcount == 1

    def get(self, key: str, default: Any = None, version=None) -> Any:
        key = self.make_and_validate_key(key, version=version)
        row = (
            self._db()
            .execute("SELECT value FROM counters WHERE key = ? AND expires > ?", (key, time.time()))
            .fetchone()
        )
        return default if row is None else self._load(row[0])

    def set(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version=None) -> None:
        key = self.make_and_validate_key(key, version=version)
        self._sweep()
        self._db().execute(
            "INSERT INTO counters (key, value, expires) VALUES (?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires = excluded.expires",
            (key, self._dump(value), self._expiry(timeout)),
        )

    def touch(self, key: str, timeout: Any = DEFAULT_TIMEOUT, version=None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        cursor = self._db().execute(
            "UPDATE counters SET expires = ? WHERE key = ? AND expires > ?",
            (self._expiry(timeout), key, time.time()),
        )
        return cursor.rowcount == 1

    def incr(self, key: str, delta: int = 1, version=None) -> int:
        """Add `delta` in one statement; ValueError when the key is absent, as Django's own."""
        key = self.make_and_validate_key(key, version=version)
        row = (
            self._db()
            .execute(
                "UPDATE counters SET value = value + ? "
                "WHERE key = ? AND expires > ? AND typeof(value) = 'integer' RETURNING value",
                (delta, key, time.time()),
            )
            .fetchone()
        )
        if row is None:
            raise ValueError(f"Key '{key}' not found or not an integer")
        return row[0]

    def delete(self, key: str, version=None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        return self._db().execute("DELETE FROM counters WHERE key = ?", (key,)).rowcount == 1

    def has_key(self, key: str, version=None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        row = (
            self._db()
            .execute("SELECT 1 FROM counters WHERE key = ? AND expires > ?", (key, time.time()))
            .fetchone()
        )
        return row is not None

    def clear(self) -> None:
        self._db().execute("DELETE FROM counters")

    def close(self, **kwargs) -> None:
        """Connections stay open for the thread's life (Django calls this after each request)."""
