"""What a search backend offers the engine: the one contract the Whoosh and Solr backends
implement as equals (`articles.search.whoosh.backend`, `articles.search.solr.backend`).

    backend = get_backend()                       # a `SearchBackend`
    raw = backend.run(SearchRequest(query, filters={"language": ["fa"]}, facets=["source"]))
    raw.total, raw.hits[0].fields["title"], raw.facets["source"]

- `run(request)`: one `SearchRequest` in, `RawResults` of `RawHit`s out (stored fields,
  no database query per hit). `raw_search(query, **options)` is the same call with the
  request's fields as keywords (`BackendBase`). (`search` stays Haystack's own
  `SearchQuerySet` entry point, which both backends also serve.)
- `apply(documents, delete_ids)`: upsert index documents (as `search_indexes` prepares them)
  and delete documents by index id, visible to searches when it returns.
- `count()`: the live documents in the index.
- `stored_versions()`: {article_id: indexed `updated_at`} of every live document.
- `prefix_terms(field, prefix)`: the index's words from `prefix` on, in order, with their
  document frequency (prefix expansion and its budget, `articles.search.budget`);
  `doc_frequency(field, word)`: one word's.
- `cheap_frequencies`: whether term frequencies are read in-process (the budget then
  measures a query's cost term by term before running it; Solr leaves that to its limits).
- `did_you_mean(parsed, total=, withheld=)`: the query with its rare words corrected from
  public documents, or "" (the rules: `articles.search.present.suggest`).
- `postings_offsets`: whether the backend gives term offsets from its postings
  (`term_offsets(searcher, docnums, field, terms)`, read for snippets); otherwise the stored
  text is re-analysed.
- `schema`: the fields and their analysers, read by the query parser
  (`articles.search.query.parser`); `content_field_name` names the main text field.
- `searcher()`: a context manager over the backend's current reader: stored fields of hits
  (`stored_fields(docnum)`); on Whoosh it also refreshes the reader a search plans with.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from haystack import connections
from haystack.utils import get_identifier

DateRange = tuple[datetime | None, datetime | None]


@dataclass
class SearchRequest:
    """One search as the engine asks it of a backend.

    - `query`: the parsed query (`articles.search.query.parser`), or None for "every
      published article" (browse by filters);
    - `filters`: {"source": ["tolonews"], "language": ["fa"], "year": [2021], ...}: any of the
      values within a field, every field;
    - `date_range`: (start, end) aware or naive-UTC datetimes, either may be None (inclusive);
    - `filter_query`: an extra query documents must match (not scored);
    - `sort`: "relevance" (score), "newest" or "oldest" (published date, undated last),
      "added" (newest added to the archive first);
    - `page`, `pagelen`: which hits to return;
    - `facets`: fields to count over all matches -> {field: [(value, count), ...]};
      `facet_limit` caps each list;
    - `pivots`: pairs like ("month", "language") -> {pair: {"2021-01": {"fa": 3}}};
    - `withheld`: article ids left out whatever the index holds (hidden since indexed).
    """

    query: Any = None
    filters: dict[str, Iterable[Any]] | None = None
    date_range: DateRange | None = None
    filter_query: Any = None
    sort: str = "relevance"
    page: int = 1
    pagelen: int = 20
    facets: Sequence[str] = ()
    facet_limit: int | None = None
    pivots: Sequence[tuple[str, str]] = ()
    withheld: Sequence[int] = ()

    @property
    def first(self) -> int:
        """The index of the first hit of the page (0-based)."""
        return (self.page_number - 1) * self.page_length

    @property
    def page_number(self) -> int:
        return max(1, int(self.page))

    @property
    def page_length(self) -> int:
        return max(1, int(self.pagelen))


@dataclass
class RawHit:
    docnum: int  # the backend's number of the document (Solr: the article id)
    score: float
    fields: dict[str, Any]  # stored fields: article_id, title, url, slug, language, source, ...


@dataclass
class RawResults:
    total: int
    hits: list[RawHit]
    facets: dict[str, list[tuple[Any, int]]] = field(default_factory=dict)
    pivots: dict[tuple[str, str], dict] = field(default_factory=dict)
    # The searcher the hits' docnums belong to (Whoosh): read snippets through it, since a
    # refreshed searcher may number documents differently.
    searcher: Any = None


@runtime_checkable
class SearchBackend(Protocol):
    """The backend contract (see the module docstring)."""

    schema: Any
    content_field_name: str
    postings_offsets: bool
    cheap_frequencies: bool

    def run(self, request: SearchRequest) -> RawResults: ...

    def raw_search(self, query: Any = None, **options: Any) -> RawResults: ...

    def apply(self, documents: Iterable[dict[str, Any]], delete_ids: Iterable[str] = ()) -> int: ...

    def count(self) -> int: ...

    def stored_versions(self) -> dict[int, datetime | None]: ...

    def prefix_terms(self, fieldname: str, prefix: str) -> Iterator[tuple[str, int]]: ...

    def doc_frequency(self, fieldname: str, word: str) -> int: ...

    def did_you_mean(self, parsed: Any, *, total: int, withheld: Sequence[int] = ()) -> str: ...

    def term_offsets(
        self, searcher: Any, docnums: Iterable[int], field: str, terms: Iterable[Any]
    ) -> dict[int, list[tuple]]: ...

    def searcher(self) -> AbstractContextManager[Any]: ...

    def clear(self, models: Any = None, commit: bool = True) -> None: ...

    # The bulk path (`articles.search.sync.indexing`): a writer, then one commit that keeps
    # only what that writer wrote (a rebuild replaces the index).
    def open_writer(self, **options: Any) -> Any: ...

    def commit_replacing(self, writer: Any) -> None: ...


class BackendBase:
    """What every backend shares on top of its own `run`."""

    def run(self, request: SearchRequest) -> RawResults:
        raise NotImplementedError

    def raw_search(self, query: Any = None, **options: Any) -> RawResults:
        """`search` with the `SearchRequest` fields as keywords (tests, benchmarks, scripts)."""
        return self.run(SearchRequest(query, **options))

    def apply(self, documents: Iterable[dict[str, Any]], delete_ids: Iterable[str] = ()) -> int:
        raise NotImplementedError

    # Haystack's per-object API (`SearchIndex.update_object`, `remove_object`) goes through
    # `apply`, the one writing path of each backend.
    def update(self, index: Any, iterable: Iterable[Any], commit: bool = True) -> None:
        self.apply(index.full_prepare(obj) for obj in iterable)

    def remove(self, obj_or_string: Any, commit: bool = True) -> None:
        self.apply([], [get_identifier(obj_or_string)])


def get_backend(using: str = "default") -> SearchBackend:
    """The configured backend (Whoosh or Solr, `articles.search.connections`), set up."""
    backend = connections[using].get_backend()
    if not backend.setup_complete:
        backend.setup()
    return backend
