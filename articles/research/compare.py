"""Compare up to five searches: one attention axis, a line per search, and per search its
counts, top terms and top entities.

    /en/compare/?q=taliban+lang:fa&q=taliban+lang:en&from=2021&to=2022

Each `q` is a whole query in the search syntax, so a comparison can restrict one search to a
language (`lang:fa`) or to sources (`source:tolonews`); the other parameters (`from`, `to`,
`lang`, `source`, `entity`, …) apply to every search. A search's share is taken of the archived
articles of the period in the languages it is restricted to (both when it is not).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from articles.research.attention import LANGUAGES, Attention, attention_from, dated_span
from articles.research.comentions import co_mentions
from articles.research.terms import TopTerms, top_terms
from articles.search.engine import match_search
from articles.search.types import SearchParams

MAX_QUERIES = 5
TERMS_SAMPLE = 60  # articles read per search for its top terms (the page says so)
TOP = 10


@dataclass
class QuerySpec:
    q: str


@dataclass
class Compared:
    q: str
    count: int
    counts: dict[str, int]  # per language
    languages: tuple[str, ...]  # the languages its share is taken of
    attention: Attention
    terms: TopTerms | None = None
    entities: list = field(default_factory=list)

    def share(self, index: int) -> float | None:
        period = self.attention.periods[index]
        total = sum(period.totals.get(code, 0) for code in self.languages)
        return period.count / total if total else None


def restricted_languages(matches, base: SearchParams) -> tuple[str, ...]:
    """The languages a search is limited to, by `lang=` or by `lang:` in its query."""
    if base.language in LANGUAGES:
        return (base.language,)
    chosen = [
        term
        for token in matches.plan.parsed.tokens
        if token.get("field") in ("lang", "language") and token.get("op") != "must_not"
        for term in token.get("terms") or []
        if term in LANGUAGES
    ]
    return tuple(dict.fromkeys(chosen)) or LANGUAGES


def compare(
    specs: list[QuerySpec],
    *,
    base: SearchParams,
    resolution: str = "",
    calendar: str = "gregorian",
    language: str = "en",
    with_details: bool = True,
) -> list[Compared]:
    specs = [spec for spec in specs if spec.q.strip()][:MAX_QUERIES]
    searches = [replace(base, q=spec.q) for spec in specs]
    matched = [match_search(params) for params in searches]
    spans = [span for span in (dated_span(m) for m in matched) if span]
    span = (min(s[0] for s in spans), max(s[1] for s in spans)) if spans else None
    out = []
    for params, matches in zip(searches, matched, strict=True):
        attention = attention_from(matches, resolution=resolution, calendar=calendar, span=span)
        language_counts = dict(matches.columns.counts("language", matches.docnums))
        compared = Compared(
            q=params.q,
            count=len(matches.docnums),
            counts={code: int(language_counts.get(code, 0)) for code in LANGUAGES},
            languages=restricted_languages(matches, base),
            attention=attention,
        )
        if with_details:
            compared.terms = top_terms(params, limit=TOP, sample_size=TERMS_SAMPLE, matches=matches)
            compared.entities = co_mentions(
                params, language=language, limit=TOP, matches=matches
            ).entities
        out.append(compared)
    return out
