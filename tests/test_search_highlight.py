"""Snippets and titles marked with the archive's own analyzer, Persian first."""

from __future__ import annotations

import pytest

from articles.search.present.highlight import (
    WINDOW,
    bidi_isolated,
    highlight_snippet,
    highlight_title,
    plain_text,
)
from articles.search.whoosh.analysis import NewsAnalyzer

ANALYZER = NewsAnalyzer()


def terms_of(query: str) -> set[str]:
    return {token.text for token in ANALYZER(query, mode="query")}


@pytest.mark.parametrize(
    ("query", "text", "marked"),
    [
        ("كتاب", "این کِتاب خوب است", "کِتاب"),  # harakat in the text, Arabic kaf in the query
        ("کتابها", "کتاب‌ها را خواندم", "کتاب‌ها"),  # ZWNJ plural
        ("کتاب", "کـتـاب را خواندم", "کـتـاب"),  # tatweel
        ("میخواهم", "من می‌خواهم بروم", "می‌خواهم"),  # ZWNJ prefix joined
        ("۱۳۹۹", "در سال 1399 و ۱۳۹۹", "1399"),
        ("elections", "The Election was held", "Election"),
    ],
)
def test_marks_the_original_characters(query, text, marked):
    snippet = highlight_snippet(text, ANALYZER, terms_of(query))
    assert f"<mark>{marked}</mark>" in snippet.html
    assert plain_text(snippet.html) == snippet.text == text


def test_text_is_escaped_before_marking():
    text = 'کابل <script>alert("x")</script> & Kabul'
    snippet = highlight_snippet(text, ANALYZER, terms_of("kabul کابل"))
    assert "<script>" not in snippet.html and "&lt;script&gt;" in snippet.html
    assert "&amp;" in snippet.html and snippet.html.count("<mark>") == 2
    assert highlight_title("a < b Kabul", ANALYZER, terms_of("kabul")) == (
        "a &lt; b <mark>Kabul</mark>"
    )


@pytest.mark.parametrize("language", ["fa", "en"])
def test_snippet_is_a_window_around_the_densest_hits(language):
    filler = ("واژه " if language == "fa" else "filler ") * 80
    target = "طالبان در دوحه با طالبان" if language == "fa" else "Taliban in Doha with Taliban"
    text = filler + "Kabul " + filler + target + " " + filler
    query = "طالبان دوحه" if language == "fa" else "taliban doha"
    snippet = highlight_snippet(text, ANALYZER, terms_of(query))
    assert snippet.html.startswith("…") and snippet.html.endswith("…")
    assert snippet.html.count("<mark>") == 3
    assert len(snippet.text.split()) <= WINDOW + 2


def test_no_hits_gives_the_beginning():
    text = "First words of the article. " * 30
    snippet = highlight_snippet(text, ANALYZER, set())
    assert snippet.text.startswith("First words") and snippet.text.endswith("…")
    assert "<mark>" not in snippet.html


def test_prefix_marks_every_word_it_starts():
    snippet = highlight_snippet("President and presidency", ANALYZER, set(), ["presid"])
    assert snippet.html.count("<mark>") == 2


def test_bidi_isolation_and_empty_text():
    assert bidi_isolated("<mark>کابل</mark>", "fa") == (
        '<bdi dir="rtl" lang="fa"><mark>کابل</mark></bdi>'
    )
    assert bidi_isolated("x").startswith('<bdi dir="auto">')
    assert highlight_snippet("", ANALYZER, {"x"}).html == ""


@pytest.mark.parametrize("language", ["fa", "en"])
def test_snippets_from_the_index_postings_keep_original_offsets(language):
    from whoosh import fields as wf
    from whoosh.filedb.filestore import RamStorage

    from articles.search.present.highlight import snippet_from_hits
    from articles.search.whoosh.offsets import postings_hits

    filler = ("واژه " if language == "fa" else "filler ") * 60
    title = "کِتاب‌ها" if language == "fa" else "Elections"
    target = "نمایشگاه کِتاب‌ها و كتاب" if language == "fa" else "the Election & <b>elections</b>"
    text = f"{title}\n\n{filler}{target} {filler}"
    schema = wf.Schema(text=wf.TEXT(analyzer=ANALYZER, stored=True, chars=True))
    ix = RamStorage().create_index(schema)
    with ix.writer() as writer:
        writer.add_document(text=text)
    with ix.searcher() as searcher:
        terms = terms_of("کتاب" if language == "fa" else "election")
        hits = postings_hits(searcher, [0], "text", terms)[0]
        snippet = snippet_from_hits(text, hits, floor=len(title))
    assert snippet.html.startswith("…") and snippet.html.endswith("…")
    assert snippet.html.count("<mark>") == 2  # not the title's occurrence
    if language == "fa":
        assert "<mark>کِتاب‌ها</mark>" in snippet.html and "<mark>كتاب</mark>" in snippet.html
    else:
        assert "<mark>Election</mark> &amp; &lt;b&gt;<mark>elections</mark>" in snippet.html
    assert len(snippet.text) <= 240


def test_offsets_read_from_block_tables_equal_those_read_by_skipping_blocks():
    """Hits spread over many postings blocks: reading only the blocks that hold them (once
    the term's postings are decoded) gives what skipping block by block gives."""
    from whoosh import fields as wf
    from whoosh.filedb.filestore import RamStorage

    from articles.search.whoosh.columns import ColumnCache
    from articles.search.whoosh.docsets import POSTINGS, postings_arrays
    from articles.search.whoosh.offsets import postings_hits

    schema = wf.Schema(text=wf.TEXT(analyzer=ANALYZER, stored=True, chars=True))
    ix = RamStorage().create_index(schema)
    with ix.writer() as writer:
        for n in range(900):  # 7+ blocks of 128 postings for the common words
            words = ["kabul"] * (n % 3) + ["filler"] * (n % 7) + ["کابل"] * (n % 2)
            writer.add_document(text=" ".join(words + ["election", f"w{n}"]))
    terms = terms_of("kabul election کابل")
    wanted = [0, 1, 5, 130, 131, 257, 600, 601, 899]
    with ix.searcher() as searcher:
        skipped = postings_hits(searcher, wanted, "text", terms)
        ColumnCache(schema, "blocks-test").bind(searcher)
        leaf = searcher.reader()
        for term in terms:
            postings_arrays(leaf, "text", term.encode())  # what scoring does first
        keys = [(*leaf._newsarchive_key, "text", term.encode()) for term in terms]
        assert all(POSTINGS.get(key)[2] is not None for key in keys)  # block tables kept
        direct = postings_hits(searcher, wanted, "text", terms)
    assert direct == skipped
    assert len(direct[601]) == 1 + 1 + 1  # kabul once, election once, کابل once
    assert {hit[3] for hit in direct[600]} == terms_of("election")  # no kabul, no کابل
