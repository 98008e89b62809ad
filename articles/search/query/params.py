"""Search parameters from a URL's query string; nonsense falls back, with a message.

q          the query (syntax in `articles.search.query.parser`)
lang       fa | en (anything else: both)
source     a source slug; repeat for several          entity   an entity slug; repeatable
kind       an entity kind (person, place, …); repeatable
year       a Gregorian year (a year below 1700 is taken as Solar Hijri)
jyear      a Solar Hijri year (a year from 1700 is taken as Gregorian)
from, to   dates in either calendar: 2021-01-04, 1399-10-15, ۱۳۹۹/۱۰/۱۵, 1399, 2021-03
sort       relevance | newest | oldest | added
page       1, 2, …       per_page   1..100 (20)       expand   1 (default) | 0
op         and (default: all the words; most of a long query) | or (any of the words)

The dimensions (lang to to, and any added since) are declared, with their readers, in
`articles.search.dimensions`; this module reads the rest.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from articles.search import dimensions
from articles.search.query.readers import MAX_VALUES, get_one, to_int
from articles.search.types import SORTS, SearchParams

__all__ = ["MAX_PAGE", "MAX_VALUES", "params_from_query"]

MAX_PAGE = 10_000
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def params_from_query(querydict: Any, *, ui_language: str) -> tuple[SearchParams, list[str]]:
    """Read a search from `request.GET` (or any mapping); never raises."""
    messages: list[str] = []
    params = SearchParams(
        q=str(querydict.get("q", "") or "")[:5000] if hasattr(querydict, "get") else ""
    )
    dimensions.read(querydict, params, messages)  # lang, source, entity, kind, years, dates

    sort = get_one(querydict, "sort").lower()
    if sort in SORTS:
        params.sort = sort
    elif sort:
        messages.append(_("Unknown sort “%(value)s”: sorted by relevance.") % {"value": sort[:20]})

    page_text = get_one(querydict, "page")
    page = to_int(page_text) if page_text else 1
    if page is None or page < 1:
        messages.append(
            _("“%(value)s” is not a page number: showing page 1.") % {"value": page_text[:20]}
        )
        page = 1
    if page > MAX_PAGE:
        messages.append(_("Pages stop at %(n)d.") % {"n": MAX_PAGE})
        page = MAX_PAGE
    params.page = page

    per_page_text = get_one(querydict, "per_page")
    if per_page_text:
        per_page = to_int(per_page_text)
        if per_page is None:
            messages.append(
                _("“%(value)s” is not a number of results: showing 20.")
                % {"value": per_page_text[:20]}
            )
        else:
            params.per_page = max(1, min(per_page, 100))
            if params.per_page != per_page:
                messages.append(
                    _("Results per page must be between 1 and 100: showing %(n)d.")
                    % {"n": params.per_page}
                )

    op = get_one(querydict, "op").lower()
    if op in ("and", "or"):
        params.op = op
    elif op:
        messages.append(
            _("Unknown operator “%(value)s”: all the words were required (op=and or op=or).")
            % {"value": op[:20]}
        )

    expand_text = get_one(querydict, "expand").lower()
    if expand_text in _FALSE:
        params.expand_entities = False
    elif expand_text and expand_text not in _TRUE:
        messages.append(_("“expand” takes 0 or 1; cross-language expansion stays on."))
    return params, messages
