"""Thin views of the research workbench: read the request, call a research service, answer in
HTML, JSON (`?format=json`) or CSV (`?format=csv`, where the page shows a table)."""

from __future__ import annotations

from dataclasses import replace

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from articles.models import Entity
from articles.research import comentions as comentions_service
from articles.research import kwic as kwic_service
from articles.research import terms as terms_service
from articles.research.attention import attention_from
from articles.research.compare_view import render_compare
from articles.research.labels import percent
from articles.research.present import (
    ATTENTION_CSV_HEADER,
    attention_context,
    attention_csv_rows,
    attention_json,
    calendar_for,
    csv_response,
    json_response,
    language_of,
    measure_for,
    research_query,
    search_url,
)
from articles.research.svg import network_svg
from articles.search.engine import match_search, params_from_query
from articles.search.types import SearchParams


def _params(request: HttpRequest) -> tuple[SearchParams, list[str]]:
    params, messages = params_from_query(request.GET, ui_language=language_of(request))
    return replace(params, highlight=False, with_facets=False), messages


def _format(request: HttpRequest) -> str:
    value = request.GET.get("format", "")
    return value if value in ("json", "csv") else "html"


def _base_context(request: HttpRequest, params: SearchParams, messages: list[str]) -> dict:
    return {
        "params": params,
        "notices": list(dict.fromkeys(messages)),
        "research_qs": research_query(request),
    }


def _params_json(params: SearchParams) -> dict:
    return {
        "q": params.q,
        "lang": params.language,
        "source": list(params.sources),
        "entity": list(params.entities),
        "from": params.date_from.isoformat() if params.date_from else None,
        "to": params.date_to.isoformat() if params.date_to else None,
    }


def attention(request: HttpRequest) -> HttpResponse:
    language = language_of(request)
    params, messages = _params(request)
    matches = match_search(params)
    result = attention_from(
        matches, resolution=request.GET.get("res", ""), calendar=calendar_for(request, language)
    )
    fmt = _format(request)
    if fmt == "json":
        payload = {"params": _params_json(params), "messages": [*messages, *result.messages]}
        return json_response("attention", {**payload, **attention_json(result, language)})
    if fmt == "csv":
        rows = attention_csv_rows(result, language)
        return csv_response("attention.csv", ATTENTION_CSV_HEADER, rows)
    context = _base_context(request, params, messages)
    context |= attention_context(
        result, request, language=language, measure=measure_for(request),
        subject=_("Attention over time"),
    )  # fmt: skip
    return render(request, "research/attention.html", context)


def terms(request: HttpRequest) -> HttpResponse:
    params, messages = _params(request)
    result = terms_service.top_terms(params)
    if _format(request) == "json":
        payload = {"params": _params_json(params), "messages": messages}
        return json_response("terms", {**payload, **terms_service.terms_json(result)})
    if _format(request) == "csv":
        rows = [
            [t.kind, t.term, t.key, t.articles, t.background, t.score, t.language]
            for t in [*result.terms, *result.phrases]
        ]
        header = ("kind", "term", "index_term", "articles", "archive_articles", "score", "lang")
        return csv_response("top-terms.csv", header, rows)

    def narrowed(term: str) -> str:
        q = f'({params.q}) AND "{term}"' if params.q.strip() else f'"{term}"'
        return search_url(request.GET, q=q)

    context = _base_context(request, params, messages) | {
        "result": result,
        "words": [(t, narrowed(t.term)) for t in result.terms],
        "phrases": [(t, narrowed(t.term)) for t in result.phrases],
        "chars": terms_service.MAX_CHARS,
        "background_size": terms_service.BACKGROUND_SIZE,
    }
    return render(request, "research/terms.html", context)


def kwic(request: HttpRequest) -> HttpResponse:
    params, messages = _params(request)
    fmt = _format(request)
    page = _int(request.GET.get("page"), 1)
    per_page = _int(request.GET.get("per_page"), kwic_service.PER_PAGE)
    result = kwic_service.concordance(
        params, page=page, sort=request.GET.get("sort", "article"), per_page=per_page
    )
    absolute = request.build_absolute_uri
    if fmt == "json":
        payload = {
            "params": _params_json(params),
            "messages": messages,
            "count": result.count,
            "articles_read": result.articles_read,
            "max_articles": kwic_service.MAX_DOCS,
            "lines_total": len(result.lines),
            "truncated": result.truncated,
            "terms": result.terms,
            "sort": result.sort,
            "page": result.page,
            "per_page": result.per_page,
            "num_pages": result.num_pages,
            "lines": [kwic_service.line_json(line, absolute) for line in result.page_lines],
        }
        return json_response("kwic", payload)
    if fmt == "csv":
        rows = (kwic_service.line_csv(line, absolute) for line in result.lines)
        return csv_response("concordance.csv", kwic_service.CSV_HEADER, rows)
    context = _base_context(request, params, messages) | {
        "result": result,
        "max_docs": kwic_service.MAX_DOCS,
        "page_sizes": (25, 50, 100, 200),
        "sorts": [
            ("article", _("article")),
            ("left", _("left word")),
            ("right", _("right word")),
        ],  # fmt: skip
    }
    return render(request, "research/kwic.html", context)


def comentions(request: HttpRequest) -> HttpResponse:
    language = language_of(request)
    params, messages = _params(request)
    result = comentions_service.co_mentions(params, language=language)
    if _format(request) == "json":
        payload = {"params": _params_json(params), "messages": messages}
        return json_response(
            "comentions", {**payload, **comentions_service.comentions_json(result)}
        )
    if _format(request) == "csv":
        rows = comentions_service.comentions_csv(result)
        return csv_response("co-mentions.csv", comentions_service.CSV_HEADER, rows)
    focus_names = [
        e.name_in(language) for e in Entity.objects.filter(slug__in=result.focus).only(
            "name_en", "name_fa")
    ]  # fmt: skip
    centre = params.q or " · ".join(focus_names) or _("All articles")
    nodes = [
        (e.name, e.count, f"?entity={e.slug}")
        for e in result.entities[: comentions_service.NETWORK]
    ]
    svg = network_svg(
        title=_("Entities mentioned with %(subject)s") % {"subject": centre},
        description=_("Spokes are as thick as the number of shared articles."),
        centre=centre,
        nodes=nodes,
        edges=result.edges,
    )
    kinds = dict(Entity.Kind.choices)
    rows = [
        {
            "e": e,
            "kind": kinds.get(e.kind, e.kind),
            "share": percent(e.share, language),
            "search": search_url(request.GET, entity=None)
            + f"&entity={e.slug}"
            + "".join(f"&entity={slug}" for slug in params.entities),
        }
        for e in result.entities
    ]
    context = _base_context(request, params, messages) | {
        "result": result,
        "rows": rows,
        "network_svg": svg,
        "centre": centre,
    }
    return render(request, "research/comentions.html", context)


def _int(text: str | None, default: int) -> int:
    try:
        return int(str(text or default))
    except ValueError:
        return default


def compare(request: HttpRequest) -> HttpResponse:
    return render_compare(request, _params(request), _format(request))
