"""Research exports of a search: CSV, JSON Lines, BibTeX and RIS, streamed.

The export takes the same query string as the search page and exports what that search finds,
in its order. Rows are produced from article ids read in chunks of `CHUNK_SIZE`, each chunk one
bounded set of queries, and written to a `StreamingHttpResponse`, so a 50,000-row export never
holds more than one chunk of articles in memory.

Parameters (besides the search's own): `limit` is the number of rows, default 10,000, clamped
to 1..50,000 (`EXPORT_DEFAULT_LIMIT`, `EXPORT_MAX_LIMIT`).
"""

from __future__ import annotations

import csv
import json
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import islice
from typing import NamedTuple

import jdatetime
from django.db.models import QuerySet
from django.db.models.functions import Substr
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from articles.models import Article, ArticleEntity
from articles.outputs.citations import bibtex_entry, one_line, ris_record
from articles.search.types import SearchParams, SearchResult
from articles.text.dateprecision import calendar_day, effective, has_day, iso

logger = logging.getLogger(__name__)

EXPORT_DEFAULT_LIMIT = 10_000
EXPORT_MAX_LIMIT = 50_000
CHUNK_SIZE = 500
SNIPPET_CHARS = 300
# Enough of the body to make a snippet without loading whole articles.
_TEXT_START_CHARS = 1200

# The original publication (source, byline, date, original URL) and the archived copy
# (permalink, accessed: the day of the export), as a citation needs them.
CSV_COLUMNS = (
    "id", "permalink", "title", "source", "language", "published_at",
    "published_gregorian", "published_solar_hijri", "entities", "snippet",
    "byline", "original_url", "date_precision", "accessed",
)  # fmt: skip
# A cell starting with one of these is read as a formula by spreadsheets.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def clamp_limit(raw: object, *, default: int, maximum: int) -> int:
    """`?limit=` as an int within 1..maximum; anything unreadable gives the default."""
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        return default
    return min(max(value, 1), maximum)


class EntityLabel(NamedTuple):
    entity_id: int
    name_en: str
    name_fa: str

    def name_in(self, language: str) -> str:
        if language == "fa":
            return self.name_fa or self.name_en
        return self.name_en or self.name_fa


def articles_for_output(queryset: QuerySet[Article]) -> QuerySet[Article]:
    """Articles with their source and the start of their text, without the heavy columns."""
    return queryset.for_listing().annotate(text_start=Substr("body_text", 1, _TEXT_START_CHARS))


def with_entities(articles: list[Article]) -> list[Article]:
    """Set `entity_labels` on each article (most mentioned first), in one query.

    Plain tuples instead of prefetched model instances: a chunk of a 50,000-row export then
    costs a fraction of the memory and time.
    """
    labels: dict[int, list[EntityLabel]] = defaultdict(list)
    rows = (
        ArticleEntity.objects.filter(article_id__in=[article.pk for article in articles])
        .order_by("article_id", "-mentions", "entity_id")
        .values_list("article_id", "entity_id", "entity__name_en", "entity__name_fa")
    )
    for article_id, entity_id, name_en, name_fa in rows:
        labels[article_id].append(EntityLabel(entity_id, name_en, name_fa))
    for article in articles:
        article.entity_labels = labels.get(article.pk, [])
    return articles


def snippet(article: Article, length: int = SNIPPET_CHARS) -> str:
    """Plain text: the summary, else the start of the body, cut at a word boundary."""
    text = one_line(article.summary or getattr(article, "text_start", "") or "")
    if len(text) <= length:
        return text
    cut = text[:length].rsplit(" ", 1)[0] or text[:length]
    return cut.rstrip(" ,.;:،؛") + "…"


def entity_names(article: Article, language: str) -> list[str]:
    if not hasattr(article, "entity_labels"):
        with_entities([article])
    return [label.name_in(language) for label in article.entity_labels]


def published_articles_in_order(
    ids: Iterable[int], *, chunk_size: int = CHUNK_SIZE
) -> Iterator[Article]:
    """The published articles among `ids`, in the order given, fetched a chunk at a time."""
    id_iter = iter(ids)
    while chunk := list(islice(id_iter, chunk_size)):
        found = articles_for_output(Article.objects.published().filter(pk__in=chunk))
        by_id = {article.pk: article for article in with_entities(list(found))}
        ordered = [by_id[pk] for pk in chunk if pk in by_id]
        del by_id, found  # only one chunk is held at a time
        yield from ordered
        del ordered


@lru_cache(maxsize=4096)  # many articles share a day; the conversion is not cheap
def solar_hijri(day: date) -> str:
    return jdatetime.date.fromgregorian(date=day).strftime("%Y-%m-%d")


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


def _spreadsheet_safe(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


class _Line:
    """A file-like object whose `write` hands back the line, for csv.writer."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(records: Iterable[dict], *, rows_per_chunk: int = CHUNK_SIZE) -> Iterator[str]:
    """The CSV text (BOM first, then the header) in pieces of a few hundred rows."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(CSV_COLUMNS)
    buffer: list[str] = []
    for record in records:
        row = dict(record, entities="|".join(record["entities"]))
        buffer.append(
            writer.writerow(
                [
                    _spreadsheet_safe(str(row[column]))
                    if isinstance(row[column], str)
                    else row[column]
                    for column in CSV_COLUMNS
                ]
            )
        )
        if len(buffer) >= rows_per_chunk:
            yield "".join(buffer)
            buffer = []
    if buffer:
        yield "".join(buffer)


def jsonl_chunks(records: Iterable[dict], *, rows_per_chunk: int = CHUNK_SIZE) -> Iterator[str]:
    buffer: list[str] = []
    for record in records:
        buffer.append(json.dumps(record, ensure_ascii=False) + "\n")
        if len(buffer) >= rows_per_chunk:
            yield "".join(buffer)
            buffer = []
    if buffer:
        yield "".join(buffer)


@dataclass
class SearchExport:
    """The ids a search yields (lazily), with any notes about how the query was read."""

    ids: Iterable[int]
    messages: list[str] = field(default_factory=list)


def read_search(
    request: HttpRequest, *, ignore: Iterable[str] = ("limit",)
) -> tuple[SearchParams | None, list[str]]:
    """The search described by the request's query string, as the search page reads it.

    Never raises: when the query cannot be read at all, the params are None and the messages
    say why, so feeds and exports can answer with an explanation instead of an error.
    """
    try:
        from articles.search import engine
    except ImportError:
        logger.exception("The search engine module cannot be imported")
        return None, [_("Search is not available at the moment.")]
    try:
        query = request.GET.copy()
        for key in ignore:
            query.pop(key, None)
        params, messages = engine.params_from_query(query, ui_language=get_language())
    except Exception:  # a visitor's query string must never become a server error
        logger.exception("Could not read the search %r", request.GET.urlencode())
        return None, [_("The search could not be read.")]
    return params, [str(message) for message in messages]


def run_search(params: SearchParams) -> SearchResult | None:
    from articles.search import engine

    try:
        return engine.search_articles(params)
    except Exception:
        logger.exception("The search %r failed", params)
        return None


def search_ids_of(params: SearchParams, limit: int) -> Iterator[int]:
    """The ids of a search in its order, at most `limit`; ends quietly if the engine fails."""
    from articles.search import engine

    try:
        yield from islice(engine.iter_article_ids(params, limit), limit)
    except Exception:  # the response may be under way: end it cleanly and log the cause
        logger.exception("Reading the ids of the search %r stopped", params)


def search_ids(request: HttpRequest, *, limit: int) -> SearchExport:
    """Ids of the search described by the request's query string, at most `limit` of them."""
    params, messages = read_search(request)
    if params is None:
        return SearchExport(ids=[], messages=messages)
    return SearchExport(ids=search_ids_of(params, limit), messages=messages)


def _streamed(
    request: HttpRequest,
    *,
    render: Callable[[Iterator[Article], str, str], Iterator[str]],
    content_type: str,
    extension: str,
) -> StreamingHttpResponse:
    limit = clamp_limit(
        request.GET.get("limit"), default=EXPORT_DEFAULT_LIMIT, maximum=EXPORT_MAX_LIMIT
    )
    found = search_ids(request, limit=limit)
    language = get_language()
    base_url = request.build_absolute_uri("/").rstrip("/")

    def body() -> Iterator[bytes]:
        # The response is written after the view returns: keep the interface language.
        with translation.override(language):
            articles = published_articles_in_order(islice(found.ids, limit))
            for piece in render(articles, base_url, language):
                yield piece.encode("utf-8")

    response = StreamingHttpResponse(body(), content_type=content_type)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = (
        f'attachment; filename="newsarchive-search-{stamp}.{extension}"'
    )
    response["X-Export-Limit"] = str(limit)
    response["Cache-Control"] = "private, no-store"
    return response


def _records(articles: Iterable[Article], base_url: str, language: str) -> Iterator[dict]:
    for article in articles:
        yield export_record(article, base_url=base_url, language=language)


def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    return _streamed(
        request,
        render=lambda articles, base, lang: csv_chunks(_records(articles, base, lang)),
        content_type="text/csv; charset=utf-8",
        extension="csv",
    )


def export_jsonl(request: HttpRequest) -> StreamingHttpResponse:
    return _streamed(
        request,
        render=lambda articles, base, lang: jsonl_chunks(_records(articles, base, lang)),
        content_type="application/jsonl; charset=utf-8",
        extension="jsonl",
    )


def _citations(format_one: Callable[..., str]) -> Callable[..., Iterator[str]]:
    def render(articles: Iterable[Article], base_url: str, language: str) -> Iterator[str]:
        accessed = timezone.localdate()
        for article in articles:
            url = base_url + article.get_absolute_url()
            yield format_one(article, url=url, accessed=accessed) + "\n"

    return render


def export_bibtex(request: HttpRequest) -> StreamingHttpResponse:
    return _streamed(
        request,
        render=_citations(bibtex_entry),
        content_type="application/x-bibtex; charset=utf-8",
        extension="bib",
    )


def export_ris(request: HttpRequest) -> StreamingHttpResponse:
    return _streamed(
        request,
        render=_citations(ris_record),
        content_type="application/x-research-info-systems; charset=utf-8",
        extension="ris",
    )
