"""Facet values with labels, and the monthly timeline, for a search.

The facets are the dimensions declared with a facet limit in `articles.search.dimensions`
(source, language, entity, entity kind, year, Solar Hijri year, and any added since).
A facet's counts reflect the query and every *other* filter: choosing `source=tolonews` still
shows how many hits the other sources would give. Facets without a selected value are counted
in the main search; each facet with a selection costs one extra count-only search.
Labels need two small database queries (source names, entity names), never one per value.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils.translation import get_language

from articles.search import dimensions
from articles.search.types import FacetValue

TIMELINE = ("month", "language")
LABEL_SPARE = 10  # values labelled beyond a facet's limit (selected values may rank lower)


def selected_values(params: Any) -> dict[str, list[str]]:
    """{facet name: the values selected in `params`, as text}."""
    return {
        dim.name: [str(value) for value in dim.values(params)]
        for dim in dimensions.facet_dimensions()
    }


def shared_fields(params: Any) -> list[str]:
    """Index fields whose counts the main search can give (no value of theirs selected)."""
    chosen = selected_values(params)
    return [dim.field for dim in dimensions.facet_dimensions() if not chosen[dim.name]]


def build(raw: Any, params: Any, counts_without: Callable[[str], list]) -> dict[str, list]:
    """`counts_without(field)` runs the search without that field's filter and counts it."""
    chosen = selected_values(params)
    language = get_language() or settings.LANGUAGE_CODE
    out: dict[str, list] = {}
    for dim in dimensions.facet_dimensions():
        selected = chosen[dim.name]
        counted = counts_without(dim.field) if selected else raw.facets.get(dim.field, [])
        labels: dict[str, str] = {}
        if dim.labels is not None:
            shown = [str(value) for value, _n in counted][: dim.limit + LABEL_SPARE]
            if shown:
                labels = dim.labels(shown, language)
        pairs = [(str(value), int(count)) for value, count in counted if value not in (None, "")]
        if dim.numeric:
            pairs.sort(key=lambda pair: -_number(pair[0]))
        pairs = pairs[: dim.limit]
        present = {value for value, _count in pairs}
        pairs += [(value, 0) for value in selected if value not in present]
        out[dim.name] = [
            FacetValue(value=value, label=labels.get(value, value), count=count,
                       selected=value in selected)
            for value, count in pairs
        ]  # fmt: skip
    return out


def _number(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        return 0


def timeline(raw: Any) -> list[dict]:
    """[{"month": "2021-01", "fa": n, "en": n}, …] in month order, from the main search."""
    table = raw.pivots.get(TIMELINE, {})
    return [
        {"month": str(month), "fa": int(row.get("fa", 0)), "en": int(row.get("en", 0))}
        for month, row in sorted(table.items(), key=lambda item: str(item[0]))
    ]
