"""A harvest round: due feeds fetched politely in threads, their items loaded in this thread
through the one import path (``ArticleLoader``: dedupe, near-duplicates, counterparts, tags,
index queue), and every fetch recorded (attempt, captures, schedule, health alerts).

Re-running a round creates nothing new: known items are recognised by URL or feed GUID before
any page is fetched, and the loader counts unchanged ones as such.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import close_old_connections, transaction
from django.db.models import Q
from django.utils import timezone

from articles.ingest.errors import ParseError
from articles.ingest.identity import chunks, clean_url
from articles.ingest.linking import DuplicateFinder
from articles.ingest.load import ArticleLoader, LoadOptions
from articles.ingest.records import ParsedArticle
from articles.models import Article, Source

from . import health
from .models import Capture, Feed, FetchAttempt
from .network import FeedJob, Fetcher, HarvestConfig, PageJob, is_summary_only
from .schedule import Pace, failure_wait, next_fetch, next_interval
from .warc import WarcRef, WarcStore, prune

logger = logging.getLogger(__name__)
ATTEMPTS_KEPT = 200  # fetch attempts kept per source (the admin shows the last 50)
REASON_LINES = 8


@dataclass
class FeedOutcome:
    feed_id: int
    source_slug: str
    url: str
    outcome: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    reason: str = ""


@dataclass
class RoundReport:
    feeds: list[FeedOutcome] = field(default_factory=list)
    seconds: float = 0.0
    pages: int = 0

    def total(self, name: str) -> int:
        return sum(getattr(outcome, name) for outcome in self.feeds)

    def lines(self) -> list[str]:
        head = (
            f"{len(self.feeds)} feeds in {self.seconds:.1f} s: created {self.total('created')}, "
            f"updated {self.total('updated')}, unchanged {self.total('unchanged')}, "
            f"failed items {self.total('failed')}, pages fetched {self.pages}"
        )
        lines = [head]
        for o in self.feeds:
            reason = f" - {o.reason.splitlines()[0]}" if o.reason else ""
            lines.append(f"  {o.source_slug} {o.url}: {o.outcome} +{o.created}{reason}")
        return lines


def due_feeds(*, now: datetime, source: str = "", force: bool = False) -> list[Feed]:
    feeds = Feed.objects.select_related("source").filter(is_active=True)
    if source:
        return list(feeds.filter(source__slug=source))
    feeds = feeds.filter(source__is_active=True, source__harvest_paused=False)
    if not force:
        feeds = feeds.filter(Q(next_fetch_at__isnull=True) | Q(next_fetch_at__lte=now))
    return list(feeds.order_by("next_fetch_at", "pk"))


def harvest(
    *,
    source: str = "",
    force: bool = False,
    config: HarvestConfig | None = None,
    progress: Callable[[str], None] | None = None,
) -> RoundReport:
    """One round over the due feeds (all of one source's feeds when ``source`` is given)."""
    now = timezone.now()
    feeds = due_feeds(now=now, source=source, force=force)
    return Harvester(config or HarvestConfig.from_settings()).run(feeds, progress=progress)


class Harvester:
    def __init__(self, config: HarvestConfig, store: WarcStore | None = None) -> None:
        self.config = config
        self.store = store or WarcStore()
        self.pace = Pace.from_settings()

    def run(
        self, feeds: list[Feed], *, progress: Callable[[str], None] | None = None
    ) -> RoundReport:
        started = timezone.now()
        report = RoundReport()
        if not feeds:
            return report
        fetcher = Fetcher(self.config, self.store)
        jobs = [
            FeedJob(
                feed_id=feed.pk,
                source_id=feed.source_id,
                url=feed.url,
                etag=feed.etag,
                last_modified=feed.last_modified,
                fetch_pages=feed.fetch_pages and self.config.fetch_pages,
            )
            for feed in feeds
        ]
        _in_threads(fetcher.fetch_feed, jobs, self.config.workers)
        by_feed = {feed.pk: feed for feed in feeds}
        pages = self._plan_pages(jobs, by_feed)
        _in_threads(fetcher.fetch_page, pages, self.config.workers)
        report.pages = len(pages)
        for page in pages:
            page.job.records.append(page.result or ParseError(page.record.url, "page not fetched"))
        loader = ArticleLoader(LoadOptions(workers=1))
        if loader.duplicates is not None:  # near-duplicates among the recent articles only
            days = getattr(settings, "NEWSARCHIVE_HARVEST_NEARDUP_DAYS", 30)
            loader.duplicates = DuplicateFinder(since=timezone.now() - timedelta(days=days))
        for job in jobs:
            outcome = self._load(job, by_feed[job.feed_id], loader)
            report.feeds.append(outcome)
            if progress:
                progress(outcome.url)
        self._captures(jobs, pages)
        self._tidy({feed.source_id for feed in feeds})
        report.seconds = (timezone.now() - started).total_seconds()
        return report

    # -- between the two network phases ---------------------------------------------------

    def _plan_pages(self, jobs: list[FeedJob], by_feed: dict[int, Feed]) -> list[PageJob]:
        """Drop the known summary-only items (counted unchanged) and list the pages to fetch."""
        pages: list[PageJob] = []
        for job in jobs:
            feed = by_feed[job.feed_id]
            source = feed.source
            records = [r for r in job.records if isinstance(r, ParsedArticle)]
            for record in records:
                if record.canonical_url == record.url:
                    record.canonical_url = ""  # one URL is one identity (and one lookup)
            known = _known(source, records)
            seen = set(feed.item_digests or [])
            job.digests = [item_digest(record) for record in records]
            kept: list[ParsedArticle | ParseError] = []
            budget = self.config.max_pages
            waiting = 0
            record_id = job.feed_ref.record_id if job.feed_ref else ""
            for record in job.records:
                if isinstance(record, ParseError):
                    kept.append(record)
                elif item_digest(record) in seen and _identity(record) & known:
                    job.known += 1  # listed again as last time, and archived
                elif not is_summary_only(record) or not job.fetch_pages:
                    if record_id:  # the feed response is the page as fetched
                        record.origin = f"{record.origin} (WARC {record_id})"[:1000]
                    kept.append(record)  # full text in the feed: the loader compares it
                elif _identity(record) & known:
                    job.known += 1
                elif budget > 0:
                    budget -= 1
                    pages.append(PageJob(job=job, record=record))
                else:
                    waiting += 1
            if waiting:
                job.notes.append(f"{waiting} new items wait for the next round (page budget)")
            job.records = kept
        return pages

    # -- loading and recording ------------------------------------------------------------

    def _load(self, job: FeedJob, feed: Feed, loader: ArticleLoader) -> FeedOutcome:
        source = feed.source
        outcome = FeedOutcome(feed.pk, source.slug, feed.url, FetchAttempt.Outcome.OK)
        reasons = list(job.notes)
        records: list[ParsedArticle | ParseError] = []
        for record in job.records:
            if isinstance(record, ParsedArticle) and record.language not in ("fa", "en"):
                record = ParseError(
                    record.origin or record.url,
                    "item in a language other than Persian or English",
                )
            records.append(record)
        if job.error:
            outcome.outcome = FetchAttempt.Outcome.FAILED
            reasons.insert(0, job.error)
        elif job.not_modified:
            outcome.outcome = FetchAttempt.Outcome.NOT_MODIFIED
        elif records:
            counts = _load_with(loader, source, records)
            outcome.created, outcome.updated = counts.created, counts.updated
            outcome.unchanged, outcome.failed = counts.unchanged, counts.failed
            reasons += [f"{f.origin}: {f.reason}" for f in counts.failures[:REASON_LINES]]
        outcome.unchanged += job.known
        outcome.reason = "\n".join(reasons)[:4000]
        self._record(job, feed, outcome)
        return outcome

    def _record(self, job: FeedJob, feed: Feed, outcome: FeedOutcome) -> None:
        now = timezone.now()
        failed = outcome.outcome == FetchAttempt.Outcome.FAILED
        feed.last_fetched_at = now
        if failed:
            feed.error_streak += 1
            feed.last_error = outcome.reason.splitlines()[0][:1000] if outcome.reason else ""
            wait = failure_wait(feed.interval, streak=feed.error_streak, pace=self.pace)
        else:
            feed.error_streak = 0
            feed.last_success_at = now
            if job.response is not None and job.response.status == 200:
                feed.etag = job.response.header("ETag")[:500]
                feed.last_modified = job.response.header("Last-Modified")[:100]
                feed.item_digests = job.digests
            if outcome.created:
                feed.last_new_at = now
            feed.interval = next_interval(feed.interval, new_items=outcome.created, pace=self.pace)
            wait = feed.interval
        feed.next_fetch_at = next_fetch(now, wait)
        with transaction.atomic():
            feed.save(
                update_fields=[
                    "last_fetched_at", "error_streak", "last_error", "last_success_at", "etag",
                    "last_modified", "last_new_at", "interval", "next_fetch_at", "item_digests",
                ]
            )  # fmt: skip
            FetchAttempt.objects.create(
                source_id=feed.source_id,
                feed=feed,
                url=feed.url,
                started_at=job.started_at or now,
                seconds=round(job.seconds, 3),
                status=job.status,
                outcome=outcome.outcome,
                reason=outcome.reason,
                items=job.items,
                created=outcome.created,
                updated=outcome.updated,
                unchanged=outcome.unchanged,
                failed=outcome.failed,
                bytes=job.bytes,
                warc_record_id=job.feed_ref.record_id if job.feed_ref else "",
            )

    def _captures(self, jobs: list[FeedJob], pages: list[PageJob]) -> None:
        page_urls = {page.ref.record_id: page.record.url for page in pages if page.ref}
        by_url: dict[str, int] = {}
        for chunk in chunks(set(page_urls.values())):
            by_url.update(
                Article.objects.filter(original_url__in=chunk).values_list("original_url", "pk")
            )
        rows = [
            _capture(job.source_id, ref, by_url.get(page_urls.get(ref.record_id, "")))
            for job in jobs
            for ref in job.refs
        ]
        Capture.objects.bulk_create(rows, batch_size=500)

    def _tidy(self, source_ids: Iterable[int]) -> None:
        for source_id in source_ids:
            old = FetchAttempt.objects.filter(source_id=source_id).order_by("-started_at", "-id")
            cutoff = old.values_list("id", flat=True)[ATTEMPTS_KEPT : ATTEMPTS_KEPT + 1]
            if cutoff:
                FetchAttempt.objects.filter(source_id=source_id, id__lte=cutoff[0]).delete()
        max_bytes = getattr(settings, "NEWSARCHIVE_WARC_MAX_BYTES", 50 * 1024**3)
        removed = prune(max_bytes=max_bytes, root=self.store.root)
        if removed:
            Capture.objects.filter(warc_path__in=removed).update(pruned=True)
            logger.warning("WARC storage over its cap: removed %d old files", len(removed))
        health.evaluate(Source.objects.filter(pk__in=list(source_ids)))


@dataclass
class _Counts:
    created: int
    updated: int
    unchanged: int
    failed: int
    failures: list


def _load_with(loader: ArticleLoader, source: Source, records: list) -> _Counts:
    """Run the shared loader for one feed's records, as that source and its status."""
    report = loader.report
    before = (report.created, report.updated, report.unchanged, len(report.failures))
    loader.forced_source = source
    loader.options.status = source.new_article_status
    loader.created_ids, loader.created_refs = [], []
    loader.run(records)
    return _Counts(
        created=report.created - before[0],
        updated=report.updated - before[1],
        unchanged=report.unchanged - before[2],
        failed=len(report.failures) - before[3],
        failures=report.failures[before[3] :],
    )


def item_digest(record: ParsedArticle) -> str:
    """What a feed says about an item (title, text, date, link, id), in 16 hex digits."""
    parts = (record.title, record.body_text, str(record.published_at), record.url,
             record.identity, record.byline, record.summary)  # fmt: skip
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=8).hexdigest()


def _identity(record: ParsedArticle) -> set[tuple[str, str]]:
    keys = {("url", u) for u in (clean_url(record.url), clean_url(record.canonical_url)) if u}
    if record.identity:
        keys.add(("id", record.identity.strip()[:500]))
    return keys


def _known(source: Source, records: list[ParsedArticle]) -> set[tuple[str, str]]:
    urls = {key[1] for record in records for key in _identity(record) if key[0] == "url"}
    ids = {record.identity.strip()[:500] for record in records if record.identity}
    found: set[tuple[str, str]] = set()
    for chunk in chunks(urls):  # original URLs only: they have an index (canonical ones don't)
        rows = (
            Article.objects.filter(original_url__in=chunk)
            .exclude(original_url="")
            .values_list("original_url", flat=True)
        )
        found.update(("url", url) for url in rows)
    for chunk in chunks(ids):
        rows = Article.objects.filter(source=source, external_id__in=chunk).values_list(
            "external_id", flat=True
        )
        found.update(("id", value) for value in rows)
    return found


def _capture(source_id: int, ref: WarcRef, article_id: int | None) -> Capture:
    return Capture(
        source_id=source_id,
        article_id=article_id,
        url=ref.url[:1000],
        kind=ref.kind,
        fetched_at=ref.fetched_at,
        status=ref.status,
        content_type=ref.content_type,
        warc_path=ref.path,
        offset=ref.offset,
        length=ref.length,
        record_id=ref.record_id,
    )


def _in_threads(call: Callable, items: list, workers: int) -> None:
    if not items:
        return
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(items)))) as pool:
        list(pool.map(_without_db(call), items))


def _without_db(call: Callable) -> Callable:
    def run(item):
        try:
            return call(item)
        finally:
            close_old_connections()

    return run
