"""NewsAnalyzer in a real temporary Whoosh index: every fold finds the document both ways."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest
from whoosh import highlight, index
from whoosh.analysis import Token as WhooshToken
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import QueryParser

from articles.search.whoosh.analysis import NewsAnalyzer, NewsTokenizer
from articles.text import analyze, join_affixes

ZWNJ = "\u200c"

# (name, document spelling, query spelling); each pair is also tested the other way round.
FOLDS = [
    ("harakat", "کِتاب", "کتاب"),
    ("arabic yeh", "ايران", "ایران"),
    ("alef maksura", "موسى", "موسی"),
    ("arabic kaf", "كشور", "کشور"),
    ("teh marbuta", "مدرسة", "مدرسه"),
    ("hamza", "تأثیر", "تاثیر"),
    ("yeh hamza", "پائیز", "پاییز"),
    ("heh yeh", "نامۀ", "نامه"),
    ("persian digits", "۱۳۹۹", "1399"),
    ("arabic-indic digits", "١٣٩٩", "۱۳۹۹"),
    ("tatweel", "کتـــاب", "کتاب"),
    ("bidi marks", "\u200fتهران\u200f", "تهران"),
    ("accent", "café", "cafe"),
    ("case", "TEHRAN", "tehran"),
    ("plural zwnj", f"کتاب{ZWNJ}ها", "کتاب"),
    ("plural joined", "کتابها", "کتاب"),
    ("prefix zwnj/space", f"می{ZWNJ}خواهم", "می خواهم"),
    ("prefix zwnj/joined", f"می{ZWNJ}خواهم", "میخواهم"),
    ("prefix space/joined", "می خواهم", "میخواهم"),
    ("plural zwnj/space", f"کتاب{ZWNJ}ها", "کتاب ها"),
    ("plural space/joined", "کتاب ها", "کتابها"),
    ("superlative", f"بزرگ{ZWNJ}ترین", "بزرگ ترین"),
    ("compound zwnj/space", f"دانش{ZWNJ}آموز", "دانش آموز"),
    ("known compound joined/space", "علیرضا", "علی رضا"),
    ("known compound joined/zwnj", "کتابخانه", f"کتاب{ZWNJ}خانه"),
    ("possessive", "Trump's", "trump"),
    ("hyphen", "al-Qaeda", "al qaeda"),
]
FILLER = "گزارش خبرنگار درباره موضوع"


@pytest.fixture(scope="module")
def news_index(tmp_path_factory: pytest.TempPathFactory) -> index.Index:
    folder: Path = tmp_path_factory.mktemp("whoosh")
    schema = Schema(
        id=ID(stored=True, unique=True),
        body=TEXT(analyzer=NewsAnalyzer(), stored=True),
        exact=TEXT(analyzer=NewsAnalyzer(stem=False)),
    )
    ix = index.create_in(str(folder), schema)
    writer = ix.writer()
    for i, (_name, doc, query) in enumerate(FOLDS):
        for side, text in (("d", doc), ("q", query)):
            body = f"{FILLER} {text} {FILLER}"
            writer.add_document(id=f"{i}{side}", body=body, exact=body)
    writer.add_document(id="noise", body="متن دیگری بدون ربط", exact="")
    writer.commit()
    # Reopen from disk: the schema, analyzer included, went through pickle.
    return index.open_dir(str(folder))


def search_ids(ix: index.Index, query: str, field: str = "body") -> set[str]:
    with ix.searcher() as searcher:
        parsed = QueryParser(field, ix.schema).parse(join_affixes(query))
        return {hit["id"] for hit in searcher.search(parsed, limit=None)}


@pytest.mark.parametrize(("name", "doc", "query"), FOLDS, ids=[f[0] for f in FOLDS])
def test_fold_finds_document_both_ways(
    news_index: index.Index, name: str, doc: str, query: str
) -> None:
    i = FOLDS.index((name, doc, query))
    assert f"{i}d" in search_ids(news_index, query)
    assert f"{i}q" in search_ids(news_index, doc)


def test_query_finds_only_documents_with_the_word(news_index: index.Index) -> None:
    # A known compound also indexes its parts: کتابخانه is found by کتاب.
    with_book = {
        "known compound joined/zwnj",
        "harakat",
        "tatweel",
        "plural zwnj",
        "plural joined",
        "plural zwnj/space",
        "plural space/joined",
    }
    expected = {
        f"{i}{side}" for i, fold in enumerate(FOLDS) if fold[0] in with_book for side in "dq"
    }
    assert search_ids(news_index, "کتاب") == expected


def test_other_compound_written_with_zwnj_is_found_by_its_joined_form(
    news_index: index.Index,
) -> None:
    i = [f[0] for f in FOLDS].index("compound zwnj/space")
    assert f"{i}d" in search_ids(news_index, "دانشآموز")


def test_unstemmed_field_keeps_plural_apart(news_index: index.Index) -> None:
    plural_docs = search_ids(news_index, "کتابها", field="exact")
    assert "15d" in plural_docs and "14d" in plural_docs
    assert "0d" not in plural_docs


@pytest.mark.parametrize("phrase", ['"دانش آموز"', '"دانش‌آموز"', '"موضوع دانش‌آموز گزارش"'])
def test_phrase_query_over_compound_parts(news_index: index.Index, phrase: str) -> None:
    i = [f[0] for f in FOLDS].index("compound zwnj/space")
    assert {f"{i}d", f"{i}q"} <= search_ids(news_index, phrase)


def test_phrase_query_with_affixes_in_any_spelling(news_index: index.Index) -> None:
    i = [f[0] for f in FOLDS].index("prefix zwnj/space")
    for phrase in ['"موضوع می خواهم"', '"موضوع می‌خواهم گزارش"', '"موضوع میخواهم"']:
        assert f"{i}d" in search_ids(news_index, phrase)


def test_analyzer_pickles_and_compares_equal() -> None:
    analyzer = NewsAnalyzer()
    clone = pickle.loads(pickle.dumps(analyzer))
    assert clone == analyzer
    assert NewsAnalyzer(stem=False) != analyzer
    text = f"کِتاب{ZWNJ}ها Trump's"
    assert [t.text for t in clone(text)] == [t.text for t in analyzer(text)]


def test_analyzer_terms_equal_analyze() -> None:
    text = f"مي خواهند دانش{ZWNJ}آموزان را در سال ۱۳۹۹ ببینند؛ the U.S. talks"

    # The index keeps common words (marked, at their positions); queries drop them.
    def content(terms: list[str]) -> list[str]:
        return [term for term in terms if not term.startswith("_")]

    assert content([t.text for t in NewsAnalyzer()(text)]) == analyze(text)
    assert [t.text for t in NewsAnalyzer()(text, mode="query")] == analyze(text, query=True)
    assert content([t.text for t in NewsAnalyzer(stem=False)(text)]) == analyze(text, stem=False)


def test_tokenizer_sets_positions_chars_and_original() -> None:
    text = "  کِتاب‌ها و قلم"
    tokens = [
        (t.text, t.pos, t.startchar, t.endchar, t.original, t.stopped)
        for t in NewsAnalyzer()(
            text, positions=True, chars=True, keeporiginal=True, removestops=False, mode="query"
        )
    ]
    assert tokens == [
        ("کتاب", 0, 2, 10, "کِتاب‌ها", False),
        ("و", 1, 11, 12, "و", True),
        ("قلم", 2, 13, 16, "قلم", False),
    ]


def test_tokenizer_honours_start_offsets() -> None:
    [token] = list(NewsTokenizer()("کتاب", positions=True, chars=True, start_pos=5, start_char=7))
    assert isinstance(token, WhooshToken)
    assert (token.pos, token.startchar, token.endchar) == (5, 7, 11)


def test_untokenized_value_is_one_normalised_term() -> None:
    tokens = list(NewsTokenizer()("كتاب‌ها ۱۳۹۹", tokenize=False, positions=True, chars=True))
    assert [(t.text, t.pos, t.startchar, t.endchar) for t in tokens] == [("کتابها 1399", 0, 0, 12)]


def test_stopwords_dropped_from_queries_and_kept_in_the_index() -> None:
    text = "کتاب و قلم the pen"
    assert [t.text for t in NewsAnalyzer()(text, mode="query")] == ["کتاب", "قلم", "pen"]
    assert [t.text for t in NewsAnalyzer()(text, mode="query", keepstops=True)] == [
        "کتاب", "_و", "قلم", "_the", "pen"
    ]  # fmt: skip
    assert [(t.text, t.pos) for t in NewsAnalyzer()(text, positions=True, mode="index")] == [
        ("کتاب", 0), ("_و", 1), ("قلم", 2), ("_the", 3), ("pen", 4)
    ]  # fmt: skip


def marked(text: str, query: str) -> list[str]:
    """The original spans that ``whoosh.highlight.highlight`` marks for ``query``."""
    terms = analyze(query, query=True)
    formatter = highlight.HtmlFormatter(tagname="mark")
    out = highlight.highlight(text, terms, NewsAnalyzer(), highlight.WholeFragmenter(), formatter)
    return re.findall("<mark[^>]*>(.*?)</mark>", out)


def test_highlight_marks_the_original_persian_span() -> None:
    text = "در این کِتاب‌ها و در كتاب تازه"
    assert marked(text, "كتاب") == ["کِتاب‌ها", "كتاب"]


def test_highlight_marks_a_word_joined_across_a_space() -> None:
    text = "آنها مي خواهند بروند"
    assert marked(text, "میخواهند") == ["مي خواهند"]


def test_highlight_of_compound_by_its_joined_form() -> None:
    text = "این دانش‌آموز آمد"
    assert marked(text, "دانشآموز") == ["دانش‌آموز"]


def test_search_hit_highlights_original_text(news_index: index.Index) -> None:
    with news_index.searcher() as searcher:
        hits = searcher.search(QueryParser("body", news_index.schema).parse("كتاب"), limit=None)
        hit = next(h for h in hits if h["id"] == "0d")
        hits.formatter = highlight.HtmlFormatter(tagname="mark", classname="", termclass="")
        assert "<mark>کِتاب</mark>" in re.sub("<mark[^>]*>", "<mark>", hit.highlights("body"))
