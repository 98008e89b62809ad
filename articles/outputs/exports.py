"""Research exports of a search: CSV, JSON Lines, BibTeX and RIS, streamed.

The export takes the same query string as the search page and exports what that search finds,
in its order (`articles.outputs.searching`). Rows are produced from article ids read in chunks
(`articles.outputs.selectors`), each chunk one bounded set of queries, and written
(`articles.outputs.writers`) to a `StreamingHttpResponse`, so a 50,000-row export never holds
more than one chunk of articles in memory.

Parameters (besides the search's own): `limit` is the number of rows, default 10,000, clamped
to 1..50,000 (`EXPORT_DEFAULT_LIMIT`, `EXPORT_MAX_LIMIT`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import islice

from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import get_language

from articles.models import Article
from articles.outputs.citations import bibtex_entry, ris_record
from articles.outputs.searching import clamp_limit, search_ids
from articles.outputs.selectors import published_articles_in_order
from articles.outputs.writers import citations, csv_chunks, jsonl_chunks, records

# What a format writes: (articles, base URL, interface language) -> pieces of text.
Render = Callable[[Iterator[Article], str, str], Iterator[str]]

EXPORT_DEFAULT_LIMIT = 10_000
EXPORT_MAX_LIMIT = 50_000


def _streamed(
    request: HttpRequest,
    *,
    render: Render,
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


def _view(
    render: Render, content_type: str, extension: str
) -> Callable[[HttpRequest], StreamingHttpResponse]:
    def view(request: HttpRequest) -> StreamingHttpResponse:
        return _streamed(request, render=render, content_type=content_type, extension=extension)

    view.__name__ = f"export_{extension}"
    return view


export_csv = _view(
    lambda articles, base, lang: csv_chunks(records(articles, base, lang)),
    "text/csv; charset=utf-8",
    "csv",
)
export_jsonl = _view(
    lambda articles, base, lang: jsonl_chunks(records(articles, base, lang)),
    "application/jsonl; charset=utf-8",
    "jsonl",
)
export_bibtex = _view(citations(bibtex_entry), "application/x-bibtex; charset=utf-8", "bib")
export_ris = _view(
    citations(ris_record), "application/x-research-info-systems; charset=utf-8", "ris"
)
