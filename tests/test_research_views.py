"""The research views over a real temporary index: top terms, concordance, co-mentions,
compare, the advanced form, folded copies and numbered pages, in both interface languages,
as HTML, JSON and CSV."""

from __future__ import annotations

import csv
import io

import pytest

from articles.research.advanced import compose
from articles.research.terms import log_likelihood
from articles.search.sync import indexing
from articles.templatetags.research_tags import pages_around
from tests.research_data import build_research_archive

VIEWS = ("/search/attention/", "/search/terms/", "/search/kwic/", "/search/comentions/",
         "/compare/", "/search/advanced/", "/search/")  # fmt: skip


@pytest.fixture
def archive(db, search_index):
    data = build_research_archive()
    indexing.rebuild()
    return data


@pytest.mark.parametrize("language", ["fa", "en"])
@pytest.mark.parametrize("path", VIEWS)
def test_every_research_page_answers_with_one_heading_in_both_languages(
    client, archive, language, path
):
    response = client.get(f"/{language}{path}", {"q": "drought"} if "advanced" not in path else {})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert f'<html lang="{language}" dir="{"rtl" if language == "fa" else "ltr"}">' in html


@pytest.mark.parametrize("path", ["/search/attention/", "/search/terms/", "/search/kwic/",
                                  "/search/comentions/", "/compare/"])  # fmt: skip
def test_every_research_view_answers_versioned_json(client, archive, path):
    data = client.get(f"/en{path}", {"q": "drought", "format": "json"}).json()
    assert data["version"] == 1
    assert data["view"] == path.strip("/").split("/")[-1]


@pytest.mark.parametrize("path", ["/search/attention/", "/search/terms/", "/search/kwic/",
                                  "/search/comentions/", "/compare/"])  # fmt: skip
def test_tables_download_as_csv(client, archive, path):
    response = client.get(f"/fa{path}", {"q": "drought", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) >= 2


@pytest.mark.parametrize("text", ["", '"', "((", "title:", "lang:xx", "*", "a" * 600, "NOT"])
def test_nothing_a_visitor_types_breaks_a_research_view(client, archive, text):
    for path in ("/search/attention/", "/search/terms/", "/search/kwic/", "/search/comentions/"):
        for fmt in ("", "json", "csv"):
            response = client.get(f"/en{path}", {"q": text, "format": fmt, "page": "x",
                                                 "res": "eon", "sort": "?"})  # fmt: skip
            assert response.status_code == 200
    assert client.get("/en/compare/", {"q": [text] * 7}).status_code == 200


# -- top terms ------------------------------------------------------------------------------
def test_log_likelihood_grows_with_over_representation_and_ignores_under_representation():
    assert log_likelihood(10, 10, 0, 1000) > log_likelihood(5, 10, 0, 1000) > 0
    assert log_likelihood(1, 100, 100, 1000) == 0.0


def test_top_terms_are_the_words_over_represented_in_the_matches(client, archive):
    data = client.get("/en/search/terms/", {"q": "drought", "format": "json"}).json()
    words = [row["term"].lower() for row in data["terms"]]
    assert "wheat" in words  # (ties: every word of these six articles scores alike)
    assert "drought" not in words  # the query's own word
    assert not {"the", "in", "و", "در"} & set(words)  # stopwords
    phrases = [row["term"].lower() for row in data["phrases"]]
    assert "wheat farmers" in phrases or "wheat prices" in phrases
    assert "herat wheat" not in phrases  # "…near Herat. Wheat prices…": not a phrase
    assert data["sample"] == data["count"] == 6 and data["sampled"] is False


def test_persian_top_terms_come_written_as_in_the_articles(client, archive):
    data = client.get("/fa/search/terms/", {"q": "خشکسالی", "format": "json"}).json()
    assert "گندم" in [row["term"] for row in data["terms"]]


def test_terms_page_says_how_many_articles_were_read(client, archive):
    html = client.get("/en/search/terms/", {"q": "drought"}).content.decode()
    assert "Computed on all of them" in html


# -- concordance ----------------------------------------------------------------------------
def test_concordance_lines_hold_each_occurrence_with_its_context(client, archive):
    data = client.get("/en/search/kwic/", {"q": "wheat", "format": "json"}).json()
    assert data["lines_total"] == 12  # twice in each of six articles
    line = data["lines"][0]
    assert line["keyword"].lower() == "wheat"
    assert line["url"].startswith("http://testserver/en/articles/")


def test_concordance_sorts_by_the_word_after_the_keyword(client, archive):
    data = client.get("/en/search/kwic/", {"q": "wheat", "sort": "right", "per_page": 10,
                                           "format": "json"}).json()  # fmt: skip
    rights = [line["right"].split()[0].lower() for line in data["lines"]]
    assert rights == sorted(rights) and rights[0] == "farmers"
    assert data["num_pages"] == 2


def test_persian_concordance_lines_are_right_to_left(client, archive):
    html = client.get("/fa/search/kwic/", {"q": "گندم"}).content.decode()
    assert 'lang="fa" dir="rtl" class="kwic-line kwic-rtl"' in html
    assert "<mark><bdi>گندم</bdi></mark>" in html


# -- co-mentions ----------------------------------------------------------------------------
def test_co_mentions_count_the_entities_tagged_with_an_entity(client, archive):
    data = client.get("/en/search/comentions/", {"entity": "herat", "format": "json"}).json()
    assert data["count"] == 6
    assert [(e["slug"], e["count"]) for e in data["entities"]] == [("taliban", 6)]
    page = client.get("/en/search/comentions/", {"q": "kabul"}).content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="network"' in page
    assert "<table" in page


# -- compare --------------------------------------------------------------------------------
def test_compare_restricts_a_search_to_a_language_and_takes_its_share_of_that_language(
    client, archive
):
    data = client.get(
        "/en/compare/", {"q": ["drought lang:en", "خشکسالی lang:fa"], "format": "json"}
    ).json()
    first, second = data["queries"]
    assert first["counts"] == {"fa": 0, "en": 6} and first["share_of"] == ["en"]
    assert second["counts"] == {"fa": 4, "en": 0} and second["share_of"] == ["fa"]
    assert len(first["attention"]["periods"]) == len(second["attention"]["periods"])
    assert "feeds/search/rss/?q=drought+lang%3Aen" in first["links"]["rss"]


def test_compare_page_draws_a_line_per_search_and_lists_terms_and_entities(client, archive):
    html = client.get("/fa/compare/", {"q": ["drought", "kabul"]}).content.decode()
    assert html.count("<polyline") == 2
    assert "wheat" in html.lower() and "هرات" in html
    assert "application/rss+xml" in html


# -- advanced search, folded copies, pages --------------------------------------------------
def test_advanced_form_composes_the_query():
    query, any_word = compose({"all": "kabul election", "any": "herat mazar",
                               "phrase": "peace talks", "near": "peace doha", "near_n": "7",
                               "exclude": "bomb"})  # fmt: skip
    assert query == (
        'kabul AND election AND (herat OR mazar) AND "peace talks" AND "peace doha"~7 NOT bomb'
    )
    assert any_word
    assert compose({"all": "کابل", "title": "1"}) == ("title:کابل", False)


def test_advanced_form_sends_any_word_searches_with_the_or_operator(client, archive):
    response = client.get("/fa/search/advanced/", {"any": "wheat کابل", "from": "۱۳۹۹/۱۰/۱۰",
                                                   "lang": "en"})  # fmt: skip
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("/fa/search/?q=%28wheat+OR+") and "op=or" in location
    assert "lang=en" in location and "from=" in location


def test_copies_of_a_story_are_folded_and_both_counts_are_given(client, archive):
    # Any of the words (op=or): the three articles hold one or both.
    html = client.get("/en/search/", {"q": "kabul peace", "op": "or"}).content.decode()
    assert "3 results" in html and "(2 distinct stories)" in html
    assert "and 1 copy" in html
    assert html.count('<li class="hit"') == 2
    expanded = client.get("/en/search/", {"q": "kabul peace", "op": "or", "dups": "show"})
    expanded = expanded.content.decode()
    assert expanded.count('<li class="hit"') == 3
    data = client.get("/en/search/", {"q": "kabul peace", "op": "or", "format": "json"}).json()
    assert data["count"] == 3 and data["distinct_count"] == 2


def test_pages_are_numbered_with_first_last_and_gaps():
    assert pages_around(6, 40) == [1, 0, 4, 5, 6, 7, 8, 0, 40]
    assert pages_around(1, 3) == [1, 2, 3]


def test_search_offers_first_last_numbered_pages_and_a_page_size(client, archive):
    html = client.get("/en/search/", {"q": "report", "per_page": 5, "page": 2}).content.decode()
    assert 'rel="first"' in html and 'rel="last"' in html
    assert 'href="?q=report&amp;per_page=5&amp;page=3"' in html
    assert '<select id="id_per_page" name="per_page">' in html


def test_the_matching_set_skips_reading_a_phrase_bonus_yet_equals_whooshs_answer(archive):
    from articles.search.contract import get_backend
    from articles.search.engine import match_search
    from articles.search.types import SearchParams
    from articles.search.whoosh.docsets import matching_docnums
    from articles.search.whoosh.translate import to_whoosh_query

    for q in ("wheat farmers", "drought hit", "گندم کشاورزان", '"wheat prices" herat'):
        matches = match_search(SearchParams(q=q))
        with get_backend().searcher() as searcher:
            query = to_whoosh_query(matches.plan.query)
            expected = sorted(query.docs(searcher))
            assert matching_docnums(query, searcher).tolist() == expected
        assert len(matches.docnums) > 0
