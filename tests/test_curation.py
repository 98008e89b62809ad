"""Curators' work through the admin and what visitors see of it: counterparts kept in pairs,
the counterpart picker, entity merges with redirects, re-tagging after gazetteer edits and
withdrawn articles."""

from __future__ import annotations

import os
import re
import threading
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from articles.models import Article, ArticleEntity, Entity, EntityAlias
from tests.factories import make_article, make_entity, tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    user = get_user_model().objects.create_superuser("curator", "c@example.org", "pw-secret-123")
    client.force_login(user)
    return client


def _change_form(article: Article, **changes) -> dict:
    """The article's change form as the admin posts it, with `changes` applied."""
    data = {
        "title": article.title,
        "slug": article.slug,
        "source": article.source_id,
        "language": article.language,
        "status": article.status,
        "summary": article.summary,
        "body_html": article.body_html,
        "original_url": article.original_url,
        "canonical_url": article.canonical_url,
        "external_id": article.external_id,
        "byline": article.byline,
        "published_at_0": "2021-01-05",
        "published_at_1": "10:00:00",
        "counterpart": article.counterpart_id or "",
        "duplicate_of": article.duplicate_of_id or "",
        "tags-TOTAL_FORMS": "0",
        "tags-INITIAL_FORMS": "0",
        "tags-MIN_NUM_FORMS": "0",
        "tags-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def _save(client, article: Article, **changes):
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = client.post(url, _change_form(article, **changes))
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


def _pairs() -> dict[int, int | None]:
    return dict(Article.objects.values_list("pk", "counterpart_id"))


# 1. Counterparts set in the article form


def test_counterpart_chosen_in_the_article_form_points_both_ways(staff_client):
    fa, en = make_article(language="fa"), make_article(language="en")
    _save(staff_client, fa, counterpart=en.pk)
    assert _pairs() == {fa.pk: en.pk, en.pk: fa.pk}


def test_clearing_the_counterpart_in_the_form_clears_both_sides(staff_client):
    from articles import services

    fa, en = make_article(language="fa"), make_article(language="en")
    services.articles_link_counterparts(fa, en)
    fa.refresh_from_db()
    _save(staff_client, fa, counterpart="")
    assert _pairs() == {fa.pk: None, en.pk: None}


def test_clearing_on_the_other_side_of_a_pair_clears_both(staff_client):
    fa, en = make_article(language="fa"), make_article(language="en")
    _save(staff_client, fa, counterpart=en.pk)
    en.refresh_from_db()
    _save(staff_client, en, counterpart="")
    assert _pairs() == {fa.pk: None, en.pk: None}


def test_repointing_the_counterpart_to_an_article_paired_elsewhere_re_pairs_all_four(staff_client):
    fa, en = make_article(language="fa"), make_article(language="en")
    other_fa, other_en = make_article(language="fa"), make_article(language="en")
    _save(staff_client, fa, counterpart=en.pk)
    other_fa.refresh_from_db()
    _save(staff_client, other_fa, counterpart=other_en.pk)
    fa.refresh_from_db()
    _save(staff_client, fa, counterpart=other_en.pk)
    assert _pairs() == {fa.pk: other_en.pk, other_en.pk: fa.pk, en.pk: None, other_fa.pk: None}


def test_counterpart_in_the_same_language_is_refused_by_the_form(staff_client):
    first, second = make_article(language="en"), make_article(language="en")
    url = reverse("admin:articles_article_change", args=[first.pk])
    response = staff_client.post(url, _change_form(first, counterpart=second.pk))
    assert response.status_code == 200
    assert "other language" in response.content.decode()
    assert _pairs() == {first.pk: None, second.pk: None}


# 2. The counterpart picker


def test_article_page_offers_a_picker_that_searches_the_other_language(staff_client):
    fa = make_article(language="fa", title="انتخابات کابل")
    en = make_article(language="en", title="Kabul election results")
    make_article(language="fa", title="Kabul election in Persian title")
    page = staff_client.get(reverse("admin:articles_article_change", args=[fa.pk]))
    html = page.content.decode()
    picker_url = reverse("admin:articles_article_counterpart_search")
    assert f'data-ajax--url="{picker_url}?language=en&amp;exclude={fa.pk}"' in html

    found = staff_client.get(picker_url, {"language": "en", "exclude": fa.pk, "term": "election"})
    assert [row["id"] for row in found.json()["results"]] == [str(en.pk)]
    digits = str(en.pk).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    by_id = staff_client.get(picker_url, {"language": "en", "term": f"#{digits}"}).json()
    assert [row["id"] for row in by_id["results"]] == [str(en.pk)]
    assert by_id["results"][0]["text"].startswith(f"#{en.pk} · \u2068Kabul election results\u2069")


def test_picker_finds_persian_titles_typed_with_arabic_letters(staff_client):
    fa = make_article(language="fa", title="سفر رئیس جمهور به کابل")
    url = reverse("admin:articles_article_counterpart_search")
    found = staff_client.get(url, {"language": "fa", "term": "رئيس"}).json()
    assert [row["id"] for row in found["results"]] == [str(fa.pk)]


def test_picker_needs_a_staff_user(client):
    response = client.get(reverse("admin:articles_article_counterpart_search"), {"term": "a"})
    assert response.status_code == 302


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
    from articles.curation.retag import wait_for_background

    wait_for_background(60)


def _hold(lock_path: str):
    """Hold a writer lock from another thread until the returned event is set."""
    from articles.search.sync.lock import index_write_lock

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
    from articles.curation.retag import wait_for_background
    from articles.models import IndexTask, RetagRequest
    from articles.search.sync import catchup

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
    from articles.curation.retag import wait_for_background
    from articles.models import IndexTask
    from articles.search.sync import catchup
    from articles.search.whoosh.backend import get_backend

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
    from articles.curation.retag import wait_for_background
    from articles.search.whoosh.backend import get_backend

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
    from articles.curation.retag import wait_for_background
    from articles.search.sync import catchup

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


# 13. Withdrawn articles


@pytest.mark.parametrize(
    "language, notice", [("en", "Withdrawn from the archive"), ("fa", "از آرشیو برداشته شد")]
)
def test_withdrawn_article_answers_410_without_its_title_or_text(client, language, notice):
    article = make_article(title="A secret title", body="The secret body.", status="hidden")
    for path in (f"/{language}/articles/{article.pk}/{article.slug}/",
                 f"/{language}/articles/{article.pk}/"):  # fmt: skip
        response = client.get(path)
        html = response.content.decode()
        assert response.status_code == 410
        assert notice in html
        assert "A secret title" not in html and "The secret body" not in html
    assert client.get(f"/{language}/articles/{article.pk + 1000}/").status_code == 404


def test_draft_article_is_still_not_found(client):
    article = make_article(status="draft")
    assert client.get(f"/en/articles/{article.pk}/").status_code == 404


def test_duplicate_of_a_hidden_original_shows_no_empty_same_story_heading(client):
    original = make_article(status="hidden")
    copy = make_article(duplicate_of=original)
    html = client.get(copy.get_absolute_url()).content.decode()
    assert "The same story elsewhere" not in html
    Article.objects.filter(pk=original.pk).update(status="published")
    html = client.get(copy.get_absolute_url()).content.decode()
    assert "The same story elsewhere" in html


# 5. Dates, layout and direction in the admin


def test_persian_admin_lists_solar_hijri_dates_with_the_gregorian_date_on_hover(staff_client):
    from datetime import UTC, datetime

    make_article(language="en", published_at=datetime(2021, 1, 4, 8, 0, tzinfo=UTC))
    with translation.override("fa"):
        url = reverse("admin:articles_article_changelist")
    html = staff_client.get(url).content.decode()
    assert '<time datetime="2021-01-04T12:30:00+04:30" title="۴ ژانویه ۲۰۲۱ ۱۲:۳۰">' in html
    assert "۱۵ دی ۱۳۹۹، ۱۲:۳۰</time>" in html
    with translation.override("en"):
        url = reverse("admin:articles_article_changelist")
    assert "4 January 2021, 12:30</time>" in staff_client.get(url).content.decode()


def test_article_change_form_shows_its_timestamps_in_the_persian_calendar(staff_client):
    article = make_article(language="fa")
    with translation.override("fa"):
        url = reverse("admin:articles_article_change", args=[article.pk])
    html = staff_client.get(url).content.decode()
    created = re.search(r'field-created.*?<div class="readonly">(.*?)</div>', html, re.S)
    assert created and re.search(r"<time [^>]*title=\"[۰-۹]+ [^\"]+\">[۰-۹]+ ", created.group(1))


def test_persian_text_in_the_english_admin_is_set_right_to_left(staff_client):
    article = make_article(language="fa", body="متن فارسی خبر.\n\nبند دوم.")
    with translation.override("en"):
        url = reverse("admin:articles_article_change", args=[article.pk])
    html = staff_client.get(url).content.decode()
    assert '<div class="article-text" lang="fa" dir="rtl"><p>متن فارسی خبر.</p>' in html
    assert re.search(r'<textarea[^>]*name="summary"[^>]*dir="auto"|<textarea[^>]*dir="auto"[^>]*'
                     r'name="summary"', html)  # fmt: skip
    assert re.search(r'<input[^>]*name="title"[^>]*dir="auto"|<input[^>]*dir="auto"[^>]*'
                     r'name="title"', html)  # fmt: skip


def test_article_changelist_gives_titles_room_instead_of_wrapping_them(staff_client):
    from django.contrib.staticfiles import finders

    html = staff_client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert 'href="/static/css/admin.css"' in html
    css = open(finders.find("css/admin.css"), encoding="utf-8").read()  # noqa: SIM115
    assert "#result_list th.field-title, #result_list td.field-title { min-width: 24em" in css


def test_deleting_an_entity_in_the_admin_re_tags_what_its_longer_alias_hid(
    committing_staff_client, search_index
):
    from articles.curation.retag import wait_for_background
    from articles.curation.tagging import tag_articles
    from articles.search.sync import catchup

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
