"""Persian compounds: one term for every spelling of a known compound.

A compound such as احمدی‌نژاد, گفت‌وگو or حمل‌ونقل is written with a ZWNJ, a space or joined,
and with or without a middle و (گفتگو, گفت و گو). For every known compound, every spelling
analyses to its parts and to one canonical term (the parts joined, without the و), all at
one position; a query yields the canonical term alone, so each spelling finds the same set.

The compounds come from two lists in ``lexicon/``: ``fa_compounds_curated.txt`` (by hand) and
``fa_compounds_learned.txt`` (word pairs of the archive's text that also occur joined,
written by ``python -m bench.compounds --learn``; see bench/README.md for its size and
precision). One compound a line, parts joined by ``+``, a middle و as ``+و+``.
``fa_heh_words.txt`` lists the ه-final words whose joined ای is not a plural (نتیجهای).
"""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent / "lexicon"
FILES = ("fa_compounds_curated.txt", "fa_compounds_learned.txt")
AND = "و"
# Endings a compound's second part may carry (plural, ezafe): the whole is still one term.
SUFFIXES = ("", "ها", "های", "هایی", "ان", "ی")


def read_compounds(path: Path) -> list[tuple[str, ...]]:
    """The compounds of one list file: (first, second) or (first, "و", second)."""
    found: list[tuple[str, ...]] = []
    if not path.exists():
        return found
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = tuple(line.split("\t", 1)[0].split("+"))
        if len(parts) == 2 or (len(parts) == 3 and parts[1] == AND):
            found.append(parts)
    return found


# joined spelling -> (canonical, parts); two words -> canonical; "a و b" (a, b) -> canonical.
JOINED: dict[str, tuple[str, tuple[str, str]]] = {}
PAIRS: dict[tuple[str, str], str] = {}
TRIPLES: dict[tuple[str, str], str] = {}


def _add(first: str, second: str, with_and: bool) -> None:
    for suffix in SUFFIXES:
        tail = second + suffix
        canonical = first + tail
        JOINED.setdefault(first + tail, (canonical, (first, tail)))
        PAIRS.setdefault((first, tail), canonical)
        if with_and:
            JOINED.setdefault(first + AND + tail, (canonical, (first, AND + tail)))
            PAIRS.setdefault((first, AND + tail), canonical)
            PAIRS.setdefault((first + AND, tail), canonical)
            TRIPLES.setdefault((first, tail), canonical)


def load() -> int:
    """(Re)build the tables from the list files; returns the number of compounds."""
    JOINED.clear()
    PAIRS.clear()
    TRIPLES.clear()
    seen: set[tuple[str, ...]] = set()
    for name in FILES:
        for parts in read_compounds(DATA / name):
            if parts not in seen:
                seen.add(parts)
                _add(parts[0], parts[-1], len(parts) == 3)
    return len(seen)


COUNT = load()


def _heh_words() -> frozenset[str]:
    path = DATA / "fa_heh_words.txt"
    if not path.exists():
        return frozenset()
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.split("#", 1)[0].split("\t", 1)[0].strip() for line in lines) - {""}


# ه-final words seen with the indefinite ای (نتیجه‌ای) whose stem without ه is rare alone:
# joined (نتیجهای) they are that word, not a plural in های (learned with the compounds).
HEH_WORDS: frozenset[str] = _heh_words()


def lexical(parts: list[str]) -> str | None:
    """The canonical term when ``parts`` (one word's parts, or neighbouring words) spell a
    known compound, else None."""
    if len(parts) == 1:
        found = JOINED.get(parts[0])
        return found[0] if found else None
    if len(parts) == 2:
        return PAIRS.get((parts[0], parts[1]))
    if len(parts) == 3 and parts[1] == AND:
        return TRIPLES.get((parts[0], parts[2]))
    return None


def split(joined: str) -> tuple[str, str] | None:
    """The parts of a joined spelling of a known compound."""
    found = JOINED.get(joined)
    return found[1] if found else None
