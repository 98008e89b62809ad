"""Proximity bonus in the numpy ranking, over a real temporary Whoosh index."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest
from whoosh import query as wq

from articles.search.sync.worker import process_pending
from articles.search.whoosh import scoring
from articles.search.whoosh.phrases import phrase_in
from tests.factories import make_article

pytestmark = pytest.mark.django_db

TEXTS = [
    "united nations met today",  # adjacent
    "the nations united against it",  # reversed
    "united we stand, the nations watch",  # three positions apart
    "united states and the united nations",  # adjacent after a repeat
    "nations nations united united",  # reversed, repeated
    "united " + "word " * 10 + "nations",  # too far for slop 6
    "سازمان ملل متحد امروز",  # Persian, adjacent
    "ملل جهان و سازمان",  # Persian, reversed
]


def when(n: int) -> datetime:
    return datetime(2000 + n, 6, 15, 8, 0, tzinfo=UTC)


@pytest.fixture
def backend(search_index, db):
    for n, text in enumerate(TEXTS):
        make_article(title=f"t{n}", body=text, published_at=when(n))
    process_pending()
    return search_index.get_backend()


def live_mask(searcher) -> np.ndarray:
    reader = searcher.reader()
    return np.array([not reader.is_deleted(d) for d in range(searcher.doc_count_all())])


def analysed(backend, word: str) -> str:
    return [t.text for t in backend.schema["text"].analyzer(word, mode="query")][0]


@pytest.mark.parametrize("slop", [1, 2, 6])
@pytest.mark.parametrize("words", [("united", "nations"), ("nations", "united"), ("سازمان", "ملل")])
def test_phrase_check_per_document_equals_whoosh(backend, slop, words):
    phrase = wq.Phrase("text", [analysed(backend, w) for w in words], slop=slop)
    with backend.searcher() as searcher:
        expected = set(searcher.docs_for_query(phrase))
        for leaf, offset in searcher.subsearchers or [(searcher, 0)]:
            docs = np.arange(leaf.doc_count_all(), dtype=np.int64)
            holding = [d for d in docs.tolist() if all(
                (("text", leaf.schema["text"].to_bytes(w)) in leaf.reader()
                 and d in leaf.reader().postings("text", leaf.schema["text"].to_bytes(w)).all_ids())
                for w in phrase.words)]  # fmt: skip
            holding = np.array(holding, dtype=np.int64)
            found = phrase_in(leaf.reader(), phrase, holding)
            assert {int(d) + offset for d in holding[found]} == {
                d for d in expected if offset <= d < offset + leaf.doc_count_all()
            }


def bonus_query(backend) -> wq.Or:
    united, nations = analysed(backend, "united"), analysed(backend, "nations")
    return wq.Or(
        [wq.Term("text", united), wq.Term("text", nations),
         wq.Phrase("text", [united, nations], slop=1, boost=0.5)], scale=0.9,
    )  # fmt: skip


def whoosh_ranking(query, searcher) -> list[tuple[int, float]]:
    found = []
    for leaf, offset in searcher.subsearchers or [(searcher, 0)]:
        matcher = query.matcher(leaf, leaf.context(needs_current=True))
        while matcher.is_active():
            found.append((matcher.id() + offset, matcher.score()))
            matcher.next()
    return sorted(found, key=lambda pair: (-pair[1], pair[0]))


def test_the_bonus_ranks_adjacent_words_first(backend):
    query = bonus_query(backend)
    with backend.searcher() as searcher:
        live = live_mask(searcher)
        ids, scores = scoring.score_all(query, searcher, allowed=live, limit=3)
        top_ids, top_scores = scoring.best(ids[live[ids]], scores[live[ids]], 3)
        reference = whoosh_ranking(query, searcher)[:3]
        titles = [searcher.stored_fields(d)["title"] for d in top_ids.tolist()]
    assert set(titles[:2]) == {"t0", "t3"}  # the two documents with "united nations"
    assert top_ids.tolist() == [d for d, _s in reference]
    assert np.allclose(top_scores, [s for _d, s in reference])


def test_the_bonus_is_checked_only_among_the_best_candidates(backend, monkeypatch):
    """With room for two candidates, the best documents still get their bonus (scores equal
    Whoosh's) while a document further down keeps its score without it (a lower bound)."""
    monkeypatch.setattr(scoring, "CANDIDATES", 2)
    monkeypatch.setattr(scoring, "CANDIDATES_PER_RESULT", 1)
    query = bonus_query(backend)
    with backend.searcher() as searcher:
        live = live_mask(searcher)
        exact = dict(whoosh_ranking(query, searcher))
        ids, scores = scoring.score_all(query, searcher, allowed=live, limit=1)
        got = dict(zip(ids.tolist(), scores.tolist(), strict=True))
        top_ids, top_scores = scoring.best(ids[live[ids]], scores[live[ids]], 1)
        checked = [d for d in got if got[d] == pytest.approx(exact[d])]
        below = [d for d in got if got[d] < exact[d] - 1e-9]
    assert set(got) == set(exact)
    assert all(got[d] <= exact[d] + 1e-9 for d in got)
    assert below, "a document outside the candidates keeps its score without the bonus"
    assert top_ids.tolist() == [max(exact, key=lambda d: (exact[d], -d))]
    assert top_scores[0] == pytest.approx(max(exact.values()))
    assert checked


@pytest.mark.parametrize("slop", [1, 6])
def test_phrase_check_across_many_postings_blocks(tmp_path, slop):
    """Postings longer than a Whoosh block (128 documents), checked for a scattered subset."""
    import random

    from whoosh import index
    from whoosh.fields import TEXT, Schema

    rng = random.Random(7)
    words = ["united", "nations", "states", "council", "the", "of"]
    ix = index.create_in(tmp_path, Schema(text=TEXT(chars=True)))
    with ix.writer() as writer:
        for _n in range(700):
            writer.add_document(text=" ".join(rng.choice(words) for _ in range(rng.randint(2, 30))))
    phrase = wq.Phrase("text", ["united", "nations"], slop=slop)
    with ix.searcher() as searcher:
        reader = searcher.reader()
        holding = np.intersect1d(
            list(reader.postings("text", b"united").all_ids()),
            list(reader.postings("text", b"nations").all_ids()),
        )
        expected = set(searcher.docs_for_query(phrase))
        for subset in (holding, holding[::7], holding[-3:]):
            found = phrase_in(reader, phrase, subset)
            assert set(subset[found].tolist()) == expected & set(subset.tolist())
