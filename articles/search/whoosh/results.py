"""Conversions between index documents and Whoosh's stored form: lists comma-joined on the
way in (`to_whoosh`), split and typed on the way out (`clean_stored`)."""

from __future__ import annotations

from typing import Any

from haystack.constants import DJANGO_CT, DJANGO_ID

from articles.search.contract import MULTI_FIELDS
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
    for key in MULTI_FIELDS:
        if key in stored:
            stored[key] = [value for value in (stored[key] or "").split(",") if value]
    for key in ("published", "updated"):
        stored[key] = aware_utc(stored.get(key))
    return stored
