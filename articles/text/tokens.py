"""Word scanning with offsets into the original, unnormalised text.

The text is first mapped through a length-preserving fold (``SHADOW_TABLE``), so one regex
pass finds the words and every offset still points into the original string. Harakat,
tatweel, bidi marks and ZWJ become a word character in that shadow and never split a word.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from articles.text.chars import COMPLEX_RE, GLUE, SHADOW_TABLE, ZWNJ, normalize


class Token(NamedTuple):
    """A word: its normalised text and its span ``text[start:end]`` in the original."""

    text: str
    start: int
    end: int
    position: int


# A piece of a word: its normalised text and its span in the original.
Part = tuple[str, int, int]

WORD, NUMBER, ACRONYM = "w", "n", "a"


class Word(NamedTuple):
    """One scanned word; ``joints`` holds the connector between consecutive parts.

    Connectors are ZWNJ, "-" (hyphen) or "'" (apostrophe).
    """

    kind: str
    start: int
    end: int
    parts: list[Part]
    joints: list[str]


# A word starts and ends with a letter or digit; marks mapped to GLUE may sit inside only, so
# a stray harakah or bidi mark next to a word is not part of its highlighted span.
_WORD = rf"[^\W{GLUE}](?:\w*[^\W{GLUE}])?"
_SCAN_RE = re.compile(
    r"(?P<n>\d+(?:[.,]\d+)+)(?!\w)"  # 3.14, 1,000 (Persian ٫ ٬ are folded to . ,)
    rf"|(?P<a>[^\W\d{GLUE}](?:\.[^\W\d{GLUE}])+)(?!\w)"  # U.S, ج.ا.ا
    rf"|{_WORD}(?:(?:{ZWNJ}+|[-']){_WORD})*"
)
_PART_RE = re.compile(_WORD)
_THOUSANDS_RE = re.compile(r"\d{1,3}(?:,\d{3})+|\d{1,3}(?:\.\d{3}){2,}")


def _slow_clean(original: str) -> str:
    return "".join(normalize(original).replace(ZWNJ, "").split())


def _clean(shadow: str, original: str, slow: bool) -> str:
    if slow and COMPLEX_RE.search(original):
        text = _slow_clean(original)
    elif GLUE in shadow:
        text = shadow.replace(GLUE, "")
    else:
        text = shadow
    if text.endswith("\u0627\u0621"):  # اجزاء -> اجزا, as in normalize
        text = text[:-1]
    return text


def _number(text: str) -> str:
    if _THOUSANDS_RE.fullmatch(text):
        return text.replace(",", "").replace(".", "")
    return text


def scan(text: str) -> Iterator[Word]:
    """Words of ``text`` with their parts; parts never empty."""
    shadow = text.translate(SHADOW_TABLE)
    slow = COMPLEX_RE.search(text) is not None
    for match in _SCAN_RE.finditer(shadow):
        start, end = match.span()
        kind = match.lastgroup or WORD
        chunk = match.group()
        if kind == WORD and (ZWNJ in chunk or "-" in chunk or "'" in chunk):
            parts: list[Part] = []
            joints: list[str] = []
            previous_end = -1
            for piece in _PART_RE.finditer(shadow, start, end):
                s, e = piece.span()
                cleaned = _clean(piece.group(), text[s:e], slow)
                if not cleaned:
                    continue
                if parts:
                    joints.append(shadow[previous_end])
                parts.append((cleaned, s, e))
                previous_end = e
            if parts:
                yield Word(kind, start, end, parts, joints)
            continue
        if kind == ACRONYM:
            cleaned = _clean(chunk, text[start:end], slow).replace(".", "")
        else:
            cleaned = _clean(chunk, text[start:end], slow)
            if kind == NUMBER:
                cleaned = _number(cleaned)
        if cleaned:
            yield Word(kind, start, end, [(cleaned, start, end)], [])


def tokenize(text: str) -> Iterator[Token]:
    """Words of ``text`` with offsets into ``text`` itself.

    ``Token.text`` is the normalised word (as ``normalize`` would spell it: ZWNJ, hyphen and
    apostrophe inside the word kept); ``text[token.start:token.end]`` is the original.
    """
    for position, word in enumerate(scan(text)):
        if word.joints:
            pieces = [word.parts[0][0]]
            for joint, part in zip(word.joints, word.parts[1:], strict=True):
                pieces.append(joint)
                pieces.append(part[0])
            surface = "".join(pieces)
        elif word.kind == WORD:
            surface = word.parts[0][0]
        else:
            surface = normalize(text[word.start : word.end])
        yield Token(surface, word.start, word.end, position)
