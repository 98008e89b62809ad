"""Word scanning with offsets into the original, unnormalised text.

The text is first mapped through a length-preserving fold (``chars.shadow_text``), so one
regex pass finds the words and every offset still points into the original string. Harakat,
tatweel, bidi marks and ZWJ become a word character (GLUE) in that shadow and so never split
a word; they are dropped from the word's text and trimmed from its edges.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from articles.text.chars import COMPLEX_RE, GLUE, ZWNJ, normalize, shadow_text


class Token(NamedTuple):
    """A word: its normalised text and its span ``text[start:end]`` in the original."""

    text: str
    start: int
    end: int
    position: int


# A piece of a word: its normalised text and its span in the original.
Part = tuple[str, int, int]

WORD, NUMBER, ACRONYM = "w", "n", "a"


# One scanned word: (kind, start, end, parts, joints); ``joints`` holds the connector
# between consecutive parts: ZWNJ, "-" (hyphen), "/" (slash), "'" (apostrophe) or "" (digits
# glued to letters: 1408ق, covid19). A plain tuple, as this is built for every word of every
# indexed text.
Word = tuple[str, int, int, list[Part], list[str]]


# One regex pass finds candidate words; the rarer shapes (numbers with separators,
# acronyms, words run together over a full stop) are sorted out in Python afterwards.
_SCAN_RE = re.compile(rf"\w+(?:(?:{ZWNJ}+|[-'./,])\w+)*")
_PART_RE = re.compile(r"\w+")
_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)+")
_ACRONYM_RE = re.compile(r"[^\W\d](?:\.[^\W\d])+")
_THOUSANDS_RE = re.compile(r"\d{1,3}(?:,\d{3})+|\d{1,3}(?:\.\d{3}){2,}")
_SUBWORD_RE = re.compile(rf"\w+(?:(?:{ZWNJ}+|[-'/])\w+)*")
# Where digits meet letters inside a part: 1408ق, ۱۲درصد, covid19.
_DIGITS_LETTERS_RE = re.compile(r"(?<=\d)(?=[^\W\d])|(?<=[^\W\d])(?=\d)")


def _slow_clean(original: str) -> str:
    return "".join(normalize(original).replace(ZWNJ, "").split())


def _trim(shadow: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``start:end`` past GLUE at either edge (a stray mark is not part of a word)."""
    while start < end and shadow[start] == GLUE:
        start += 1
    while end > start and shadow[end - 1] == GLUE:
        end -= 1
    return start, end


def _part(shadow: str, text: str, start: int, end: int, slow: bool) -> Part | None:
    chunk = shadow[start:end]
    if GLUE in chunk:
        start, end = _trim(shadow, start, end)
        chunk = shadow[start:end].replace(GLUE, "")
    if slow and COMPLEX_RE.search(text, start, end):
        chunk = _slow_clean(text[start:end])
    if chunk.endswith("\u0627\u0621"):  # اجزاء -> اجزا, as in normalize
        chunk = chunk[:-1]
    return (chunk, start, end) if chunk else None


def _number(text: str) -> str:
    if _THOUSANDS_RE.fullmatch(text):
        return text.replace(",", "").replace(".", "")
    return text


def _compound(shadow: str, text: str, start: int, end: int, slow: bool) -> Word | None:
    parts: list[Part] = []
    joints: list[str] = []
    previous_end = -1
    for piece in _PART_RE.finditer(shadow, start, end):
        part = _part(shadow, text, piece.start(), piece.end(), slow)
        if part is None:
            continue
        if parts:
            joints.append(shadow[previous_end])
        if part[0].isalpha() or part[0].isdigit():
            parts.append(part)
        else:
            _split_digits(part, parts, joints)
        previous_end = piece.end()  # untrimmed: the connector follows it
    if not parts:
        return None
    return (WORD, parts[0][1], parts[-1][2], parts, joints)


def _split_digits(part: Part, parts: list[Part], joints: list[str]) -> None:
    """Append ``part`` to ``parts``, cut where digits meet letters (joint "")."""
    text, start, end = part
    pieces = _DIGITS_LETTERS_RE.split(text)
    if len(pieces) == 1 or end - start != len(text):
        parts.append(part)  # no boundary, or marks inside: offsets would not line up
        return
    for number, piece in enumerate(pieces):
        if number:
            joints.append("")
        parts.append((piece, start, start + len(piece)))
        start += len(piece)


def _dotted(shadow: str, text: str, start: int, end: int, slow: bool) -> Iterator[Word]:
    """A run with full stops or commas: a number, an acronym, or words run together."""
    chunk = shadow[start:end]
    if _NUMBER_RE.fullmatch(chunk):
        yield (NUMBER, start, end, [(_number(chunk), start, end)], [])
        return
    if _ACRONYM_RE.fullmatch(chunk) and (not slow or not COMPLEX_RE.search(text, start, end)):
        yield (ACRONYM, start, end, [(chunk.replace(".", ""), start, end)], [])
        return
    for match in _SUBWORD_RE.finditer(shadow, start, end):
        word = _compound(shadow, text, match.start(), match.end(), slow)
        if word is not None:
            yield word


def scan(text: str) -> Iterator[Word]:
    """Words of ``text`` with their parts; parts are never empty."""
    shadow = shadow_text(text)
    slow = COMPLEX_RE.search(text) is not None
    for match in _SCAN_RE.finditer(shadow):
        chunk = match.group()
        if chunk.isalpha() and GLUE not in chunk and not slow and chunk[-1] != "\u0621":
            start, end = match.span()
            yield (WORD, start, end, [(chunk, start, end)], [])
        elif chunk.isdigit():
            start, end = match.span()
            yield (WORD, start, end, [(chunk, start, end)], [])
        elif "." in chunk or "," in chunk:
            yield from _dotted(shadow, text, match.start(), match.end(), slow)
        else:
            word = _compound(shadow, text, match.start(), match.end(), slow)
            if word is not None:
                yield word


def tokenize(text: str) -> Iterator[Token]:
    """Words of ``text`` with offsets into ``text`` itself.

    ``Token.text`` is the normalised word (as ``normalize`` would spell it: ZWNJ, hyphen and
    apostrophe inside the word kept); ``text[token.start:token.end]`` is the original.
    """
    for position, (kind, start, end, parts, joints) in enumerate(scan(text)):
        if kind == WORD and not joints:
            surface = parts[0][0]
        else:
            surface = normalize(text[start:end])
        yield Token(surface, start, end, position)
