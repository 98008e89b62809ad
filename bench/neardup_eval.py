"""Near-duplicate detection: precision/recall and speed on edited copies of corpus articles.

Positives are (article, edited copy) pairs: a few words changed ("light"), ~5% of words
changed plus a sentence dropped and one from another story added ("medium"), or the
copy cut to its first 70% with a few words changed ("trimmed", as wire copy often is).
Negatives are pairs of different articles from the same source and section, the hardest
(most word-overlapping) of 40 candidates for each article. Compares the shipped MinHash
(word 3-shingles) with MinHash over 5-shingles and a 64-bit SimHash.

    .venv/bin/python bench/neardup_eval.py [N]     # needs ../shared/corpus
"""

from __future__ import annotations

import hashlib
import random
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from datasketch import MinHash  # noqa: E402

from articles.ingest import neardup  # noqa: E402
from articles.ingest.parse import iter_records  # noqa: E402
from articles.ingest.records import ParsedArticle  # noqa: E402
from articles.text import tokenize  # noqa: E402

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
FILES = (
    "en_tehrantimes",
    "en_reuters21578",
    "fa_farsnews",
    "fa_rss_hamshahri_radiofarda",
    "fa_voa_dari",
    "en_isaf_press_releases",
)
SENTENCE = re.compile(r"(?<=[.!?؟])\s+")


def load(limit_per_file: int = 4000) -> list[ParsedArticle]:
    articles: list[ParsedArticle] = []
    for name in FILES:
        count = 0
        for item in iter_records(str(CORPUS / f"{name}.jsonl.gz")):
            if isinstance(item, ParsedArticle) and len(item.body_text.split()) >= 80:
                articles.append(item)
                count += 1
                if count >= limit_per_file:
                    break
    return articles


def group_key(article: ParsedArticle) -> str:
    labels = [t for t in article.tags if not t.startswith(("place:", "person:", "org:"))]
    return f"{article.source_name}|{labels[0] if labels else ''}"


def edit(text: str, kind: str, rng: random.Random, donor: str) -> str:
    words = text.split()
    changes = 3 if kind in ("light", "trimmed") else max(3, len(words) // 20)
    vocabulary = donor.split()
    for _ in range(changes):
        words[rng.randrange(len(words))] = rng.choice(vocabulary)
    text = " ".join(words)
    if kind == "trimmed":
        return text[: int(len(text) * 0.7)]
    if kind == "medium":
        sentences = SENTENCE.split(text)
        if len(sentences) > 2:
            del sentences[rng.randrange(1, len(sentences))]
        donor_sentences = SENTENCE.split(donor)
        sentences.insert(rng.randrange(len(sentences) + 1), rng.choice(donor_sentences))
        text = " ".join(sentences)
    return text


def minhash_sig(size: int) -> Callable[[str], np.ndarray]:
    template = MinHash(num_perm=neardup.NUM_PERM, seed=1, scheme="affine32")

    def sig(text: str) -> np.ndarray:
        m = MinHash(
            num_perm=neardup.NUM_PERM, seed=1, scheme="affine32", permutations=template.permutations
        )
        m.update_batch([g.encode() for g in neardup.word_shingles(text, size) or {text}])
        return m.hashvalues

    return sig


def simhash_sig(text: str) -> int:
    weights = np.zeros(64)
    for gram in neardup.word_shingles(text, 3) or {text}:
        h = int.from_bytes(hashlib.blake2b(gram.encode(), digest_size=8).digest(), "little")
        bits = (h >> np.arange(64, dtype=np.uint64)) & np.uint64(1)
        weights += np.where(bits == 1, 1.0, -1.0)
    return int("".join("1" if w > 0 else "0" for w in weights[::-1]), 2)


ALTERNATIVE_SIZE = 5 if neardup.SHINGLE_SIZE != 5 else 3
METHODS: dict[str, tuple[Callable, Callable]] = {
    f"minhash-{neardup.SHINGLE_SIZE} (shipped)": (neardup.signature, neardup.similarity),
    f"minhash-{ALTERNATIVE_SIZE}": (
        minhash_sig(ALTERNATIVE_SIZE),
        lambda a, b: float(np.mean(a == b)),
    ),
    "simhash-64 (3-shingles)": (simhash_sig, lambda a, b: 1 - bin(a ^ b).count("1") / 64),
}


def main() -> None:
    if not CORPUS.is_dir():
        sys.exit(f"corpus not found at {CORPUS}")
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 600
    rng = random.Random(20250227)
    started = time.perf_counter()
    pool = load()
    print(f"loaded {len(pool)} articles in {time.perf_counter() - started:.1f} s")
    groups: dict[str, list[int]] = defaultdict(list)
    for index, article in enumerate(pool):
        groups[group_key(article)].append(index)
    sample = rng.sample(range(len(pool)), n)
    token_sets = {}

    def tokens(i: int) -> set[str]:
        if i not in token_sets:
            token_sets[i] = {token.text for token in tokenize(pool[i].body_text)}
        return token_sets[i]

    positives: list[tuple[str, str, str]] = []
    negatives: list[tuple[str, str, str]] = []
    for i in sample:
        body = pool[i].body_text
        donor = pool[rng.choice(groups[group_key(pool[i])])].body_text
        for kind in ("light", "medium", "trimmed"):
            positives.append((kind, body, edit(body, kind, rng, donor)))
        others = [j for j in groups[group_key(pool[i])] if j != i]
        candidates = rng.sample(others, min(40, len(others)))
        if candidates:
            j = max(
                candidates, key=lambda c: len(tokens(i) & tokens(c)) / len(tokens(i) | tokens(c))
            )
            negatives.append(("same-topic", body, pool[j].body_text))
    print(f"{len(positives)} positive pairs, {len(negatives)} negative pairs\n")
    for name, (make, compare) in METHODS.items():
        started = time.perf_counter()
        pos = [(kind, compare(make(a), make(b))) for kind, a, b in positives]
        neg = [compare(make(a), make(b)) for _, a, b in negatives]
        per_sig = (time.perf_counter() - started) / (2 * (len(pos) + len(neg))) * 1000
        print(f"{name}: {per_sig:.2f} ms per signature")
        for threshold in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
            tp = sum(score >= threshold for _, score in pos)
            fp = sum(score >= threshold for score in neg)
            by_kind = {
                k: np.mean([s >= threshold for kk, s in pos if kk == k])
                for k in ("light", "medium", "trimmed")
            }
            precision = tp / (tp + fp) if tp + fp else 1.0
            print(
                f"  t={threshold:.2f} precision={precision:.3f} recall={tp / len(pos):.3f} "
                + " ".join(f"{k}={v:.2f}" for k, v in by_kind.items())
                + f" max-negative={max(neg):.2f}"
            )
        if name.endswith("(shipped)"):
            flagged = [
                (score, pair)
                for score, pair in zip(neg, negatives, strict=True)
                if score >= neardup.THRESHOLD
            ]
            print(f"  negatives at or above THRESHOLD={neardup.THRESHOLD}: {len(flagged)}")
            for score, (_, a, b) in flagged[:5]:
                print(f"    {score:.2f} {a[:60]!r} <> {b[:60]!r}")
        print()
    index_eval(pool, positives[::3], rng)


def index_eval(
    pool: list[ParsedArticle], pairs: list[tuple[str, str, str]], rng: random.Random
) -> None:
    """LSH recall and query speed of NearDupIndex over the whole pool."""
    index = neardup.NearDupIndex()
    started = time.perf_counter()
    originals = {}
    for i, article in enumerate(pool):
        index.add(f"a{i}", neardup.signature(article.body_text))
        originals[article.body_text] = f"a{i}"
    build = time.perf_counter() - started
    found = 0
    started = time.perf_counter()
    for _, original, copy in pairs:
        hits = [key for key, _ in index.query(neardup.signature(copy))]
        found += originals[original] in hits
    query = (time.perf_counter() - started) / len(pairs) * 1000
    print(
        f"NearDupIndex over {len(index)} articles: built in {build:.1f} s "
        f"({build / len(index) * 1000:.2f} ms/article incl. signature); "
        f"light-edit copies found {found}/{len(pairs)}; {query:.2f} ms per query"
    )


if __name__ == "__main__":
    main()
