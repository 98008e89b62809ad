"""“Did you mean” comes from live, public documents only, is never a stopword, a very common
word or the typed word cut short, and shows only when it finds clearly more; a bulk update
merges the index so deleted copies do not linger, and says how many are left."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from articles.models import Article
from articles.search.contract import get_backend
from articles.search.present import suggest
from articles.search.sync import indexing
from articles.search.sync.lock import index_write_lock
from articles.search.whoosh.backend import to_whoosh
from articles.search_indexes import ArticleIndex
from tests.factories import make_article, make_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(search_index):
    wire = make_source(slug="wire", name_en="Wire")
    docs = {
        "en": make_article(language="en", source=wire, body="The ledger was kept in Kabul."),
        "fa": make_article(language="fa", source=wire, body="نارنجستان در شیراز است."),
    }
    for n in range(6):
        make_article(language="en", source=wire, body=f"Could the market in Kabul grow {n}?")
        make_article(language="fa", source=wire, body=f"بازار کابل خام و گرم بود {n}.")
    indexing.rebuild()
    return docs


def suggestion(client, language: str, q: str) -> str:
    response = client.get(f"/{language}/search/", {"q": q, "format": "json"})
    return json.loads(response.content)["suggestion"]


def rewrite_without_merging(article: Article, body: str) -> None:
    """The curator's edit as the index holds it until a merge: a live new copy and a deleted
    old one still in its segment."""
    from articles import services

    services.article_prepare(article, body_text=body)
    Article.objects.filter(pk=article.pk).update(
        body_html=article.body_html, body_text=article.body_text
    )
    article.refresh_from_db()
    backend = get_backend()
    with index_write_lock(backend.path):
        writer = backend.open_writer()
        writer.update_document(**to_whoosh(ArticleIndex().full_prepare(article)))
        writer.commit(merge=False)


@pytest.mark.parametrize("language", ["en", "fa"])
@pytest.mark.parametrize(("key", "typo", "word", "replacement"), [
    ("en", "ledgr", "ledger", "The notebook was kept in Kabul."),
    ("fa", "نارنجستن", "نارنجستان", "باغ در شیراز است."),
])  # fmt: skip
def test_a_word_a_curator_removed_is_never_suggested(
    client, archive, language, key, typo, word, replacement
):
    assert suggestion(client, language, typo) == word
    rewrite_without_merging(archive[key], replacement)
    with get_backend().searcher() as searcher:
        assert searcher.doc_count_all() > searcher.doc_count()  # the old copy lingers
    assert suggestion(client, language, typo) == ""


@pytest.mark.parametrize("language", ["en", "fa"])
@pytest.mark.parametrize(("typo", "never"), [("covid", "could"), ("coud", "could"),
                                             ("خامنهای", "خام"), ("خامی", "خام")])  # fmt: skip
def test_stopwords_common_words_and_truncations_are_not_suggested(
    client, archive, monkeypatch, language, typo, never
):
    monkeypatch.setattr(suggest, "COMMON_FROM", 5)
    assert never not in suggestion(client, language, typo).split()


def test_a_bulk_update_merges_deleted_copies_away_and_reports_their_share(archive, capsys):
    call_command("update_index", "--no-progress")
    out = capsys.readouterr().out
    assert "deleted documents left in the index: 0.0%" in out
    with get_backend().searcher() as searcher:
        assert searcher.doc_count_all() == searcher.doc_count() == 14
