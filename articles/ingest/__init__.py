"""Ingest: fetch (I/O) -> parse/clean (pure) -> load (idempotent upsert).

This package holds the first two stages; ``iter_records`` in ``parse`` is the entry point.
"""

from .errors import FetchError, ParseError
from .records import ParsedArticle

__all__ = ["FetchError", "ParseError", "ParsedArticle"]
