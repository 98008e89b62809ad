"""Which cache keeps the rate-limit and login counters (read by the settings, so no Django
imports here)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit


def counter_cache(url: str, *, data_dir: Path) -> dict:
    """The `CACHES` entry for the counters.

    Empty: an SQLite file under the data directory, exact across the worker processes of one
    machine. `redis://…` or `memcached://host:port`: a shared server, needed when several
    machines serve the site (each would otherwise count only its own requests).
    """
    scheme = urlsplit(url).scheme if url else ""
    if scheme in {"redis", "rediss", "unix"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "memcached":
        return {
            "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
            "LOCATION": urlsplit(url).netloc,
        }
    if scheme:
        raise ValueError(
            f"NEWSARCHIVE_RATELIMIT_CACHE_URL={url!r}: use redis://host:6379/0, "
            "memcached://host:11211, or leave it empty for the SQLite counters."
        )
    return {
        "BACKEND": "articles.throttle.counters.SQLiteCounterCache",
        "LOCATION": str(data_dir / "counters.sqlite3"),
        "TIMEOUT": 3600,
    }
