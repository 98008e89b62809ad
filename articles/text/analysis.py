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
5. Stopwords are removed and terms stemmed according to the token's script (or
   ``language``, when given).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from articles.text.chars import ZWNJ, is_persian_char
from articles.text.english import EN_STOPWORDS, stem_en
from articles.text.persian import (
    FA_DROPPED_AFTER_HEH,
    FA_PREFIXES,
    FA_SPACE_SUFFIXES,
    FA_SPACE_SUFFIXES_AFTER_HEH,
    FA_STOPWORDS,
    FA_ZWNJ_SUFFIXES,
    stem_fa,
)
from articles.text.tokens import WORD, Part, Token, Word, scan

# Gaps across which a separated affix is still part of the word before/after it.
_PLAIN_GAP_RE = re.compile("[ \t\u00a0\u202f\u200c\u200d\u200e\u200f]+")
_MADDA = "\u0653"
_CLOSE_GAPS_RE = re.compile("[ \t\u00a0\u202f]+")


class Unit(Token):
    """A token with the script that decides its stopwords and stemmer."""

    __slots__ = ()


def _script(text: str) -> str:
    last = text[-1]
    if is_persian_char(last) or is_persian_char(text[0]):
        return "fa"
    if last.isascii() and last.isalpha():
        return "en"
    return ""


def _merge(parts: list[Part], joints: list[str], i: int, drop_second: bool = False) -> None:
    first, second = parts[i], parts[i + 1]
    text = first[0] if drop_second else first[0] + second[0]
    parts[i : i + 2] = [(text, first[1], second[2])]
    del joints[i]


def _join_inside(word: Word) -> tuple[list[Part], list[str]]:
    parts, joints = list(word.parts), list(word.joints)
    i = 0
    while i < len(joints):
        joint = joints[i]
        if joint == "'":
            if parts[i + 1][0] == "s" and i + 1 == len(parts) - 1:  # possessive 's
                parts[i : i + 2] = [(parts[i][0], parts[i][1], parts[i + 1][2])]
                del joints[i]
            else:
                _merge(parts, joints, i)
        elif joint == ZWNJ and parts[i][0] in FA_PREFIXES:
            _merge(parts, joints, i)
        elif joint == ZWNJ and parts[i + 1][0] in FA_ZWNJ_SUFFIXES:
            drop = parts[i + 1][0] in FA_DROPPED_AFTER_HEH and parts[i][0].endswith("ه")
            _merge(parts, joints, i, drop_second=drop)
        else:
            i += 1
    return parts, joints


def _suffix_joins(previous: str, suffix: str, text: str, suffix_start: int) -> bool | None:
    """Whether a separate ``suffix`` attaches to ``previous``; None if it does not."""
    if not is_persian_char(previous[-1]) or previous in FA_STOPWORDS:
        return None
    if suffix in FA_SPACE_SUFFIXES:
        return False
    if suffix in FA_SPACE_SUFFIXES_AFTER_HEH and previous.endswith("ه"):
        # آید, آش: an alef that was آ is a word, not a suffix.
        original = text[suffix_start : suffix_start + 2]
        if original[:1] in ("ا", "ی") and original[1:2] != _MADDA:
            return suffix in FA_DROPPED_AFTER_HEH
    return None


def _words(text: str) -> Iterator[tuple[list[Part], list[str], bool]]:
    """Words after affix joining: (parts, joints, is_plain_word)."""
    pending: tuple[list[Part], list[str], bool] | None = None
    for word in scan(text):
        parts, joints = _join_inside(word) if word.joints else (list(word.parts), [])
        plain = word.kind == WORD
        if pending is not None:
            prev_parts, prev_joints, prev_plain = pending
            last, first = prev_parts[-1], parts[0]
            if plain and prev_plain and _PLAIN_GAP_RE.fullmatch(text, last[2], first[1]):
                if not prev_joints and last[0] in FA_PREFIXES and is_persian_char(first[0][0]):
                    parts[0] = (last[0] + first[0], last[1], first[2])
                    pending = (parts, joints, plain)
                    continue
                if not joints:
                    drop = _suffix_joins(last[0], first[0], text, first[1])
                    if drop is not None:
                        text_ = last[0] if drop else last[0] + first[0]
                        prev_parts[-1] = (text_, last[1], first[2])
                        continue
            yield pending
        pending = (parts, joints, plain)
    if pending is not None:
        yield pending


def units(text: str, *, joined: bool = True) -> Iterator[Unit]:
    """Normalised, affix-joined terms before stopwords and stemming, with positions."""
    position = 0
    for parts, joints, plain in _words(text):
        if not joints:
            term, start, end = parts[0]
            yield Unit(term, start, end, position) if plain else _protected(parts[0], position)
            position += 1
            continue
        first = parts[0]
        yield Unit(first[0], first[1], first[2], position)
        if joined:
            whole = "".join(part[0] for part in parts)
            if not whole.isdigit():
                yield Unit(whole, first[1], parts[-1][2], position)
        for offset, part in enumerate(parts[1:], start=1):
            yield Unit(part[0], part[1], part[2], position + offset)
        position += len(parts)


class _Protected(Unit):
    """Numbers and acronyms: no stopword removal (U.S. is not "us"), no stemming."""

    __slots__ = ()


def _protected(part: Part, position: int) -> Unit:
    return _Protected(part[0], part[1], part[2], position)


def term(unit: Unit, language: str | None, *, stem: bool, removestops: bool) -> str | None:
    """The index term for ``unit``, or None when it is a stopword to drop."""
    text = unit.text
    if type(unit) is _Protected:
        return text
    script = _script(text)
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
    for unit in units(text, joined=not query):
        value = term(unit, language, stem=stem, removestops=removestops)
        if value is not None:
            yield Token(value, unit.start, unit.end, unit.position)


def analyze(
    text: str,
    language: str | None = None,
    *,
    stem: bool = True,
    removestops: bool = True,
    query: bool = False,
) -> list[str]:
    """The index terms of ``text`` in order; ``language`` None decides per token by script."""
    return [
        token.text
        for token in analyze_tokens(text, language, stem=stem, removestops=removestops, query=query)
    ]


def join_affixes(text: str) -> str:
    """``text`` with separately written Persian affixes attached by ZWNJ.

    Query parsers split on spaces before analysis, so ``کتاب ها`` would reach the analyzer
    as two words; running the raw query through this first keeps it one word. Everything
    else in the string (operators, quotes, field names) is left as it was.
    """
    pieces: list[str] = []
    cursor = 0
    for parts, _joints, _plain in _words(text):
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
