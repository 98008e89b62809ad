"""Fingerprints for de-duplication: exact (``content_hash``) and near (``shingles``)."""

from __future__ import annotations

import hashlib
import re

from articles.text.analysis import units
from articles.text.chars import normalize

_NOT_WORD_RE = re.compile(r"[\W_]+")


def content_hash(text: str) -> str:
    """SHA-256 hex of the normalised text with all spacing, ZWNJ and punctuation removed.

    The same text with other spacing, ZWNJ, ي/ی, ك/ک, harakat or digit forms hashes equal.
    """
    key = _NOT_WORD_RE.sub("", normalize(text))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def shingles(text: str, size: int = 5) -> set[str]:
    """Word ``size``-shingles (space-joined) over the normalised, affix-joined words.

    Stopwords are kept and nothing is stemmed. A text shorter than ``size`` words gives one
    shingle of all its words; an empty text gives an empty set.
    """
    if size < 1:
        raise ValueError(f"shingle size must be at least 1, got {size}")
    words = [unit[0] for unit in units(text, joined=False)]
    if len(words) <= size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}
