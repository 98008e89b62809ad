"""The network half of a harvest round, run in worker threads: no database access here.

For each feed: robots.txt, a conditional GET, the WARC records, the feed parsed into records
(capped at ``max_items``). For each new summary-only item: the article page, its WARC records
and trafilatura's main text merged into the feed's record.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice

from django.conf import settings

from articles.ingest.errors import ParseError
from articles.ingest.feed import parse_feed
from articles.ingest.html_page import parse_html
from articles.ingest.records import ParsedArticle

from .charset import decode_document
from .discover import looks_like_feed
from .http import HarvestError, HostGate, Limits, Response, fetch
from .robots import RobotsCache
from .warc import WarcRef, WarcStore

PAGE_LANGUAGES = ("fa", "prs", "per", "fas", "en")
_HTML_LANG = re.compile(r"<html[^>]*?\blang\s*=\s*[\"']?([A-Za-z-]+)", re.I)
SUMMARY_CHARS = 600  # a feed item with less text than this carries a summary, not the article


@dataclass
class HarvestConfig:
    delay: float = 2.0  # seconds between the starts of two requests to one host
    per_host: int = 1  # requests to one host at once
    workers: int = 8  # fetching threads
    timeout: float = 20.0
    feed_bytes: int = 10 * 1024 * 1024
    page_bytes: int = 5 * 1024 * 1024
    decoded_bytes: int = 30 * 1024 * 1024
    max_items: int = 500  # feed items considered per fetch (newest first, as the feed lists)
    max_pages: int = 50  # article pages fetched per feed per round; the rest wait a round
    fetch_pages: bool = True
    robots: bool = True

    @classmethod
    def from_settings(cls, **overrides) -> HarvestConfig:
        values = dict(getattr(settings, "NEWSARCHIVE_HARVEST", {}))
        values.update(overrides)
        return cls(**values)

    def feed_limits(self) -> Limits:
        return Limits(self.timeout, self.feed_bytes, self.decoded_bytes)

    def page_limits(self) -> Limits:
        return Limits(self.timeout, self.page_bytes, self.decoded_bytes)


@dataclass
class FeedJob:
    feed_id: int
    source_id: int
    url: str
    etag: str = ""
    last_modified: str = ""
    fetch_pages: bool = True
    status: int | None = None
    error: str = ""
    not_modified: bool = False
    response: Response | None = None
    feed_ref: WarcRef | None = None
    refs: list[WarcRef] = field(default_factory=list)
    records: list[ParsedArticle | ParseError] = field(default_factory=list)
    items: int = 0
    notes: list[str] = field(default_factory=list)
    bytes: int = 0
    known: int = 0  # items already archived and listed as before (not fetched or loaded)
    started_at: datetime | None = None
    seconds: float = 0.0  # the feed's fetch and parse (pages not included)
    digests: list[str] = field(default_factory=list)


@dataclass
class PageJob:
    job: FeedJob
    record: ParsedArticle
    result: ParsedArticle | ParseError | None = None
    ref: WarcRef | None = None


class Fetcher:
    def __init__(self, config: HarvestConfig, store: WarcStore) -> None:
        self.config = config
        self.store = store
        self.gate = HostGate(delay=config.delay, concurrency=config.per_host)
        self.robots = RobotsCache(gate=self.gate, limits=config.page_limits())

    def _recorder(self, job: FeedJob, kind: str):
        def record(response: Response) -> None:
            job.bytes += len(response.wire)
            job.refs.append(self.store.write(job.source_id, response, kind))

        return record

    def _robots_block(self, job: FeedJob, url: str) -> str:
        if not self.config.robots:
            return ""
        return self.robots.allowed(url, on_response=self._recorder(job, "robots"))

    def fetch_feed(self, job: FeedJob) -> None:
        job.started_at = datetime.now(UTC)
        began = time.monotonic()
        try:
            self._fetch_feed(job)
        except Exception as exc:  # noqa: BLE001 - one feed's surprise never stops the round
            job.error = job.error or f"unexpected error: {exc!r}"[:300]
        job.seconds = time.monotonic() - began

    def _fetch_feed(self, job: FeedJob) -> None:
        blocked = self._robots_block(job, job.url)
        if blocked:
            job.error = blocked
            return
        headers = {}
        if job.etag:
            headers["If-None-Match"] = job.etag
        if job.last_modified:
            headers["If-Modified-Since"] = job.last_modified
        try:
            response = fetch(
                job.url,
                gate=self.gate,
                limits=self.config.feed_limits(),
                headers=headers,
                on_response=self._recorder(job, "feed"),
            )
        except HarvestError as error:
            job.error, job.status = error.reason, error.status
            return
        job.response, job.status = response, response.status
        job.feed_ref = job.refs[-1] if job.refs else None
        if response.status == 304:
            job.not_modified = True
            return
        try:
            text = decode_document(response.body, response.charset)
        except ParseError as error:
            job.error = f"feed is not text: {error.reason}"
            return
        if not looks_like_feed(text):
            job.error = "not a feed (no RSS, Atom or RSS 1.0 root element)"
            return
        records = list(islice(parse_feed(text, origin=job.url), self.config.max_items + 1))
        response.body = b""  # the text is parsed; the WARC file keeps the bytes
        del text
        if len(records) == 1 and isinstance(records[0], ParseError):
            job.error = records[0].reason
            return
        if len(records) > self.config.max_items:
            job.notes.append(
                f"the feed lists more than {self.config.max_items} items; only the first "
                f"{self.config.max_items} were considered"
            )
            records = records[: self.config.max_items]
        job.items = len(records)
        job.records = records

    def fetch_page(self, page: PageJob) -> None:
        try:
            self._fetch_page(page)
        except Exception as exc:  # noqa: BLE001
            page.result = ParseError(page.record.url, f"unexpected error: {exc!r}"[:300])

    def _fetch_page(self, page: PageJob) -> None:
        url = page.record.url
        blocked = self._robots_block(page.job, url)
        if blocked:
            page.result = ParseError(url, f"article page {blocked}")
            return
        refs_before = len(page.job.refs)
        try:
            response = fetch(
                url,
                gate=self.gate,
                limits=self.config.page_limits(),
                on_response=self._recorder(page.job, "page"),
            )
        except HarvestError as error:
            page.result = ParseError(url, f"article page: {error.reason}")
            return
        page.ref = page.job.refs[-1] if len(page.job.refs) > refs_before else None
        try:
            html = decode_document(response.body, response.charset)
        except ParseError as error:
            page.result = ParseError(url, f"article page is not text: {error.reason}")
            return
        declared = declared_language(html)
        if declared and declared not in PAGE_LANGUAGES:
            page.result = ParseError(
                url, f"article page is in {declared!r}, neither Persian nor English"
            )
            return
        parsed = parse_html(html, origin=url, url=url)
        if isinstance(parsed, ParseError):
            page.result = parsed
            return
        page.result = merge(page.record, parsed, record_id=page.ref.record_id if page.ref else "")


def declared_language(html: str) -> str:
    match = _HTML_LANG.search(html[:4096])
    return match.group(1).lower().split("-")[0] if match else ""


def merge(
    entry: ParsedArticle, page: ParsedArticle, *, record_id: str
) -> ParsedArticle | ParseError:
    """The feed item completed with its page's text; refused when the page's language is
    neither Persian nor English (no half-article is made of the feed's summary)."""
    third = next((w for w in page.warnings if "neither Persian nor English" in w), "")
    if page.language not in ("fa", "en") or third:
        return ParseError(
            entry.url, third or "article page is in a language other than Persian or English"
        )
    summary = entry.body_text if entry.body_text and entry.body_text not in page.body_text else ""
    origin = f"{entry.url} (WARC {record_id})" if record_id else entry.url
    return ParsedArticle(
        title=entry.title or page.title,
        body_text=page.body_text,
        language=page.language,
        summary=summary[:2000],
        url=entry.url,
        canonical_url=page.canonical_url,
        published_at=entry.published_at or page.published_at,
        byline=entry.byline or page.byline,
        source_name=entry.source_name,
        identity=entry.identity,
        counterpart_url=page.counterpart_url,
        tags=entry.tags or page.tags,
        removed_blocks=page.removed_blocks,
        warnings=entry.warnings + page.warnings,
        raw=page.raw,
        origin=origin[:1000],
        format="feed+page",
    )


def is_summary_only(record: ParsedArticle) -> bool:
    return len(record.body_text) < SUMMARY_CHARS
