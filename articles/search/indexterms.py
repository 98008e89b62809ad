"""The terms a text field's value is indexed as, with positions and character offsets: the
rule both backends index by (Whoosh through its analyzer, `articles.search.whoosh.analysis`;
Solr as pre-analysed tokens, `articles.search.solr.backend.pre_analyzed`).

Every unit of `articles.text.analysis.units` (all forms of a compound) is kept; a stopword is
kept unstemmed and marked with `STOP_MARK` (`_the`, `_و`), so phrases and queries of common
words alone still find it while it never shares a term with a word that stems like it; every
other word is stemmed by its script.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from articles.text.analysis import cached_term, term_cache, units

STOP_MARK = "_"  # never inside a word (the tokenizer splits at "_")


class IndexTerm(NamedTuple):
    text: str
    position: int
    start: int
    end: int


def index_terms(value: str, language: str | None = None) -> Iterator[IndexTerm]:
    """The index terms of `value` in the order the analyser yields them."""
    stops = term_cache(language, False, True)
    stems = term_cache(language, True, False)
    for text, start, end, position, protected in units(value, joined=True):
        if protected:
            yield IndexTerm(text, position, start, end)
        elif cached_term(text, stops, language, stem=False, removestops=True) is None:
            yield IndexTerm(STOP_MARK + text, position, start, end)
        else:
            stemmed = cached_term(text, stems, language, stem=True, removestops=False)
            yield IndexTerm(text if stemmed is None else stemmed, position, start, end)
