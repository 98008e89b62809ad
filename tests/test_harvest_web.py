"""The harvester's pages: the public sources directory, the staff evidence, the curator
controls in the admin, and which sources are public at all."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import translation

from articles.harvest.harvester import harvest
from articles.harvest.models import Feed
from articles.models import Article, Source
from tests.harvest_sites import Web
from tests.harvest_world import build_world, create_sources
from tests.test_harvest import config


@pytest.fixture
def web():
    world = Web(hosts=2)
    yield world
    world.close()


@pytest.fixture
def harvested(web, settings, tmp_path):
    settings.NEWSARCHIVE_WARC_DIR = tmp_path / "warc"
    settings.NEWSARCHIVE_INDEX_SYNC = False
    specs = [
        s
        for s in build_world(web, repeat_items=3)
        if s.slug in ("fa-rss-summary", "busy", "en-rss-full")
    ]
    create_sources(specs)
    harvest(force=True, config=config())
    return specs


def url(name: str, language: str = "en", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


@pytest.mark.django_db(transaction=True)
def test_sources_directory_shows_health_of_public_sources_only_in_both_languages(client, harvested):
    Source.objects.create(slug="empty", name_en="Empty Source")
    Source.objects.filter(slug="en-rss-full").update(is_active=False)
    for language in ("fa", "en"):
        response = client.get(url("articles:sources", language))
        page = response.content.decode()
        assert response.status_code == 200 and page.count("<h1") == 1
        assert "Busy" in page and "Fa Rss Summary" in page
        assert "Empty Source" not in page and "En Rss Full" not in page
        assert '<svg class="spark"' in page
    assert 'dir="rtl"' in client.get(url("articles:sources", "fa")).content.decode()


@pytest.mark.django_db(transaction=True)
def test_empty_or_inactive_sources_have_no_page_feed_or_count(client, harvested):
    Source.objects.create(slug="empty", name_en="Empty Source")
    Source.objects.filter(slug="en-rss-full").update(is_active=False)
    for slug in ("empty", "en-rss-full"):
        assert client.get(url("articles:source", slug=slug)).status_code == 404
        assert client.get(url("articles:feed_source_rss", slug=slug)).status_code == 404
    assert client.get(url("articles:source", slug="busy")).status_code == 200
    home = client.get(url("articles:home")).content.decode()
    assert "from 2 sources" in home


@pytest.mark.django_db(transaction=True)
def test_staff_see_the_page_as_fetched_with_its_warc_record_id(client, harvested):
    article = Article.objects.filter(source__slug="fa-rss-summary").first()
    admin = User.objects.create_superuser("curator", "c@example.org", "pw")
    assert client.get(url("articles:capture", pk=article.captures.first().pk)).status_code == 404
    client.force_login(admin)
    page = client.get(article.get_absolute_url()).content.decode()
    capture = article.captures.first()
    assert capture.record_id.strip("<>") in page and url("articles:capture", pk=capture.pk) in page
    fetched = client.get(url("articles:capture", pk=capture.pk))
    assert fetched.status_code == 200 and fetched["Content-Security-Policy"].startswith("sandbox")
    assert article.title.split()[0] in fetched.content.decode()
    full = Article.objects.filter(source__slug="busy").first()
    assert "(WARC <urn:uuid:" in full.provenance_origin  # the feed response it came from
    assert "The page as fetched" in client.get(full.get_absolute_url()).content.decode()


@pytest.mark.django_db(transaction=True)
def test_curator_adds_a_source_from_its_homepage_and_pauses_and_fetches_it(client, web, settings):
    feed_url = web.url(0, "/site/feed.xml")
    home = (
        '<html lang="fa"><head><title>خبرگزاری نمونه</title>'
        '<link rel="alternate" type="application/rss+xml" href="/site/feed.xml" title="همه">'
        '<link rel="alternate" type="application/atom+xml" href="/site/atom.xml">'
        "</head><body>سلام</body></html>"
    )
    from tests.harvest_sites import Reply

    web.add(
        web.url(0, "/site/"),
        lambda _w, _h: Reply(200, home.encode(), {"Content-Type": "text/html; charset=utf-8"}),
    )
    admin = User.objects.create_superuser("curator", "c@example.org", "pw")
    client.force_login(admin)
    form = url("admin:articles_source_add_from_homepage")
    assert client.get(form).status_code == 200
    response = client.post(form, {"url": web.url(0, "/site/"), "language": "", "status": "draft"})
    assert response.status_code == 302
    source = Source.objects.get(homepage_url=web.url(0, "/site/"))
    assert source.name_fa == "خبرگزاری نمونه" and source.default_language == "fa"
    assert set(source.feeds.values_list("url", flat=True)) == {
        feed_url,
        web.url(0, "/site/atom.xml"),
    }
    bad = client.post(form, {"url": web.url(0, "/nothing/"), "language": "", "status": "draft"})
    assert bad.status_code == 200 and "Could not fetch" in bad.content.decode()
    changelist = url("admin:articles_source_changelist")
    client.post(changelist, {"action": "pause_harvest", "_selected_action": [source.pk]})
    assert Source.objects.get(pk=source.pk).harvest_paused
    client.post(changelist, {"action": "fetch_now", "_selected_action": [source.pk]})
    assert Feed.objects.filter(source=source, next_fetch_at__isnull=False).count() == 2
    change = client.get(url("admin:articles_source_change", object_id=source.pk))
    assert change.status_code == 200 and "last 50 fetch attempts" in change.content.decode().lower()


@pytest.mark.django_db(transaction=True)
def test_alerts_feed_is_for_curators_only(client, harvested, settings):
    from articles.harvest.models import HealthAlert

    HealthAlert.objects.create(
        source=Source.objects.get(slug="busy"), kind="silent", message="quiet"
    )
    feed = url("articles:feed_alerts_rss")
    assert client.get(feed).status_code == 404
    settings.NEWSARCHIVE_ALERTS_FEED_KEY = "s3cret"
    assert client.get(feed, {"key": "wrong"}).status_code == 404
    response = client.get(feed, {"key": "s3cret"})
    assert response.status_code == 200 and b"quiet" in response.content


@pytest.mark.django_db(transaction=True)
def test_an_article_of_an_inactive_source_stays_readable_without_a_link_to_its_source(
    client, harvested
):
    article = Article.objects.filter(source__slug="busy").first()
    source_url = url("articles:source", slug="busy")
    assert source_url in client.get(article.get_absolute_url()).content.decode()
    Source.objects.filter(slug="busy").update(is_active=False)
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200 and source_url not in page.content.decode()
