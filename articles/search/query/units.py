"""What a query's plain words are: units that each must be found (or may, under `op=or`).

A unit is one analysed word, or a chain of words joined by a hyphen, a slash, a full stop, an
apostrophe or a ZWNJ (al-Qaeda, COVID-19, 9/11, U.S., دانش‌آموز): a chain is searched as its
parts next to each other or as its joined form (alqaeda, covid19), never as any of its parts.
Common words (stopwords) are dropped from plain words unless they are all there is, and kept,
at their positions, in chains and phrases.

The default rule (`op=and`) requires every unit of a short query and most units of a long one
(`required`); `op=or` requires any one. Ranking is the same under both rules (BM25F over every
word, a chain's parts and joined form included, as before chains existed): the rule only
decides which documents are in the set.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from articles.search.query import nodes
from articles.text import analyze, normalize

OP_AND, OP_OR = "and", "or"
OPS = (OP_AND, OP_OR)
# Up to ALL_UP_TO units every one is required; beyond, at least this share of them (rounded
# down, never fewer than ALL_UP_TO). Measured on the relevance sets (bench/README.md).
ALL_UP_TO = 2
SHARE_OF_LONG = 0.34
# Question words ask for something; the answer need not hold them (پایتخت اسپانیا کجاست?
# is answered by "مادرید، پایتخت اسپانیا"): ranked like any word, never required.
QUESTION_WORDS = """
    چیست چیه چی چه چطور چطوری چگونه چجوری جوری جوریه کجا کجاست کجای کجاهای کجاها کدام کدوم
    کدامند کدامیک کی کیه کیست کیا چرا چند چندم چندمین چندتا ایا یعنی مگر اسم نام
    what whats who whom whose where when why how which does did do
""".split()
# The same, with the question words that are also common words (why, چرا, چه, چند).
QUESTION_SURFACE = frozenset([*QUESTION_WORDS, "چرا", "چه", "چند", "ایا"])
# A question needs this share of its (non-question) words, at least one: the answer may
# use other words than the question (measured on PersianQA, bench/README.md).
QUESTION_SHARE = 0.25
# What may join two parts of one word in a query (no space): - / . ' ZWNJ, or nothing
# (digits glued to letters: 1408ق).
_CONNECTOR_RE = re.compile("[-\u2010\u2011/.'\u2019\u200c]{0,2}")


def _question_terms() -> frozenset[str]:
    return frozenset(term for word in QUESTION_WORDS for term in analyze(word, query=True))


QUESTION_TERMS = _question_terms()


@dataclass
class QueryUnit:
    groups: list[tuple[int, list[str]]]  # (position, alternative terms), in order
    start: int  # character span in the analysed text
    end: int
    stop: bool = False  # only common words
    whole: str = ""  # a chain's joined form, when the index holds one

    @property
    def question(self) -> bool:
        """Only question words (چیست، کجاست، what): ranked, never required."""
        return all(term in QUESTION_TERMS for _pos, terms in self.groups for term in terms)

    @property
    def terms(self) -> list[str]:
        found = [term for _pos, terms in self.groups for term in terms]
        return [*found, self.whole] if self.whole else found


@dataclass
class Rule:
    """Which documents a plain query's set holds: `required` of its `units` units."""

    op: str
    units: int
    required: int
    question: bool = False  # a question in words: a share of them suffices

    def as_dict(self) -> dict:
        if self.op == OP_OR or self.units <= 1:
            rule = "any" if self.op == OP_OR and self.units > 1 else "all"
        else:
            rule = "all" if self.required >= self.units else "at_least"
        found = {"op": self.op, "rule": rule, "required": self.required, "of": self.units}
        if self.question:
            found["question"] = True
        return found


def required_count(units: int, op: str, *, question: bool = False) -> int:
    """How many of `units` units a document must hold under `op` (a `question` asks in
    words the answer need not use: a share of its words, at least one)."""
    if units <= 0:
        return 0
    if op == OP_OR:
        return 1
    if question:
        return max(1, math.floor(units * QUESTION_SHARE))
    if units <= ALL_UP_TO:
        return units
    return max(ALL_UP_TO, math.floor(units * SHARE_OF_LONG))


def is_question(text: str) -> bool:
    """A question in words (ends with ? or ؟, or holds a question word): natural language."""
    stripped = text.rstrip(" .!‏‎")
    if stripped.endswith(("?", "؟")):
        return True
    words = set(normalize(text).replace("‌", "").split())
    return not words.isdisjoint(QUESTION_SURFACE)


def _tokens(analyzer, text: str, **options) -> list[tuple[int, str, int, int]]:
    found = []
    for token in analyzer(text, positions=True, chars=True, mode="query", **options):
        if token.text:
            found.append((token.pos, token.text, token.startchar, token.endchar))
    return found


def query_units(analyzer, text: str) -> list[QueryUnit]:
    """The units of `text` (stopwords included, marked), in order."""
    kept = {pos for pos, *_rest in _tokens(analyzer, text)}
    units: list[QueryUnit] = []
    previous: tuple[int, int, int] | None = None  # (pos, start, end) of the last part
    for pos, term, start, end in _tokens(analyzer, text, keepstops=True, wholes=True):
        current = units[-1] if units else None
        if previous is not None and pos == previous[0] and current is not None:
            if start == previous[1] and end > previous[2] and len(current.groups) == 1:
                current.whole = term  # the joined form of the chain that starts here
                continue
            if term not in current.groups[-1][1]:
                current.groups[-1][1].append(term)
            continue
        joined = (
            previous is not None
            and current is not None
            and pos == previous[0] + 1
            and start >= previous[2]
            and _CONNECTOR_RE.fullmatch(text, previous[2], start) is not None
        )
        if joined:
            current.groups.append((pos, [term]))  # type: ignore[union-attr]
            current.end = end  # type: ignore[union-attr]
            current.stop = current.stop and pos not in kept  # type: ignore[union-attr]
        else:
            units.append(QueryUnit([(pos, [term])], start, end, stop=pos not in kept))
        previous = (pos, start, end)
    for unit in units:
        if len(unit.groups) == 1:
            unit.whole = ""  # a whole belongs to a chain of several parts only
    return units


def unit_query(
    unit: QueryUnit, fieldname: str, boost: float = 1.0, whole_boost: float = 1.0
) -> nodes.Node:
    """The parts of `unit` in sequence, or its joined form (scored at `whole_boost`)."""
    if len(unit.groups) == 1:
        terms = unit.groups[0][1]
        queries = [nodes.Term(fieldname, term, boost=boost) for term in terms]
        return queries[0] if len(queries) == 1 else nodes.Or(queries)
    if all(len(terms) == 1 for _pos, terms in unit.groups):
        sequence: nodes.Node = nodes.Phrase(
            fieldname, [terms[0] for _pos, terms in unit.groups], slop=1, boost=boost
        )
    else:
        parts = [nodes.Or([nodes.Term(fieldname, t) for t in terms]) for _pos, terms in unit.groups]
        sequence = nodes.Sequence(parts, slop=1, boost=boost)
    if not unit.whole:
        return sequence
    return nodes.Or([sequence, nodes.Term(fieldname, unit.whole, boost=boost * whole_boost)])


def searched_units(units: list[QueryUnit]) -> list[QueryUnit]:
    """Common words alone are dropped, unless the query holds nothing else."""
    content = [unit for unit in units if not unit.stop]
    return content or units


def requirement(
    unit_queries: list[nodes.Node], required: int, *, chains: bool = False
) -> nodes.Node | None:
    """A query matching the documents that hold at least `required` of `unit_queries`
    (None when every document of the ranking query qualifies: the ranking query holds each
    word of a chain on its own, so with `chains` the set needs the requirement even for one)."""
    if not unit_queries:
        return None
    if required <= 1 or len(unit_queries) == 1:
        if not chains:
            return None
        return unit_queries[0] if len(unit_queries) == 1 else nodes.Or(unit_queries)
    if required >= len(unit_queries):
        return nodes.And(unit_queries)
    return nodes.Or(unit_queries, min_match=required)
