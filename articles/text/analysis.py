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
   ``articles.text.compounds`` every spelling (ZWNJ, space, joined, with or without a middle
   و) indexes its parts and one canonical term at one position, and a query yields the
   canonical term alone. Digits glued to letters (``1408ق``, ``covid19``) split like a
   hyphen compound; a joined ه + ای (``نتیجهای``) is read both as نتیجه and as a plural.
5. Stopwords are removed and terms stemmed according to the token's script (or
   ``language``, when given).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from articles.text import compounds
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
from articles.text.tokens import WORD, Part, Token, scan

PROTECTED = "p"  # numbers and acronyms

# Gaps across which a separated affix is still part of the word before/after it.
_PLAIN_GAP_RE = re.compile("[ \t\u00a0\u202f\u200c\u200d\u200e\u200f]+")
_MADDA = "\u0653"
_CLOSE_GAPS_RE = re.compile("[ \t\u00a0\u202f]+")
# Punctuation that ends a sentence or a clause: a position is left free there, so that a
# phrase or a hyphenated name ("Iran-Iraq") does not match words on either side of it
# ("Iran, Iraq and Syria").
_BREAK_RE = re.compile(
    '[.,;:!?()\\[\\]{}"\u00ab\u00bb\u201c\u201d\u2026\u2013\u2014\u060c\u061b\u061f]'
)


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


LEXICAL = "c"  # a known compound (articles.text.compounds), whatever its spelling
# A joined word ending in ه + ای (نتیجهای, مقالهای) reads like a plural in های (نتیج+های).
_HEH_YEH = "\u0647\u0627\u06cc"

# One word after affix joining: (parts, joints, kind, canonical term of a known compound).
Analysed = tuple[list[Part], list[str], str, str]


def _gap(text: str, before: Part, after: Part) -> bool:
    return _PLAIN_GAP_RE.fullmatch(text, before[2], after[1]) is not None


def _single(word: Analysed) -> bool:
    return word[2] == WORD and len(word[0]) == 1


def _lexical_word(parts: list[Part], joints: list[str], plain: bool) -> Analysed:
    if not plain:
        return (parts, joints, PROTECTED, "")
    if joints and not all(joint in (ZWNJ, "-") for joint in joints):
        return (parts, joints, WORD, "")
    canonical = compounds.lexical([part[0] for part in parts])
    if canonical is None:
        return (parts, joints, WORD, "")
    if len(parts) == 1:
        _, start, end = parts[0]
        first, second = compounds.split(parts[0][0])  # type: ignore[misc]
        return ([(first, start, end), (second, start, end)], [ZWNJ], LEXICAL, canonical)
    return (parts, joints, LEXICAL, canonical)


def _words(text: str) -> Iterator[Analysed]:
    """Words after affix joining and known-compound detection: (parts, joints, kind, canonical).

    ``kind`` is WORD, LEXICAL or that of a number or acronym (protected). Two or three
    neighbouring words (across plain spacing only) may make one compound: احمدی نژاد,
    گفت و گو.
    """
    buffer: list[Analysed] = []
    for parts, joints, plain in _affixed(text):
        word = _lexical_word(parts, joints, plain)
        if _single(word) and buffer and _single(buffer[-1]):
            last, first = buffer[-1][0][0], word[0][0]
            canonical = compounds.PAIRS.get((last[0], first[0]))
            if canonical is not None and _gap(text, last, first):
                buffer[-1] = ([last, first], [ZWNJ], LEXICAL, canonical)
                continue
            if last[0] == compounds.AND and len(buffer) > 1 and _single(buffer[-2]):
                before = buffer[-2][0][0]
                canonical = compounds.TRIPLES.get((before[0], first[0]))
                if canonical is not None and _gap(text, before, last) and _gap(text, last, first):
                    buffer[-2:] = [([before, last, first], [ZWNJ, ZWNJ], LEXICAL, canonical)]
                    continue
        buffer.append(word)
        if len(buffer) > 2:
            yield buffer.pop(0)
    yield from buffer


def _heh_reading(word: str) -> str:
    """نتیجه for نتیجهای: a joined ه + ای of a known ه-final word (``compounds.HEH_WORDS``),
    which the stemmer would read as a plural in های (نتیج + های)."""
    if word.endswith(_HEH_YEH) and word[:-2] in compounds.HEH_WORDS:
        return word[:-2]
    return word


def units(text: str, *, joined: bool = True, wholes: bool = False) -> Iterator[Unit]:
    """Normalised, affix-joined terms before stopwords and stemming, with positions.

    ``joined`` (indexing): every form of a compound; otherwise (queries) the parts in
    sequence, a known compound's canonical term, and with ``wholes`` the joined form of any
    other compound too, right after its first part (same position and start, longer span).
    """
    position = 0
    last_end = -1
    for parts, joints, kind, canonical in _words(text):
        if last_end >= 0 and _BREAK_RE.search(text, last_end, parts[0][1]):
            position += 1  # punctuation between words: a phrase does not run across it
        last_end = parts[-1][2]
        if not joints:
            part = parts[0]
            word = part[0]
            if kind == WORD and word[-1] == "\u06cc" and ZWNJ not in text[part[1] : part[2]]:
                word = _heh_reading(word)
            yield (word, part[1], part[2], position, kind != WORD)
            position += 1
            continue
        first = parts[0]
        if kind == LEXICAL:
            # One position for every form: a query yields the canonical term alone, and a
            # phrase around it must line up whichever spelling the document used.
            if joined:
                yield (first[0], first[1], first[2], position, False)
            yield (canonical, first[1], parts[-1][2], position, False)
            if joined:
                for part in parts[1:]:
                    yield (part[0], part[1], part[2], position, False)
            position += 1
            continue
        yield (first[0], first[1], first[2], position, False)
        if joined or wholes:
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
