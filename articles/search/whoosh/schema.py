"""The Whoosh schema of the archive's index, built from the Haystack index's fields
(`articles.search_indexes`; each field's kind read by `articles.search.query.schema.field_kind`,
as for the Solr backend).

Text fields (`text` = title + summary + body, `title`, `entity_names`) use `NewsAnalyzer()`
and keep character offsets; fields marked `whoosh_kind="exact"` (`language`, `source`,
`month`) are unanalysed `ID`s, multi-valued ones comma-separated `KEYWORD`s;
`published`/`updated` are DATETIMEs, `year`/`jyear`/`article_id` integers.
"""

from __future__ import annotations

from typing import Any

from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from whoosh.fields import DATETIME, KEYWORD, NUMERIC, STORED, Schema
from whoosh.fields import ID as WHOOSH_ID

from articles.search.query.schema import field_kind
from articles.search.whoosh.analysis import NewsAnalyzer, NewsText


def build_schema(fields: dict[str, Any]) -> tuple[str, Schema]:
    """(the content field's name, the schema) for Haystack's unified index `fields`."""
    schema_fields: dict[str, Any] = {
        ID: WHOOSH_ID(stored=True, unique=True),
        DJANGO_CT: WHOOSH_ID(stored=True),
        DJANGO_ID: WHOOSH_ID(stored=True),
    }
    content_field_name = ""
    for field_class in fields.values():
        name = field_class.index_fieldname
        kind = field_kind(field_class)
        stored = bool(field_class.stored)
        if kind == "exact":
            schema_fields[name] = WHOOSH_ID(stored=stored, sortable=True)
        elif kind == "keyword":
            schema_fields[name] = KEYWORD(
                stored=stored, commas=True, lowercase=False, scorable=False
            )
        elif kind == "stored":
            schema_fields[name] = STORED()
        elif kind == "date":
            schema_fields[name] = DATETIME(stored=stored, sortable=True)
        elif kind == "integer":
            # Filters and facets read the column; no tiered range terms needed.
            schema_fields[name] = NUMERIC(
                stored=stored, numtype=int, bits=64, sortable=True, shift_step=0
            )
        else:
            schema_fields[name] = NewsText(
                stored=stored,
                analyzer=NewsAnalyzer(),
                phrase=True,
                chars=True,
                field_boost=field_class.boost,
            )
        if field_class.document:
            content_field_name = name
    return content_field_name, Schema(**schema_fields)


def text_fields(schema: Schema) -> list[str]:
    """The analysed text fields of `schema`, in its order."""
    return [name for name, field in schema.items() if isinstance(field, NewsText)]
