"""The compare page (`/<lang>/compare/?q=…&q=…`): one chart, a line per search, and per search
its counts, top terms, top entities, and links to its search, feeds and research views."""

from __future__ import annotations

from dataclasses import replace

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from articles.research.attention import LANGUAGES
from articles.research.compare import MAX_QUERIES, TERMS_SAMPLE, QuerySpec, compare
from articles.research.labels import axis_label, other_calendar, percent, period_label
from articles.research.present import (
    attention_json,
    calendar_for,
    csv_response,
    json_response,
    language_of,
    measure_for,
)
from articles.research.svg import PALETTE, Series, lines_svg
from articles.search import dimensions
from articles.search.types import SearchParams
from articles.text.calendar import grouped_number


def shared_params() -> tuple[str, ...]:
    """What every compared search keeps of the page's: each dimension's parameters (lang,
    source, entity, kind, year, jyear, from, to, and any declared since) and the operators."""
    return (*dimensions.url_params(), "expand", "op")


def _queries(request: HttpRequest) -> tuple[list[str], list[str]]:
    given = [q.strip()[:500] for q in request.GET.getlist("q") if q.strip()]
    messages = []
    if len(given) > MAX_QUERIES:
        messages.append(
            _("At most %(n)d searches can be compared; the first %(n)d are shown.")
            % {"n": MAX_QUERIES}
        )
    return given[:MAX_QUERIES], messages


def _link(name: str, q: str, request: HttpRequest) -> str:
    query = QueryDict(mutable=True)
    query["q"] = q
    for key in shared_params():
        for value in request.GET.getlist(key):
            query.appendlist(key, value)
    return f"{reverse(name)}?{query.urlencode()}"


def render_compare(
    request: HttpRequest, parsed: tuple[SearchParams, list[str]], fmt: str
) -> HttpResponse:
    language = language_of(request)
    params, messages = parsed
    queries, more = _queries(request)
    messages = [*messages, *more]
    calendar = calendar_for(request, language)
    results = compare(
        [QuerySpec(q) for q in queries],
        base=replace(params, q=""),
        resolution=request.GET.get("res", ""),
        calendar=calendar,
        language=language,
        with_details=fmt != "csv",
    )
    if fmt == "json":
        return json_response("compare", {"messages": messages, "queries": [
            {
                "q": r.q,
                "count": r.count,
                "counts": r.counts,
                "share_of": list(r.languages),
                "shares": [_round(r.share(i)) for i in range(len(r.attention.periods))],
                "attention": attention_json(r.attention, language),
                "top_terms": [{"term": t.term, "articles": t.articles, "score": t.score}
                              for t in (r.terms.terms if r.terms else [])],
                "top_entities": [{"slug": e.slug, "name": e.name, "count": e.count}
                                 for e in r.entities],
                "links": {kind: request.build_absolute_uri(_link(name, r.q, request))
                          for kind, name in LINKS},
            }
            for r in results
        ], "terms_sample": TERMS_SAMPLE})  # fmt: skip
    if fmt == "csv":
        return csv_response("compare.csv", *_csv(results, language))
    measure = measure_for(request)
    periods = results[0].attention.periods if results else []
    resolution = results[0].attention.resolution if results else "month"
    labels = [axis_label(p.start, resolution, calendar, language) for p in periods]
    full = [period_label(p.start, resolution, calendar, language) for p in periods]
    hovers = [other_calendar(p.start, p.end, resolution, calendar, language) for p in periods]
    series = []
    for index, r in enumerate(results):
        values = (
            [float(p.count) for p in r.attention.periods]
            if measure == "count"
            else [r.share(i) or 0.0 for i in range(len(periods))]
        )
        series.append(Series(f"{index + 1}. {r.q}", values, PALETTE[index % len(PALETTE)]))

    def format_value(value: float) -> str:
        return grouped_number(round(value)) if measure == "count" else percent(value, language)

    svg = lines_svg(
        title=_("Attention over time, by search"),
        description=_("One line per search: its share of the archived articles of each period."),
        labels=full if resolution == "year" and len(full) <= 12 else labels,
        hovers=hovers,
        series=series,
        format_value=format_value,
    )
    rows = [
        {
            "label": full[i],
            "hover": hovers[i],
            "cells": [
                (grouped_number(r.attention.periods[i].count), percent(r.share(i), language))
                for r in results
            ],
        }
        for i in range(len(periods))
        if any(r.attention.periods[i].count for r in results)
    ]
    slots = [*queries, *[""] * (MAX_QUERIES - len(queries))]
    context = {
        "notices": list(dict.fromkeys(messages)),
        "results": [
            {
                "r": r,
                "colour": PALETTE[i % len(PALETTE)],
                "number": i + 1,
                "links": {kind: _link(name, r.q, request) for kind, name in LINKS},
            }
            for i, r in enumerate(results)
        ],  # fmt: skip
        "slots": slots,
        "compare_svg": svg,
        "rows": rows,
        "measure": measure,
        "shared": [(key, value) for key in shared_params() for value in request.GET.getlist(key)],
        "terms_sample": TERMS_SAMPLE,
        "languages": LANGUAGES,
        "json_url": _format_url(request, "json"),
        "csv_url": _format_url(request, "csv"),
    }
    return render(request, "research/compare.html", context)


LINKS = (
    ("search", "articles:search"),
    ("rss", "articles:feed_search_rss"),
    ("atom", "articles:feed_search_atom"),
    ("terms", "articles:terms"),
    ("kwic", "articles:kwic"),
    ("comentions", "articles:comentions"),
)


def _format_url(request: HttpRequest, fmt: str) -> str:
    query = request.GET.copy()
    query["format"] = fmt
    return f"?{query.urlencode()}"


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def _csv(results, language: str):
    header = ["start", "end", "period"]
    for r in results:
        header += [f"count: {r.q}", f"share: {r.q}"]
    rows = []
    periods = results[0].attention.periods if results else []
    for i, p in enumerate(periods):
        resolution, calendar = results[0].attention.resolution, results[0].attention.calendar
        row: list = [p.start.isoformat(), p.end.isoformat(),
                     period_label(p.start, resolution, calendar, language)]  # fmt: skip
        for r in results:
            share = r.share(i)
            row += [r.attention.periods[i].count, "" if share is None else f"{share:.6f}"]
        rows.append(row)
    return header, rows
