"""Cross-language entity expansion: `Taliban` also finds the Persian articles tagged طالبان.

Every run of one to four words of the query is normalised the way `EntityAlias.normalized`
is, and looked up in one database query. The parser (`articles.search.query.terms`) adds
`entities:<slug>` as an alternative to each word or phrase that names an entity, and the
result reports each expansion (slug, both names, the alias matched) in `result.expansions`.
`SearchParams.expand_entities=False` switches it off (`expand=0` in the URL).
"""

from __future__ import annotations

import re

from articles.models import EntityAlias
from articles.search.query.terms import normalize

MAX_WORDS = 50
MAX_NGRAM = 4
_SYNTAX = re.compile(r'[()"*+~]|\b(?:AND|OR|NOT)\b|(?<![\w-])-|\b[A-Za-z_]{1,20}:')


def alias_candidates_words(q: str) -> list[str]:
    """The words of a query without its syntax (operators, quotes, fields, brackets)."""
    return _SYNTAX.sub(" ", str(q or "")[:500]).split()[:MAX_WORDS]


def alias_candidates(q: str) -> set[str]:
    words = alias_candidates_words(q)
    found: set[str] = set()
    for size in range(1, MAX_NGRAM + 1):
        for start in range(len(words) - size + 1):
            key = normalize(" ".join(words[start : start + size]))
            if key:
                found.add(key)
    return found


def find_aliases(q: str) -> dict[str, list[dict]]:
    """{normalised alias: [entity description, …]} for the aliases the query contains."""
    candidates = alias_candidates(q)
    if not candidates:
        return {}
    rows = (
        EntityAlias.objects.filter(normalized__in=candidates)
        .values_list(
            "normalized", "alias", "language",
            "entity__slug", "entity__name_en", "entity__name_fa", "entity__kind",
        )
        .order_by("entity__slug", "normalized")[:200]
    )  # fmt: skip
    found: dict[str, list[dict]] = {}
    for normalized, alias, language, slug, name_en, name_fa, kind in rows:
        entries = found.setdefault(normalized, [])
        if any(entry["slug"] == slug for entry in entries):
            continue
        entries.append(
            {"slug": slug, "name_en": name_en, "name_fa": name_fa, "kind": kind,
             "alias": alias, "alias_language": language}
        )  # fmt: skip
    return found
