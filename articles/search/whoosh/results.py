"""What the low-level search returns (`RawResults` of `RawHit`s), and the small conversions
between index documents, stored fields and Whoosh queries that the backends share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from haystack.constants import DJANGO_CT, DJANGO_ID
from whoosh import query as wq

from articles.search_indexes import aware_utc

MULTI_FIELDS = ("entities", "entity_kinds")


@dataclass
class RawHit:
    docnum: int
    score: float
    fields: dict[str, Any]
    highlights: dict[str, str] = field(default_factory=dict)
    spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)


@dataclass
class RawResults:
    total: int
    hits: list[RawHit]
    facets: dict[str, list[tuple[Any, int]]] = field(default_factory=dict)
    pivots: dict[tuple[str, str], dict] = field(default_factory=dict)
    terms: set[str] = field(default_factory=set)  # the highlighted term texts
    # The searcher the hits' docnums belong to (Whoosh): read snippets through it, since a
    # refreshed searcher may number documents differently.
    searcher: Any = None


def to_whoosh(document: dict[str, Any]) -> dict[str, Any]:
    """A document dict as Whoosh takes it: lists joined by commas, empty values left out."""
    out = {}
    for key, value in document.items():
        if value is None or value == "" or value == []:
            continue
        if isinstance(value, list | tuple):
            value = ",".join(str(item) for item in value)
        out[key] = value
    return out


def positive_terms(query: wq.Query, reader) -> set[tuple[str, bytes]]:
    """The (field, term) pairs a query looks for, expanded, without its negated parts."""
    if isinstance(query, wq.Not):
        return set()
    if isinstance(query, wq.AndNot):
        return positive_terms(query.a, reader)
    if query.is_leaf():
        try:
            return set(query.existing_terms(reader, phrases=True, expand=True))
        except Exception:  # a query kind without terms (NullQuery, Every, ranges)
            return set()
    found: set[tuple[str, bytes]] = set()
    for child in query.children():
        found |= positive_terms(child, reader)
    return found


def clean_stored(stored: dict[str, Any]) -> dict[str, Any]:
    stored.pop("text", None)
    for key in (DJANGO_CT, DJANGO_ID):
        stored.pop(key, None)
    for key in MULTI_FIELDS:
        if key in stored:
            stored[key] = [value for value in (stored[key] or "").split(",") if value]
    for key in ("published", "updated"):
        stored[key] = aware_utc(stored.get(key))
    return stored
