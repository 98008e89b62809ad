"""Text analysis for bulk indexing: in worker processes, cached by content and analysis version.

Analysing article text (tokens, compounds, stopwords, stems, encoded positions and offsets) is
about half of a rebuild's CPU time. Here it runs in a pool of worker processes while the main
process reads articles and writes the index, and each analysed field value is kept in an
on-disk cache (`DATA_DIR/analysis_cache/<version>.sqlite3`) keyed by a digest of the field's
name, format and text. The version is a digest of the analysis code and word lists
(`articles/text/`, `articles/search/whoosh/analysis.py`) and of Whoosh's version, so a rebuild
after a change that leaves the analysis alone re-analyses nothing, and a change to the
analysis starts a new cache (the files of other versions are removed).

The writer receives `PreAnalysed` values (`articles.search.whoosh.preanalysed`): the very
items `NewsText.index` yields for the text, replayed unchanged, so the index is the same term
for term, posting for posting.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import pickle
import sqlite3
from collections import deque
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import whoosh

from articles.search.whoosh.analysis import NewsText
from articles.search.whoosh.preanalysed import Item, PreAnalysed

PACKAGE = Path(__file__).resolve().parents[2]  # articles/
ANALYSIS_SOURCES = ("text", "search/whoosh/analysis.py")

Document = dict[str, Any]


@lru_cache(maxsize=1)
def analysis_version() -> str:
    """A digest of everything that decides what the analysis yields."""
    digest = hashlib.blake2b(digest_size=8)
    digest.update(f"whoosh {whoosh.versionstring()}".encode())
    for source in ANALYSIS_SOURCES:
        root = PACKAGE / source
        files = sorted(root.rglob("*")) if root.is_dir() else [root]
        for path in files:
            if path.is_file() and path.suffix in {".py", ".txt", ".tsv", ".json"}:
                digest.update(str(path.relative_to(PACKAGE)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def text_fields(schema) -> dict[str, NewsText]:
    return {name: field for name, field in schema.items() if isinstance(field, NewsText)}


def value_key(name: str, field: NewsText, value: str) -> bytes:
    """The cache key of one field value: the field's name and format (its boost is in the
    weights) and the text."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{name}\0{field.format!r}\0".encode())
    digest.update(value.encode("utf-8", "surrogatepass"))
    return digest.digest()


def analyse(field: NewsText, value: str) -> list[Item]:
    return list(field.index(value))


def analysed_blob(field: NewsText, value: str) -> bytes:
    """The analysis of `value`, pickled: what the cache holds and the writer unpickles."""
    return pickle.dumps(analyse(field, value), protocol=5)


class AnalysisCache:
    """Analysed field values on disk, one SQLite file per analysis version."""

    def __init__(self, folder: Path | str, version: str | None = None) -> None:
        self.folder = Path(folder)
        self.version = version or analysis_version()
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.sqlite3*"):
            if not old.name.startswith(self.version):
                old.unlink(missing_ok=True)
        self.path = self.folder / f"{self.version}.sqlite3"
        self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS analysed (key BLOB PRIMARY KEY, items BLOB) WITHOUT ROWID"
        )
        self.hits = self.misses = 0

    def get_many(self, keys: list[bytes]) -> dict[bytes, bytes]:
        """{key: pickled items} of the keys the cache holds."""
        found: dict[bytes, bytes] = {}
        for start in range(0, len(keys), 500):
            part = keys[start : start + 500]
            marks = ",".join("?" * len(part))
            rows = self.db.execute(f"SELECT key, items FROM analysed WHERE key IN ({marks})", part)
            found.update(rows)
        self.hits += len(found)
        self.misses += len(set(keys)) - len(found)
        return found

    def put_many(self, entries: Iterable[tuple[bytes, bytes]]) -> None:
        self.db.execute("BEGIN")
        self.db.executemany("INSERT OR REPLACE INTO analysed VALUES (?, ?)", entries)
        self.db.execute("COMMIT")

    def close(self) -> None:
        self.db.close()


# -- worker processes ---------------------------------------------------------------------------
_worker_fields: dict[str, NewsText] = {}


def _init_worker(fields: dict[str, NewsText]) -> None:
    global _worker_fields
    _worker_fields = fields


def _analyse_batch(batch: list[tuple[str, str]]) -> list[bytes]:
    return [analysed_blob(_worker_fields[name], value) for name, value in batch]


class PreAnalyser:
    """Turns documents into documents whose text fields are `PreAnalysed`, in order.

    `procs` worker processes analyse what the cache lacks (0: analyse in this process);
    at most `2 * procs` chunks are in flight, so memory stays bounded whatever the archive.
    """

    def __init__(
        self, schema, *, procs: int = 2, cache: AnalysisCache | None = None, chunk: int = 64
    ) -> None:
        self.fields = text_fields(schema)
        self.procs = procs
        self.cache = cache
        self.chunk = chunk
        self.pool = None
        if procs > 0:
            context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
            self.pool = context.Pool(procs, initializer=_init_worker, initargs=(self.fields,))

    def __enter__(self) -> PreAnalyser:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None

    def documents(self, documents: Iterable[Document]) -> Iterator[Document]:
        pending: deque = deque()
        limit = max(1, 2 * self.procs)
        chunk: list[Document] = []
        for document in documents:
            chunk.append(document)
            if len(chunk) >= self.chunk:
                pending.append(self._submit(chunk))
                chunk = []
                while len(pending) > limit or (pending and _ready(pending[0])):
                    yield from self._finish(*pending.popleft())
        if chunk:
            pending.append(self._submit(chunk))
        while pending:
            yield from self._finish(*pending.popleft())

    def _submit(self, chunk: list[Document]):
        keyed = [
            (name, value, value_key(name, self.fields[name], value))
            for document in chunk
            for name, value in document.items()
            if name in self.fields and isinstance(value, str)
        ]
        found = self.cache.get_many([key for _n, _v, key in keyed]) if self.cache else {}
        missing: dict[bytes, tuple[str, str]] = {}
        for name, value, key in keyed:
            if key not in found:
                missing.setdefault(key, (name, value))
        batch = list(missing.values())
        if not batch:
            result = None
        elif self.pool is not None:
            result = self.pool.apply_async(_analyse_batch, (batch,))
        else:
            result = _Done([analysed_blob(self.fields[n], v) for n, v in batch])
        return chunk, keyed, found, list(missing), result

    def _finish(self, chunk, keyed, found, missing_keys, result) -> Iterator[Document]:
        if result is not None:
            analysed = dict(zip(missing_keys, result.get(), strict=True))
            if self.cache:
                self.cache.put_many(analysed.items())
            found.update(analysed)
        by_value = {(name, value): found[key] for name, value, key in keyed}
        for document in chunk:
            replayed = dict(document)
            for name, value in document.items():
                if name in self.fields and isinstance(value, str):
                    replayed[name] = PreAnalysed(blob=by_value[name, value])
                    replayed[f"_stored_{name}"] = value
            yield replayed


class _Done:
    def __init__(self, value: Any) -> None:
        self.value = value

    def get(self) -> Any:
        return self.value

    def ready(self) -> bool:
        return True


def _ready(entry) -> bool:
    result = entry[-1]
    return result is None or result.ready()
