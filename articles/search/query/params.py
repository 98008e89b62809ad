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
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from articles.models import Entity
from articles.search.query.dates import JALALI_BELOW, fold_digits, read_date
from articles.search.types import SORTS, SearchParams

MAX_VALUES = 20
MAX_PAGE = 10_000
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _get(querydict, key: str) -> str:
    value = querydict.get(key, "") if hasattr(querydict, "get") else ""
    if isinstance(value, list | tuple):
        value = value[-1] if value else ""
    return fold_digits(str(value if value is not None else "")).strip()


def _getlist(querydict, key: str) -> list[str]:
    if hasattr(querydict, "getlist"):
        values = querydict.getlist(key)
    else:
        value = querydict.get(key, []) if hasattr(querydict, "get") else []
        values = value if isinstance(value, list | tuple) else [value]
    out: list[str] = []
    for value in values:
        for part in str(value or "").split(","):
            part = part.strip()[:200]
            if part and part not in out:
                out.append(part)
    return out


def _int(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def params_from_query(querydict, *, ui_language: str) -> tuple[SearchParams, list[str]]:
    """Read a search from `request.GET` (or any mapping); never raises."""
    messages: list[str] = []
    params = SearchParams(
        q=str(querydict.get("q", "") or "")[:5000] if hasattr(querydict, "get") else ""
    )

    lang = _get(querydict, "lang").lower()
    if lang in ("fa", "en"):
        params.language = lang
    elif lang not in ("", "all", "any", "both"):
        messages.append(
            _("Unknown language “%(value)s”: showing both languages.") % {"value": lang[:20]}
        )

    for key, attr in (("source", "sources"), ("entity", "entities")):
        values = _getlist(querydict, key)
        if len(values) > MAX_VALUES:
            messages.append(
                _("Only the first %(n)d “%(key)s” values were used.")
                % {"n": MAX_VALUES, "key": key}
            )
        setattr(params, attr, values[:MAX_VALUES])
    kinds = {value for value, _label in Entity.Kind.choices}
    for kind in _getlist(querydict, "kind"):
        if kind.lower() in kinds:
            params.entity_kinds.append(kind.lower())
        else:
            messages.append(
                _("Unknown entity kind “%(value)s” was ignored.") % {"value": kind[:40]}
            )

    _read_years(querydict, params, messages)
    labels = {"from": _("From date"), "to": _("To date")}
    for key, attr in (("from", "date_from"), ("to", "date_to")):
        text = _get(querydict, key)
        if not text:
            continue
        reading = read_date(text)
        if reading is None:
            messages.append(
                _(
                    "“%(value)s” is not a date (try %(gregorian)s or %(solar)s); "
                    "the “%(field)s” field was ignored."
                )
                % {
                    "value": text[:40],
                    "field": labels[key],
                    "gregorian": "\u20662021-01-04\u2069",  # isolated: see dates._iso
                    "solar": "۱۳۹۹/۱۰/۱۵",
                }
            )
            continue
        setattr(params, attr, reading.start if key == "from" else reading.end)
        messages.append(reading.how)
    if params.date_from and params.date_to and params.date_from > params.date_to:
        params.date_from, params.date_to = params.date_to, params.date_from
        messages.append(_("The dates were in the wrong order; they were swapped."))

    sort = _get(querydict, "sort").lower()
    if sort in SORTS:
        params.sort = sort
    elif sort:
        messages.append(_("Unknown sort “%(value)s”: sorted by relevance.") % {"value": sort[:20]})

    page_text = _get(querydict, "page")
    page = _int(page_text) if page_text else 1
    if page is None or page < 1:
        messages.append(
            _("“%(value)s” is not a page number: showing page 1.") % {"value": page_text[:20]}
        )
        page = 1
    if page > MAX_PAGE:
        messages.append(_("Pages stop at %(n)d.") % {"n": MAX_PAGE})
        page = MAX_PAGE
    params.page = page

    per_page_text = _get(querydict, "per_page")
    if per_page_text:
        per_page = _int(per_page_text)
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

    op = _get(querydict, "op").lower()
    if op in ("and", "or"):
        params.op = op
    elif op:
        messages.append(
            _("Unknown operator “%(value)s”: all the words were required (op=and or op=or).")
            % {"value": op[:20]}
        )

    expand_text = _get(querydict, "expand").lower()
    if expand_text in _FALSE:
        params.expand_entities = False
    elif expand_text and expand_text not in _TRUE:
        messages.append(_("“expand” takes 0 or 1; cross-language expansion stays on."))
    return params, messages


def _read_years(querydict, params: SearchParams, messages: list[str]) -> None:
    for key in ("year", "jyear"):
        text = _get(querydict, key)
        if not text:
            continue
        value = _int(text)
        if value is None or not 1 <= value <= 9999:
            messages.append(
                _("“%(value)s” is not a year; the year filter was ignored.") % {"value": text[:20]}
            )
            continue
        solar = value < JALALI_BELOW
        if key == "year" and solar:
            messages.append(_("%(year)d was read as a Solar Hijri year.") % {"year": value})
        elif key == "jyear" and not solar:
            messages.append(_("%(year)d was read as a Gregorian year.") % {"year": value})
        if solar:
            params.jyear = value
        else:
            params.year = value
