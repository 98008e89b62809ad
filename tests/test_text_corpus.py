"""Invariants of the text analysis over real Persian and English news (../shared corpus)."""

from __future__ import annotations

import gzip
import itertools
import json
from pathlib import Path

import pytest

from articles.search.whoosh.analysis import NewsAnalyzer
from articles.text import analyze, content_hash, detect_language, normalize, tokenize

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
FILES = {
    "fa_farsnews.jsonl.gz": "fa",
    "fa_varzesh3.jsonl.gz": "fa",
    "fa_voa_dari.jsonl.gz": "fa",
    "en_tehrantimes.jsonl.gz": "en",
    "en_reuters21578.jsonl.gz": "en",
}

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not CORPUS.exists(), reason=f"{CORPUS} is absent"),
]


def articles(name: str, count: int = 60) -> list[str]:
    with gzip.open(CORPUS / name, "rt", encoding="utf-8") as handle:
        return [
            record["title"] + "\n\n" + record["body"]
            for record in map(json.loads, itertools.islice(handle, count))
        ]


@pytest.fixture(scope="module", params=sorted(FILES))
def sample(request: pytest.FixtureRequest) -> tuple[str, list[str]]:
    return FILES[request.param], articles(request.param)


def test_language_is_detected(sample: tuple[str, list[str]]) -> None:
    language, texts = sample
    assert all(detect_language(text) == language for text in texts)


def test_tokens_point_at_their_original_words(sample: tuple[str, list[str]]) -> None:
    for text in sample[1]:
        for token in tokenize(text):
            assert normalize(text[token.start : token.end]) == token.text


def test_normalize_is_idempotent_and_hash_ignores_spacing(sample: tuple[str, list[str]]) -> None:
    for text in sample[1]:
        once = normalize(text)
        assert normalize(once) == once
        assert content_hash(" ".join(text.split())) == content_hash(text)


def test_article_is_found_by_its_own_words(sample: tuple[str, list[str]]) -> None:
    for text in sample[1]:
        indexed = set(analyze(text))
        assert set(analyze(text, query=True)) <= indexed
        assert all(indexed)


def test_whoosh_analyzer_agrees_with_analyze(sample: tuple[str, list[str]]) -> None:
    analyzer = NewsAnalyzer()
    for text in sample[1][:20]:
        # The index keeps common words; queries drop them.
        indexed = [token.text for token in analyzer(text)]
        assert [term for term in indexed if not term.startswith("_")] == analyze(text)
        assert [t.text for t in analyzer(text, mode="query")] == analyze(text, query=True)
