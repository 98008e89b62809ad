"""What the research workbench adds to the search page and its JSON: the attention chart as
the lead element, near-duplicates folded ("and 3 copies") with the count of distinct stories,
and numbered pages with a page-size control."""

from __future__ import annotations

import logging

from django.http import HttpRequest
from django.utils.translation import gettext as _

from articles.research.attention import attention_from
from articles.research.duplicates import Group, collapse, distinct_count, duplicate_roots
from articles.research.present import (
    attention_context,
    attention_json,
    calendar_for,
    language_of,
    measure_for,
    research_query,
)
from articles.search.engine import match_search
from articles.search.types import SearchResult

PAGE_SIZES = (10, 20, 50, 100)
logger = logging.getLogger(__name__)


def _attention(request: HttpRequest, result: SearchResult):
    matches = match_search(result.params, plan=result.plan)
    attention = attention_from(
        matches,
        resolution=request.GET.get("res", ""),
        calendar=calendar_for(request, language_of(request)),
    )
    return matches, attention


def search_json_extras(request: HttpRequest, result: SearchResult) -> dict:
    """Keys the search JSON gains: `attention` (with shares and `undated`), `distinct_count`."""
    try:
        matches, attention = _attention(request, result)
    except Exception:  # noqa: BLE001 - the results stand without the chart
        logger.exception("attention failed for %r", request.GET.urlencode()[:500])
        return {}
    return {
        "attention": attention_json(attention, language_of(request)),
        "distinct_count": distinct_count(matches.columns, matches.docnums),
    }


def search_page_extras(request: HttpRequest, result: SearchResult) -> dict:
    language = language_of(request)
    try:
        matches, attention = _attention(request, result)
    except Exception:  # noqa: BLE001 - the results stand without the chart
        logger.exception("attention failed for %r", request.GET.urlencode()[:500])
        return {"hit_groups": collapse(result.hits), "page_sizes": PAGE_SIZES,
                "research_qs": research_query(request)}  # fmt: skip
    expanded = request.GET.get("dups") == "show"
    roots = duplicate_roots()  # read once: the page's folding and the distinct count share it
    groups = [Group(hit) for hit in result.hits] if expanded else collapse(result.hits, roots)
    return {
        **attention_context(
            attention,
            request,
            language=language,
            measure=measure_for(request),
            subject=_("Attention over time"),
        ),  # fmt: skip
        "hit_groups": groups,
        "distinct_count": distinct_count(matches.columns, matches.docnums, roots),
        "dups_expanded": expanded,
        "page_sizes": PAGE_SIZES,
        "research_qs": research_query(request),
    }
