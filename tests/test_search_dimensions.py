"""A search dimension is declared once: one toy declaration, found in every part that serves
dimensions (URL, engine filter, facets, JSON, page, query syntax, index and Solr schema)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.http import QueryDict
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from articles.search import dimensions
from articles.search.dimensions import EXACT, Dimension, choice_labels
from articles.search.types import SearchParams
from articles.text.dateprecision import Precision
from tests.factories import make_article, make_source

pytestmark = pytest.mark.django_db

# The toy: how much of its date the source gave (an existing article attribute). This
# declaration is the only place the test names it.
PRECISION = Dimension(
    name="precision",
    params=("precision",),
    field="date_precision",
    kind=EXACT,
    title=_("precision of the date"),  # translated already: "دقت تاریخ"
    limit=5,
    prefix="precision",
    labels=choice_labels(Precision.choices),
    value=lambda article: article.published_precision or None,
    reads=("published_precision",),
)


@pytest.fixture
def toy():
    with dimensions.registered(PRECISION):
        yield PRECISION


@pytest.fixture
def archive(toy, search_index):
    """Registered before the index connection is made, so its schema holds the field."""
    from articles.search.sync import indexing

    tolo = make_source(slug="tolonews", name_en="TOLOnews", name_fa="طلوع‌نیوز")
    when = datetime(2021, 1, 4, 12, 0, tzinfo=UTC)
    docs = {
        "fa_day": make_article(
            language="fa", source=tolo, title="کتاب‌ها در کابل", body="نمایشگاه کتاب در کابل.",
            published_at=when, published_precision=Precision.DAY,
        ),
        "fa_month": make_article(
            language="fa", source=tolo, title="بازار کابل", body="قیمت گندم در کابل بالا رفت.",
            published_at=when, published_precision=Precision.MONTH,
        ),
        "en_day": make_article(
            language="en", source=tolo, title="Books in Kabul", body="A book fair in Kabul.",
            published_at=when, published_precision=Precision.DAY,
        ),
        "en_time": make_article(
            language="en", source=tolo, title="Kabul market", body="Wheat prices in Kabul rose.",
            published_at=when, published_precision=Precision.TIME,
        ),
    }  # fmt: skip
    indexing.rebuild()
    return docs


def ids_of(docs, *names: str) -> set[int]:
    return {docs[name].pk for name in names}


def test_the_url_parameter_is_read_into_the_search_params(toy):
    from articles.search.query.params import params_from_query

    params, messages = params_from_query(QueryDict("q=کابل&precision=day"), ui_language="fa")
    assert params.extra == {"precision": ["day"]} and messages == []
    assert PRECISION.values(params) == ["day"]
    params, messages = params_from_query(QueryDict("q=کابل&precision="), ui_language="fa")
    assert params.extra == {} and PRECISION.values(params) == [] and messages == []


def test_the_engine_filters_on_it_in_both_languages(archive):
    from articles.search.engine import search_articles

    result = search_articles(SearchParams(q="کابل", extra={"precision": ["day"]}))
    assert {hit.article_id for hit in result.hits} == ids_of(archive, "fa_day")
    assert result.explanation["filters"]["date_precision"] == ["day"]
    result = search_articles(SearchParams(q="kabul", extra={"precision": ["time"]}))
    assert {hit.article_id for hit in result.hits} == ids_of(archive, "en_time")
    unfiltered = search_articles(SearchParams(q="کابل"))
    assert {hit.article_id for hit in unfiltered.hits} == ids_of(archive, "fa_day", "fa_month")


def test_the_json_api_gives_its_parameter_facet_and_filtered_results(archive, client):
    response = client.get("/en/search/", {"q": "kabul", "precision": "day", "format": "json"})
    data = response.json()
    assert data["params"]["precision"] == "day"
    assert {item["id"] for item in data["results"]} == ids_of(archive, "en_day")
    facet = {item["value"]: item for item in data["facets"]["precision"]}
    # The facet counts the other values too (a filter never hides its own alternatives).
    assert {value: item["count"] for value, item in facet.items()} == {"day": 1, "time": 1}
    assert facet["day"]["selected"] and not facet["time"]["selected"]
    assert facet["day"]["label"] == "day" and facet["time"]["label"] == "date and time"


def test_the_search_page_shows_its_facet_in_persian_and_keeps_it_in_the_form(archive, client):
    page = client.get("/fa/search/", {"q": "کابل", "precision": "month"}).content.decode()
    assert 'dir="rtl"' in page
    assert "دقت تاریخ" in page  # the facet's heading
    assert "ماه" in page and "روز" in page  # the values' Persian labels
    assert "precision=day" in page  # a link to choose another value
    assert '<input type="hidden" name="precision" value="month">' in page
    with translation.override("fa"):  # filtered: the month article, not the day one
        shown, hidden = (archive[name].get_absolute_url() for name in ("fa_month", "fa_day"))
    assert f'href="{shown}"' in page and f'href="{hidden}"' not in page


def test_compared_searches_keep_its_parameter(archive, client):
    page = client.get("/en/compare/", {"q": ["kabul", "books"], "precision": "day"})
    html = page.content.decode()
    assert page.status_code == 200
    assert '<input type="hidden" name="precision" value="day">' in html
    assert "q=kabul&amp;precision=day" in html  # each compared search's own link


def test_the_query_syntax_prefix_restricts_the_search(archive):
    from articles.search.engine import search_articles

    result = search_articles(SearchParams(q="kabul precision:day"))
    assert {hit.article_id for hit in result.hits} == ids_of(archive, "en_day")
    result = search_articles(SearchParams(q="کابل precision:month"))
    assert {hit.article_id for hit in result.hits} == ids_of(archive, "fa_month")
    assert not any("no field" in str(message) for message in result.messages)


def test_the_index_and_the_solr_schema_hold_its_field(toy):
    from articles.search.solr.schema import field_specs, schema_xml
    from articles.search_indexes import ArticleIndex

    assert ArticleIndex.fields["date_precision"].whoosh_kind == "exact"
    spec = next(spec for spec in field_specs() if spec["name"] == "date_precision")
    assert spec["type"] == "string" and spec["docValues"] == "true"
    assert spec["multiValued"] == "false" and spec["stored"] == "false"
    names = [field.get("name") for field in schema_xml().getroot().iter("field")]
    assert "date_precision" in names


def test_removing_the_declaration_removes_it_everywhere():
    from articles.search.query.params import params_from_query
    from articles.search.solr.schema import field_specs
    from articles.search_indexes import ArticleIndex

    with dimensions.registered(PRECISION):
        assert "date_precision" in ArticleIndex.fields
    assert "date_precision" not in ArticleIndex.fields
    assert all(spec["name"] != "date_precision" for spec in field_specs())
    params, _messages = params_from_query(QueryDict("precision=day"), ui_language="en")
    assert params.extra == {}
    with translation.override("en"):
        assert all(dim.name != "precision" for dim in dimensions.page_facets("en"))


def test_a_name_is_declared_only_once(toy):
    with pytest.raises(ValueError, match="exists already"):
        dimensions.register(PRECISION)
