"""Reading one search dimension's values from a query string (`request.GET` or any mapping).

Each `articles.search.dimensions.Dimension` names its reader; `read_values` is the default (one
value, or several with `many`). Readers never raise: nonsense is left out, with a message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from articles.models import Entity
from articles.search.query.dates import JALALI_BELOW, fold_digits, read_date

if TYPE_CHECKING:  # the declarations import this module
    from articles.search.dimensions import Dimension
    from articles.search.types import SearchParams

MAX_VALUES = 20  # values read for one repeatable parameter


def get_one(querydict: Any, key: str) -> str:
    """The last value of `key` (digits folded to ASCII, spaces stripped); "" if absent."""
    value = querydict.get(key, "") if hasattr(querydict, "get") else ""
    if isinstance(value, list | tuple):
        value = value[-1] if value else ""
    return fold_digits(str(value if value is not None else "")).strip()


def get_list(querydict: Any, key: str) -> list[str]:
    """Every value of `key`, repeated or comma-separated, without repeats."""
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


def to_int(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def read_values(dim: Dimension, querydict: Any, params: SearchParams, messages: list[str]) -> None:
    """The default reader: the first parameter's value, or its first `MAX_VALUES` values."""
    key = dim.params[0]
    if not dim.many:
        text = get_one(querydict, key)[:200]
        dim.store(params, [text] if text else [])
        return
    values = get_list(querydict, key)
    if len(values) > MAX_VALUES:
        messages.append(
            _("Only the first %(n)d “%(key)s” values were used.") % {"n": MAX_VALUES, "key": key}
        )
    dim.store(params, values[:MAX_VALUES])


def read_language(
    dim: Dimension, querydict: Any, params: SearchParams, messages: list[str]
) -> None:
    lang = get_one(querydict, dim.params[0]).lower()
    if lang in ("fa", "en"):
        dim.store(params, [lang])
    elif lang not in ("", "all", "any", "both"):
        messages.append(
            _("Unknown language “%(value)s”: showing both languages.") % {"value": lang[:20]}
        )


def read_entity_kinds(
    dim: Dimension, querydict: Any, params: SearchParams, messages: list[str]
) -> None:
    kinds = {value for value, _label in Entity.Kind.choices}
    found: list[str] = []
    for kind in get_list(querydict, dim.params[0]):
        if kind.lower() in kinds:
            found.append(kind.lower())
        else:
            messages.append(
                _("Unknown entity kind “%(value)s” was ignored.") % {"value": kind[:40]}
            )
    dim.store(params, found)


def read_year(dim: Dimension, querydict: Any, params: SearchParams, messages: list[str]) -> None:
    """`year` or `jyear`: a year below 1700 is Solar Hijri, from 1700 Gregorian, whichever
    parameter it came in (and the reader is told when it moved)."""
    key = dim.params[0]
    text = get_one(querydict, key)
    if not text:
        return
    value = to_int(text)
    if value is None or not 1 <= value <= 9999:
        messages.append(
            _("“%(value)s” is not a year; the year filter was ignored.") % {"value": text[:20]}
        )
        return
    solar = value < JALALI_BELOW
    if key == "year" and solar:
        messages.append(_("%(year)d was read as a Solar Hijri year.") % {"year": value})
    elif key == "jyear" and not solar:
        messages.append(_("%(year)d was read as a Gregorian year.") % {"year": value})
    if solar:
        params.jyear = value
    else:
        params.year = value


def read_date_range(
    dim: Dimension, querydict: Any, params: SearchParams, messages: list[str]
) -> None:
    """`from` and `to`, each a date in either calendar (a month or a year is its first or
    last day); dates in the wrong order are swapped."""
    labels = {"from": _("From date"), "to": _("To date")}
    for position, (key, attr) in enumerate(zip(dim.params, dim.attrs, strict=True)):
        text = get_one(querydict, key)
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
                    "field": labels.get(key, key),
                    "gregorian": "\u20662021-01-04\u2069",  # isolated: see dates._iso
                    "solar": "۱۳۹۹/۱۰/۱۵",
                }
            )
            continue
        setattr(params, attr, reading.start if position == 0 else reading.end)
        messages.append(reading.how)
    start, end = (getattr(params, attr) for attr in dim.attrs)
    if start and end and start > end:
        setattr(params, dim.attrs[0], end)
        setattr(params, dim.attrs[1], start)
        messages.append(_("The dates were in the wrong order; they were swapped."))
