"""Conversions between index documents and Whoosh's stored form: lists comma-joined on the
way in (`to_whoosh`), split and typed on the way out (`clean_stored`); the versions and
signatures of the live documents, read from the column arrays."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np
from haystack.constants import DJANGO_CT, DJANGO_ID

from articles.search import dimensions
from articles.search.whoosh.columns import ColumnCache
from articles.search_indexes import aware_utc


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


def clean_stored(stored: dict[str, Any]) -> dict[str, Any]:
    stored.pop("text", None)
    for key in (DJANGO_CT, DJANGO_ID):
        stored.pop(key, None)
    for key in dimensions.multi_fields():
        if key in stored:
            stored[key] = [value for value in (stored[key] or "").split(",") if value]
    for key in ("published", "updated"):
        stored[key] = aware_utc(stored.get(key))
    return stored


def stored_versions(columns: ColumnCache, dates) -> dict[int, datetime | None]:
    """{article_id: indexed updated_at} of every live document of the bound `columns`
    (`dates`: the schema's `updated` field, which decodes the column)."""
    ids = columns.single("article_id")
    updated = columns.single("updated")
    out: dict[int, datetime | None] = {}
    for docnum in np.flatnonzero(columns.live).tolist():
        value = int(updated[docnum])
        out[int(ids[docnum])] = aware_utc(dates.from_column_value(value)) if value > 0 else None
    return out


def stored_signatures(columns: ColumnCache) -> dict[int, str]:
    """{article_id: indexed content signature} of every live document of the bound `columns`."""
    ids = columns.single("article_id")
    codes = columns.single("signature")
    values = columns.vocab.get("signature")
    return {
        int(ids[docnum]): values.values[int(codes[docnum])]
        for docnum in np.flatnonzero(columns.live).tolist()
        if codes[docnum] >= 0 and values is not None
    }
