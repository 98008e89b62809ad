"""“Did you mean”: for a word the public archive hardly knows, the closest word it knows well.

Distances are edit distances on the index's own terms (normalised and stemmed, read through
Whoosh's spelling automaton). Every count is taken over **live, public documents only**
(`public`: the searcher's live documents less the articles hidden since they were indexed),
so a word that survives only in deleted index documents or in hidden articles is never
offered. A candidate must be a real, uncommon-enough word: never a stopword, never held by
more than `COMMON_SHARE` of a sizeable archive (`covid` is not `could`), never the typed word
cut short (`خامنهای` is not `خام`), and two edits away only for long words. A stemmed term
is shown as a real word: the first public place it occurs is read back from its character
offsets, so `presid` is offered as `president`.

Only a query that finds few articles (fewer than `FEW`) is considered, and the engine offers
the suggestion only when it finds clearly more than the query did (`clearly_more`).
"""

from __future__ import annotations

import re

import numpy as np
from whoosh import query as wq

from articles.search.query.parser import ParsedQuery
from articles.search.query.terms import TEXT, normalize
from articles.search.whoosh.docsets import matching_docnums

RARE = 2  # a word in fewer public articles than this may be a typing mistake
FEW = 5  # a query finding fewer articles than this is worth a suggestion
MAX_WORDS = 8
COMMON_SHARE = 0.1  # a word in more than this share of the articles is not a correction
COMMON_FROM = 200  # ... once the archive has this many articles
TWO_EDITS_FROM = 7  # letters a word needs before a two-letter correction is tried


def worth_suggesting(total: int) -> bool:
    """Whether a query that found `total` articles may get a "did you mean"."""
    return total < FEW


def clearly_more(found: int, total: int) -> bool:
    """Whether a suggestion finding `found` articles is worth offering over `total`."""
    return found > total and found >= 2 * total + 1


def _stopwords() -> frozenset[str]:
    from articles.text import EN_STOPWORDS, FA_STOPWORDS

    return frozenset(normalize(word) for word in (*EN_STOPWORDS, *FA_STOPWORDS))


def did_you_mean(searcher, parsed: ParsedQuery, *, total: int, public=None) -> str:
    """The query text with its rare words replaced, or "" when nothing better is known.

    `public`: a boolean array over the searcher's document numbers, true for documents a
    visitor may see (default: the live documents)."""
    if not worth_suggesting(total) or TEXT not in searcher.schema.names():
        return ""
    if public is None and hasattr(searcher.reader(), "leaf_readers"):  # Whoosh
        public = _live(searcher)
    analyzer = searcher.schema[TEXT].analyzer
    counter = _Counter(searcher, public)
    replaced: dict[str, str] = {}
    for word in parsed.words[:MAX_WORDS]:
        terms = [t.text for t in analyzer(word, mode="query")]
        if len(terms) != 1:
            continue
        term = terms[0]
        frequency = counter(term)
        if frequency >= RARE and total:
            continue
        better = _closest(searcher, counter, term, normalize(word), frequency)
        if better:
            replaced[word] = better
    if not replaced:
        return ""
    text = parsed.input
    for word, better in replaced.items():
        text = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", lambda _m, b=better: b, text)
    return text


def _live(searcher) -> np.ndarray:
    reader = searcher.reader()
    live = np.ones(reader.doc_count_all(), dtype=bool)
    if reader.has_deletions():
        live[:] = False
        live[list(reader.all_doc_ids())] = True
    return live


class _Counter:
    """Public documents holding a term (deleted and hidden documents left out). Without a
    `public` mask (an engine without document numbers: Solr) the engine's own counts of
    live documents are used."""

    def __init__(self, searcher, public: np.ndarray | None) -> None:
        self.searcher = searcher
        self.public = public
        self.size = int(public.sum()) if public is not None else 0
        self.cache: dict[str, int] = {}

    def __call__(self, term: str) -> int:
        if self.public is None:
            return self.searcher.reader().doc_frequency(TEXT, term)
        if term not in self.cache:
            docnums = matching_docnums(wq.Term(TEXT, term), self.searcher)
            docnums = docnums[docnums < len(self.public)]
            self.cache[term] = int(self.public[docnums].sum())
        return self.cache[term]

    def common(self, count: int) -> bool:
        return self.size >= COMMON_FROM and count > COMMON_SHARE * self.size


def _acceptable(typed: str, surface: str) -> bool:
    """A correction, not the typed word cut short (`خام` does not correct `خامنهای`) nor a
    stopword."""
    shown = normalize(surface)
    if not shown or shown == typed or shown.isdigit() or typed.startswith(shown):
        return False
    return shown not in _stopwords()


def _closest(searcher, counter: _Counter, term: str, typed: str, frequency: int) -> str:
    """The written form of the best correction of `term`, or ""."""
    if len(term) < 3 or term.isdigit():
        return ""
    reader = searcher.reader()
    for maxdist in (1, 2):
        if maxdist == 2 and len(typed) < TWO_EDITS_FROM:
            break
        try:
            words = [w for w in reader.terms_within(TEXT, term, maxdist, prefix=1) if w != term]
        except Exception:  # noqa: BLE001 - no spelling data in this index: no suggestion
            return ""
        candidates = []
        for word in words:
            count = counter(word)
            if counter.common(count):
                continue
            if count > frequency and (frequency == 0 or count >= 10 * frequency):
                candidates.append((-count, word))
        for _count, word in sorted(candidates):
            surface = _surface(searcher, reader, word, counter.public) or word
            if _acceptable(typed, surface):
                return normalize(surface)
    return ""


def _surface(searcher, reader, term: str, public: np.ndarray | None) -> str:
    """How `term` is written where it first occurs in a public document (normalised)."""
    try:
        matcher = reader.postings(TEXT, term)
        while matcher.is_active():
            docnum = matcher.id()
            if public is None or (docnum < len(public) and public[docnum]):
                spans = matcher.value_as("characters")
                text = searcher.stored_fields(docnum).get(TEXT) or ""
                break
            matcher.next()
        else:
            return ""
    except Exception:  # noqa: BLE001 - a field without offsets: show the term itself
        return ""
    if not spans:
        return ""
    start, end = spans[0][-2:]
    return normalize(text[start:end]) if 0 <= start < end <= len(text) else ""
