"""The query parser against a real Whoosh index analysed with the archive's own analyzer."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from whoosh import fields as wf
from whoosh.filedb.filestore import RamStorage

from articles.search.query.parser import parse_query
from articles.search.query.tokens import MAX_QUERY_CHARS, MAX_TERMS
from articles.search.whoosh.analysis import NewsAnalyzer
from articles.search.whoosh.translate import to_whoosh_query


def day(year: int, month: int, date: int) -> datetime:
    """Whoosh stores naive datetimes, in UTC."""
    return datetime(year, month, date, 12, tzinfo=UTC).replace(tzinfo=None)


DOCS = {
    "fa": [
        ("1", "کِتاب‌ها در کابل", "نمایشگاه کِتاب‌ها در شهر کابل برگزار شد و مردم زیادی آمدند.",
         "tolonews", "fa", day(2021, 1, 4)),
        ("2", "گفت‌وگوهای صلح", "نمایندگان طالبان و دولت در دوحه دیدار کردند.",
         "tolonews", "fa", day(2020, 9, 12)),
        ("3", "بازار گندم", "قیمت گندم در بازار کابل بالا رفت و مردم نگران هستند.",
         "hamshahri", "fa", day(2019, 5, 1)),
    ],
    "en": [
        ("4", "Presidential election in Kabul", "The presidential election was held in Kabul.",
         "reuters", "en", day(2019, 9, 28)),
        ("5", "Wheat prices rise", "Wheat prices rose in the Kabul market this week.",
         "reuters", "en", day(1987, 3, 2)),
        ("6", "Peace talks resume", "Delegates met in Doha to resume the peace talks.",
         "tolonews", "en", day(2020, 9, 13)),
    ],
}  # fmt: skip
ALIASES = {
    "taliban": [{"slug": "taliban", "name_en": "Taliban", "name_fa": "طالبان", "kind": "group",
                 "alias": "Taliban", "alias_language": "en"}],
}  # fmt: skip


@pytest.fixture(scope="module")
def index():
    analyzer = NewsAnalyzer()
    schema = wf.Schema(
        article_id=wf.ID(stored=True),
        text=wf.TEXT(analyzer=analyzer, stored=True, chars=True),
        title=wf.TEXT(analyzer=analyzer, stored=True, chars=True),
        language=wf.ID(stored=True),
        source=wf.ID(stored=True),
        entities=wf.KEYWORD(commas=True, lowercase=False),
        published=wf.DATETIME(stored=True, sortable=True),
    )
    ix = RamStorage().create_index(schema)
    with ix.writer() as writer:
        for docs in DOCS.values():
            for doc_id, title, body, source, language, published in docs:
                writer.add_document(
                    article_id=doc_id, title=title, text=f"{title}\n\n{body}", source=source,
                    language=language, published=published,
                    entities="taliban" if doc_id in ("2", "6") else "",
                )  # fmt: skip
    return ix


def found(index, q: str, **kwargs) -> list[str]:
    parsed = parse_query(q, index.schema, **kwargs)
    if parsed.query is None:
        return []
    with index.searcher() as searcher:
        hits = searcher.search(to_whoosh_query(parsed.query), limit=None)
        return [hit["article_id"] for hit in hits]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("کتاب", {"1"}),
        ("كتابها", {"1"}),  # Arabic kaf, no ZWNJ, plural: same word
        ("کـتـاب", {"1"}),  # tatweel
        ("گندم", {"3"}),
        ("کابل AND گندم", {"3"}),
        ("کابل -گندم", {"1"}),
        ('"بازار کابل"', {"3"}),
        ("title:صلح", {"2"}),
        ("نمایند*", {"2"}),
        ("lang:fa کابل", {"1", "3"}),
        ("source:hamshahri", {"3"}),
        ("date:1399 کابل", {"1"}),  # Solar Hijri 1399 = 2020-03-20 .. 2021-03-20
    ],
)
def test_persian_syntax(index, q, expected):
    assert set(found(index, q)) == expected


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("elections", {"4"}),
        ("wheat OR doha", {"5", "6"}),
        ("kabul AND wheat", {"5"}),
        ("kabul NOT wheat", {"4"}),
        ("+kabul +market", {"5"}),
        ('"presidential election"', {"4"}),
        ('"election kabul"', set()),
        ('"election kabul"~4', {"4"}),
        ("presid*", {"4"}),
        ("title:wheat", {"5"}),
        ("(wheat OR doha) AND peace", {"6"}),
        ("source:reuters lang:en", {"4", "5"}),
        ("date:2019-01-01..2019-12-31 kabul", {"4"}),
        ("date:2019-01-01..2019-12-31 OR doha", {"3", "4", "6"}),
        ("date:..1990", {"5"}),
        ("entity:taliban", {"2", "6"}),
    ],
)
def test_english_syntax(index, q, expected):
    assert set(found(index, q)) == expected


def test_plain_words_rank_documents_holding_more_words_first(index):
    assert found(index, "wheat market kabul", op="or")[0] == "5"
    assert set(found(index, "wheat market kabul", op="or")) == {"4", "5"}


def test_title_matches_rank_above_body_matches(index):
    # "election" is in the title and body of 4, only in the body of nothing else
    assert found(index, "wheat election", op="or")[0] in {"4", "5"}
    assert found(index, "kabul")[0] in {"1", "4"}  # Kabul in the title


@pytest.mark.parametrize("language", ["fa", "en"])
def test_entity_expansion_adds_tagged_articles_and_reports_them(index, language):
    q = "Taliban" if language == "en" else "taliban peace"
    parsed = parse_query(q, index.schema, aliases=ALIASES)
    assert parsed.expansions and parsed.expansions[0]["slug"] == "taliban"
    assert {"2", "6"} <= set(found(index, q, aliases=ALIASES, op="or"))
    assert "2" not in found(index, q, aliases=ALIASES, expand=False, op="or")


def test_expansion_inside_a_structured_query(index):
    assert set(found(index, "taliban AND دوحه", aliases=ALIASES)) == {"2"}


def test_explanation_shows_normalised_tokens_fields_and_operators(index):
    parsed = parse_query('كتابها AND title:"peace talks" -wheat', index.schema)
    assert parsed.mode == "structured"
    assert parsed.operators == ["AND"]
    tokens = {token["text"]: token for token in parsed.explanation()["tokens"]}
    assert tokens["كتابها"]["terms"] == ["کتاب"]
    assert tokens["peace talks"]["field"] == "title" and tokens["wheat"]["op"] == "not"
    assert "title" in parsed.fields
    assert parsed.highlight_terms == {"کتاب", "peac", "talk"}


def test_unknown_field_is_read_as_plain_words(index):
    parsed = parse_query("colour:wheat", index.schema)
    assert parsed.messages and "colour" in parsed.messages[0]
    assert parse_query("foo:wheat prices", index.schema).query is not None


def test_lone_date_and_lang_values_are_explained(index):
    parsed = parse_query("date:1399-10-15", index.schema)
    assert any("Solar Hijri" in m and "4 January 2021" in m for m in parsed.messages)
    assert parse_query("lang:klingon wheat", index.schema).messages


UGLY = [
    '"', "(((", ")))", "AND OR NOT", "title:", "*", "\x00", "\x00\x01\x1f", "x" * 10_000,
    "wheat" + " OR" * 400, "کابل (AND \"طالبان", "NOT", "-", "+", "+-+-", "date:1399-99..",
    "date:..", "lang:", "entity:", "a~5", '""~9', '"a b"~99999', "\u202ekabul\u202c",
    "یا OR و AND", "title:(", "((((((((((((((((((((wheat", "wheat))))))))))", "\ud800",
    "مخلوط mixed کابل Kabul ۱۳۹۹", "%s %d {} <script>alert(1)</script>", "&&||!!",
    "word:" * 100, " ".join(f"w{i}" for i in range(200)),
]  # fmt: skip


@pytest.mark.parametrize("q", UGLY)
def test_ugly_input_never_raises_and_says_what_happened(index, q):
    parsed = parse_query(q, index.schema)
    found(index, q)
    assert len(parsed.read_as) <= 20 * MAX_QUERY_CHARS
    assert parsed.messages or parsed.query is not None


def test_long_queries_are_capped_with_a_message(index):
    parsed = parse_query(" ".join(f"word{i}" for i in range(300)), index.schema)
    assert any(str(MAX_TERMS) in m or str(MAX_QUERY_CHARS) in m for m in parsed.messages)
    assert len(parsed.tokens) <= MAX_TERMS


def test_empty_query_matches_everything_without_a_message(index):
    parsed = parse_query("   ", index.schema)
    assert parsed.query is None and parsed.mode == "empty" and parsed.messages == []


def test_phrases_beyond_the_limit_are_searched_as_words(index):
    from articles.search.query.terms import MAX_PHRASES

    q = " ".join(['"peace talks"'] * (MAX_PHRASES + 1)) + ' "talks resume"'
    parsed = parse_query(q, index.schema)
    assert any("phrases" in message for message in parsed.messages)
    assert found(index, q) == ["6"]
