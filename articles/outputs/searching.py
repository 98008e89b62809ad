"""The search as feeds and exports see it: the request's query string read as the search page
reads it, and the ids of what it finds, in its order.

Nothing here raises for what a visitor typed: an unreadable query or an engine that fails
gives no ids and a message that says so (`articles.search.notices`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import islice

from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from articles.search import engine, notices
from articles.search.types import SearchParams

logger = logging.getLogger(__name__)

SEARCH_PAGE_MAX = 100  # the engine's largest page


def clamp_limit(raw: object, *, default: int, maximum: int) -> int:
    """`?limit=` as an int within 1..maximum; anything unreadable gives the default."""
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        return default
    return min(max(value, 1), maximum)


def read_search(
    request: HttpRequest, *, ignore: Iterable[str] = ("limit",)
) -> tuple[SearchParams | None, list[str]]:
    """The search described by the request's query string, as the search page reads it.

    Never raises: when the query cannot be read at all, the params are None and the messages
    say why, so feeds and exports can answer with an explanation instead of an error.
    """
    try:
        query = request.GET.copy()
        for key in ignore:
            query.pop(key, None)
        params, messages = engine.params_from_query(query, ui_language=get_language())
    except Exception:  # a visitor's query string must never become a server error
        logger.exception("Could not read the search %r", request.GET.urlencode())
        return None, [_("The search could not be read.")]
    return params, [str(message) for message in messages]


def search_ids_of(params: SearchParams, limit: int) -> Iterator[int]:
    """The ids of a search in its order, at most `limit`; ends quietly if the engine fails."""
    try:
        yield from islice(engine.iter_article_ids(params, limit), limit)
    except Exception:  # the response may be under way: end it cleanly and log the cause
        logger.exception("Reading the ids of the search %r stopped", params)


@dataclass
class SearchExport:
    """The ids a search yields (lazily), with any notes about how the query was read."""

    ids: Iterable[int]
    messages: list[str] = field(default_factory=list)


def search_ids(request: HttpRequest, *, limit: int) -> SearchExport:
    """Ids of the search described by the request's query string, at most `limit` of them."""
    params, messages = read_search(request)
    if params is None:
        return SearchExport(ids=[], messages=messages)
    return SearchExport(ids=search_ids_of(params, limit), messages=messages)


def first_ids(params: SearchParams, limit: int) -> SearchExport:
    """The ids of the first `limit` hits of a search, the search planned once: one page of
    the engine (with its notes) up to `SEARCH_PAGE_MAX`, else one pass over its hits in
    order. An engine that fails gives no ids and the unavailable-search notice."""
    params = replace(params, page=1, highlight=False, with_facets=False, with_timeline=False)
    try:
        if limit <= SEARCH_PAGE_MAX:
            result = engine.search_articles(replace(params, per_page=limit))
            ids = [hit.article_id for hit in result.hits]
            return SearchExport(ids=ids, messages=[str(m) for m in result.messages])
        notes: list[str] = []
        ids = list(islice(engine.iter_article_ids(params, limit, notes=notes), limit))
        return SearchExport(ids=ids, messages=notes)
    except Exception:
        logger.exception("The search %r failed", params)
        return SearchExport(ids=[], messages=[str(notices.unavailable())])
