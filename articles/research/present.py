"""What the research views share: their JSON envelope, CSV responses, and the attention chart
with its table twin (the search page leads with it; compare draws one line per query)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from articles.research.attention import LANGUAGES, RESOLUTIONS, Attention, resolution_label
from articles.research.labels import axis_label, other_calendar, percent, period_label
from articles.research.svg import PALETTE, Series, bars_svg
from articles.text.calendar import grouped_number

VERSION = 1  # of every research view's JSON; raised only if a key must change meaning
MEASURES = ("share", "count")


def json_response(view: str, payload: dict) -> JsonResponse:
    return JsonResponse(
        {"version": VERSION, "view": view, **payload}, json_dumps_params={"ensure_ascii": False}
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """UTF-8 CSV with a byte-order mark, so spreadsheet programs read Persian correctly."""
    writer = csv.writer(_Echo())
    body = "\ufeff" + writer.writerow(header) + "".join(writer.writerow(row) for row in rows)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def language_of(request: HttpRequest) -> str:
    return "fa" if (get_language() or "en").startswith("fa") else "en"


def calendar_for(request: HttpRequest, language: str) -> str:
    chosen = request.GET.get("cal", "")
    if chosen in ("jalali", "gregorian"):
        return chosen
    return "jalali" if language == "fa" else "gregorian"


def measure_for(request: HttpRequest) -> str:
    return request.GET.get("measure", "") if request.GET.get("measure") in MEASURES else "share"


def search_url(query: QueryDict, **changes: str | None) -> str:
    """The search page for `query` with some parameters changed (None removes one)."""
    query = query.copy()
    for key in ("page", "format", "res", "measure", "cal"):
        query.pop(key, None)
    for key, value in changes.items():
        query.pop(key, None)
        if value:
            query[key] = value
    return f"{reverse('articles:search')}?{query.urlencode()}"


def _query_with(request: HttpRequest, **changes: str | None) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    for key, value in changes.items():
        query.pop(key, None)
        if value:
            query[key] = value
    return f"?{query.urlencode()}"


def attention_json(attention: Attention, language: str) -> dict:
    return {
        "resolution": attention.resolution,
        "resolution_automatic": attention.automatic,
        "calendar": attention.calendar,
        "count": attention.count,
        "dated": attention.dated,
        "undated": attention.undated,
        "messages": list(attention.messages),
        "periods": [
            {
                "key": p.key,
                "start": p.start.isoformat(),
                "end": p.end.isoformat(),
                "label": period_label(p.start, attention.resolution, attention.calendar, language),
                "count": p.count,
                "counts": dict(p.counts),
                "totals": dict(p.totals),
                "shares": {code: _rounded(p.share(code)) for code in LANGUAGES},
                "share": _rounded(p.share()),
            }
            for p in attention.periods
        ],
    }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


ATTENTION_CSV_HEADER = (
    "start", "end", "period", "count_fa", "total_fa", "share_fa",
    "count_en", "total_en", "share_en", "count", "share",
)  # fmt: skip


def attention_csv_rows(attention: Attention, language: str) -> Iterable[list]:
    for p in attention.periods:
        label = period_label(p.start, attention.resolution, attention.calendar, language)
        row: list = [p.start.isoformat(), p.end.isoformat(), label]
        for code in LANGUAGES:
            share = p.share(code)
            row += [p.counts[code], p.totals[code], "" if share is None else f"{share:.6f}"]
        share = p.share()
        yield [*row, p.count, "" if share is None else f"{share:.6f}"]


def attention_context(
    attention: Attention, request: HttpRequest, *, language: str, measure: str, subject: str
) -> dict:
    """The chart (links narrow the search to a period), its table rows and its controls."""
    names = {code: str(name) for code, name in settings.LANGUAGE_NAMES.items()}
    periods = attention.periods
    labels = [axis_label(p.start, attention.resolution, attention.calendar, language)
              for p in periods]  # fmt: skip
    full = [period_label(p.start, attention.resolution, attention.calendar, language)
            for p in periods]  # fmt: skip
    hovers = [
        other_calendar(p.start, p.end, attention.resolution, attention.calendar, language)
        for p in periods
    ]
    links = [
        search_url(request.GET, **{"from": p.start.isoformat(), "to": p.end.isoformat()})
        for p in periods
    ]
    if measure == "count":
        values = {code: [float(p.counts[code]) for p in periods] for code in LANGUAGES}

        def format_value(value: float) -> str:
            return grouped_number(round(value))
    else:
        values = {code: [p.share(code) or 0.0 for p in periods] for code in LANGUAGES}

        def format_value(value: float) -> str:
            return percent(value, language)

    series = [Series(names[code], values[code], PALETTE[i]) for i, code in enumerate(LANGUAGES)]
    description = (
        _("Share of all archived articles of each period, by language.")
        if measure == "share"
        else _("Matching articles per period, by language.")
    )
    svg = bars_svg(
        title=subject,
        description=description,
        labels=full if len(full) <= 12 and attention.resolution == "year" else labels,
        hovers=hovers,
        links=links,
        series=series,
        format_value=format_value,
    )
    rows = [
        {
            "label": full[i],
            "hover": hovers[i],
            "link": links[i],
            "cells": [
                (
                    grouped_number(p.counts[code]),
                    grouped_number(p.totals[code]),
                    percent(p.share(code), language),
                )
                for code in LANGUAGES
            ],
        }
        for i, p in enumerate(periods)
        if p.count
    ]
    return {
        "attention": attention,
        "attention_svg": svg,
        "attention_rows": rows,
        "attention_measure": measure,
        "attention_measure_links": [
            (m, label, _query_with(request, measure=None if m == "share" else m))
            for m, label in (("share", _("Share of the archive")), ("count", _("Counts")))
        ],
        "attention_resolution_links": [
            ("", _("automatic"), _query_with(request, res=None)),
            *[(r, resolution_label(r), _query_with(request, res=r)) for r in RESOLUTIONS],
        ],
        "attention_resolution": attention.resolution,
        "attention_resolution_chosen": request.GET.get("res", ""),
        "attention_json_url": _research_url(request, "articles:attention", "json"),
        "attention_csv_url": _research_url(request, "articles:attention", "csv"),
        "attention_resolution_label": resolution_label(attention.resolution),
    }


def research_query(request: HttpRequest) -> str:
    """This request's search, without what belongs to one view (page, format, sort, …)."""
    query = request.GET.copy()
    for key in ("page", "per_page", "format", "sort", "res", "measure", "cal", "dups"):
        query.pop(key, None)
    return query.urlencode()


def _research_url(request: HttpRequest, name: str, fmt: str) -> str:
    query = request.GET.copy()
    for key in ("page", "per_page", "format", "sort"):
        query.pop(key, None)
    query["format"] = fmt
    return f"{reverse(name)}?{query.urlencode()}"
