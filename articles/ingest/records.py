"""The output type of the parse stage; the loader depends on these names."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

RAW_LIMIT = 1_000_000  # characters of the raw input kept for provenance


@dataclass
class ParsedArticle:
    title: str
    body_text: str  # clean plain text, paragraphs separated by "\n\n"
    language: str | None  # "fa" | "en" | None (unknown)
    body_html: str = ""  # optional HTML of the body (sanitised by the loader)
    summary: str = ""
    url: str = ""  # original URL
    canonical_url: str = ""
    published_at: datetime | None = None  # aware, or None when unknown/unparsable/future
    published_precision: str = ""  # time|day|month|year of published_at ("" without one)
    published_from: str = ""  # which statement of the input the date came from
    byline: str = ""
    source_name: str = ""  # outlet name as the input gives it
    identity: str = ""  # stable external identity; "" -> the loader falls back to content_hash
    # The other-language version: an hreflang URL, or for dumps the URL or the dump id
    # the record names (loaders match it against both url and identity).
    counterpart_url: str = ""
    tags: list[str] = field(default_factory=list)  # labels the input carried
    removed_blocks: list[str] = field(default_factory=list)  # what the cleaner dropped
    warnings: list[str] = field(default_factory=list)
    raw: str = ""  # the raw input as received, truncated to RAW_LIMIT characters
    origin: str = ""  # path, path:line or URL
    format: str = ""  # text|html|feed|jsonl


def truncate_raw(raw: str) -> str:
    return raw if len(raw) <= RAW_LIMIT else raw[:RAW_LIMIT]
