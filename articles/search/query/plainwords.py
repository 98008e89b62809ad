"""Plain words (a query without operators, fields or quotes) as one query.

Ranking: BM25F over every word, in `text` and (boosted) `title`, as an `Or` with Whoosh's
coordination bonus, plus proximity bonuses for neighbouring words and cross-language entity
expansions; a chain's parts rank as words of their own and its joined form at `WHOLE_BOOST`.
The set: the rule of `op` (`articles.search.query.units.required_count`) over the units (a
chain counts once, as its parts in sequence or its joined form; question words do not count),
as a `Require` around the ranking query, so the rule never changes the order.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from articles.search.query import nodes
from articles.search.query import terms as qt
from articles.search.query.nodes import Part
from articles.search.query.terms import TermBuilder
from articles.search.query.tokens import MAX_TERMS
from articles.search.query.units import (
    QueryUnit,
    Rule,
    is_question,
    query_units,
    required_count,
    requirement,
    searched_units,
    unit_query,
)


def _shown(unit: QueryUnit) -> str:
    """A unit as the query syntax would write it."""
    if len(unit.groups) == 1:
        return "|".join(unit.groups[0][1])
    sequence = '"' + " ".join("|".join(terms) for _p, terms in unit.groups) + '"'
    return f"{sequence}|{unit.whole}" if unit.whole else sequence


def plain_query(self: TermBuilder, text: str) -> Part | None:
    """Plain words: each word of each unit a clause of one ranking `Or` (with coordination),
    the set narrowed by the rule of `self.op` (a `Require`); `self` is the `TermBuilder`."""
    fields = self.default_fields()
    units = searched_units(query_units(self.schema[fields[0]].analyzer, text)) if fields else []
    if len(units) > MAX_TERMS:
        self.messages.append(
            _("Only the first %(limit)d words of the query were searched.") % {"limit": MAX_TERMS}
        )
        units = units[:MAX_TERMS]
    clauses, shown, seen, kept, ranked = [], [], set(), [], set()
    for unit in units:
        key = tuple(unit.terms)
        if key in seen:
            continue
        seen.add(key)
        kept.append(unit)
        # Ranking: every word (a chain's parts too, and its joined form) is a clause.
        wholes = [[unit.whole]] if unit.whole else []
        for terms in [ts for _p, ts in unit.groups] + wholes:
            if tuple(terms) in ranked:
                continue
            ranked.add(tuple(terms))
            weight = qt.WHOLE_BOOST if terms in wholes else 1.0
            per_field = [self.any_of(f, terms, weight * (qt.TITLE_BOOST if f == qt.TITLE else 1.0))
                         for f in fields]  # fmt: skip
            clauses.append(per_field[0] if len(per_field) == 1 else nodes.Or(per_field))
        self.highlight_terms.update(unit.terms)
        shown.append(_shown(unit))
    self.fields_used.update(fields)
    _explain_words(self, text, fields)
    if qt.PROXIMITY_BOOST > 0 and qt.TEXT in fields:
        singles = [ts[0] for u in kept for _p, ts in u.groups if len(ts) == 1]
        pairs = list(dict.fromkeys(zip(singles, singles[1:], strict=False)))
        for first, second in pairs[: qt.PROXIMITY_PAIRS]:
            if first != second:
                clauses.append(self.near(first, second))
    counted = [unit for unit in kept if not unit.question] or kept
    needed = [unit_query(unit, fields[0]) for unit in counted]
    for entity_query, label, (start, end) in self.plain_expansions(text):
        clauses.append(entity_query)
        shown.append(label)
        for index, unit in enumerate(counted):
            if start <= unit.start and unit.end <= end:
                needed[index] = nodes.Or([needed[index], entity_query])
    if not clauses:
        self.ignored = True
        return None
    query = clauses[0] if len(clauses) == 1 else nodes.Or(clauses, scale=qt.COORDINATION)
    question = is_question(text)
    required = required_count(len(needed), self.op, question=question)
    self.rule = Rule(self.op, len(needed), required, question=question)
    chains = any(len(unit.groups) > 1 for unit in counted)
    narrowed = requirement(needed, self.rule.required, chains=chains)
    if narrowed is not None:
        query = nodes.Require(query, narrowed)
    joint = " OR " if self.rule.required <= 1 else " AND "
    read = joint.join(shown)
    if 1 < self.rule.required < self.rule.units or len(counted) < len(kept):
        words = [_shown(unit) for unit in counted]
        read = f"({' '.join(words)})@{self.rule.required}"
        read = " OR ".join([read, *shown[len(kept) :]])
    return Part(query, read)


def _explain_words(self: TermBuilder, text: str, fields) -> None:
    for word in text.split()[:MAX_TERMS]:
        word_terms = [t for _p, ts in self.analyze(fields[0], word) for t in ts] if fields else []
        self.explained.append(
            {"text": word, "normalized": qt.normalize(word), "terms": word_terms,
             "field": "", "kind": "word", "op": "should"}
        )  # fmt: skip
        if word_terms:
            self.words.append(word)
