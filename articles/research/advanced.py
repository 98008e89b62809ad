"""The advanced search form: boxes for all words, any word, a phrase, words near each other,
words to leave out, title only, dates in either calendar, language, source and entity; it
composes a query in the search syntax and sends the reader to the search page with it.

    compose({"all": "kabul election", "any": "herat mazar", "exclude": "bomb"})
    -> "kabul AND election AND (herat OR mazar) NOT bomb"
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from articles.models import Entity, Source

FIELDS = ("all", "any", "phrase", "near", "near_n", "exclude", "title")
PASSED = ("from", "to", "lang", "source", "entity")
_QUOTES = re.compile('["“”«»]')
_OPERATORS = {"and", "or", "not", "&&", "||"}


def _words(text: str) -> list[str]:
    """The words of a box, with quotes and operator words dropped (they belong to the form)."""
    words = _QUOTES.sub(" ", text or "").split()
    return [w.lstrip("+-") for w in words if w.lower() not in _OPERATORS and w.lstrip("+-")][:20]


def compose(data) -> tuple[str, bool]:
    """(query, uses "any word"): the boxes of the form as one query in the search syntax."""
    title = str(data.get("title", "")) in ("1", "on", "true")
    field = "title:" if title else ""
    clauses: list[str] = []
    clauses += [f"{field}{word}" for word in _words(data.get("all", ""))]
    any_words = _words(data.get("any", ""))
    if len(any_words) == 1:
        clauses.append(f"{field}{any_words[0]}")
    elif any_words:
        clauses.append("(" + " OR ".join(f"{field}{word}" for word in any_words) + ")")
    phrase = _words(data.get("phrase", ""))
    if phrase:
        clauses.append(f'{field}"{" ".join(phrase)}"')
    near = _words(data.get("near", ""))
    if len(near) >= 2:
        try:
            distance = max(1, min(int(str(data.get("near_n", "") or 5)), 50))
        except ValueError:
            distance = 5
        clauses.append(f'{field}"{" ".join(near)}"~{distance}')
    elif near:
        clauses.append(f"{field}{near[0]}")
    query = " AND ".join(clauses)
    for word in _words(data.get("exclude", "")):
        query += f" NOT {field}{word}"
    return query.strip(), bool(any_words)


def advanced(request: HttpRequest) -> HttpResponse:
    data = request.GET
    if any(str(data.get(key, "")).strip() for key in ("all", "any", "phrase", "near", "exclude")):
        query, any_word = compose(data)
        pairs: list[tuple[str, str]] = [("q", query)]
        if any_word:
            pairs.append(("op", "or"))
        for key in PASSED:
            pairs += [(key, value) for value in data.getlist(key) if value.strip()]
        return redirect(f"{reverse('articles:search')}?{urlencode(pairs)}")
    context = {
        "form": {key: data.get(key, "") for key in (*FIELDS, *PASSED)},
        "sources": Source.objects.order_by("slug").only("slug", "name_en", "name_fa")[:500],
        "entities": Entity.objects.order_by("name_en").only("slug", "name_en", "name_fa")[:500],
        "submitted": bool(data),
    }
    return render(request, "research/advanced.html", context)
