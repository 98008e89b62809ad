"""“Did you mean”: for a word the index hardly knows, the closest word it knows well.

Distances are edit distances on the index's own terms (normalised and stemmed, read through
Whoosh's spelling automaton), ranked by distance and then by how many articles hold them. A
stemmed term is shown as a real word: the first place the term occurs is read back from its
character offsets, so `presid` is offered as `president`.

Only a query that finds few articles (fewer than `FEW`) gets a suggestion: looking for close
words walks the index's whole term list, and a query that already finds plenty has nothing to
gain from it.
"""

from __future__ import annotations

import re

from articles.search.query import ParsedQuery
from articles.search.queryterms import TEXT, normalize

RARE = 2  # a word in fewer articles than this may be a typing mistake
FEW = 5  # a query finding fewer articles than this is worth a suggestion
MAX_WORDS = 8


def worth_suggesting(total: int) -> bool:
    """Whether a query that found `total` articles may get a "did you mean"."""
    return total < FEW


def did_you_mean(searcher, parsed: ParsedQuery, *, total: int) -> str:
    """The query text with its rare words replaced, or "" when nothing better is known (or
    when the query finds plenty: see `worth_suggesting`)."""
    if not worth_suggesting(total) or TEXT not in searcher.schema.names():
        return ""
    reader = searcher.reader()
    analyzer = searcher.schema[TEXT].analyzer
    replaced: dict[str, str] = {}
    for word in parsed.words[:MAX_WORDS]:
        terms = [t.text for t in analyzer(word, mode="query")]
        if len(terms) != 1:
            continue
        term = terms[0]
        frequency = reader.doc_frequency(TEXT, term)
        if frequency >= RARE and total:
            continue
        better = _closest(searcher, reader, term, frequency)
        if better:
            surface = _surface(searcher, reader, better) or better
            if normalize(surface) != normalize(word):
                replaced[word] = surface
    if not replaced:
        return ""
    text = parsed.input
    for word, better in replaced.items():
        text = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", lambda _m, b=better: b, text)
    return text


def _closest(searcher, reader, term: str, frequency: int) -> str:
    if len(term) < 3 or term.isdigit():
        return ""
    candidates = []
    for maxdist in (1, 2):
        try:
            words = reader.terms_within(TEXT, term, maxdist, prefix=1)
            for word in words:
                if word == term:
                    continue
                count = reader.doc_frequency(TEXT, word)
                if count > frequency and (frequency == 0 or count >= 10 * frequency):
                    candidates.append((maxdist, -count, word))
        except Exception:  # noqa: BLE001 - no spelling data in this index: no suggestion
            return ""
        if candidates:
            break
    return min(candidates)[2] if candidates else ""


def _surface(searcher, reader, term: str) -> str:
    """How `term` is written where it first occurs (normalised: no harakat, lower case)."""
    try:
        matcher = reader.postings(TEXT, term)
        if not matcher.is_active():
            return ""
        docnum = matcher.id()
        spans = matcher.value_as("characters")
        text = searcher.stored_fields(docnum).get(TEXT) or ""
    except Exception:  # noqa: BLE001 - a field without offsets: show the term itself
        return ""
    if not spans:
        return ""
    start, end = spans[0][-2:]
    return normalize(text[start:end]) if 0 <= start < end <= len(text) else ""
