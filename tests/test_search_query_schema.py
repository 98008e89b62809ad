"""The schema the query parser reads without Whoosh (`articles.search.query.schema`, used by the
Solr backend) analyses and parses exactly as the embedded index's Whoosh schema does."""

from __future__ import annotations

import pytest
from haystack import connections

from articles.search.query.parser import parse_query
from articles.search.query.schema import QueryAnalyzer, query_schema, text_fields
from articles.search.whoosh.analysis import NewsAnalyzer
from articles.search.whoosh.schema import build_schema

TEXTS = [
    "دانش‌آموزان به کتابخانه‌ها رفتند و کتاب ها را خواندند",
    "The al-Qaeda leader's speech, 9/11 and covid19: to be or not to be",
    "نتیجهای که در ۱۴۰۰ می‌خواهم، گفت‌وگو و گفتگو؟ U.S. O'Neill",
    "می‌شود",
]
OPTIONS = [
    {},
    {"mode": "query"},
    {"mode": "query", "keepstops": True},
    {"mode": "query", "keepstops": True, "wholes": True},
    {"mode": "query", "removestops": False},
    {"mode": "index"},
]
QUERIES = [
    "کتاب‌ها در کابل",
    "كتابها",
    "al-Qaeda leaders",
    '"peace talks" -wheat title:kabul',
    "pres* OR گفت‌وگو",
    "entity:kabul lang:fa date:1399",
    "to be or not to be",
    "پایتخت اسپانیا کجاست؟",
    "a b c d e f g",
    '"وزارت امور خارجه"~3 AND (تهران OR کابل)',
]


def tokens(analyzer, text: str, options: dict) -> list[tuple]:
    return [(t.text, t.pos, t.startchar, t.endchar, getattr(t, "stopped", False))
            for t in analyzer(text, positions=True, chars=True, **options)]  # fmt: skip


@pytest.mark.parametrize("options", OPTIONS)
@pytest.mark.parametrize("text", TEXTS)
def test_the_query_analyzer_gives_the_whoosh_analyzers_tokens(text, options):
    assert tokens(QueryAnalyzer(), text, options) == tokens(NewsAnalyzer(), text, options)


@pytest.fixture
def schemas(search_index):
    fields = connections["default"].get_unified_index().all_searchfields()
    return query_schema(fields), build_schema(fields)


def test_both_schemas_name_the_same_fields_and_text_fields(schemas):
    (neutral_content, neutral), (whoosh_content, whoosh) = schemas
    assert neutral.names() == whoosh.names() and neutral_content == whoosh_content == "text"
    assert text_fields(neutral) == ["entity_names", "text", "title"]
    assert list(neutral["entities"].process_text("kabul, new york,,")) == list(
        whoosh["entities"].process_text("kabul, new york,,")
    )
    assert list(neutral["language"].process_text("fa")) == ["fa"]


@pytest.mark.parametrize("q", QUERIES)
def test_a_query_parses_alike_on_both_schemas(schemas, q):
    (_c, neutral), (_w, whoosh) = schemas
    aliases = {"کابل": [{"slug": "kabul", "name": "Kabul"}]}
    with_neutral = parse_query(q, neutral, aliases=aliases)
    with_whoosh = parse_query(q, whoosh, aliases=aliases)
    assert with_neutral.query == with_whoosh.query
    assert with_neutral.explanation() == with_whoosh.explanation()
    assert with_neutral.messages == with_whoosh.messages
