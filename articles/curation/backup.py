"""Backup and restore of the archive's database; the search index is rebuilt from it.

Two formats, both gzip-compressed:

- ``sqlite``: a page-by-page copy made with SQLite's online backup API. It is consistent
  (one snapshot, even while imports write) and restores byte for byte. Only for SQLite.
- ``json``: Django's ``dumpdata`` of the archive and its users (natural keys, so it loads
  into any database Django supports). The portable format: SQLite to PostgreSQL and back.
  ``dumpdata`` reads table by table; stop writers (or use pg_dump) for a snapshot of a busy
  PostgreSQL database.

The search index is not backed up: it is derived data, rebuilt from the restored database
(``indexing.rebuild``), so a backup never carries an index that disagrees with it. The index
queue (IndexTask) is not backed up either, for the same reason.
"""

from __future__ import annotations

import gzip
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.core.management import call_command
from django.db import connection, connections

from articles.models import Article, IndexTask

SQLITE_MAGIC = b"SQLite format 3\x00"
FORMATS = ("auto", "sqlite", "json")
# Derived or transient: rebuilt after a restore, never carried in a backup.
EXCLUDED = ("contenttypes", "auth.permission", "sessions", "articles.indextask")


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


@dataclass
class BackupReport:
    path: Path
    fmt: str
    size: int
    articles: int

    def __str__(self) -> str:
        return f"{self.path} ({self.fmt}, {self.size:,} bytes, {self.articles:,} articles)"


def _is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def _article_count() -> int:
    return Article.objects.count()


def backup_archive(out: Path, *, fmt: str = "auto") -> BackupReport:
    """Write a gzip-compressed backup of the database to `out` (written aside, then moved)."""
    if fmt not in FORMATS:
        raise BackupError(f"Unknown backup format {fmt!r}: choose one of {', '.join(FORMATS)}.")
    fmt = ("sqlite" if _is_sqlite() else "json") if fmt == "auto" else fmt
    if fmt == "sqlite" and not _is_sqlite():
        raise BackupError(
            "The sqlite format copies an SQLite database; this one is "
            f"{connection.vendor}. Use --format json (or the database's own dump tool)."
        )
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    articles = _article_count()
    with tempfile.TemporaryDirectory(prefix="newsarchive-backup-") as work:
        raw = Path(work) / ("db.sqlite3" if fmt == "sqlite" else "dump.json")
        if fmt == "sqlite":
            _sqlite_snapshot(raw)
        else:
            call_command(
                "dumpdata", exclude=list(EXCLUDED), natural_foreign=True, natural_primary=True,
                output=str(raw), verbosity=0,
            )  # fmt: skip
        with raw.open("rb") as source, gzip.open(partial, "wb", compresslevel=6) as target:
            shutil.copyfileobj(source, target, 1 << 20)
    partial.replace(out)  # a reader never sees a half-written backup under the final name
    return BackupReport(out, fmt, out.stat().st_size, articles)


def _sqlite_snapshot(target: Path) -> None:
    connection.ensure_connection()
    source = connection.connection  # the live sqlite3 connection Django holds
    copy = sqlite3.connect(target)
    try:
        with copy:
            source.backup(copy, pages=4096)
        check = copy.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        copy.close()
    if check != "ok":
        raise BackupError(f"The copy failed SQLite's integrity check: {check}")


def detect_format(path: Path) -> str:
    try:
        with gzip.open(path, "rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except (OSError, EOFError) as error:
        raise BackupError(f"{path} is not a gzip backup made by backup_archive: {error}") from None
    if head == SQLITE_MAGIC:
        return "sqlite"
    if head.lstrip()[:1] == b"[":
        return "json"
    raise BackupError(f"{path} holds neither an SQLite database nor a JSON dump.")


def restore_archive(path: Path, *, force: bool = False) -> BackupReport:
    """Replace the (empty, unless `force`) database with the backup at `path`, then migrate.

    Rebuild the search index afterwards (`restore_archive` the command does it).
    """
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No backup at {path}.")
    fmt = detect_format(path)
    call_command("migrate", interactive=False, verbosity=0)
    existing = _article_count()
    if existing and not force:
        raise BackupError(
            f"The database already holds {existing:,} articles; restore into an empty data "
            "directory (NEWSARCHIVE_DATA_DIR) or pass --force to replace them."
        )
    if fmt == "sqlite" and not _is_sqlite():
        raise BackupError(
            "This backup is an SQLite database and the configured database is "
            f"{connection.vendor}; make a portable backup with `backup_archive --format json`."
        )
    with tempfile.TemporaryDirectory(prefix="newsarchive-restore-") as work:
        raw = Path(work) / ("db.sqlite3" if fmt == "sqlite" else "dump.json")
        with gzip.open(path, "rb") as source, raw.open("wb") as target:
            shutil.copyfileobj(source, target, 1 << 20)
        if fmt == "sqlite":
            _sqlite_restore(raw)
        else:
            call_command("flush", interactive=False, verbosity=0)
            call_command("loaddata", str(raw), verbosity=0)
    call_command("migrate", interactive=False, verbosity=0)  # a backup from an older version
    IndexTask.objects.all().delete()  # the index is rebuilt from the restored rows
    return BackupReport(path, fmt, path.stat().st_size, _article_count())


def _sqlite_restore(raw: Path) -> None:
    backup = sqlite3.connect(raw)
    try:
        check = backup.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"The backup failed SQLite's integrity check: {check}")
        for alias in connections:
            connections[alias].close()
        connection.ensure_connection()
        with connection.connection:
            backup.backup(connection.connection, pages=4096)
    finally:
        backup.close()
    connection.close()  # the next query sees the restored schema from a fresh connection
