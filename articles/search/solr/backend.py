"""The Solr backend: the backend contract (`articles.search.contract`) over HTTP through pysolr.

The engine calls `search(request)`, `count()`, `prefix_terms(...)` (Solr's TermsComponent)
and `searcher()` (stored text for snippets); the queue worker and the bulk indexer call
`apply(...)`, `open_writer()` and `stored_versions()`. The request and response shapes live
in `translate` (pure, tested alone). Documents are sent pre-analysed by the archive's own
index rule (`articles.search.indexterms`), so a term means on Solr what it means on the
embedded index.

The schema the query parser reads (`articles.search.query.schema`) gives the same fields and
analysers as the embedded index's, without Whoosh; `translate` turns the parsed queries into
Solr syntax.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from haystack import connections
from haystack.backends import BaseEngine
from haystack.backends.solr_backend import SolrSearchBackend, SolrSearchQuery
from haystack.constants import ID

from articles.search import dimensions
from articles.search.contract import BackendBase, RawResults, SearchRequest
from articles.search.indexterms import index_terms
from articles.search.query.schema import query_schema, text_fields
from articles.search.solr import translate
from articles.search.solr.schema import TERMS_SUFFIX

BATCH = 500
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
TEXT_CACHE = 400  # stored texts kept for snippets of the pages just returned


def pre_analyzed(value: str) -> str:
    """Our analyser's tokens of `value` in Solr's JSON pre-analysed format."""
    analysed = [(t.position, t.text, t.start, t.end) for t in index_terms(value)]
    # Lucene takes position increments, which must not be negative: order by position.
    analysed.sort(key=lambda item: item[0])
    tokens, previous = [], -1
    for position, text, start, end in analysed:
        tokens.append({"t": text, "s": start, "e": end, "i": position - previous})
        previous = position
    return json.dumps({"v": "1", "tokens": tokens}, ensure_ascii=False)


def epoch_us(value: datetime) -> int:
    """Microseconds since 1970 (a naive value is UTC, as the index stores it)."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return (aware - EPOCH) // timedelta(microseconds=1)


def solr_document(
    document: dict[str, Any], text_fields: Iterable[str], stamp: datetime
) -> dict[str, Any]:
    """A document dict (ours or Whoosh's comma-joined form) as Solr takes it."""
    out: dict[str, Any] = {}
    for key, value in document.items():
        if value is None or value == "" or value == []:
            continue
        if key in dimensions.multi_fields() and isinstance(value, str):
            value = [item for item in value.split(",") if item]
        if isinstance(value, datetime):
            if key == "updated":
                out["updated_us"] = epoch_us(value)
            value = translate.solr_date(value)
        out[key] = value
    for name in text_fields:
        if out.get(name):
            out[name + TERMS_SUFFIX] = pre_analyzed(str(out[name]))
    out["indexed_at"] = translate.solr_date(stamp)
    return out


class SolrReader:
    """Term lists and frequencies, answered by Solr's TermsComponent."""

    def __init__(self, backend: NewsSolrBackend):
        self.backend = backend
        self.frequencies: dict[tuple[str, str], int] = {}

    def _terms(self, fieldname: str, **params: Any) -> list[tuple[str, int]]:
        field = self.backend.solr_field(fieldname)
        found = self.backend.request("terms", {"terms.fl": field, "json.nl": "flat", **params})
        pairs = translate._pairs((found.get("terms") or {}).get(field) or [])
        for term, count in pairs:
            self.frequencies[(fieldname, term)] = int(count)
        return [(term, int(count)) for term, count in pairs]

    def prefix_terms(self, fieldname: str, prefix: str) -> Iterator[tuple[str, int]]:
        """(word, document frequency) from `prefix` on, in order, in one request."""
        return iter(self._terms(fieldname, **{"terms.prefix": prefix, "terms.limit": 2000,
                                              "terms.sort": "index"}))  # fmt: skip

    def doc_frequency(self, fieldname: str, term: str) -> int:
        key = (fieldname, term)
        if key not in self.frequencies:
            self.frequencies[key] = 0
            self._terms(fieldname, **{"terms.list": term})
        return self.frequencies[key]


class SolrSearcher:
    def __init__(self, backend: NewsSolrBackend):
        self.backend = backend
        self.schema = backend.schema

    def reader(self) -> SolrReader:
        return SolrReader(self.backend)

    def stored_fields(self, docnum: int) -> dict[str, Any]:
        return {"text": self.backend.stored_text(docnum)}

    def up_to_date(self) -> bool:
        return True


class SolrWriter:
    """Whoosh's writer interface (`add_document`, `update_document`, `delete_by_term`,
    `commit`, `cancel`) over Solr updates sent `BATCH` documents at a time."""

    def __init__(self, backend: NewsSolrBackend):
        self.backend = backend
        self.stamp = datetime.now(UTC)
        self.documents: list[dict[str, Any]] = []
        self.deletes: list[str] = []

    def add_document(self, **document: Any) -> None:
        self.documents.append(self.backend.to_solr(document, self.stamp))
        if len(self.documents) >= BATCH:
            self.flush()

    update_document = add_document

    def delete_by_term(self, fieldname: str, text: str) -> None:
        if fieldname != ID:
            raise ValueError("Solr documents are deleted by id only")
        self.deletes.append(text)

    def flush(self) -> None:
        if self.deletes:
            self.backend.conn.delete(id=self.deletes, commit=False)
            self.deletes = []
        if self.documents:
            self.backend.conn.add(self.documents, commit=False)
            self.documents = []

    def commit(self, *, replacing: bool = False, **kwargs: Any) -> None:
        self.flush()
        if replacing:  # a rebuild: drop what this writer did not write
            stamp = translate.solr_date(self.stamp)
            self.backend.conn.delete(q=f'*:* -indexed_at:"{stamp}"', commit=False)
        self.backend.conn.commit()

    def cancel(self) -> None:
        # Batches already sent stay; Solr has no rollback in SolrCloud mode.
        self.documents, self.deletes = [], []


class NewsSolrBackend(BackendBase, SolrSearchBackend):
    postings_offsets = False  # snippets re-analyse the stored text
    cheap_frequencies = False  # each frequency is a request

    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        self.include_spelling = False
        self.lock_timeout = float(connection_options.get("LOCK_TIMEOUT", 60))
        # The queue worker and bulk indexer serialise on a local lock file next to this path.
        self.path = str(connection_options.get("PATH") or Path(settings.DATA_DIR) / "solr")
        self.schema = None
        self.setup_complete = False
        self.content_field_name = "text"
        self.text_fields: list[str] = []
        self._texts: OrderedDict[int, str] = OrderedDict()
        self._page: list[int] = []
        self._lock = threading.Lock()

    def setup(self) -> None:
        fields = connections[self.connection_alias].get_unified_index().all_searchfields()
        # The fields and analysers the query parser reads, as the embedded index has them.
        self.content_field_name, self.schema = query_schema(fields)
        self.text_fields = text_fields(self.schema)
        self.setup_complete = True

    def solr_field(self, fieldname: str) -> str:
        return fieldname + TERMS_SUFFIX if fieldname in self.text_fields else fieldname

    def to_solr(self, document: dict[str, Any], stamp: datetime) -> dict[str, Any]:
        if not self.setup_complete:
            self.setup()
        return solr_document(document, self.text_fields, stamp)

    def request(self, handler: str, params: dict[str, Any]) -> dict[str, Any]:
        query = urlencode({"wt": "json", **params}, doseq=True)
        return json.loads(self.conn._send_request("get", f"{handler}/?{query}"))

    # -- reading --------------------------------------------------------------------------
    @contextmanager
    def searcher(self) -> Iterator[SolrSearcher]:
        if not self.setup_complete:
            self.setup()
        yield SolrSearcher(self)

    def close(self) -> None:
        pass

    def run(self, request: SearchRequest) -> RawResults:
        if not self.setup_complete:
            self.setup()
        params = translate.select_params(request, text_fields=self.text_fields)
        response = self.conn.search(params.pop("q"), **params).raw_response
        result = translate.raw_results(response, facets=request.facets, pivots=request.pivots)
        with self._lock:
            self._page = [hit.docnum for hit in result.hits]
        return result

    def count(self) -> int:
        """The documents of the collection (a match-all count, which Solr answers quickly)."""
        return int(self.conn.search("*:*", rows=0).hits)

    def prefix_terms(self, fieldname: str, prefix: str) -> Iterator[tuple[str, int]]:
        if not self.setup_complete:
            self.setup()
        return SolrReader(self).prefix_terms(fieldname, prefix)

    def doc_frequency(self, fieldname: str, word: str) -> int:
        if not self.setup_complete:
            self.setup()
        return SolrReader(self).doc_frequency(fieldname, word)

    def did_you_mean(self, parsed, *, total: int, withheld: Sequence[int] = ()) -> str:
        """Spelling suggestions are not offered on Solr."""
        return ""

    def term_offsets(self, searcher, docnums, field: str, terms) -> dict[int, list[tuple]]:
        """None from Solr (`postings_offsets` is False): snippets re-analyse the stored text."""
        return {}

    def stored_text(self, article_id: int) -> str:
        """The stored text of a hit, fetched for the whole page on first use (snippets)."""
        with self._lock:
            if article_id in self._texts:
                return self._texts[article_id]
            wanted = [
                pk for pk in dict.fromkeys([article_id, *self._page]) if pk not in self._texts
            ]
        ids = " OR ".join(str(pk) for pk in wanted)
        response = self.conn.search(f"article_id:({ids})", fl="article_id,text",
                                    rows=len(wanted)).raw_response  # fmt: skip
        with self._lock:
            for pk in wanted:
                self._texts[pk] = ""
            for doc in (response.get("response") or {}).get("docs") or []:
                self._texts[int(doc["article_id"])] = doc.get("text") or ""
            while len(self._texts) > TEXT_CACHE:
                self._texts.popitem(last=False)
            return self._texts.get(article_id, "")

    def stored_versions(self) -> dict[int, datetime | None]:
        """{article_id: indexed updated_at} for every document, read with a cursor."""
        out: dict[int, datetime | None] = {}
        cursor = "*"
        while True:
            response = self.conn.search("*:*", fl="article_id,updated_us", sort="id asc",
                                        rows=5000, cursorMark=cursor).raw_response  # fmt: skip
            for doc in (response.get("response") or {}).get("docs") or []:
                micros = doc.get("updated_us")
                out[int(doc["article_id"])] = (
                    None if micros is None else EPOCH + timedelta(microseconds=int(micros))
                )
            following = response.get("nextCursorMark") or cursor
            if following == cursor:
                return out
            cursor = following

    # -- writing --------------------------------------------------------------------------
    def open_writer(self, **kwargs: Any) -> SolrWriter:
        if not self.setup_complete:
            self.setup()
        return SolrWriter(self)

    def commit_replacing(self, writer: SolrWriter) -> None:
        writer.commit(replacing=True)

    def apply(self, documents: Iterable[dict[str, Any]], delete_ids: Iterable[str] = ()) -> int:
        """Upsert `documents` and delete documents by id; visible when this returns."""
        writer = self.open_writer()
        count = 0
        for doc_id in delete_ids:
            writer.delete_by_term(ID, doc_id)
            count += 1
        for document in documents:
            writer.add_document(**document)
            count += 1
        writer.flush()
        self.conn.commit(softCommit=True)
        with self._lock:
            self._texts.clear()
        return count

    def clear(self, models=None, commit=True) -> None:
        self.conn.delete(q="*:*", commit=True)
        with self._lock:
            self._texts.clear()


class NewsSolrEngine(BaseEngine):
    backend = NewsSolrBackend
    query = SolrSearchQuery
