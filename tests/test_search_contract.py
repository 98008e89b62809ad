"""The backend contract (`articles.search.contract`): Whoosh and Solr both implement it, and
the engine reaches either only through it."""

from __future__ import annotations

import pytest

from articles.search.contract import SearchBackend, SearchRequest, get_backend
from articles.search.indexterms import index_terms
from articles.search.solr import NewsSolrBackend
from articles.search.sync import indexing
from articles.search.sync.worker import process_pending
from articles.search.whoosh.analysis import NewsAnalyzer
from tests import test_solr_backend
from tests.factories import make_article

solr = test_solr_backend.solr  # the loopback Solr stand-in, as a fixture here too

TEXTS = [
    "دانش‌آموزان به کتابخانه‌ها رفتند و کتاب ها را خواندند",
    "The al-Qaeda leader's speech, 9/11 and covid19: to be or not to be",
    "نتیجهای که در ۱۴۰۰ می‌خواهم، گفت‌وگو و گفتگو",
]


@pytest.mark.parametrize("text", TEXTS)
def test_the_index_rule_gives_the_whoosh_analyzers_tokens(text):
    whoosh = [(t.text, t.pos, t.startchar, t.endchar)
              for t in NewsAnalyzer()(text, positions=True, chars=True)]  # fmt: skip
    assert [tuple(term) for term in index_terms(text)] == whoosh


@pytest.mark.django_db
def test_the_whoosh_backend_keeps_the_contract(search_index):
    backend = get_backend()
    assert isinstance(backend, SearchBackend)
    assert backend.postings_offsets and backend.cheap_frequencies
    article = make_article(language="en", title="Book fair", body="Books were sold in Kabul.")
    process_pending()
    assert backend.count() == 1
    assert dict(backend.prefix_terms("text", "kab")) == {"kabul": 1}
    assert backend.doc_frequency("text", "book") == 1
    assert list(backend.stored_versions()) == [article.pk]
    raw = backend.run(SearchRequest(None, facets=["language"]))
    assert raw.total == 1 and raw.facets["language"] == [("en", 1)]
    assert raw.hits[0].fields["article_id"] == article.pk


@pytest.mark.django_db
def test_the_solr_backend_keeps_the_contract(solr):
    backend = get_backend()
    assert isinstance(backend, NewsSolrBackend) and isinstance(backend, SearchBackend)
    assert not backend.postings_offsets and not backend.cheap_frequencies
    article = make_article(language="fa", title="نمایشگاه کتاب", body="کتاب‌ها در کابل.")
    indexing.rebuild()
    assert backend.count() == 1
    assert dict(backend.prefix_terms("text", "کاب")) == {"کابل": 1}
    assert backend.doc_frequency("text", "کتاب") == 1
    assert list(backend.stored_versions()) == [article.pk]
    raw = backend.run(SearchRequest(None, facets=["language"]))
    assert raw.total == 1 and raw.facets["language"] == [("fa", 1)]
    assert raw.hits[0].fields["article_id"] == article.pk
