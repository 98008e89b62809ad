"""The harvester against a real loopback web of 25 sources, over several rounds."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from warcio.archiveiterator import ArchiveIterator

from articles.harvest import health
from articles.harvest.harvester import harvest
from articles.harvest.models import Capture, Feed, FetchAttempt, HealthAlert
from articles.harvest.network import HarvestConfig
from articles.harvest.warc import read_record, warc_root
from articles.models import Article, Source
from tests.harvest_sites import Item, Web
from tests.harvest_world import build_world, create_sources

DELAY = 0.05


def config(**overrides) -> HarvestConfig:
    values = dict(
        delay=DELAY,
        per_host=1,
        workers=8,
        timeout=0.5,
        feed_bytes=8 * 1024 * 1024,
        page_bytes=256 * 1024,
        decoded_bytes=2 * 1024 * 1024,
        max_items=100,
        max_pages=10,
    )
    values.update(overrides)
    return HarvestConfig(**values)


@pytest.fixture
def web():
    world = Web(hosts=7)
    yield world
    world.close()


@pytest.fixture
def warc_dir(settings, tmp_path) -> Path:
    settings.NEWSARCHIVE_WARC_DIR = tmp_path / "warc"
    settings.NEWSARCHIVE_INDEX_SYNC = False
    return settings.NEWSARCHIVE_WARC_DIR


def by_slug(report) -> dict[str, dict[str, int | str]]:
    totals: dict[str, dict] = {}
    for outcome in report.feeds:
        row = totals.setdefault(
            outcome.source_slug, {"created": 0, "unchanged": 0, "outcome": outcome.outcome}
        )
        row["created"] += outcome.created
        row["unchanged"] += outcome.unchanged
    return totals


@pytest.mark.django_db(transaction=True)
def test_three_rounds_over_twenty_five_sources_create_once_honour_304_and_log_every_failure(
    web, warc_dir
):
    specs = build_world(web)
    create_sources(specs)
    assert len(specs) >= 20

    first = by_slug(harvest(force=True, config=config()))
    for spec in specs:
        if spec.expect_first >= 0:
            assert first[spec.slug]["created"] == spec.expect_first, spec.slug
        if spec.failing:
            assert first[spec.slug]["outcome"] == "failed", spec.slug
    assert first["repeats"]["created"] == 10  # the page budget per round
    assert Article.objects.filter(source__slug="two-feeds").count() == 5

    web.round = 1
    log_before = len(web.log)
    archived = set(Article.objects.values_list("original_url", flat=True))
    second = by_slug(harvest(force=True, config=config()))
    assert second["busy"]["created"] == 6
    for spec in specs:
        if spec.slug not in ("busy", "repeats"):
            assert second[spec.slug]["created"] == 0, spec.slug
    assert second["en-rss-full"]["outcome"] == "not_modified"
    assert second["fa-rss-summary"]["outcome"] == "not_modified"
    assert second["silenced"]["unchanged"] == 4
    round_two = web.log[log_before:]
    conditional = [h for _host, path, _t, h in round_two if path == "/en-rss-full/feed.xml"]
    assert conditional[0].get("If-None-Match") == '"v1"'
    asked = {f"http://{host}{path}" for host, path, _t, _h in round_two if "/a/" in path}
    assert asked and not asked & archived  # pages of archived items are not fetched again

    web.round = 2
    harvest(force=True, config=config())
    assert Article.objects.filter(source__slug="busy").count() == 18
    assert Article.objects.filter(source__slug="repeats").count() == 30

    # No half-articles: every article has a title and text; failures carry a reason.
    assert not Article.objects.filter(body_text="").exists()
    reasons = {
        slug: FetchAttempt.objects.filter(source__slug=slug).first().reason
        for slug in ("not-xml", "not-found", "server-error", "slow", "loop", "gigabyte",
                     "endless", "gzip-bomb", "private")
    }  # fmt: skip
    assert "not a feed" in reasons["not-xml"]
    assert "HTTP 404" in reasons["not-found"]
    assert "HTTP 500" in reasons["server-error"]
    assert "timed out" in reasons["slow"]
    assert FetchAttempt.objects.filter(source__slug="slow").first().seconds >= 0.45
    assert "redirect loop" in reasons["loop"]
    assert "larger than the cap" in reasons["gigabyte"]
    assert "larger than the cap" in reasons["endless"]
    assert "gzip bomb" in reasons["gzip-bomb"]
    assert "robots.txt" in reasons["private"]
    missing = FetchAttempt.objects.filter(source__slug="page-missing").last()
    assert "HTTP 404" in missing.reason and missing.failed == 1
    third = FetchAttempt.objects.filter(source__slug="third-language").last()
    assert "'ar'" in third.reason and "'fr'" in third.reason
    repeats = FetchAttempt.objects.filter(source__slug="repeats").last()
    assert "more than 100 items" in repeats.reason

    # Languages and charsets: Windows-1256 Persian read right, third languages kept out.
    persian = Article.objects.filter(source__slug__in=["fa-windows-1256", "fa-1256-pages"])
    assert persian.count() == 5
    for article in persian:
        key = article.original_url.rsplit("/", 1)[1]
        expected = " ".join(Item(key, "fa", None).body[0].split()[:6]).replace("ي", "ی")
        assert article.language == "fa"
        assert expected in article.body_text.replace("ي", "ی"), article.body_text[:80]
    assert Article.objects.filter(source__slug="undated", published_at=None).count() == 2

    # Politeness: the starts of two requests to one host are at least the delay apart.
    for n in range(7):
        times = web.requests_to(f"127.0.0.{n + 2}")
        gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
        assert gaps and min(gaps) >= DELAY - 0.01, (n, min(gaps))

    # Schedules: the busy feed speeds up, the failing ones back off.
    busy = Feed.objects.get(source__slug="busy")
    failing = Feed.objects.get(source__slug="not-found")
    quiet = Feed.objects.get(source__slug="silenced")
    assert busy.interval < quiet.interval
    assert failing.error_streak == 3 and failing.last_error.startswith("HTTP 404")
    assert failing.next_fetch_at - timezone.now() > timedelta(hours=7)  # 1 h x 2^3
    assert HealthAlert.objects.filter(source__slug="not-found", kind="failing").exists()


@pytest.mark.django_db(transaction=True)
def test_every_response_is_a_warc_record_readable_with_warcio(web, warc_dir):
    specs = [s for s in build_world(web, repeat_items=5)
             if s.slug in ("fa-rss-summary", "moved", "gzip-bomb")]  # fmt: skip
    create_sources(specs)
    harvest(force=True, config=config())
    records = []
    for path in sorted(warc_dir.rglob("*.warc.gz")):
        with path.open("rb") as handle:
            for record in ArchiveIterator(handle):
                records.append(record.rec_headers.get_header("WARC-Type"))
    served = len(web.log)
    assert records.count("response") == served == records.count("request")
    article = Article.objects.filter(source__slug="fa-rss-summary").first()
    capture = Capture.objects.get(article=article)
    assert capture.record_id in article.provenance_origin
    stored = read_record(capture.warc_path, capture.offset, root=warc_root())
    assert stored.record_id == capture.record_id
    assert stored.status_line.startswith("200")
    assert "وزیر" in stored.body.decode("utf-8") or "مجلس" in stored.body.decode("utf-8")
    assert stored.date.startswith(str(capture.fetched_at.year))
    redirect = Capture.objects.filter(source__slug="moved", status=301)
    assert redirect.count() == 1

    output = warc_dir.parent / "export.warc.gz"
    today = timezone.localdate().isoformat()
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    call_command("export_warc", source="fa-rss-summary", start=yesterday, end=today,
                 output=str(output), stdout=StringIO())  # fmt: skip
    with output.open("rb") as handle:
        uris = [r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(handle)
                if r.rec_headers.get_header("WARC-Type") == "response"]  # fmt: skip
    assert uris and all("/fa-rss-summary/" in uri or uri.endswith("robots.txt") for uri in uris)


@pytest.mark.django_db(transaction=True)
def test_health_figures_and_an_alert_for_a_silenced_source(web, warc_dir):
    specs = [s for s in build_world(web, repeat_items=5) if s.slug in ("busy", "silenced")]
    create_sources(specs)
    harvest(force=True, config=config())
    silenced = Source.objects.get(slug="silenced")
    Article.objects.filter(source=silenced).update(created_at=timezone.now() - timedelta(days=5))
    web.round = 1
    harvest(force=True, config=config())
    figures = {h.source.slug: h for h in health.health_of(list(Source.objects.all()))}
    assert figures["busy"].published == 12 and figures["busy"].error_streak == 0
    assert figures["busy"].last_success is not None
    assert figures["silenced"].first.year == 2026 and sum(figures["silenced"].daily) == 4
    alerts = HealthAlert.objects.filter(resolved_at=None)
    assert [(a.source.slug, a.kind) for a in alerts] == [("silenced", "silent")]
