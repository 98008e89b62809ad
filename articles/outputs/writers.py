"""How exported articles are written: one flat record per article, as CSV (spreadsheet-safe)
or JSON Lines, and the citation formats, each in pieces of a few hundred rows so a response
can stream them."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from functools import lru_cache

from django.utils import timezone

from articles.models import Article
from articles.outputs.selectors import CHUNK_SIZE, entity_names, snippet
from articles.text.calendar import jalali_iso
from articles.text.dateprecision import calendar_day, effective, has_day, iso

# The original publication (source, byline, date, original URL) and the archived copy
# (permalink, accessed: the day of the export), as a citation needs them.
CSV_COLUMNS = (
    "id", "permalink", "title", "source", "language", "published_at",
    "published_gregorian", "published_solar_hijri", "entities", "snippet",
    "byline", "original_url", "date_precision", "accessed",
)  # fmt: skip
# A cell starting with one of these is read as a formula by spreadsheets.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@lru_cache(maxsize=4096)  # many articles share a day; the conversion is not cheap
def solar_hijri(day: date) -> str:
    return jalali_iso(day)


def export_record(article: Article, *, base_url: str, language: str) -> dict:
    """One article as a flat record: the CSV row and the JSON Lines object."""
    moment, precision = (
        article.published_at,
        effective(article.published_at, article.published_precision),
    )
    day = calendar_day(moment, precision) if moment is not None else None
    exact_day = day if has_day(moment, precision) else None
    return {
        "id": article.pk,
        "permalink": base_url + article.get_absolute_url(),
        "title": article.title,
        "source": article.source.name_in(language),
        "source_slug": article.source.slug,
        "language": article.language,
        # ISO 8601 cut at what the source gave: a time, a day, "2010-08" or "2010".
        "published_at": iso(moment, precision),
        "published_gregorian": iso(moment, precision)[:10] if day else "",
        "published_solar_hijri": solar_hijri(exact_day) if exact_day else "",
        "date_precision": str(precision),
        "byline": article.byline,
        "original_url": article.original_url or article.canonical_url,
        "entities": entity_names(article, language),
        "snippet": snippet(article),
        "accessed": timezone.localdate().isoformat(),
    }


def records(articles: Iterable[Article], base_url: str, language: str) -> Iterator[dict]:
    for article in articles:
        yield export_record(article, base_url=base_url, language=language)


def _spreadsheet_safe(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


class _Line:
    """A file-like object whose `write` hands back the line, for csv.writer."""

    def write(self, value: str) -> str:
        return value


def _in_pieces(lines: Iterable[str], rows_per_chunk: int) -> Iterator[str]:
    buffer: list[str] = []
    for line in lines:
        buffer.append(line)
        if len(buffer) >= rows_per_chunk:
            yield "".join(buffer)
            buffer = []
    if buffer:
        yield "".join(buffer)


def csv_chunks(records: Iterable[dict], *, rows_per_chunk: int = CHUNK_SIZE) -> Iterator[str]:
    """The CSV text (BOM first, then the header) in pieces of a few hundred rows."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(CSV_COLUMNS)
    rows = (
        writer.writerow(
            [
                _spreadsheet_safe(value) if isinstance(value, str) else value
                for value in (
                    "|".join(record["entities"]) if column == "entities" else record[column]
                    for column in CSV_COLUMNS
                )
            ]
        )
        for record in records
    )
    yield from _in_pieces(rows, rows_per_chunk)


def jsonl_chunks(records: Iterable[dict], *, rows_per_chunk: int = CHUNK_SIZE) -> Iterator[str]:
    lines = (json.dumps(record, ensure_ascii=False) + "\n" for record in records)
    yield from _in_pieces(lines, rows_per_chunk)


def citations(format_one: Callable[..., str]) -> Callable[..., Iterator[str]]:
    """A writer of one citation per article (`bibtex_entry`, `ris_record`)."""

    def render(articles: Iterable[Article], base_url: str, language: str) -> Iterator[str]:
        accessed = timezone.localdate()
        for article in articles:
            url = base_url + article.get_absolute_url()
            yield format_one(article, url=url, accessed=accessed) + "\n"

    return render
