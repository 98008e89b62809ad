"""Entity merges with redirects, re-tagging after gazetteer edits in the admin, and aliases
the search treats as one refused as duplicates."""

from __future__ import annotations

import os
import threading
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from articles.curation.retag import wait_for_background
from articles.curation.tagging import tag_articles
from articles.models import Article, ArticleEntity, Entity, EntityAlias, IndexTask, RetagRequest
from articles.search.contract import get_backend
from articles.search.sync import catchup
from articles.search.sync.lock import index_write_lock
from tests.factories import make_article, make_entity, tag

pytestmark = pytest.mark.django_db


# 3. Merging entities


def _merge(client, entities, **extra):
    url = reverse("admin:articles_entity_changelist")
    data = {"action": "merge_entities", "_selected_action": [e.pk for e in entities], **extra}
    return client.post(url, data)


def test_merge_shows_what_moves_and_keeps_the_survivor_the_curator_chose(staff_client):
    older = make_entity(name_en="Taleban", slug="taleban", aliases={"fa": ["تالبان"]})
    chosen = make_entity(name_en="Taliban", slug="taliban", aliases={"fa": ["طالبان"]})
    articles = [make_article() for _ in range(3)]
    for article in articles:
        tag(article, older)
    tag(articles[0], chosen)

    page = _merge(staff_client, [older, chosen])
    assert page.status_code == 200
    html = page.content.decode()
    assert "تالبان" in html and "طالبان" in html
    assert 'class="tags-moving">3<' in html and 'class="tags-moving">1<' in html
    assert Entity.objects.count() == 2  # nothing merged before the confirmation

    done = _merge(staff_client, [older, chosen], confirm="yes", survivor=chosen.pk)
    assert done.status_code == 302
    assert list(Entity.objects.values_list("slug", flat=True)) == ["taliban"]
    assert ArticleEntity.objects.filter(entity=chosen).count() == 3
    assert {"تالبان", "Taleban"} <= set(chosen.aliases.values_list("alias", flat=True))


def test_merged_entity_address_and_feeds_redirect_permanently_to_the_survivor(staff_client, client):
    first = make_entity(name_en="Taleban", slug="taleban")
    second = make_entity(name_en="Taliban", slug="taliban")
    third = make_entity(name_en="Islamic Emirate", slug="islamic-emirate")
    _merge(staff_client, [first, second], confirm="yes", survivor=second.pk)
    _merge(staff_client, [second, third], confirm="yes", survivor=third.pk)

    for language in ("fa", "en"):
        with translation.override(language):
            page = client.get(reverse("articles:entity", kwargs={"slug": "taleban"}))
            assert page.status_code == 301
            assert page["Location"] == f"/{language}/entities/islamic-emirate/"
    feed = client.get("/en/feeds/entities/taliban/atom/?limit=5")
    assert feed.status_code == 301
    assert feed["Location"] == "/en/feeds/entities/islamic-emirate/atom/?limit=5"
    assert client.get("/en/entities/islamic-emirate/").status_code == 200
    assert client.get("/en/entities/never-existed/").status_code == 404


def test_merge_without_a_chosen_survivor_merges_nothing(staff_client):
    a, b = make_entity(), make_entity()
    response = _merge(staff_client, [a, b], confirm="yes")
    assert response.status_code == 200
    assert Entity.objects.count() == 2


# 4. Re-tagging after gazetteer edits


def _entity_change_form(entity: Entity, new_aliases: list[tuple[str, str]]) -> dict:
    aliases = list(entity.aliases.all())
    data = {
        "kind": entity.kind,
        "name_en": entity.name_en,
        "name_fa": entity.name_fa,
        "slug": entity.slug,
        "description": entity.description,
        "aliases-TOTAL_FORMS": str(len(aliases) + len(new_aliases)),
        "aliases-INITIAL_FORMS": str(len(aliases)),
        "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000",
    }
    for n, alias in enumerate(aliases):
        data |= {
            f"aliases-{n}-id": alias.pk,
            f"aliases-{n}-entity": entity.pk,
            f"aliases-{n}-language": alias.language,
            f"aliases-{n}-alias": alias.alias,
        }
    for n, (language, text) in enumerate(new_aliases, start=len(aliases)):
        data |= {
            f"aliases-{n}-entity": entity.pk,
            f"aliases-{n}-language": language,
            f"aliases-{n}-alias": text,
        }
    return data


@pytest.fixture
def committing_staff_client(transactional_db, client):
    """A curator whose edits really commit, so the background re-tagging thread sees them."""
    user = get_user_model().objects.create_superuser("curator", "c@example.org", "pw-secret-123")
    client.force_login(user)
    yield client
    wait_for_background(60)


def _hold(lock_path: str):
    """Hold a writer lock from another thread until the returned event is set."""
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with index_write_lock(lock_path, timeout=5):
            held.set()
            release.wait(60)

    thread = threading.Thread(target=hold)
    thread.start()
    assert held.wait(5)
    return release, thread


def test_alias_added_in_the_admin_tags_the_articles_that_mention_it_in_the_background(
    committing_staff_client, search_index
):
    entity = make_entity(name_en="Mahmoud Ahmadinejad", slug="ahmadinejad")
    article = make_article(language="fa", body="دیدار احمدي نژاد با رئیس جمهور افغانستان.")
    url = reverse("admin:articles_entity_change", args=[entity.pk])
    form = _entity_change_form(entity, [("fa", "احمدی‌نژاد")])
    response = committing_staff_client.post(url, form, follow=True)
    assert "Re-tagging 1 article after the gazetteer changed" in response.content.decode()
    wait_for_background(60)
    # The new tag reaches the index too: at once, or through the index catch-up when the
    # writer was busy at that moment.
    assert catchup.wait(60)
    tag_row = ArticleEntity.objects.get(article=article)
    assert (tag_row.entity_id, tag_row.origin) == (entity.pk, "auto")
    assert not RetagRequest.objects.exists()
    assert not IndexTask.objects.exists()


def test_retagging_does_not_wait_for_a_busy_index_and_its_index_updates_follow(
    committing_staff_client, search_index
):
    entity = make_entity(name_en="Kabul", slug="kabul")
    article = make_article(language="fa", body="خبری از شهر کابل.")
    Article.objects.filter(pk=article.pk).update(title="گزارش")
    release, holder = _hold(get_backend().path)
    try:
        url = reverse("admin:articles_entity_change", args=[entity.pk])
        started = time.monotonic()
        response = committing_staff_client.post(url, _entity_change_form(entity, [("fa", "کابل")]))
        assert response.status_code == 302
        assert time.monotonic() - started < 3
        wait_for_background(60)
        assert ArticleEntity.objects.get(article=article).entity_id == entity.pk
        assert IndexTask.objects.filter(object_id=str(article.pk)).exists()  # queued
    finally:
        release.set()
        holder.join()
    call_command("run_index_worker", "--once", stdout=open(os.devnull, "w"))  # noqa: SIM115
    catchup.wait(60)  # the web process's own catch-up may have taken the freed lock first
    assert not IndexTask.objects.exists()


def test_pending_retagging_is_shown_and_the_worker_finishes_it(
    committing_staff_client, search_index
):
    entity = make_entity(name_en="Herat", slug="herat")
    article = make_article(language="fa", body="سیل در هرات.")
    release, holder = _hold(f"{get_backend().path}.retag")  # another drain is running
    try:
        url = reverse("admin:articles_entity_change", args=[entity.pk])
        committing_staff_client.post(url, _entity_change_form(entity, [("fa", "هرات")]))
        wait_for_background(60)
        assert not ArticleEntity.objects.exists()
        for language, text in (("en", "Re-tagging 1 article"), ("fa", "برچسب‌گذاری دوبارهٔ 1")):
            with translation.override(language):
                listing = committing_staff_client.get(reverse("admin:articles_entity_changelist"))
            assert text in listing.content.decode()
    finally:
        release.set()
        holder.join()
    call_command("run_index_worker", "--once", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert ArticleEntity.objects.get(article=article).entity_id == entity.pk
    listing = committing_staff_client.get(reverse("admin:articles_entity_changelist"))
    assert "Re-tagging" not in listing.content.decode()


def test_retag_now_action_re_tags_in_the_background(committing_staff_client, search_index):
    entity = make_entity(name_en="Herat", slug="herat")
    article = make_article(language="en", body="Floods reached Herat on Monday.")
    response = committing_staff_client.post(
        reverse("admin:articles_entity_changelist"),
        {"action": "retag_now", "_selected_action": [entity.pk]},
        follow=True,
    )
    assert "Re-tagging 1 article" in response.content.decode()
    wait_for_background(60)
    catchup.wait(60)  # the index follows the new tag in its own thread; let it finish first
    assert ArticleEntity.objects.get(article=article).entity_id == entity.pk


@pytest.mark.parametrize(
    "first, second",
    [("احمدی‌نژاد", "احمدي نژاد"), ("al-Qaeda", "Al Qaeda")],
)
def test_aliases_the_search_treats_as_one_are_refused_as_duplicates(staff_client, first, second):
    entity = make_entity(name_en="Someone", slug="someone", aliases={"fa": [first]})
    url = reverse("admin:articles_entity_change", args=[entity.pk])
    response = staff_client.post(url, _entity_change_form(entity, [("fa", second)]))
    assert response.status_code == 200
    assert "same after normalising" in response.content.decode()
    assert list(EntityAlias.objects.values_list("alias", flat=True)) == [first]


def test_deleting_an_entity_in_the_admin_re_tags_what_its_longer_alias_hid(
    committing_staff_client, search_index
):
    qaeda = make_entity(name_en="al-Qaeda", slug="al-qaeda")
    branch = make_entity(name_en="al-Qaeda in Yemen", slug="aqap")
    article = make_article(body="A statement by al-Qaeda in Yemen on Monday.")
    tag_articles(Article.objects.all())
    assert ArticleEntity.objects.get(article=article).entity_id == branch.pk
    url = reverse("admin:articles_entity_delete", args=[branch.pk])
    assert committing_staff_client.post(url, {"post": "yes"}).status_code == 302
    wait_for_background(60)
    catchup.wait(60)  # the index follows the new tag in its own thread; let it finish first
    assert ArticleEntity.objects.get(article=article).entity_id == qaeda.pk


def test_two_new_aliases_the_search_treats_as_one_are_refused_in_one_form(staff_client):
    data = {
        "kind": "person", "name_en": "Ahmadinejad", "name_fa": "", "slug": "ahmadinejad",
        "description": "",
        "aliases-TOTAL_FORMS": "2", "aliases-INITIAL_FORMS": "0",
        "aliases-MIN_NUM_FORMS": "0", "aliases-MAX_NUM_FORMS": "1000",
        "aliases-0-language": "fa", "aliases-0-alias": "احمدی‌نژاد",
        "aliases-1-language": "fa", "aliases-1-alias": "احمدي نژاد",
    }  # fmt: skip
    response = staff_client.post(reverse("admin:articles_entity_add"), data)
    assert response.status_code == 200
    assert "the same alias once spelling variants are normalised" in response.content.decode()
    assert not Entity.objects.exists()
