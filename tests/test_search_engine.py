"""The search engine over a real temporary Whoosh index built from real database rows."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.http import QueryDict
from django.utils import translation

from articles.search.types import SearchParams
from tests.factories import make_article, make_entity, make_source, tag

pytestmark = pytest.mark.django_db


def when(year: int, month: int = 6, day: int = 15) -> datetime:
    return datetime(year, month, day, 12, 0, tzinfo=UTC)


@pytest.fixture
def archive(search_index):
    from articles.search.sync import indexing

    tolo = make_source(
        slug="tolonews", name_en="TOLOnews", name_fa="طلوع‌نیوز", default_language="fa"
    )
    reuters = make_source(slug="reuters", name_en="Reuters", name_fa="رویترز")
    taliban = make_entity(
        slug="taliban", name_en="Taliban", name_fa="طالبان", kind="group",
        aliases={"en": ["Taliban"], "fa": ["طالبان"]},
    )  # fmt: skip
    kabul = make_entity(slug="kabul", name_en="Kabul", name_fa="کابل", kind="place")
    docs = {
        "fa_books": make_article(
            language="fa", source=tolo, title="کِتاب‌ها در کابل",
            body="نمایشگاه کِتاب‌ها در شهر کابل برگزار شد و مردم زیادی آمدند.",
            published_at=when(2021, 1, 4),
        ),
        "fa_taliban": make_article(
            language="fa", source=tolo, title="گفت‌وگوهای صلح",
            body="نمایندگان طالبان و دولت در دوحه دیدار کردند.",
            published_at=when(2020, 9, 12),
        ),
        "en_election": make_article(
            language="en", source=reuters, title="Presidential election in Kabul",
            body="The presidential election was held in Kabul with a large turnout of voters.",
            published_at=when(2019, 9, 28),
        ),
        "en_market": make_article(
            language="en", source=reuters, title="Wheat prices rise",
            body="Wheat prices rose in the market this week; traders expect an election effect.",
            published_at=when(1987, 3, 2),
        ),
        "en_talks": make_article(
            language="en", source=tolo, title="Peace talks resume in Doha",
            body="Delegates met in Doha to resume the peace talks about the future of the country.",
            published_at=when(2020, 9, 13),
        ),
    }  # fmt: skip
    tag(docs["fa_taliban"], taliban)
    tag(docs["en_talks"], taliban)
    tag(docs["fa_books"], kabul)
    tag(docs["en_election"], kabul)
    indexing.rebuild()
    return docs


def search(**fields):
    from articles.search.engine import search_articles

    return search_articles(SearchParams(**fields))


def ids(result) -> list[int]:
    return [hit.article_id for hit in result.hits]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("كتاب", "fa_books"),  # Arabic kaf finds Persian کتاب written with harakat and ZWNJ
        ("کتابها", "fa_books"),
        ("elections", "en_election"),
        ('"presidential election"', "en_election"),
        ("title:wheat", "en_market"),
        ("doh*", "en_talks"),
    ],
)
def test_words_phrases_fields_and_prefixes_find_their_article(archive, q, expected):
    result = search(q=q)
    assert ids(result)[:1] == [archive[expected].pk], result.explanation


def test_plain_words_rank_articles_holding_more_of_them_first(archive):
    result = search(q="election kabul", op="or")
    assert ids(result)[0] == archive["en_election"].pk
    assert archive["en_market"].pk in ids(result)  # holds only one of the words
    assert ids(search(q="election kabul")) == [archive["en_election"].pk]  # op=and: both


def test_boolean_operators(archive):
    assert ids(search(q="election AND wheat")) == [archive["en_market"].pk]
    assert set(ids(search(q="wheat OR doha"))) == {archive["en_market"].pk, archive["en_talks"].pk}
    assert ids(search(q="election -wheat")) == [archive["en_election"].pk]
    assert ids(search(q="election NOT kabul")) == [archive["en_market"].pk]


def test_proximity_allows_words_between(archive):
    assert ids(search(q='"presidential kabul"')) == []
    assert ids(search(q='"election kabul"~3'))[:1] == [archive["en_election"].pk]


@pytest.mark.parametrize("language", ["fa", "en"])
def test_language_filter_and_facets(archive, language):
    result = search(q="", language=language, sort="newest")
    assert {hit.language for hit in result.hits} == {language}
    counts = {value.value: (value.count, value.selected) for value in result.facets["language"]}
    # the language facet ignores its own filter, so the other language stays visible
    assert counts == {"fa": (2, language == "fa"), "en": (3, language == "en")}


def test_source_facet_counts_follow_the_query_and_show_names(archive):
    with translation.override("fa"):
        result = search(q="election OR talks")
    facet = {value.value: value for value in result.facets["source"]}
    assert facet["reuters"].count == 2 and facet["tolonews"].count == 1
    assert facet["tolonews"].label == "طلوع‌نیوز"


def test_entity_filter_and_entity_facet_names_in_the_interface_language(archive):
    with translation.override("en"):
        result = search(entities=["taliban"])
    assert set(ids(result)) == {archive["fa_taliban"].pk, archive["en_talks"].pk}
    entity = {value.value: value for value in result.facets["entity"]}
    assert entity["taliban"].selected and entity["taliban"].label == "Taliban"
    assert entity["kabul"].count == 2  # counted without the entity filter itself
    kinds = {value.value: value.count for value in result.facets["entity_kind"]}
    assert kinds == {"group": 2}


def test_sorting_newest_and_oldest(archive):
    newest = ids(search(q="", sort="newest"))
    assert newest[0] == archive["fa_books"].pk and newest[-1] == archive["en_market"].pk
    assert ids(search(q="", sort="oldest")) == list(reversed(newest))


def test_pagination_and_a_page_past_the_end(archive):
    first = search(q="", sort="newest", per_page=2, page=1)
    second = search(q="", sort="newest", per_page=2, page=2)
    assert first.count == 5 and first.num_pages == 3
    assert not set(ids(first)) & set(ids(second))
    past = search(q="", sort="newest", per_page=2, page=9)
    assert past.params.page == 3 and len(past.hits) == 1 and past.messages


def test_year_jalali_year_and_date_range_filters(archive):
    assert set(ids(search(year=2020))) == {archive["fa_taliban"].pk, archive["en_talks"].pk}
    # 1399 runs from 2020-03-20 to 2021-03-20: the talks and the book fair
    assert set(ids(search(jyear=1399))) == {
        archive["fa_taliban"].pk, archive["en_talks"].pk, archive["fa_books"].pk,
    }  # fmt: skip
    jyears = {value.value: value.count for value in search().facets["jyear"]}
    assert jyears["1399"] == 3 and jyears["1398"] == 1
    ranged = search(date_from=date(2020, 9, 1), date_to=date(2020, 9, 30))
    assert set(ids(ranged)) == {archive["fa_taliban"].pk, archive["en_talks"].pk}


def test_date_field_in_the_query_reads_solar_hijri_years(archive):
    result = search(q="date:1399 کتاب")
    assert ids(result) == [archive["fa_books"].pk]
    assert any("Solar Hijri" in message for message in result.messages)


@pytest.mark.parametrize(("expand", "found"), [(True, 2), (False, 0)])
def test_cross_language_entity_expansion(archive, expand, found):
    result = search(q="Taliban", expand_entities=expand)
    assert len(result.hits) == found
    if expand:
        assert archive["fa_taliban"].pk in ids(result)
        assert result.expansions[0]["slug"] == "taliban"
        assert result.expansions[0]["name_fa"] == "طالبان"
    else:
        assert result.expansions == []


def test_persian_alias_expands_to_english_articles(archive):
    result = search(q="طالبان")
    assert archive["en_talks"].pk in ids(result)


def test_persian_highlight_marks_the_original_spelling(archive):
    hit = search(q="كتابها").hits[0]
    assert "<mark>کِتاب‌ها</mark>" in hit.snippet_html
    assert hit.title_html.startswith(f"<mark>{hit.title.split()[0]}</mark>")
    assert "کِتاب‌ها" in hit.snippet_text and "<mark>" not in hit.snippet_text


def test_results_come_from_stored_fields_without_a_query_per_hit(
    archive, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):  # aliases, hides still queued, facet labels
        result = search(q="election kabul", with_timeline=True)
    hit = result.hits[0]
    assert hit.source_slug == "reuters" and hit.url.endswith(
        f"/{hit.article_id}/{archive['en_election'].slug}/"
    )
    assert result.timeline and {"month", "fa", "en"} <= set(result.timeline[0])


@pytest.mark.parametrize(
    ("q", "suggestion"),
    [("electon", "election"), ("electon markt", "election market"), ("نمایشگاخ", "نمایشگاه")],
)
def test_did_you_mean_offers_a_known_word(archive, q, suggestion):
    assert search(q=q).suggestion == suggestion


def test_no_suggestion_that_finds_nothing_more_than_the_query(archive):
    # Any of the words: "wheat" already finds the one article that "market" would add nothing to.
    assert search(q="wheat markt", op="or").count == 1
    assert search(q="wheat markt", op="or").suggestion == ""


def test_no_suggestion_for_known_words(archive):
    assert search(q="election").suggestion == ""


def test_no_suggestion_when_the_query_finds_plenty(archive):
    """A misspelt word beside a word found in many articles: no "did you mean" is looked for."""
    from articles.search.present import suggest
    from articles.search.sync import indexing

    for n in range(suggest.FEW):
        make_article(language="en", title=f"Wheat harvest {n}", body="Wheat was harvested.",
                     published_at=when(2000 + n))  # fmt: skip
        make_article(language="fa", title=f"گندم {n}", body="برداشت گندم آغاز شد.",
                     published_at=when(2000 + n))  # fmt: skip
    indexing.rebuild()
    for q in ("wheat markt", "گندم نمایشگاخ"):
        result = search(q=q, op="or")
        assert result.count >= suggest.FEW and result.suggestion == "", q
        assert "suggestion" not in result.explanation
    assert search(q="electon").suggestion == "election"  # few hits: still offered


def test_did_you_mean_is_not_computed_for_plenty(archive):
    from articles.search.engine import _backend
    from articles.search.present import suggest
    from articles.search.query.parser import parse_query

    backend = _backend()
    parsed = parse_query("electon", backend.schema)
    assert backend.did_you_mean(parsed, total=0) == "election"
    assert backend.did_you_mean(parsed, total=suggest.FEW) == ""


MALFORMED = [
    '"', "(((", ")))", "AND OR NOT", "title:", "*", "\x00", "x" * 10_000,
    'کتاب (AND "طالبان', "NOT", "-", "+", "date:1399-99..", "lang:xx", "entity:",
    "foo:bar baz", "a~5", '""~9', "\u202eelection\u202c", "یا OR و AND",
]  # fmt: skip


@pytest.mark.parametrize("q", MALFORMED)
def test_malformed_queries_never_raise_and_explain(archive, q):
    result = search(q=q)
    assert result.count >= 0
    assert result.messages or result.explanation["mode"] in ("plain", "structured")


def test_iter_article_ids_streams_the_search_in_order(archive):
    from articles.search.engine import iter_article_ids

    params = SearchParams(q="", sort="newest")
    assert list(iter_article_ids(params, limit=3)) == ids(search(q="", sort="newest"))[:3]
    assert len(list(iter_article_ids(params, limit=100))) == 5


def test_params_from_query_then_search(archive):
    from articles.search.engine import params_from_query

    query = QueryDict(mutable=True)
    query.update({"q": "کتاب", "from": "۱۳۹۹/۱۰/۱۰", "to": "2021-01-31", "sort": "sideways"})
    params, messages = params_from_query(query, ui_language="fa")
    assert params.date_from == date(2020, 12, 30) and params.sort == "relevance"
    assert len(messages) == 3
    assert ids(search(**vars(params))) == [archive["fa_books"].pk]


def test_prefix_expansions_are_capped_with_a_message(archive, monkeypatch):
    from articles.search import budget

    monkeypatch.setattr(budget, "MAX_PREFIX_TERMS", 1)
    result = search(q="p*")  # peace, presidential, prices, …
    assert result.count >= 1
    assert any("most frequent" in message for message in result.messages)


def test_json_format_is_versioned_and_complete(archive, rf):
    from articles.search.present.api import result_to_json

    with translation.override("fa"):
        result = search(q="Taliban", with_timeline=True)
        data = result_to_json(result, rf.get("/fa/search/"))
    assert data["version"] == 1 and data["count"] == 2 and data["num_pages"] == 1
    first = data["results"][0]
    assert first["url"].startswith("http://testserver/fa/articles/")
    assert {"id", "title", "language", "source", "published", "snippet", "snippet_text"} <= set(
        first
    )
    assert data["expansions"][0]["slug"] == "taliban" and data["query"]["mode"] == "plain"
    assert set(data["facets"]) == {"source", "language", "entity", "entity_kind", "year", "jyear"}


SYNTAX = {
    "fa": [
        ("کابل", {"fa_books"}), ("کتاب AND کابل", {"fa_books"}),
        ("طالبان -کتاب", {"fa_taliban"}), ('"شهر کابل"', {"fa_books"}),
        ("نمایند*", {"fa_taliban"}), ("title:صلح", {"fa_taliban"}),
    ],
    "en": [
        ("kabul", {"en_election"}), ("wheat AND market", {"en_market"}),
        ("election -wheat", {"en_election"}), ('"peace talks"', {"en_talks"}),
        ("deleg*", {"en_talks"}), ("title:prices", {"en_market"}),
    ],
}  # fmt: skip


@pytest.mark.parametrize("language", ["fa", "en"])
def test_syntax_in_each_language_with_highlights(archive, language):
    for q, expected in SYNTAX[language]:
        result = search(q=q, language=language)
        assert set(ids(result)) == {archive[key].pk for key in expected}, q
        assert all(
            "<mark>" in hit.snippet_html or "<mark>" in hit.title_html for hit in result.hits
        )
        assert all(hit.language == language for hit in result.hits)
