"""“Did you mean” on the Whoosh index: candidates within one or two edits of a rare word,
read through Whoosh's spelling automaton, counted over live, public documents only (the
rules are `articles.search.present.suggest`'s)."""

from __future__ import annotations

import re

import numpy as np
from whoosh import query as wq

from articles.search.present import suggest
from articles.search.query.parser import ParsedQuery
from articles.search.query.terms import TEXT, normalize
from articles.search.whoosh.docsets import matching_docnums


def did_you_mean(searcher, parsed: ParsedQuery, *, total: int, public=None) -> str:
    """The query text with its rare words replaced, or "" when nothing better is known.

    `public`: a boolean array over the searcher's document numbers, true for documents a
    visitor may see (default: the live documents)."""
    if not suggest.worth_suggesting(total) or TEXT not in searcher.schema.names():
        return ""
    if public is None:
        public = _live(searcher)
    analyzer = searcher.schema[TEXT].analyzer
    counter = _Counter(searcher, public)
    replaced: dict[str, str] = {}
    for word in parsed.words[: suggest.MAX_WORDS]:
        terms = [t.text for t in analyzer(word, mode="query")]
        if len(terms) != 1:
            continue
        term = terms[0]
        frequency = counter(term)
        if frequency >= suggest.RARE and total:
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
    """Public documents holding a term (deleted and hidden documents left out)."""

    def __init__(self, searcher, public: np.ndarray) -> None:
        self.searcher = searcher
        self.public = public
        self.size = int(public.sum())
        self.cache: dict[str, int] = {}

    def __call__(self, term: str) -> int:
        if term not in self.cache:
            docnums = matching_docnums(wq.Term(TEXT, term), self.searcher)
            docnums = docnums[docnums < len(self.public)]
            self.cache[term] = int(self.public[docnums].sum())
        return self.cache[term]

    def common(self, count: int) -> bool:
        return self.size >= suggest.COMMON_FROM and count > suggest.COMMON_SHARE * self.size


def _closest(searcher, counter: _Counter, term: str, typed: str, frequency: int) -> str:
    """The written form of the best correction of `term`, or ""."""
    if len(term) < 3 or term.isdigit():
        return ""
    reader = searcher.reader()
    for maxdist in (1, 2):
        if maxdist == 2 and len(typed) < suggest.TWO_EDITS_FROM:
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
            if suggest.acceptable(typed, surface):
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
