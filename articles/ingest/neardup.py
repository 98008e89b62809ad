"""Near-duplicate detection: the same wire story republished by another outlet with edits.

MinHash over word 3-shingles of the normalised body, with an LSH index for lookups
(datasketch). ``bench/neardup_eval.py`` measures it against SimHash on edited copies of
corpus articles; see the threshold below for the numbers behind it.

Signatures are ``NUM_PERM`` 32-bit values packed little-endian (512 bytes): store them in
a BinaryField and rebuild the index from the database at the start of an import.
"""

from __future__ import annotations

import re

import numpy as np
from datasketch import MinHash, MinHashLSH

from articles.text import normalize

NUM_PERM = 128
SHINGLE_SIZE = 3
SEED = 1
# Estimated Jaccard similarity at or above which two bodies count as the same story.
# bench/neardup_eval.py (600 corpus articles, 1,800 edited copies, 578 hardest same-topic
# pairs): precision 0.996 / recall 0.938 at 0.5 (0.997 / 0.979 at 0.4, 0.996 / 0.784 at
# 0.6). On all of Reuters-21578 the pairs at 0.6 and above are mostly the same story filed
# twice, while 0.4-0.5 is mostly templated briefs ("Fed adds reserves via ...") that are
# different stories; 0.5 keeps most of those out and still finds heavily edited copies.
THRESHOLD = 0.5
LSH_MARGIN = 0.15
_WORD = re.compile(r"\w+")
_DTYPE = np.dtype("<u4")
SCHEME = "affine32"  # 32-bit hash values; fixed so stored signatures stay comparable
# Building the permutations costs more than hashing an article: build them once.
_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)


def signature(text: str) -> bytes:
    """MinHash signature of ``text`` (its word 3-shingles after normalisation)."""
    minhash = MinHash(
        num_perm=NUM_PERM, seed=SEED, permutations=_TEMPLATE.permutations, scheme=SCHEME
    )
    grams = word_shingles(text, SHINGLE_SIZE) or {text.strip()}
    minhash.update_batch([gram.encode("utf-8") for gram in grams])
    return minhash.hashvalues.astype(_DTYPE).tobytes()


def word_shingles(text: str, size: int = SHINGLE_SIZE) -> set[str]:
    """Word ``size``-shingles of the normalised text.

    ``articles.text.shingles`` runs the full affix-joining analysis (3.8 ms per article on
    the corpus); resemblance only needs the same words for the same text, and ``normalize``
    plus a word regex gives that in 0.6 ms, which keeps signatures off an import's
    critical path.
    """
    words = _WORD.findall(normalize(text))
    if len(words) <= size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def similarity(sig_a: bytes, sig_b: bytes) -> float:
    """Estimated Jaccard similarity of the two shingle sets, 0.0–1.0."""
    a, b = _values(sig_a), _values(sig_b)
    if a.shape != b.shape:
        raise ValueError("signatures of different lengths")
    return float(np.count_nonzero(a == b)) / len(a)


class NearDupIndex:
    """In-memory LSH index of signatures; ``query`` returns likely near-duplicates.

    The loader fills it from the stored signatures at the start of an import and adds
    each new article as it is saved.
    """

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        # Candidates are gathered below the threshold and then scored exactly, so that a
        # pair just above the threshold is rarely missed by the banding.
        self._lsh = MinHashLSH(threshold=max(0.1, threshold - LSH_MARGIN), num_perm=NUM_PERM)
        self._signatures: dict[str, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self._signatures)

    def __contains__(self, key: object) -> bool:
        return key in self._signatures

    def add(self, key: str, sig: bytes) -> None:
        if key in self._signatures:
            self._lsh.remove(key)
        values = _values(sig)
        self._signatures[key] = values
        self._lsh.insert(key, _minhash(values))

    def query(self, sig: bytes) -> list[tuple[str, float]]:
        """Keys whose similarity reaches the threshold, best first."""
        values = _values(sig)
        scored = []
        for key in self._lsh.query(_minhash(values)):
            score = float(np.count_nonzero(self._signatures[key] == values)) / NUM_PERM
            if score >= self.threshold:
                scored.append((key, score))
        scored.sort(key=lambda item: (-item[1], item[0]))
        return scored


def _values(sig: bytes | list[int]) -> np.ndarray:
    if isinstance(sig, list | tuple):
        return np.asarray(sig, dtype=np.uint32)
    return np.frombuffer(sig, dtype=_DTYPE)


def _minhash(values: np.ndarray) -> MinHash:
    return MinHash(seed=SEED, hashvalues=values, permutations=_TEMPLATE.permutations, scheme=SCHEME)
