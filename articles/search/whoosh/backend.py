"""Our Whoosh backend: Persian/English analysis, exact facets, one writer, fast search.

Selected by `HAYSTACK_CONNECTIONS` (`articles.search.whoosh.backend.NewsWhooshEngine`).
Haystack's own API (`SearchQuerySet`, `update_index`) keeps working; the search engine
(`articles.search.engine`) uses the backend contract (`articles.search.contract`), which is
what makes it fast:

- `backend.schema`: the Whoosh schema (`articles.search.whoosh.schema`).
- `backend.parser_for(*fields, group=OrGroup)`: a Whoosh `QueryParser` (one field) or
  `MultifieldParser` (several) over that schema (tests and benchmarks).
- `with backend.searcher() as searcher:` the long-lived, up-to-date Whoosh searcher (reopened
  only when the index changed), for stored fields, postings offsets and spelling.
- `backend.run(SearchRequest(...))` -> `RawResults(total, hits, facets, pivots)`; each
  `RawHit` has `docnum`, `score`, `fields` (stored: article_id, title, url, slug, language,
  source, source_name, source_name_fa, entities, published (aware UTC), updated). No
  database query is needed to show a result list.

Why it is fast: ranking runs Whoosh's BM25F arithmetic over whole postings arrays
(`articles.search.whoosh.scoring`, equal to Whoosh's scores), counts, facets, filters and date
ordering are numpy operations over per-segment column arrays (`articles.search.whoosh.columns`), the
decoded postings of recent terms are kept (`articles.search.whoosh.docsets.POSTINGS`), and
snippets read term offsets from the postings (`articles.search.whoosh.offsets`) instead of
re-analysing each hit's text. Sub-queries the numpy path does not know (phrases, proximity,
ranges) are scored by Whoosh's own matchers.

Writing goes through `backend.apply(documents, delete_ids)` (one Whoosh writer, one commit) under
the cross-process writer lock (`articles.search.sync.lock`); the queue worker
(`articles.search.sync.worker`) and the bulk indexer (`articles.search.sync.indexing`) are its
callers.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import numpy as np
from django.conf import settings
from haystack import connections
from haystack.backends.whoosh_backend import WhooshEngine as HaystackWhooshEngine
from haystack.backends.whoosh_backend import (
    WhooshHtmlFormatter,
    WhooshSearchBackend,
    WhooshSearchQuery,
)
from haystack.constants import ID
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.filedb.filestore import FileStorage
from whoosh.highlight import ContextFragmenter
from whoosh.highlight import highlight as whoosh_highlight
from whoosh.index import LockError
from whoosh.qparser import MultifieldParser, OrGroup, QueryParser
from whoosh.writing import CLEAR

from articles.search.contract import (  # noqa: F401  (get_backend: callers import it here too)
    BackendBase,
    RawHit,
    RawResults,
    SearchRequest,
    get_backend,
)
from articles.search.query import nodes
from articles.search.sync.lock import index_write_lock
from articles.search.whoosh.columns import ColumnCache
from articles.search.whoosh.docsets import matching_docnums
from articles.search.whoosh.fixes import cache_missing_length_columns
from articles.search.whoosh.mapped import share_mapped_segment_files
from articles.search.whoosh.offsets import postings_hits
from articles.search.whoosh.results import (
    clean_stored,
    stored_signatures,
    stored_versions,
    to_whoosh,
)
from articles.search.whoosh.schema import build_schema
from articles.search.whoosh.scoring import best, score_all
from articles.search.whoosh.spelling import did_you_mean
from articles.search.whoosh.translate import to_whoosh_query
from articles.search_indexes import naive_utc

cache_missing_length_columns()
share_mapped_segment_files()  # segment files read in place from the map shared by workers


class NewsWhooshBackend(BackendBase, WhooshSearchBackend):
    postings_offsets = True  # snippets read term offsets from the postings
    cheap_frequencies = True
    writer_limitmb = 256

    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        self.include_spelling = False
        self._searcher = None
        self._columns: ColumnCache | None = None
        self.lock_timeout = float(connection_options.get("LOCK_TIMEOUT", 60))

    # -- schema and setup -----------------------------------------------------------------
    def setup(self) -> None:
        os.makedirs(self.path, exist_ok=True)
        if not os.access(self.path, os.W_OK):
            raise OSError(f"The search index folder {self.path} cannot be written.")
        self.storage = FileStorage(self.path)
        fields = connections[self.connection_alias].get_unified_index().all_searchfields()
        self.content_field_name, self.schema = self.build_schema(fields)
        self.parser = QueryParser(self.content_field_name, schema=self.schema)
        if whoosh_index.exists(self.storage):
            self.index = self.storage.open_index(schema=self.schema)
        else:
            with index_write_lock(self.path, timeout=self.lock_timeout):
                if whoosh_index.exists(self.storage):
                    self.index = self.storage.open_index(schema=self.schema)
                else:
                    self.index = self.storage.create_index(self.schema)
        self._searcher = None
        self._columns = ColumnCache(self.schema, index_key=os.path.abspath(self.path))
        self.setup_complete = True

    def build_schema(self, fields) -> tuple[str, Any]:
        return build_schema(fields)

    def parser_for(self, *fields: str, group=OrGroup) -> QueryParser:
        if not self.setup_complete:
            self.setup()
        fields = fields or (self.content_field_name,)
        if len(fields) == 1:
            return QueryParser(fields[0], schema=self.schema, group=group)
        return MultifieldParser(list(fields), schema=self.schema, group=group)

    # -- reading --------------------------------------------------------------------------
    def _current_searcher(self):
        if not self.setup_complete:
            self.setup()
        if self._searcher is None:
            self._searcher = self.index.searcher()
        elif not self._searcher.up_to_date():
            self._searcher = self._searcher.refresh()
        return self._searcher

    @contextmanager
    def searcher(self) -> Iterator[Any]:
        """The long-lived searcher, refreshed if the index changed. Do not close it."""
        yield self._current_searcher()

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    def run(self, request: SearchRequest) -> RawResults:
        searcher = self._current_searcher()
        columns = self._columns
        columns.bind(searcher)
        query, sort, withheld = to_whoosh_query(request.query), request.sort, request.withheld
        filter_query = to_whoosh_query(request.filter_query)
        mask = self._filter_mask(searcher, request.filters, request.date_range, filter_query)

        browsing = query is None or isinstance(query, wq.Every)
        live = self._without(columns, withheld)
        allowed = live if mask is None else live & mask
        first, last = request.first, request.first + request.page_length
        scored = None
        if sort == "relevance" and not browsing:
            scored = score_all(query, searcher, allowed=allowed, limit=last)
        if browsing:
            matched = np.flatnonzero(allowed)
        elif scored is not None:
            ids, scores = scored
            keep = allowed[ids]
            matched, scores = ids[keep], scores[keep]
        else:
            matched = matching_docnums(query, searcher)
            matched = matched[allowed[matched]]
        total = len(matched)

        if scored is not None:
            top_ids, top_scores = best(matched, scores, last)
            top = list(zip(top_ids[first:].tolist(), top_scores[first:].tolist(), strict=True))
        elif sort == "relevance" and not browsing:
            allow = None if mask is None and not len(withheld) else set(matched.tolist())
            results = searcher.search(query, limit=last, filter=allow)
            top = [(hit.docnum, hit.score or 0.0) for hit in results[first:last]]
        else:
            by = "article_id" if sort == "added" else "published"
            ordered = columns.order(by, matched, reverse=sort != "oldest")
            top = [(int(docnum), 0.0) for docnum in ordered[first:last]]

        result = RawResults(total=total, hits=[], searcher=searcher)
        for name in request.facets:
            result.facets[name] = columns.counts(name, matched, limit=request.facet_limit)
        for pair in request.pivots:
            result.pivots[tuple(pair)] = columns.pivot(pair[0], pair[1], matched)
        for docnum, score in top:
            stored = clean_stored(dict(searcher.stored_fields(docnum)))
            result.hits.append(RawHit(docnum=docnum, score=float(score), fields=stored))
        return result

    def count(self) -> int:
        """The live documents of the index."""
        return int(self._current_searcher().doc_count())

    def prefix_terms(self, fieldname: str, prefix: str) -> Iterator[tuple[str, int]]:
        """(word, document frequency) of the term list from `prefix` on, in order."""
        reader = self._planning_reader()
        for word, info in reader.iter_prefix(fieldname, prefix):
            yield (word.decode("utf-8") if isinstance(word, bytes) else word), info.doc_frequency()

    def doc_frequency(self, fieldname: str, word: str) -> int:
        return int(self._planning_reader().doc_frequency(fieldname, word))

    def _planning_reader(self):
        """The reader of the searcher the engine plans with (`searcher()` refreshed it), not
        checked for changes again for every word."""
        return (self._searcher or self._current_searcher()).reader()

    def did_you_mean(self, parsed, *, total: int, withheld: Sequence[int] = ()) -> str:
        """A "did you mean" from live, public documents (`articles.search.whoosh.spelling`)."""
        public = self.public_mask(withheld)
        return did_you_mean(self._current_searcher(), parsed, total=total, public=public)

    def term_offsets(self, searcher, docnums, field: str, terms) -> dict[int, list[tuple]]:
        """{docnum: [(position, start, end, term)]} of `terms` in `field`, from the postings
        of `searcher` (the one that numbered the hits)."""
        return postings_hits(searcher, docnums, field, terms)

    def public_mask(self, withheld: Sequence[int] = ()) -> np.ndarray:
        """Live documents, less those of `withheld` article ids (hidden since indexed)."""
        searcher = self._current_searcher()
        columns = self._columns
        columns.bind(searcher)
        return self._without(columns, withheld)

    @staticmethod
    def _without(columns: ColumnCache, withheld: Sequence[int]) -> np.ndarray:
        """The live documents of the bound searcher, less those of `withheld` article ids."""
        if not len(withheld):
            return columns.live
        ids = columns.single("article_id")
        return columns.live & ~np.isin(ids, np.asarray(list(withheld), dtype=ids.dtype))

    def deleted_share(self) -> float:
        """The share of the index's documents that are deleted copies awaiting a merge."""
        searcher = self._current_searcher()
        total = searcher.doc_count_all()
        return (total - searcher.doc_count()) / total if total else 0.0

    def _filter_mask(self, searcher, filters, date_range, filter_query) -> np.ndarray | None:
        """Documents passing every filter (None: no filter), as a boolean array."""
        columns = self._columns
        mask = None
        for name, values in (filters or {}).items():
            values = [value for value in values if value not in (None, "")]
            if values:
                field_mask = columns.mask_for(name, values)
                mask = field_mask if mask is None else mask & field_mask
        if date_range and any(bound is not None for bound in date_range):
            start, end = (naive_utc(bound) for bound in date_range)
            range_mask = columns.range_mask("published", start, end)
            mask = range_mask if mask is None else mask & range_mask
        if filter_query is not None:
            fq = np.zeros(len(columns.live), dtype=bool)
            fq[matching_docnums(filter_query, searcher)] = True
            fq &= columns.live
            mask = fq if mask is None else mask & fq
        return mask

    def match_all(
        self,
        query: nodes.Node | None,
        *,
        filters: dict[str, Iterable[Any]] | None = None,
        date_range: tuple[datetime | None, datetime | None] | None = None,
        withheld: Sequence[int] = (),
    ) -> tuple[np.ndarray, ColumnCache]:
        """Every live document matching `query` and the filters (sorted docnums, unscored),
        with the column cache bound to the same searcher: what research views count over."""
        searcher = self._current_searcher()
        columns = self._columns
        columns.bind(searcher)
        mask = self._filter_mask(searcher, filters, date_range, None)
        live = self._without(columns, withheld)
        allowed = live if mask is None else live & mask
        query = to_whoosh_query(query)
        if query is None or isinstance(query, wq.Every):
            return np.flatnonzero(allowed), columns
        matched = matching_docnums(query, searcher)
        return matched[allowed[matched]], columns

    def stored_versions(self) -> dict[int, datetime | None]:
        """{article_id: indexed updated_at} for every live document (for check_index)."""
        searcher = self._current_searcher()
        self._columns.bind(searcher)
        return stored_versions(self._columns, searcher.schema["updated"])

    def stored_signatures(self) -> dict[int, str]:
        """{article_id: indexed content signature} for every live document."""
        self._columns.bind(self._current_searcher())
        return stored_signatures(self._columns)

    # -- writing --------------------------------------------------------------------------
    def open_writer(self, *, procs: int = 1, limitmb: int | None = None, **kwargs):
        """A Whoosh writer; waits (backing off) while another writer holds Whoosh's lock.

        Call it while holding `index_write_lock(self.path)`.
        """
        if not self.setup_complete:
            self.setup()
        deadline = time.monotonic() + self.lock_timeout
        delay = 0.01
        while True:
            try:
                self.index = self.index.refresh()
                return self.index.writer(
                    procs=procs, limitmb=limitmb or self.writer_limitmb, **kwargs
                )
            except LockError:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 0.5)

    def commit_replacing(self, writer) -> None:
        """Commit a rebuild's writer: its segment replaces every other one."""
        writer.commit(mergetype=CLEAR)

    def ensure_stored_schema(self) -> None:
        """Write our schema into the index's table of contents if it holds an older one.

        Whoosh's indexing processes (`procs > 1`) open the index with the stored schema, so a
        field added since the last commit would be unknown to them. An empty commit stores
        the current schema and keeps the documents. Call it holding the writer lock.
        """
        if not self.setup_complete:
            self.setup()
        if self.storage.open_index().schema != self.schema:
            self.open_writer().commit()

    def apply(self, documents: Iterable[dict[str, Any]], delete_ids: Iterable[str] = ()) -> int:
        """Upsert `documents` and delete documents by whoosh id, in one commit."""
        with index_write_lock(self.path, timeout=self.lock_timeout):
            writer = self.open_writer()
            count = 0
            try:
                # One reader finds every replaced or deleted document: `update_document` would
                # open a reader over every segment for each document, a cost that grows with
                # the index (an import of 500 articles opened 500 readers per commit).
                fields = [to_whoosh(document) for document in documents]
                with writer.searcher() as searcher:
                    for whoosh_doc_id in delete_ids:
                        writer.delete_by_term(ID, whoosh_doc_id, searcher=searcher)
                        count += 1
                    for document in fields:
                        writer.delete_by_term(ID, document[ID], searcher=searcher)
                for document in fields:
                    writer.add_document(**document)
                    count += 1
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
        return count

    def clear(self, models=None, commit=True) -> None:
        if not self.setup_complete:
            self.setup()
        with index_write_lock(self.path, timeout=self.lock_timeout):
            writer = self.open_writer()
            writer.commit(mergetype=CLEAR)

    def delete_index(self) -> None:
        self.clear()

    # -- Haystack's SearchQuerySet path: highlight with the field's own analyzer ----------
    def _process_results(self, raw_page, highlight=False, query_string="", **kwargs):
        results = super()._process_results(raw_page, highlight=False, **kwargs)
        if highlight:
            name = self.content_field_name
            analyzer = self.schema[name].analyzer
            terms = [token.text for token in analyzer(query_string)]
            for result in results["results"]:
                text = getattr(result, name, "") or ""
                fragment = whoosh_highlight(
                    text, terms, analyzer, ContextFragmenter(), WhooshHtmlFormatter("em")
                )
                result.highlighted = {name: [fragment]}
        return results


class NewsWhooshEngine(HaystackWhooshEngine):
    backend = NewsWhooshBackend
    query = WhooshSearchQuery


def index_path(using: str = "default") -> str:
    return str(settings.HAYSTACK_CONNECTIONS[using]["PATH"])
