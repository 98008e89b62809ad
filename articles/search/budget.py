"""Every search has a budget: a cost model that trims a query before it runs, and a deadline
that drops the extras (facets, chart, suggestion, snippets) once the search proper has used
its time. A search the budget cut short says so (a `Notice` of kind "budget", and
`explanation["budget"]`).

The cost model counts postings, what the engine reads and scores:

- a prefix is expanded from the term list, reading at most `SCAN_PER_PREFIX` words of it
  and `SCAN_TOTAL` for the whole query, shared fairly among its distinct prefixes (negated
  ones first, so a cut never widens a `NOT`); its most frequent completions among the words
  read are kept while their postings fit in the prefix's share of the budget;
- every term costs its document frequency, a term inside a phrase or a proximity search
  `POSITIONAL` times that (positions are read and compared);
- when the whole query costs more than `POSTINGS_LIMIT`, the costliest
  alternatives of its `OR` groups (the most common words and completions, which weigh least
  in the ranking) are dropped until it fits.

The deadline is CPU time of the searching thread (`DEADLINE_CPU`): the planning stops
expanding prefixes when it is past, and the extras are skipped.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from itertools import islice

from django.utils.translation import gettext as _

from articles.search.contract import SearchBackend
from articles.search.notices import BUDGET, Notice
from articles.search.query import nodes

SCAN_PER_PREFIX = 2000  # words of the term list read for one prefix
SCAN_TOTAL = 8000  # ... for all the prefixes of a query
MAX_PREFIX_TERMS = 100  # completions kept per prefix
MAX_EXPANDED_TERMS = 400  # completions kept for the whole query
POSITIONAL = 4  # a positional term costs this many times its postings
# What one search may read, whatever the archive's size: scoring costs about 0.5 µs of CPU per
# posting (bench/hostile.py at 62,838 articles), so this keeps the search proper near 0.25 s.
POSTINGS_LIMIT = 300_000
DEADLINE_CPU = 0.25  # seconds of CPU for planning and the search proper


def postings_limit(documents: int = 0) -> int:
    """The postings a query may cost (the same at any archive size: CPU is per posting)."""
    return POSTINGS_LIMIT


@dataclass
class Budget:
    documents: int = 0
    started: float = field(default_factory=time.thread_time)
    scanned: int = 0
    expanded: int = 0
    reasons: list[str] = field(default_factory=list)
    cost: int = 0
    prefixes_left: int = 1  # distinct prefixes still to expand: each gets a fair share

    @property
    def limit(self) -> int:
        return postings_limit(self.documents)

    def spent(self) -> float:
        return time.thread_time() - self.started

    def expired(self) -> bool:
        return self.spent() > DEADLINE_CPU

    def cut(self, reason: str) -> None:
        if reason not in self.reasons:
            self.reasons.append(reason)

    @property
    def was_cut(self) -> bool:
        return bool(self.reasons)

    def notice(self) -> Notice:
        return Notice(
            _(
                "This search was too costly to run in full and was cut short (%(what)s); "
                "more specific words, fewer prefixes or a filter give the complete result."
            )
            % {"what": "; ".join(self.reasons)},
            BUDGET,
        )

    def explain(self) -> dict:
        return {
            "cut": self.was_cut,
            "reasons": list(self.reasons),
            "cost": self.cost,
            "limit": self.limit,
            "cpu_ms": round(self.spent() * 1000, 1),
        }


# -- prefixes ---------------------------------------------------------------------------------
def expand_prefix(
    backend: SearchBackend, fieldname: str, prefix: str, budget: Budget, cache: dict
) -> list:
    """The kept completions of `prefix`: [(word, doc frequency)], most frequent first."""
    key = (fieldname, prefix)
    if key in cache:
        return cache[key]
    words: list[tuple[int, str]] = []
    room = min(SCAN_PER_PREFIX, (SCAN_TOTAL - budget.scanned) // max(1, budget.prefixes_left))
    budget.prefixes_left = max(1, budget.prefixes_left - 1)
    if room <= 0 or budget.expired():
        budget.cut(_("prefixes beyond the first few were not expanded"))
        cache[key] = []
        return []
    complete = True
    for index, (word, info) in enumerate(backend.prefix_terms(fieldname, prefix)):
        if index >= room:
            complete = False
            break
        words.append((info, word))
    budget.scanned += len(words)
    if not complete:
        budget.cut(
            _("“%(prefix)s*” has too many completions to read them all") % {"prefix": prefix}
        )
    words.sort(key=lambda pair: -pair[0])
    share = max(1, budget.limit // 8)
    kept, postings = [], 0
    allowed = max(1, min(MAX_PREFIX_TERMS, MAX_EXPANDED_TERMS - budget.expanded))
    for frequency, word in words:
        if len(kept) >= allowed or (kept and postings + frequency > share):
            break
        kept.append((word, frequency))
        postings += frequency
    budget.expanded += len(kept)
    cache[key] = kept
    return kept


def bound_query(
    query: nodes.Node,
    backend: SearchBackend,
    messages: list[str],
    budget: Budget | None = None,
    cache=None,
) -> nodes.Node:
    """Replace each prefix by its most frequent completions within the budget (see the
    module docstring), so no query can grow without bound. Compounds are rebuilt
    (`Node.rebuilt`), so the bounded query shares no compound with the parsed one."""
    budget = budget or Budget(documents=backend.count())
    cache = {} if cache is None else cache
    if isinstance(query, nodes.Prefix):
        kept = expand_prefix(backend, query.field, query.text, budget, cache)
        if not kept:
            return nodes.Nothing()
        words = backend.prefix_terms(query.field, query.text)
        total = sum(1 for _word in islice(words, len(kept) + 1))
        if total > len(kept):
            note = _(
                "“%(prefix)s*” matches many words; the %(limit)d most frequent were searched."
            ) % {"prefix": query.text, "limit": len(kept)}
            if note not in messages:
                messages.append(note)
        terms = [nodes.Term(query.field, word, boost=query.boost) for word, _f in kept]
        return nodes.any_of(terms)
    if query.is_leaf():
        return query
    return query.rebuilt(lambda child: bound_query(child, backend, messages, budget, cache))


def negated_prefixes(query: nodes.Node, negated: bool = False, *, all_of: bool = False):
    """The prefixes under a NOT (with `all_of`, every prefix)."""
    if isinstance(query, nodes.Prefix):
        if negated or all_of:
            yield query
    elif isinstance(query, nodes.Not):
        yield from negated_prefixes(query.query, True, all_of=all_of)
    elif isinstance(query, nodes.AndNot):
        yield from negated_prefixes(query.a, negated, all_of=all_of)
        yield from negated_prefixes(query.b, True, all_of=all_of)
    else:
        for child in query.children():
            yield from negated_prefixes(child, negated, all_of=all_of)


# -- the cost of a query ----------------------------------------------------------------------
def cost_of(query: nodes.Node, backend: SearchBackend, positional: bool = False) -> int:
    factor = POSITIONAL if positional else 1
    if isinstance(query, nodes.Term):
        return factor * _frequency(backend, query.field, query.text)
    if isinstance(query, nodes.Phrase):
        return sum(POSITIONAL * _frequency(backend, query.field, word) for word in query.words)
    if isinstance(query, nodes.Sequence):
        positional = True
    return sum(cost_of(child, backend, positional) for child in query.children())


def _frequency(backend: SearchBackend, fieldname: str, text) -> int:
    try:
        return int(backend.doc_frequency(fieldname, text))
    except Exception:  # noqa: BLE001 - a field the index does not know costs nothing
        return 0


def fit(query: nodes.Node, backend: SearchBackend, budget: Budget) -> nodes.Node:
    """`query`, with the costliest alternatives of its OR groups dropped until it costs no
    more than the budget's postings limit. (On Solr, where each frequency is a request,
    the query is left to Solr's own limits.)"""
    if not backend.cheap_frequencies:
        return query
    budget.cost = cost_of(query, backend)
    if budget.cost <= budget.limit:
        return query
    dropped = 0
    while budget.cost > budget.limit:
        target = _costliest_alternative(query, backend)
        if target is None:
            break
        parent, child, cost = target
        parent.subqueries = [q for q in parent.subqueries if q is not child]
        budget.cost -= cost
        dropped += 1
    if dropped:
        budget.cut(
            _("%(n)d of its most common words or completions were left out") % {"n": dropped}
        )
    if budget.cost > budget.limit:
        budget.cut(_("it reads more of the index than a search may"))
    return query


def _costliest_alternative(query: nodes.Node, backend: SearchBackend):
    best = None
    for parent in _or_nodes(query):
        if len(parent.subqueries) < 2:
            continue
        for child in parent.subqueries:
            cost = cost_of(child, backend)
            if best is None or cost > best[2]:
                best = (parent, child, cost)
    return best


def _or_nodes(query: nodes.Node):
    if isinstance(query, nodes.Or):
        yield query
    if isinstance(query, nodes.Not | nodes.AndNot):
        return  # what is excluded is cheap to keep and wrong to widen
    for child in query.children():
        yield from _or_nodes(child)
