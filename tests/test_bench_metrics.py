"""The benchmark metrics on tiny rankings worked out by hand."""

from __future__ import annotations

import math

import pytest

from bench.common import Scores, average_precision, evaluate, ndcg, percentile
from bench.engines import FTS5Engine, fts5_match


def test_average_precision_of_a_perfect_ranking_is_one():
    assert average_precision(["a", "b", "x"], {"a", "b"}, 10) == 1.0


def test_average_precision_counts_precision_at_each_relevant_rank():
    # relevant at ranks 1 and 3: (1/1 + 2/3) / 2
    assert average_precision(["a", "x", "b"], {"a", "b"}, 10) == pytest.approx((1 + 2 / 3) / 2)


def test_average_precision_misses_beyond_the_cut_and_divides_by_min_of_relevant_and_k():
    ranked = ["x", "a", "y", "b"]
    # cut at 2: only "a" at rank 2 is seen, 1/2, divided by min(2 relevant, k=2) = 2
    assert average_precision(ranked, {"a", "b"}, 2) == pytest.approx(0.25)
    # three relevant, k = 1, the first is relevant: 1 / min(3, 1)
    assert average_precision(["a"], {"a", "b", "c"}, 1) == 1.0


def test_average_precision_of_no_relevant_documents_is_zero():
    assert average_precision(["a"], set(), 10) == 0.0
    assert average_precision([], {"a"}, 10) == 0.0


def test_ndcg_discounts_a_relevant_document_by_log2_of_rank_plus_one():
    # one relevant document at rank 3: (1 / log2 4) / (1 / log2 2) = 0.5
    assert ndcg(["x", "y", "a"], {"a"}, 10) == pytest.approx(0.5)


def test_ndcg_normalises_by_the_ideal_ranking_within_the_cut():
    # two relevant, found at ranks 1 and 4: (1 + 1/log2 5) / (1 + 1/log2 3)
    expected = (1 + 1 / math.log2(5)) / (1 + 1 / math.log2(3))
    assert ndcg(["a", "x", "y", "b"], {"a", "b"}, 10) == pytest.approx(expected)
    assert ndcg(["x", "a"], {"a"}, 1) == 0.0


def test_evaluate_averages_over_judged_queries_and_scores_missing_runs_zero():
    qrels = {"q1": {"a"}, "q2": {"b"}}
    scores = evaluate({"q1": ["a"]}, qrels)
    assert scores == Scores(map10=0.5, map100=0.5, ndcg10=0.5, queries=2)


def test_percentile_takes_the_nearest_rank():
    values = [5.0, 1.0, 3.0, 2.0, 4.0]
    assert percentile(values, 50) == 3.0
    assert percentile(values, 95) == 5.0
    assert percentile(values, 0) == 1.0


def test_fts5_match_ors_quoted_words_and_drops_single_characters():
    assert fts5_match('U.S . "policy" OR diem?') == '"policy" OR "OR" OR "diem"'
    assert fts5_match("پایتخت اسپانیا کجاست؟") == '"پایتخت" OR "اسپانیا" OR "کجاست"'
    assert fts5_match("? ! -") == ""


def test_fts5_engine_ranks_english_and_persian_documents():
    from bench.common import Doc

    engine = FTS5Engine()
    engine.build(
        [
            Doc("en1", "en", "Kabul news", "The council met in Kabul."),
            Doc("en2", "en", "Weather", "Rain in Herat."),
            Doc("fa1", "fa", "خبر کابل", "شورا در کابل تشکیل جلسه داد."),
        ]
    )
    assert engine.search("kabul council", 10) == ["en1"]
    assert engine.search("کابل", 10) == ["fa1"]
    engine.close()


def test_variant_rewrites_change_only_the_spelling():
    from bench.variants import REWRITES

    query = "کتاب‌های سال ۱۳۹۹"
    assert REWRITES["arabic ي ك"](query) == "كتاب‌هاي سال ۱۳۹۹"
    assert REWRITES["ZWNJ removed"](query) == "کتابهای سال ۱۳۹۹"
    assert REWRITES["ZWNJ → space"](query) == "کتاب های سال ۱۳۹۹"
    assert REWRITES["digits fa↔ascii"](query) == "کتاب‌های سال 1399"
    assert REWRITES["tatweel"]("کتاب") == "کـتاب"
    assert REWRITES["harakat added"]("کتاب") == "کَتِاب"


def test_larger_sets_are_the_corpus_plus_shuffled_copies_under_new_ids():
    from bench.common import Doc
    from bench.search_speed import build_set

    corpus = [Doc(f"d{i}", "en", f"t{i}", f"p{i}a\n\np{i}b\n\np{i}c") for i in range(5)]
    docs = build_set(corpus, 12)
    assert len(docs) == 12 and docs[:5] == corpus
    assert len({doc.id for doc in docs}) == 12
    for copy in docs[5:]:
        original = next(doc for doc in corpus if copy.id.startswith(doc.id + "~"))
        assert sorted(copy.body.split("\n\n")) == sorted(original.body.split("\n\n"))
    assert build_set(corpus, 3) == build_set(corpus, 3)
