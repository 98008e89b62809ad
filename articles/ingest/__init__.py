"""Ingest: fetch (I/O) -> parse/clean (pure) -> load (idempotent upsert).

``parse.iter_records`` fetches and parses a file, folder or URL into ``ParsedArticle``
records (``sniff`` picks the format: ``feed``, ``jsonl``, ``html_page``, ``text_page``);
``load.ArticleLoader`` is the one loader that writes them (``load.import_targets`` runs both,
as ``import_articles`` and the harvester do). Dates are read by ``dates``, text cleaned by
``articles.text``.
"""

from .errors import FetchError, ParseError
from .records import ParsedArticle

__all__ = ["FetchError", "ParseError", "ParsedArticle"]
