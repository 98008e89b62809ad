"""Curator actions on sources: add one from its homepage, pause, resume, fetch now."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from articles.ingest.errors import ParseError
from articles.models import Source
from articles.services import free_slug, unique_slug

from .charset import decode_document
from .discover import discover, looks_like_feed
from .http import HarvestError, HostGate, Limits, fetch
from .models import Feed

HOMEPAGE_LIMITS = Limits(timeout=15.0, max_bytes=3 * 1024 * 1024, max_decoded_bytes=10 * 1024**2)


class DiscoveryError(Exception):
    pass


@dataclass
class Added:
    source: Source
    feeds: list[Feed]
    created: bool


def add_source_from_homepage(
    *, url: str, language: str = "", status: str = "draft", limits: Limits = HOMEPAGE_LIMITS
) -> Added:
    """Fetch ``url``; follow the feeds its page announces (or the URL itself if it is a
    feed). An existing source with that homepage gains the feeds it lacked."""
    url = url.strip()
    if urlsplit(url).scheme not in ("http", "https"):
        raise DiscoveryError("Give a web address starting with http:// or https://.")
    try:
        response = fetch(url, gate=HostGate(delay=0, concurrency=1), limits=limits)
        text = decode_document(response.body, response.charset)
    except HarvestError as error:
        raise DiscoveryError(f"Could not fetch {url}: {error.reason}") from error
    except ParseError as error:
        raise DiscoveryError(f"{url} is not a web page: {error.reason}") from error
    if looks_like_feed(text):
        page_title, page_language, found = "", "", [(url, "")]
    else:
        page = discover(text, base_url=url)
        page_title, page_language, found = page.title, page.language, page.feeds
    if not found:
        raise DiscoveryError(
            f'{url} announces no feed (no <link rel="alternate"> of an RSS or Atom type).'
        )
    language = language or page_language or "en"
    host = (urlsplit(url).hostname or url).removeprefix("www.")
    with transaction.atomic():
        source = Source.objects.filter(homepage_url=url).first()
        created = source is None
        if source is None:
            name = page_title or host
            persian = language == "fa"
            source = Source(
                name_en="" if persian else name,
                name_fa=name if persian else "",
                slug=free_slug(Source, unique_slug(host, max_length=110)),
                homepage_url=url[:500],
                default_language=language,
                new_article_status=status,
            )
            source.full_clean()
            source.save()
        feeds = [
            Feed.objects.get_or_create(source=source, url=feed_url, defaults={"title": title})[0]
            for feed_url, title in found
        ]
    return Added(source=source, feeds=feeds, created=created)


def sources_pause(sources: QuerySet[Source]) -> int:
    return sources.update(harvest_paused=True)


def sources_resume(sources: QuerySet[Source]) -> int:
    count = sources.update(harvest_paused=False)
    Feed.objects.filter(source__in=sources).update(next_fetch_at=timezone.now())
    return count


def sources_fetch_now(sources: QuerySet[Source]) -> int:
    """Make every feed of the sources due; the running harvester fetches them next round."""
    return Feed.objects.filter(source__in=sources, is_active=True).update(
        next_fetch_at=timezone.now()
    )
