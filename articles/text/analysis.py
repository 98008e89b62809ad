"""Index terms: affix joining, compound splitting, stopwords and stemming by script.

One function serves indexing and querying, so a query is analysed exactly like the text
it should find. The steps, per scanned word (``tokens.scan``):

1. Inside a word, an apostrophe joins (``trump's`` -> ``trump``, ``o'neill`` -> ``oneill``).
2. A known Persian prefix (می، نمی، بی) or inflectional suffix (ها، های، تر، ترین، اند…)
   separated by ZWNJ is joined to its stem: ``می‌خواهم`` -> ``میخواهم``.
3. The same affixes written as separate words are joined too (``می خواهم``, ``کتاب ها``),
   but only across plain spacing, never across punctuation, and only next to Persian words.
   Hence ZWNJ, space and joined spellings of an inflected word give one identical term.
4. Any other ZWNJ or hyphen compound (``دانش‌آموز``, ``al-Qaeda``) yields its parts at
   consecutive positions and, when indexing, also the joined form at the first part's
   position: a query typed with a space (parts) or joined (one term) finds it, and phrase
   queries over the parts still match. Queries yield only the parts, because Whoosh's parser
   ANDs every token of a query word: a ZWNJ query must match a document that used a space.
   A joined spelling cannot be split without a lexicon, so for the known compounds of
   ``persian.FA_COMPOUNDS`` every spelling (joined too) indexes parts and joined form at one
   position, and a query yields the joined form alone.
5. Stopwords are removed and terms stemmed according to the token's script (or
   ``language``, when given).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from articles.text.chars import ZWNJ, is_persian_char
from articles.text.english import EN_STOPWORDS, stem_en
from articles.text.persian import (
    FA_COMPOUND_SPLITS,
    FA_DROPPED_AFTER_HEH,
    FA_PREFIXES,
    FA_SPACE_SUFFIXES,
    FA_SPACE_SUFFIXES_AFTER_HEH,
    FA_STOPWORDS,
    FA_ZWNJ_SUFFIXES,
    stem_fa,
)
from articles.text.tokens import WORD, Part, Token, scan

PROTECTED = "p"  # numbers and acronyms

# Gaps across which a separated affix is still part of the word before/after it.
_PLAIN_GAP_RE = re.compile("[ \t\u00a0\u202f\u200c\u200d\u200e\u200f]+")
_MADDA = "\u0653"
_CLOSE_GAPS_RE = re.compile("[ \t\u00a0\u202f]+")


# A term before stopwords and stemming: (text, start, end, position, protected).
# Protected terms (numbers, acronyms) are neither stopped (U.S. is not "us") nor stemmed.
Unit = tuple[str, int, int, int, bool]
_SPACE_SUFFIXES = FA_SPACE_SUFFIXES | FA_SPACE_SUFFIXES_AFTER_HEH


def _merge(parts: list[Part], joints: list[str], i: int, drop_second: bool = False) -> None:
    first, second = parts[i], parts[i + 1]
    text = first[0] if drop_second else first[0] + second[0]
    parts[i : i + 2] = [(text, first[1], second[2])]
    del joints[i]


def _join_inside(parts: list[Part], joints: list[str]) -> None:
    i = 0
    while i < len(joints):
        joint = joints[i]
        if joint == "'":
            # Possessive 's is dropped; other apostrophes join (o'neill -> oneill).
            _merge(parts, joints, i, drop_second=parts[i + 1][0] == "s" and i + 2 == len(parts))
        elif joint == ZWNJ and parts[i][0] in FA_PREFIXES:
            _merge(parts, joints, i)
        elif joint == ZWNJ and parts[i + 1][0] in FA_ZWNJ_SUFFIXES:
            drop = parts[i + 1][0] in FA_DROPPED_AFTER_HEH and parts[i][0].endswith("ه")
            _merge(parts, joints, i, drop_second=drop)
        else:
            i += 1


def _suffix_joins(previous: str, suffix: str, text: str, suffix_start: int) -> bool | None:
    """Whether a separate ``suffix`` attaches to ``previous`` (True: and is dropped)."""
    if not is_persian_char(previous[-1]) or previous in FA_STOPWORDS:
        return None
    if suffix in FA_SPACE_SUFFIXES:
        return False
    if previous.endswith("ه"):
        # آید, آش: an alef that was آ is a word, not a suffix.
        original = text[suffix_start : suffix_start + 2]
        if original[:1] in ("ا", "ی") and original[1:2] != _MADDA:
            return suffix in FA_DROPPED_AFTER_HEH
    return None


def _affixed(text: str) -> Iterator[tuple[list[Part], list[str], bool]]:
    """Words after affix joining: (parts, joints, is_plain_word)."""
    pending: tuple[list[Part], list[str], bool] | None = None
    for kind, _start, _end, parts, joints in scan(text):
        if joints:
            _join_inside(parts, joints)
        plain = kind == WORD
        if pending is not None:
            prev_parts, prev_joints, prev_plain = pending
            if plain and prev_plain:
                last, first = prev_parts[-1], parts[0]
                if (
                    last[0] in FA_PREFIXES
                    and not prev_joints
                    and is_persian_char(first[0][0])
                    # بی آن که is "without that", not بیان ("statement") + که.
                    and not (last[0] == "بی" and first[0] in FA_STOPWORDS)
                    and _PLAIN_GAP_RE.fullmatch(text, last[2], first[1])
                ):
                    parts[0] = (last[0] + first[0], last[1], first[2])
                    pending = (parts, joints, plain)
                    continue
                if (
                    first[0] in _SPACE_SUFFIXES
                    and not joints
                    and _PLAIN_GAP_RE.fullmatch(text, last[2], first[1])
                ):
                    drop = _suffix_joins(last[0], first[0], text, first[1])
                    if drop is not None:
                        joined = last[0] if drop else last[0] + first[0]
                        prev_parts[-1] = (joined, last[1], first[2])
                        continue
            yield pending
        pending = (parts, joints, plain)
    if pending is not None:
        yield pending


LEXICAL = "c"  # a known compound (FA_COMPOUNDS), whatever its spelling
_COMPOUND_PAIRS = frozenset(FA_COMPOUND_SPLITS.values())


def _words(text: str) -> Iterator[tuple[list[Part], list[str], str]]:
    """Words after affix joining and known-compound detection: (parts, joints, kind).

    ``kind`` is WORD, LEXICAL or that of a number or acronym (protected).
    """
    pending: tuple[list[Part], list[str], str] | None = None
    for parts, joints, plain in _affixed(text):
        kind = WORD if plain else PROTECTED
        if plain and len(parts) == 1:
            split = FA_COMPOUND_SPLITS.get(parts[0][0])
            if split is not None:
                _, start, end = parts[0]
                parts, joints, kind = (
                    [(split[0], start, end), (split[1], start, end)],
                    [ZWNJ],
                    LEXICAL,
                )
            elif pending is not None and pending[2] == WORD and len(pending[0]) == 1:
                last, first = pending[0][0], parts[0]
                if (last[0], first[0]) in _COMPOUND_PAIRS and _PLAIN_GAP_RE.fullmatch(
                    text, last[2], first[1]
                ):
                    pending = ([last, first], [ZWNJ], LEXICAL)
                    continue
        elif plain and len(parts) == 2 and (parts[0][0], parts[1][0]) in _COMPOUND_PAIRS:
            kind = LEXICAL
        if pending is not None:
            yield pending
        pending = (parts, joints, kind)
    if pending is not None:
        yield pending


def units(text: str, *, joined: bool = True) -> Iterator[Unit]:
    """Normalised, affix-joined terms before stopwords and stemming, with positions."""
    position = 0
    for parts, joints, kind in _words(text):
        if not joints:
            part = parts[0]
            yield (part[0], part[1], part[2], position, kind != WORD)
            position += 1
            continue
        first = parts[0]
        if kind == LEXICAL:
            # One position for every form: a query yields the joined form alone, and a
            # phrase around it must line up whichever spelling the document used.
            if joined:
                yield (first[0], first[1], first[2], position, False)
            whole = "".join(part[0] for part in parts)
            yield (whole, first[1], parts[-1][2], position, False)
            if joined:
                for part in parts[1:]:
                    yield (part[0], part[1], part[2], position, False)
            position += 1
            continue
        yield (first[0], first[1], first[2], position, False)
        if joined:
            whole = "".join(part[0] for part in parts)
            if not whole.isdigit():
                yield (whole, first[1], parts[-1][2], position, False)
        for offset, part in enumerate(parts[1:], start=1):
            yield (part[0], part[1], part[2], position + offset, False)
        position += len(parts)


def script_of(term: str) -> str:
    """Return "fa", "en" or "" (numbers, other scripts) for a normalised term."""
    last = term[-1]
    if "\u0600" <= last <= "\u08ff":
        return "fa"
    first = term[0]
    if last.isascii():
        if last.isalpha() or (first.isascii() and first.isalpha()):
            return "en"
    return "fa" if "\u0600" <= first <= "\u08ff" else ""


def term(
    text: str, protected: bool, language: str | None, *, stem: bool, removestops: bool
) -> str | None:
    """The index term for a unit's text, or None when it is a stopword to drop."""
    if protected:
        return text
    script = script_of(text)
    lang = language if language and script else script
    if lang == "fa":
        if removestops and text in FA_STOPWORDS:
            return None
        return stem_fa(text) if stem else text
    if lang == "en":
        if removestops and text in EN_STOPWORDS:
            return None
        return stem_en(text) if stem else text
    return text


_MISSING = object()
_TERM_CACHE_LIMIT = 100_000  # words per setting: about 10 MB
_term_caches: dict[tuple[object, ...], dict[str, str | None]] = {}


def term_cache(language: str | None, stem: bool, removestops: bool) -> dict[str, str | None]:
    """Memo of ``term`` for unprotected words: most words recur, so look them up once.

    Keyed by the stemmers too, so that replacing ``stem_fa`` in this module (as the search
    benchmark does to measure the index without the Persian stemmer) takes effect at once.
    """
    cache = _term_caches.setdefault((language, stem, removestops, stem_fa, stem_en), {})
    if len(cache) > _TERM_CACHE_LIMIT:
        cache.clear()
    return cache


def cached_term(
    word: str, cache: dict[str, str | None], language: str | None, *, stem: bool, removestops: bool
) -> str | None:
    """``term`` of an unprotected word through ``cache`` (from ``term_cache``)."""
    value = cache.get(word, _MISSING)
    if value is _MISSING:
        value = cache[word] = term(word, False, language, stem=stem, removestops=removestops)
    return value  # type: ignore[return-value]


def _terms(
    text: str, language: str | None, stem: bool, removestops: bool, query: bool
) -> Iterator[tuple[str, int, int, int]]:
    cache = term_cache(language, stem, removestops)
    for word, start, end, position, protected in units(text, joined=not query):
        if protected:
            yield word, start, end, position
            continue
        value = cache.get(word, _MISSING)
        if value is _MISSING:
            value = cache[word] = term(word, False, language, stem=stem, removestops=removestops)
        if value is not None:
            yield value, start, end, position  # type: ignore[misc]


def analyze_tokens(
    text: str,
    language: str | None = None,
    *,
    stem: bool = True,
    removestops: bool = True,
    query: bool = False,
) -> Iterator[Token]:
    """Index terms with their original spans and positions (see the module docstring).

    ``query=True`` analyses a query: compounds yield their parts only.
    """
    for value, start, end, position in _terms(text, language, stem, removestops, query):
        yield Token(value, start, end, position)


def analyze(
    text: str,
    language: str | None = None,
    *,
    stem: bool = True,
    removestops: bool = True,
    query: bool = False,
) -> list[str]:
    """The index terms of ``text`` in order; ``language`` None decides per token by script."""
    return [found[0] for found in _terms(text, language, stem, removestops, query)]


def join_affixes(text: str) -> str:
    """``text`` with separately written Persian affixes attached by ZWNJ.

    Query parsers split on spaces before analysis, so ``کتاب ها`` would reach the analyzer
    as two words; running the raw query through this first keeps it one word. Everything
    else in the string (operators, quotes, field names) is left as it was.
    """
    pieces: list[str] = []
    cursor = 0
    for parts, _joints, _plain in _affixed(text):
        for _term, start, end in parts:
            pieces.append(text[cursor:start])
            pieces.append(_CLOSE_GAPS_RE.sub(ZWNJ, text[start:end]))
            cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


def detect_language(text: str) -> str | None:
    """Return "fa" or "en" by the majority of Arabic-script versus Latin letters; None if none."""
    persian = len(_PERSIAN_LETTERS_RE.findall(text))
    latin = len(_LATIN_LETTERS_RE.findall(text))
    if not persian and not latin:
        return None
    return "fa" if persian >= latin else "en"


_PERSIAN_LETTERS_RE = re.compile(
    "[\u0620-\u063f\u0641-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff\u0750-\u077f"
    "\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc]"
)
_LATIN_LETTERS_RE = re.compile("[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]")
