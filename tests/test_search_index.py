"""What an article's index document holds, every curation path reaching the index through the
queue, and the index commands (rebuild, update, clear, check)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles import services
from articles.models import Article, EntityAlias, IndexTask
from articles.search_indexes import ArticleIndex, article_document, indexable_articles
from tests.factories import make_article, make_entity, make_source, tag

WORDS = {"fa": ("صلح", "گفت‌وگوهای صلح در دوحه"), "en": ("peace", "Peace talks in Doha")}


@pytest.fixture
def backend(search_index, db):
    return search_index.get_backend()


@pytest.fixture
def sync(django_capture_on_commit_callbacks):
    """Run the after-commit index updates (NEWSARCHIVE_INDEX_SYNC) inside the test."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


def found_ids(backend, text: str, field: str = "text") -> list[int]:
    query = backend.parser_for(field).parse(text)
    return sorted(hit.fields["article_id"] for hit in backend.raw_search(query).hits)


def test_document_holds_entity_names_in_both_languages_and_both_calendars(db):
    taliban = make_entity(
        slug="taliban", name_en="Taliban", name_fa="طالبان", kind="group",
        aliases={"en": ["The Taliban movement"], "fa": ["تحریک طالبان"]},
    )  # fmt: skip
    article = make_article(
        title="گفت‌وگوهای صلح", language="fa", published_at=datetime(2021, 3, 21, 1, tzinfo=UTC)
    )
    tag(article, taliban)
    document = article_document(indexable_articles().get(pk=article.pk))
    assert document["entities"] == ["taliban"]
    assert document["entity_kinds"] == ["group"]
    for name in ("Taliban", "طالبان", "The Taliban movement", "تحریک طالبان"):
        assert name in document["entity_names"]
    assert (document["year"], document["jyear"], document["month"]) == (2021, 1400, "2021-03")
    assert document["text"].startswith(article.title)


def test_index_queryset_is_published_articles_in_a_fixed_number_of_queries(
    db, django_assert_num_queries
):
    kabul = make_entity(slug="kabul", aliases={"fa": ["کابل"]})
    for n in range(6):
        tag(make_article(title=f"Kabul story {n}"), kabul)
    make_article(title="A draft", status=Article.Status.DRAFT)
    index = ArticleIndex()
    with django_assert_num_queries(4):  # articles+sources, tags+entities, aliases, (count)
        documents = [index.full_prepare(article) for article in index.index_queryset()]
        assert index.index_queryset().count() == 6
    assert len(documents) == 6
    assert all(document["entity_names"] for document in documents)


@pytest.mark.parametrize("language", ["fa", "en"])
def test_save_publish_hide_and_delete_reach_the_index(backend, sync, language):
    word, title = WORDS[language]
    article = make_article(language=language, title=title, status=Article.Status.DRAFT)
    sync(services.article_save, article)
    assert found_ids(backend, word) == []
    sync(services.articles_publish, Article.objects.filter(pk=article.pk))
    assert found_ids(backend, word) == [article.pk]
    article.refresh_from_db()
    article.title = "Renamed" if language == "en" else "تغییر نام"
    sync(services.article_save, article)
    assert found_ids(backend, word, "title") == []
    sync(services.articles_hide, Article.objects.filter(pk=article.pk))
    assert found_ids(backend, "renamed OR تغییر", "title") == []
    sync(services.articles_publish, Article.objects.filter(pk=article.pk))
    assert found_ids(backend, "renamed OR تغییر", "title") == [article.pk]
    pk = article.pk
    sync(article.delete)
    assert found_ids(backend, "renamed OR تغییر", "title") == []
    assert not IndexTask.objects.filter(object_id=str(pk)).exists()


def test_tags_aliases_and_merges_reach_the_index(backend, sync):
    article = make_article(language="en", title="Talks in Doha")
    taliban = make_entity(slug="taliban", name_en="Taliban")
    duplicate = make_entity(slug="taleban", name_en="Taleban", name_fa="طالبان")
    sync(services.article_tag, article=article, entity=taliban)
    assert found_ids(backend, "taliban", "entity_names") == [article.pk]
    sync(EntityAlias.objects.create, entity=taliban, language="fa", alias="تحریک")
    assert found_ids(backend, "تحریک", "entity_names") == [article.pk]
    other = make_article(language="fa", title="دیدار در دوحه")
    sync(tag, other, duplicate)
    sync(services.entity_merge, survivor=taliban, others=[duplicate])
    result = backend.raw_search(None, facets=["entities"])
    assert result.facets["entities"] == [("taliban", 2)]
    assert found_ids(backend, "طالبان", "entity_names") == sorted([article.pk, other.pk])


def test_renaming_a_source_reindexes_its_articles(backend, sync):
    source = make_source(slug="tolo", name_en="Tolo")
    article = sync(make_article, source=source, title="News")
    source.name_en = "TOLOnews"
    sync(source.save)
    hit = backend.raw_search(None).hits[0]
    assert (hit.fields["article_id"], hit.fields["source_name"]) == (article.pk, "TOLOnews")


def test_rebuild_update_and_clear_commands(backend, capsys):
    articles = [make_article(title=f"Wheat report {n}") for n in range(3)]
    make_article(title="Wheat draft", status=Article.Status.DRAFT)
    call_command("rebuild_index", "--noinput", "--no-progress")
    assert "3 articles indexed" in capsys.readouterr().out
    assert found_ids(backend, "wheat") == sorted(a.pk for a in articles)
    assert not IndexTask.objects.exists()

    Article.objects.filter(pk=articles[0].pk).update(status=Article.Status.HIDDEN)
    call_command("update_index", "--age", "1", "--remove", "--no-progress")
    assert found_ids(backend, "wheat") == sorted(a.pk for a in articles[1:])

    call_command("clear_index", "--noinput")
    assert found_ids(backend, "wheat") == []
    with pytest.raises(CommandError, match="--start"):
        call_command("update_index", "--start", "yesterday")


def test_check_index_reports_drift_and_repairs_it(backend, capsys):
    kept, stale, gone = (make_article(title=f"Story {n}") for n in range(3))
    call_command("rebuild_index", "--noinput", "--no-progress")
    missing = make_article(title="Story new")
    Article.objects.filter(pk=stale.pk).update(title="Story changed", updated_at=datetime.now(UTC))
    Article.objects.filter(pk=gone.pk).delete()
    IndexTask.objects.all().delete()  # as if the queue had been lost
    capsys.readouterr()
    with pytest.raises(CommandError) as error:
        call_command("check_index")
    assert error.value.returncode == 1
    out = capsys.readouterr().out
    assert f"missing from the index: 1 [{missing.pk}]" in out
    assert f"in the index but not published: 1 [{gone.pk}]" in out
    assert f"stale (indexed from an older version): 1 [{stale.pk}]" in out

    call_command("check_index", "--repair")
    assert "Repaired 3 documents" in capsys.readouterr().out
    call_command("check_index")
    assert found_ids(backend, "changed", "title") == [stale.pk]
    assert found_ids(backend, "story", "title") == sorted([kept.pk, stale.pk, missing.pk])


def test_calendar_facets_follow_the_archive_time_zone(db, settings):
    settings.TIME_ZONE = "Asia/Kabul"
    # 22:00 UTC on the eve of Nowruz is already 1 Farvardin 1400 (and 21 March) in Kabul.
    article = make_article(published_at=datetime(2021, 3, 20, 22, 0, tzinfo=UTC))
    document = article_document(indexable_articles().get(pk=article.pk))
    assert (document["year"], document["jyear"], document["month"]) == (2021, 1400, "2021-03")
    assert document["published"] == datetime(2021, 3, 20, 22, 0, tzinfo=UTC).replace(tzinfo=None)


def test_deep_check_finds_tag_changes_that_left_updated_at_alone(backend, capsys):
    article = make_article(title="Story")
    call_command("rebuild_index", "--noinput", "--no-progress")
    tag(article, make_entity(slug="kabul", name_en="Kabul"))
    IndexTask.objects.all().delete()  # as if the tag's index task had been lost
    call_command("check_index")  # updated_at did not move: the quick check cannot see it
    with pytest.raises(CommandError):
        call_command("check_index", "--deep")
    assert f"stale (indexed from an older version): 1 [{article.pk}]" in capsys.readouterr().out
    call_command("check_index", "--deep", "--repair")
    assert backend.raw_search(None, facets=["entities"]).facets["entities"] == [("kabul", 1)]


def test_rebuild_with_several_processes_replaces_an_index_with_an_older_schema(backend):
    from whoosh.fields import ID, Schema

    from articles.search.sync import indexing

    backend.setup()
    backend.storage.create_index(Schema(id=ID(stored=True, unique=True), old=ID))
    articles = [make_article(title=f"Harvest report {n}") for n in range(3)]
    report = indexing.rebuild(procs=2, backend=backend)
    assert report.indexed == 3
    assert found_ids(backend, "harvest") == sorted(a.pk for a in articles)
    assert "old" not in backend.storage.open_index().schema
