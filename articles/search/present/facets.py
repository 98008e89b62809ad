"""Facet values with labels, and the monthly timeline, for a search.

A facet's counts reflect the query and every *other* filter: choosing `source=tolonews` still
shows how many hits the other sources would give. Facets without a selected value are counted
in the main search; each facet with a selection costs one extra count-only search.
Labels need two small database queries (source names, entity names), never one per value.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language

from articles.models import Entity, Source

FIELDS = {  # result key -> index field
    "source": "source",
    "language": "language",
    "entity": "entities",
    "entity_kind": "entity_kinds",
    "year": "year",
    "jyear": "jyear",
}
LIMITS = {"source": 50, "entity": 30, "entity_kind": 10, "language": 2, "year": 100, "jyear": 100}
TIMELINE = ("month", "language")


def selected_values(params) -> dict[str, list[str]]:
    return {
        "source": list(params.sources),
        "language": [params.language] if params.language else [],
        "entity": list(params.entities),
        "entity_kind": list(params.entity_kinds),
        "year": [str(params.year)] if params.year else [],
        "jyear": [str(params.jyear)] if params.jyear else [],
    }


def shared_fields(params) -> list[str]:
    """Index fields whose counts the main search can give (no value of theirs selected)."""
    chosen = selected_values(params)
    return [field for key, field in FIELDS.items() if not chosen[key]]


def build(raw, params, counts_without) -> dict[str, list]:
    """`counts_without(field)` runs the search without that field's filter and counts it."""
    from articles.search.types import FacetValue

    chosen = selected_values(params)
    counted: dict[str, list[tuple[object, int]]] = {}
    for key, field in FIELDS.items():
        counted[key] = raw.facets.get(field, []) if not chosen[key] else counts_without(field)
    labels = _labels(counted, get_language() or settings.LANGUAGE_CODE)
    out: dict[str, list] = {}
    for key, values in counted.items():
        pairs = [(str(value), int(count)) for value, count in values if value not in (None, "")]
        if key in ("year", "jyear"):
            pairs.sort(key=lambda pair: -_number(pair[0]))
        pairs = pairs[: LIMITS[key]]
        present = {value for value, _count in pairs}
        pairs += [(value, 0) for value in chosen[key] if value not in present]
        out[key] = [
            FacetValue(value=value, label=labels[key].get(value, value), count=count,
                       selected=value in chosen[key])
            for value, count in pairs
        ]  # fmt: skip
    return out


def _number(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        return 0


def _labels(counted: dict, language: str) -> dict[str, dict[str, str]]:
    labels: dict[str, dict[str, str]] = {key: {} for key in FIELDS}
    source_slugs = [str(v) for v, _n in counted["source"]][: LIMITS["source"] + 10]
    if source_slugs:
        for source in Source.objects.filter(slug__in=source_slugs).only(
            "slug", "name_en", "name_fa"
        ):
            labels["source"][source.slug] = source.name_in(language)
    entity_slugs = [str(v) for v, _n in counted["entity"]][: LIMITS["entity"] + 10]
    if entity_slugs:
        for entity in Entity.objects.filter(slug__in=entity_slugs).only(
            "slug", "name_en", "name_fa"
        ):
            labels["entity"][entity.slug] = entity.name_in(language)
    names = getattr(settings, "LANGUAGE_NAMES", {})
    labels["language"] = {code: str(name) for code, name in names.items()}
    labels["entity_kind"] = {str(value): str(label) for value, label in Entity.Kind.choices}
    return labels


def timeline(raw) -> list[dict]:
    """[{"month": "2021-01", "fa": n, "en": n}, …] in month order, from the main search."""
    table = raw.pivots.get(TIMELINE, {})
    return [
        {"month": str(month), "fa": int(row.get("fa", 0)), "en": int(row.get("en", 0))}
        for month, row in sorted(table.items(), key=lambda item: str(item[0]))
    ]
