"""Whoosh analyzer built on ``articles.text``: the index and its queries analyse alike.

``NewsAnalyzer()`` is ``NewsTokenizer() | NewsStopFilter() | NewsStemFilter()``; every class
is defined at module level so the analyzer pickles into the index's schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh.analysis import Composable, Filter, Token, Tokenizer
from whoosh.fields import TEXT

from articles.search.indexterms import STOP_MARK
from articles.search.whoosh.preanalysed import PreAnalysed
from articles.text.analysis import cached_term, term_cache, units
from articles.text.chars import ZWNJ, normalize


class NewsTokenizer(Tokenizer):
    """Normalised, affix-joined words with offsets into the original text.

    ZWNJ/hyphen compounds also yield their joined form at the first part's position, except
    in query mode: the parser ANDs every token of a query word, and phrase queries take the
    tokens as consecutive words, so a ZWNJ query must yield just the parts to match a
    document written with a space; ``wholes=True`` adds the joined form of a hyphen, slash or
    ZWNJ compound at the first part's position all the same (the query parser offers it as
    an alternative to the parts in sequence). ``whoosh.highlight.highlight`` also analyses in query
    mode but passes ``removestops=False``; it gets the joined form, so a document's
    ``دانش‌آموز`` is marked for the query ``دانشآموز``.
    """

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        mode: str = "",
        tokenize: bool = True,
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            # The whole value as one term (Whoosh asks for this for range ends).
            token.text = normalize(value).replace(ZWNJ, "")
            token.protected = False
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = value
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar = start_char
                token.endchar = start_char + len(value)
            yield token
            return
        joined = mode != "query" or not removestops
        wholes = bool(kwargs.get("wholes"))
        for text, start, end, position, protected in units(value, joined=joined, wholes=wholes):
            token.text = text
            token.protected = protected
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = value[start:end]
            if positions:
                token.pos = start_pos + position
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


class _TermFilter(Filter):
    """Shared by the stop and stem filters: both apply ``articles.text.analysis.term``."""

    def __init__(self, language: str | None = None) -> None:
        self.language = language

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.language == self.language  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self), self.language))


class NewsStopFilter(_TermFilter):
    """Drops Persian and English stopwords by script from queries (kept, marked stopped, when
    asked with ``removestops=False``).

    The index keeps them, unstemmed and marked (``_the``, ``_و``: a common word never shares a
    term with a word that stems like it, "being" -> "be"), at their positions; a query asks
    for them so with ``keepstops=True``: a query of common words alone (``می‌شود``, ``to be or
    not to be``) and a phrase (``"برگزار می‌شود"``) search them as words.
    """

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        language = self.language
        cache = term_cache(language, False, True)
        for token in tokens:
            if getattr(token, "protected", False) or (
                cached_term(token.text, cache, language, stem=False, removestops=True) is not None
            ):
                yield token
            elif token.mode != "query" or getattr(token, "keepstops", False):
                token.text = STOP_MARK + token.text
                yield token
            elif not token.removestops:
                token.stopped = True
                yield token


class NewsStemFilter(_TermFilter):
    """Persian light stemming or English Porter2 by script; numbers and acronyms kept."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        language = self.language
        cache = term_cache(language, True, False)
        for token in tokens:
            if not getattr(token, "protected", False) and token.text[:1] != STOP_MARK:
                stemmed = cached_term(token.text, cache, language, stem=True, removestops=False)
                token.text = token.text if stemmed is None else stemmed
            yield token


def NewsAnalyzer(stem: bool = True, language: str | None = None) -> Composable:  # noqa: N802
    """The analyzer for article text; ``stem=False`` for an unstemmed (exact) field."""
    chain = NewsTokenizer() | NewsStopFilter(language)
    if stem:
        chain = chain | NewsStemFilter(language)
    return chain


class NewsText(TEXT):
    """A text field whose common words are indexed (as ``_word``: for phrases and for queries
    of common words alone) but not counted in the field's length, so BM25's length
    normalisation, and with it the ranking of every other word, is what it was when they were
    not indexed."""

    def index(self, value, **kwargs):
        if isinstance(value, PreAnalysed):  # analysed beforehand: replay (preanalysed.py)
            yield from value.items
            return
        for btext, freq, weight, vbytes in super().index(value, **kwargs):
            yield btext, (0 if btext[:1] == b"_" else freq), weight, vbytes
