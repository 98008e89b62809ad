"""What the search tells its reader: one sentence per notice, the same on the page and in the
JSON (`messages`), produced once where the decision is made (parameters, query, engine).

A `Notice` is a `str` (so every consumer of `messages` keeps working) with a `kind`: "date"
for how a typed date was read (the page lists those beside the date fields), "budget" when
the search's budget cut it short, "note" for everything else.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext

NOTE, DATE, BUDGET = "note", "date", "budget"


class Notice(str):
    kind: str = NOTE

    def __new__(cls, text: object, kind: str = NOTE) -> Notice:
        notice = super().__new__(cls, str(text))
        notice.kind = kind
        return notice


def unavailable() -> Notice:
    """The one sentence for a search that cannot run at all (the engine is missing or
    failed): the page, the JSON, the feeds and the exports all say this."""
    return Notice(gettext("Search is not available at the moment."))


def kind_of(message: object) -> str:
    return getattr(message, "kind", NOTE)


def merged(*groups: Iterable[object]) -> list[str]:
    """The messages of several stages, in order, each once."""
    out: dict[str, object] = {}
    for group in groups:
        for message in group:
            if message and str(message) not in out:
                out[str(message)] = message if isinstance(message, Notice) else Notice(message)
    return list(out.values())


def as_json(messages: Iterable[object]) -> list[dict[str, str]]:
    return [{"kind": kind_of(message), "text": str(message)} for message in messages]
