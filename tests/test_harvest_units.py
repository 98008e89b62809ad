"""The harvester's parts on their own: schedule, decompression caps, charsets, feed discovery,
volume alerts, and the command."""

from __future__ import annotations

import gzip
import os
from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from articles.harvest import health
from articles.harvest.charset import decode_document
from articles.harvest.discover import discover
from articles.harvest.http import HarvestError, Limits, decompress
from articles.harvest.models import HealthAlert
from articles.harvest.schedule import Pace, failure_wait, next_interval
from articles.models import Article, Source

PACE = Pace(min_interval=600, max_interval=86_400)


def test_busy_feeds_speed_up_quiet_ones_slow_down_within_bounds():
    assert next_interval(3600, new_items=8, pace=PACE) == 1800
    assert next_interval(900, new_items=8, pace=PACE) == 600
    assert next_interval(3600, new_items=0, pace=PACE) == 5400
    assert next_interval(80_000, new_items=0, pace=PACE) == 86_400
    assert next_interval(3600, new_items=2, pace=PACE) == 3600


def test_failing_feeds_back_off_exponentially_up_to_a_day():
    assert failure_wait(3600, streak=1, pace=PACE) == 7200
    assert failure_wait(3600, streak=3, pace=PACE) == 28_800
    assert failure_wait(3600, streak=40, pace=PACE) == 86_400


def test_a_gzip_bomb_stops_at_the_decompressed_cap():
    limits = Limits(max_decoded_bytes=1024 * 1024)
    bomb = gzip.compress(b"\0" * (50 * 1024 * 1024))
    with pytest.raises(HarvestError, match="gzip bomb"):
        decompress(bomb, "gzip", limits)
    assert decompress(gzip.compress(b"<rss/>"), "gzip", limits) == b"<rss/>"
    with pytest.raises(HarvestError, match="bad gzip"):
        decompress(b"not gzip at all", "gzip", limits)


def test_undeclared_windows_1256_persian_is_read_as_persian():
    text = "وزير خارجه افغانستان در کابل گفت که مذاکرات ادامه دارد."
    assert decode_document(text.encode("cp1256"), None) == text
    assert decode_document("Kabul talks go on.".encode("cp1252"), None) == "Kabul talks go on."
    assert decode_document(text.encode("utf-8"), None) == text


def test_feeds_are_discovered_from_a_homepage_in_persian_or_english():
    page = discover(
        '<html lang="fa-IR"><head><title>رادیو آزادی</title>'
        '<link rel="alternate" type="application/rss+xml" href="/rss">'
        '<link rel="alternate" type="application/atom+xml" href="https://x.example/atom">'
        '<link rel="alternate" hreflang="en" href="/en/">'
        '<link rel="stylesheet" href="/s.css"></head></html>',
        base_url="https://www.radio.example/fa/",
    )
    assert page.title == "رادیو آزادی" and page.language == "fa"
    assert [url for url, _t in page.feeds] == ["https://www.radio.example/rss",
                                               "https://x.example/atom"]  # fmt: skip


@pytest.mark.django_db
def test_a_day_outside_the_usual_band_raises_a_volume_alert_and_clears_later():
    source = Source.objects.create(slug="steady", name_en="Steady")
    now = datetime(2026, 11, 29, 12, 0, tzinfo=timezone.get_current_timezone())
    today = timezone.localdate(now)

    def nine_am(day):
        return timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(hours=9)

    per_day = [10 + (day % 3) for day in range(56)]  # 10-12 a day for 8 weeks
    articles = Article.objects.bulk_create(
        Article(source=source, language="en", title=f"t{n}", body_text="b")
        for n in range(sum(per_day) + 1)
    )
    ids = [a.pk for a in articles]
    start = 0
    for day, count in enumerate(per_day):
        moment = nine_am(today - timedelta(days=58 - day))
        Article.objects.filter(pk__in=ids[start : start + count]).update(created_at=moment)
        start += count
    yesterday = nine_am(today - timedelta(days=1))
    Article.objects.filter(pk=ids[-1]).update(created_at=yesterday)  # 1 article: far too few
    opened = health.evaluate([source], now=now)
    assert [alert.kind for alert in opened] == [HealthAlert.Kind.LOW_VOLUME]
    assert "usual band" in opened[0].message
    assert health.evaluate([source], now=now) == []  # one open alert, not a new one per round
    more = Article.objects.bulk_create(
        Article(source=source, language="en", title=f"y{n}", body_text="b") for n in range(10)
    )
    Article.objects.filter(pk__in=[a.pk for a in more]).update(created_at=yesterday)
    assert health.evaluate([source], now=now) == []
    assert not HealthAlert.objects.filter(resolved_at=None).exists()  # back in its band
    health.evaluate([source], now=now + timedelta(days=4))
    kinds = set(HealthAlert.objects.filter(resolved_at=None).values_list("kind", flat=True))
    assert kinds == {HealthAlert.Kind.SILENT, HealthAlert.Kind.LOW_VOLUME}


@pytest.mark.django_db
def test_harvest_command_names_an_unknown_source_and_reports_an_empty_round():
    with pytest.raises(CommandError, match="No source with the slug"):
        call_command("harvest_sources", source="nope")
    out = StringIO()
    call_command("harvest_sources", "--once", stdout=out)
    assert out.getvalue().startswith("0 feeds")


def test_warc_storage_rolls_files_over_and_prunes_the_oldest_days(tmp_path):
    from articles.harvest.http import Response
    from articles.harvest.warc import WarcStore, prune, read_record

    store = WarcStore(tmp_path, file_bytes=2_000)
    refs = []
    for day in (1, 2, 3):
        for n in range(3):
            response = Response(
                url=f"http://127.0.0.1/feed-{n}.xml",
                status=200,
                reason="OK",
                headers=[("Content-Type", "application/rss+xml")],
                wire=b"<rss>" + os.urandom(1500).hex().encode() + b"</rss>",
                fetched_at=datetime(2026, 11, day, 8, n, tzinfo=timezone.get_current_timezone()),
            )
            refs.append(store.write(7, response, "feed"))
    files = {p.name for p in (tmp_path / "source-7").iterdir()}
    assert {"2026-11-01.warc.gz", "2026-11-01-2.warc.gz", "2026-11-01-3.warc.gz"} <= files
    assert read_record(refs[4].path, refs[4].offset, root=tmp_path).body.endswith(b"</rss>")
    total = sum(p.stat().st_size for p in (tmp_path / "source-7").iterdir())
    removed = prune(max_bytes=total // 2, root=tmp_path)
    assert removed and all("2026-11-01" in path or "2026-11-02" in path for path in removed)
    left = {p.name[:10] for p in (tmp_path / "source-7").iterdir()}
    assert "2026-11-03" in left and "2026-11-01" not in left


@pytest.mark.django_db
def test_only_one_harvester_runs_at_a_time(settings):
    import fcntl
    from pathlib import Path

    with (Path(settings.DATA_DIR) / "harvest.lock").open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(CommandError, match="Another harvester is running"):
            call_command("harvest_sources", "--once", stdout=StringIO())
    call_command("harvest_sources", "--once", stdout=StringIO())  # free again


@pytest.mark.django_db
def test_the_harvesters_near_duplicate_window_leaves_old_articles_out_of_memory():
    from articles.ingest.linking import DuplicateFinder
    from articles.ingest.prepare import signature_for

    source = Source.objects.create(slug="window", name_en="Window")
    text = "Wheat prices rose in Kabul markets this week as farmers reported drought. " * 5
    old, recent = (
        Article.objects.create(
            source=source,
            language="en",
            title=title,
            body_text=text,
            neardup_signature=signature_for(text),
        )  # fmt: skip
        for title in ("old", "recent")
    )
    Article.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=60))
    windowed = DuplicateFinder(since=timezone.now() - timedelta(days=30))
    windowed._build()
    assert set(windowed.source_of) == {str(recent.pk)}
    everything = DuplicateFinder()
    everything._build()
    assert set(everything.source_of) == {str(old.pk), str(recent.pk)}
