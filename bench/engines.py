"""The engines the benchmarks compare, each a small adapter with `build(docs)` and `search(q, k)`.

- `FTS5Engine`: SQLite FTS5, BM25, `unicode61 remove_diacritics 2`, OR of the query's terms:
  the baseline every figure is a ratio against.
- `HaystackDefaultEngine`: what django-haystack's Whoosh backend does out of the box: one
  document field analysed with Whoosh's English `StemmingAnalyzer`, the query cleaned of
  reserved characters and parsed by Whoosh's `QueryParser` (here with OR between terms).
- `OursRawEngine`: a raw Whoosh index with the project's `NewsAnalyzer()`, queries parsed by the
  project's query parser: the analysis and ranking without Django around it.
- `ProjectEngine`: the real code path: articles in a temporary database, the index built by the
  project's bulk indexer, queries answered by `articles.search.engine.search_articles`.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bench.common import Doc, Skip

FTS5_TOKENIZE = "unicode61 remove_diacritics 2"


_WORD = re.compile(r"[^\W_]+")


def fts5_match(query: str) -> str:
    """OR of the query's words (runs of letters/digits, two characters or more), each quoted.

    This reading of "OR of query terms" reproduces the FTS5 anchors of TARGETS.md exactly.
    """
    words = (word for word in _WORD.findall(query) if len(word) > 1)
    return " OR ".join(f'"{word}"' for word in words)


class FTS5Engine:
    name = "FTS5 BM25"

    def __init__(self, path: Path | None = None, *, create: bool = True) -> None:
        self.path = path
        self.db = sqlite3.connect(str(path) if path else ":memory:")
        if not create:
            return
        self.db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5("
            f"doc_id UNINDEXED, lang UNINDEXED, source UNINDEXED, published UNINDEXED, "
            f"title, body, tokenize='{FTS5_TOKENIZE}')"
        )

    @classmethod
    def open(cls, path: Path) -> FTS5Engine:
        return cls(path, create=False)

    def build(self, docs: Sequence[Doc]) -> None:
        with self.db:
            self.db.executemany(
                "INSERT INTO docs(doc_id, lang, source, published, title, body) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                ((d.id, d.lang, d.source, d.published or "", d.title, d.body) for d in docs),
            )
        self.db.execute("INSERT INTO docs(docs) VALUES ('optimize')")
        self.db.commit()

    def search(self, query: str, k: int) -> list[str]:
        match = fts5_match(query)
        if not match:
            return []
        rows = self.db.execute(
            "SELECT doc_id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?", (match, k)
        )
        return [row[0] for row in rows]

    def search_page(
        self,
        query: str,
        k: int = 20,
        date_from: str = "",
        date_to: str = "",
        *,
        with_facets: bool = True,
    ) -> tuple[list[tuple], dict[str, list[tuple]]]:
        """Top k with highlighted snippets, and language/source facet counts of all matches."""
        match = fts5_match(query)
        if not match:
            return [], {}
        where = "docs MATCH ?"
        args: list[object] = [match]
        if date_from or date_to:
            where += " AND published != '' AND published >= ? AND published < ?"
            args += [date_from or "0000", date_to or "9999"]
        hits = self.db.execute(
            f"SELECT doc_id, highlight(docs, 4, '<mark>', '</mark>'), "
            f"snippet(docs, 5, '<mark>', '</mark>', '…', 24) FROM docs WHERE {where} "
            "ORDER BY bm25(docs) LIMIT ?",
            (*args, k),
        ).fetchall()
        facets = {
            column: self.db.execute(
                f"SELECT {column}, count(*) FROM docs WHERE {where} GROUP BY {column}", args
            ).fetchall()
            for column in (("lang", "source") if with_facets else ())
        }
        return hits, facets

    def close(self) -> None:
        self.db.close()


# Haystack's `BaseSearchQuery.clean` escapes these; Whoosh's parser would read them as syntax.
_HAYSTACK_RESERVED_WORDS = {"AND", "NOT", "OR", "TO"}
_HAYSTACK_RESERVED_CHARS = re.compile(r'[\\+\-&|!(){}\[\]^"~*?:/]')


class _WhooshEngine:
    name = "whoosh"

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="bench-whoosh-"))
        self.index = None
        self.searcher = None

    def schema(self):  # pragma: no cover - overridden
        raise NotImplementedError

    def build(self, docs: Sequence[Doc]) -> None:
        from whoosh import index

        self.index = index.create_in(str(self.dir), self.schema())
        writer = self.index.writer(limitmb=256)
        for doc in docs:
            writer.add_document(**self.document(doc))
        writer.commit()
        self.searcher = self.index.searcher()

    def document(self, doc: Doc) -> dict:
        return {"id": doc.id, "text": doc.text}

    def parse(self, query: str):  # pragma: no cover - overridden
        raise NotImplementedError

    def search(self, query: str, k: int) -> list[str]:
        parsed = self.parse(query)
        if parsed is None:
            return []
        return [hit["id"] for hit in self.searcher.search(parsed, limit=k)]

    def close(self) -> None:
        if self.searcher is not None:
            self.searcher.close()
        shutil.rmtree(self.dir, ignore_errors=True)


class HaystackDefaultEngine(_WhooshEngine):
    name = "haystack default (Whoosh StemmingAnalyzer)"

    def schema(self):
        from whoosh.analysis import StemmingAnalyzer
        from whoosh.fields import ID, TEXT, Schema

        return Schema(
            id=ID(stored=True, unique=True),
            text=TEXT(stored=True, analyzer=StemmingAnalyzer(), sortable=True),
        )

    def parse(self, query: str):
        from whoosh.qparser import OrGroup, QueryParser

        words = []
        for word in _HAYSTACK_RESERVED_CHARS.sub(" ", query).split():
            words.append(word.lower() if word in _HAYSTACK_RESERVED_WORDS else word)
        if not words:
            return None
        parser = QueryParser("text", schema=self.index.schema, group=OrGroup)
        return parser.parse(" ".join(words))


def require(module: str, what: str) -> None:
    import importlib

    try:
        importlib.import_module(module)
    except ImportError as error:
        raise Skip(f"{what} is not available yet ({module}: {error})") from error


# --- the project's own search, through Django ---------------------------------------------------


def parse_published(value: str | None):
    from datetime import UTC, datetime

    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def load_articles(docs: Sequence[Doc], *, batch: int = 2000) -> dict[int, str]:
    """Replace the archive's articles with `docs` (published); returns {article pk: doc id}.

    Goes straight to `bulk_create`: the benchmarks measure search, not the import pipeline.
    """
    from django.db import transaction
    from django.utils.text import slugify

    from articles.models import Article, IndexTask, Source

    Article.objects.all().delete()
    sources: dict[str, Source] = {}
    for doc in docs:
        name = doc.source or "unknown"
        if name not in sources:
            slug = slugify(name, allow_unicode=True)[:100] or f"source-{len(sources)}"
            sources[name] = Source.objects.get_or_create(
                slug=slug, defaults={"name_en": name[:200], "default_language": doc.lang}
            )[0]
    with transaction.atomic():
        for start in range(0, len(docs), batch):
            Article.objects.bulk_create(
                Article(
                    source=sources[doc.source or "unknown"],
                    language=doc.lang,
                    title=doc.title[:500],
                    slug=slugify(doc.title[:80], allow_unicode=True)[:200],
                    body_text=doc.body,
                    external_id=doc.id,
                    published_at=parse_published(doc.published),
                    status=Article.Status.PUBLISHED,
                )
                for doc in docs[start : start + batch]
            )
    IndexTask.objects.all().delete()
    return dict(Article.objects.values_list("pk", "external_id"))


def use_index_path(path: Path) -> None:
    """Point Haystack's default connection at a new (empty) Whoosh index folder."""
    from django.conf import settings
    from haystack import connections

    settings.HAYSTACK_CONNECTIONS["default"]["PATH"] = str(path)
    connections.connections_info = settings.HAYSTACK_CONNECTIONS
    try:
        connections["default"].get_backend().close()
    except Exception:  # noqa: BLE001 - an unopened backend has nothing to close
        pass
    connections.reload("default")


class _NoPersianStemmer:
    """Within this block the project's analysis leaves Persian words unstemmed."""

    def __enter__(self):
        import articles.text.analysis as analysis

        self.saved = analysis.stem_fa
        analysis.stem_fa = str
        return self

    def __exit__(self, *exc) -> None:
        import articles.text.analysis as analysis

        analysis.stem_fa = self.saved


class ProjectEngine:
    """Articles in the (temporary) database, the project's bulk indexer, `search_articles`.

    Call inside `bench.common.temporary_data_dir()`. With `stem_fa=False` the same code runs
    with the Persian stemmer replaced by the identity, at indexing and at query time alike.
    """

    def __init__(
        self, *, stem_fa: bool = True, procs: int = 1, label: str = "", op: str = "and"
    ) -> None:
        require("articles.search.sync.indexing", "the project's bulk indexer")
        self.stem_fa = stem_fa
        self.op = op
        self.procs = procs
        self.name = label or ("ours" if stem_fa else "ours without the Persian stemmer")
        self.ids: dict[int, str] = {}
        self.index_seconds = 0.0
        self.load_seconds = 0.0
        self.path: Path | None = None
        try:
            from articles.search.engine import search_articles  # noqa: F401

            self.via = "search_articles"
        except ImportError:
            self.via = "parse_query + backend.raw_search"

    def _context(self):
        import contextlib

        return contextlib.nullcontext() if self.stem_fa else _NoPersianStemmer()

    def build(self, docs: Sequence[Doc]) -> None:
        import time

        from django.conf import settings

        from articles.search.sync import indexing

        start = time.perf_counter()
        self.ids = load_articles(docs)
        self.load_seconds = time.perf_counter() - start
        self.path = Path(settings.DATA_DIR) / f"index-{id(self)}-{time.monotonic_ns()}"
        use_index_path(self.path)
        with self._context():
            # The analysis cache is keyed by the analysis code, not by a stemmer switched off
            # at run time: the variant without the stemmer must not read the stemmed entries.
            report = indexing.rebuild(procs=self.procs, analysis_cache=self.stem_fa)
        self.index_seconds = report.seconds
        self.indexed = report.indexed

    def search(self, query: str, k: int) -> list[str]:
        with self._context():
            return [self.ids.get(pk, "") for pk in self.search_ids(query, k)]

    def search_ids(self, query: str, k: int) -> list[int]:
        if self.via == "search_articles":
            from articles.search.engine import search_articles
            from articles.search.types import SearchParams

            params = SearchParams(
                q=query, per_page=k, highlight=False, with_facets=False, expand_entities=False
            )
            params.op = self.op
            return [hit.article_id for hit in search_articles(params).hits]
        from articles.search.contract import get_backend
        from articles.search.query.parser import parse_query

        backend = get_backend()
        parsed = parse_query(query, backend.schema, expand=False)
        if parsed.query is None:
            return []
        raw = backend.raw_search(parsed.query, pagelen=k)
        return [hit.fields["article_id"] for hit in raw.hits]

    def close(self) -> None:
        from haystack import connections

        try:
            connections["default"].get_backend().close()
        except Exception:  # noqa: BLE001
            pass
        if self.path is not None:
            shutil.rmtree(self.path, ignore_errors=True)
