"""The index's fields as the query parser reads them, without a search engine library.

The parser (`articles.search.query.parser`) asks a schema for its field names, for each text
field's analyser (called as `analyzer(text, positions=True, chars=True, mode="query", ...)`,
yielding tokens with `text`, `pos`, `startchar`, `endchar`), and for the exact terms of an
unanalysed value (`process_text`). The Whoosh backend hands it the Whoosh schema of its index
(`articles.search.whoosh.schema`); `query_schema` builds the same from Haystack's index fields
for a backend without one (Solr). `QueryAnalyzer` gives exactly the tokens of the Whoosh
analyser (`articles.search.whoosh.analysis.NewsAnalyzer`, tested side by side): the units of
`articles.text.analysis`, common words dropped from queries (kept as `STOP_MARK` + word where
asked, or when indexing), other words stemmed by script.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from articles.search.indexterms import STOP_MARK
from articles.text.analysis import cached_term, term_cache, units

# Haystack's own fields (`haystack.constants` ID, DJANGO_CT, DJANGO_ID), unanalysed.
HAYSTACK_FIELDS = ("id", "django_ct", "django_id")


@dataclass
class QueryToken:
    text: str
    pos: int
    startchar: int
    endchar: int
    protected: bool = False
    stopped: bool = False


class QueryAnalyzer:
    """The archive's analyser for a text field, callable as the parser calls it."""

    def __init__(self, language: str | None = None) -> None:
        self.language = language

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        removestops: bool = True,
        mode: str = "",
        keepstops: bool = False,
        wholes: bool = False,
        **_options: Any,
    ) -> Iterator[QueryToken]:
        language = self.language
        stops = term_cache(language, False, True)
        stems = term_cache(language, True, False)
        joined = mode != "query" or not removestops
        for text, start, end, position, protected in units(value, joined=joined, wholes=wholes):
            token = QueryToken(text, position, start, end, protected)
            if not protected:
                if cached_term(text, stops, language, stem=False, removestops=True) is None:
                    if mode != "query" or keepstops:
                        token.text = STOP_MARK + text
                    elif not removestops:
                        token.stopped = True
                    else:
                        continue
                if token.text[:1] != STOP_MARK:
                    stemmed = cached_term(text, stems, language, stem=True, removestops=False)
                    token.text = text if stemmed is None else stemmed
            yield token


@dataclass
class QueryField:
    kind: str  # "text", "exact", "keyword", "date", "integer" or "stored"
    analyzer: QueryAnalyzer | None = None

    @property
    def scorable(self) -> bool:
        """Only analysed text is scored (BM25F)."""
        return self.kind == "text"

    def process_text(self, value: str, mode: str = "", **_options: Any) -> Iterator[str]:
        """The terms of an unanalysed value: the value itself; a keyword list split at
        commas (each item stripped)."""
        if self.kind == "keyword":
            yield from (item.strip() for item in re.findall(r"[^,]+", value))
        elif self.kind == "exact":
            yield value
        elif self.analyzer is not None:
            yield from (token.text for token in self.analyzer(value, mode=mode))
        else:
            raise ValueError(f"A {self.kind} field has no terms for {value!r}")


class QuerySchema:
    def __init__(self, fields: dict[str, QueryField]) -> None:
        self.fields = fields

    def names(self) -> list[str]:
        return sorted(self.fields)

    def items(self) -> list[tuple[str, QueryField]]:
        return sorted(self.fields.items())

    def __getitem__(self, name: str) -> QueryField:
        return self.fields[name]

    def __contains__(self, name: object) -> bool:
        return name in self.fields


def field_kind(field: Any) -> str:
    """The kind of a Haystack index field (`articles.search_indexes`), as both backends read
    it: its `whoosh_kind` where declared, else its type."""
    kind = getattr(field, "whoosh_kind", None)
    if kind == "exact":
        return "exact"
    if kind == "keyword" or field.is_multivalued:
        return "keyword"
    if kind == "stored" or field.indexed is False:
        return "stored"
    if field.field_type in ("date", "datetime"):
        return "date"
    if field.field_type == "integer":
        return "integer"
    return "text"


def query_schema(fields: dict[str, Any]) -> tuple[str, QuerySchema]:
    """(the content field's name, the schema) for Haystack's unified index `fields`."""
    built = {name: QueryField("exact") for name in HAYSTACK_FIELDS}
    content_field_name = ""
    for field in fields.values():
        kind = field_kind(field)
        analyzer = QueryAnalyzer() if kind == "text" else None
        built[field.index_fieldname] = QueryField(kind, analyzer)
        if field.document:
            content_field_name = field.index_fieldname
    return content_field_name, QuerySchema(built)


def text_fields(schema: QuerySchema) -> list[str]:
    """The analysed text fields of `schema`."""
    return [name for name, field in schema.items() if field.kind == "text"]
