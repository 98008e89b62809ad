"""The load stage: parsed records become archive articles, idempotently.

Identity, in order: the URL (original or canonical), the input's own id (dump id, feed GUID)
within its source, else the content hash within its source. Re-running an import therefore
creates nothing; a record whose text changed updates its article and keeps what curators
did to it (status, manual tags, counterpart, duplicate link).

Records are written in batches: the existing identities of a whole batch are fetched in a
few queries, new articles go in with `bulk_create`, changed ones with `bulk_update`, all in
one transaction. If that transaction fails, the batch is written again one article per
transaction, so one bad record costs only itself and the report names it.

Unlike the one-article services, the loader does not call `full_clean()` per article (its
unique checks alone cost a query each): the fields are bounded and checked while the record
is prepared, and the database's own constraints catch the rest on the per-article retry.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain

from django.db import transaction
from django.utils import timezone

from articles.curation.tagging import AliasMatcher, apply_auto_tags, build_matcher
from articles.models import Article
from articles.search.sync.follow import Follower, following
from articles.search.sync.queue import enqueue_articles
from articles.text.sanitize import clean_title

from .errors import ParseError
from .identity import (
    ExistingArticles,
    carry_identity,
    clean_url,
    identity_keys,
    is_unchanged,
    other_record,
    outranked,
    stored_hashes,
)
from .linking import DuplicateFinder, link_pending_counterparts
from .parse import iter_records
from .prepare import Batch, Hints, Prepared, Preparer, signature_for
from .records import ParsedArticle
from .report import ImportReport
from .sources import SourceResolver

# Fields an import may change on an existing article; curation (status, counterpart,
# duplicate link, slug, language) is left alone.
UPDATE_FIELDS = [
    "title",
    "summary",
    "body_html",
    "body_text",
    "content_hash",
    "published_at",
    "published_precision",
    "published_from",
    "byline",
    "original_url",
    "canonical_url",
    "external_id",
    "counterpart_ref",
    "raw_input",
    "provenance_origin",
    "provenance_format",
    "removed_blocks",
    "imported_at",
    "neardup_signature",
    "updated_at",  # bulk_update does not fill auto_now fields itself
]


@dataclass
class LoadOptions:
    source: str = ""  # name or slug forced for every record
    status: str = Article.Status.DRAFT  # status of new articles only
    dry_run: bool = False
    tag: bool = True
    index: bool = True
    neardup: bool = True
    batch_size: int = 500
    workers: int = 0  # processes preparing batches; 0: up to 2, as the cores allow


@dataclass
class _Item:
    record: ParsedArticle
    article: Article
    urls: list[str]
    tags: Counter[int] | None = None
    existing: Article | None = None
    keys: list[tuple] = field(default_factory=list)
    pending: bool = False  # to be written in this batch
    reused: bool = False  # prepared without signature and tags (see Prepared.reused)


def import_targets(
    targets: Iterable[str],
    *,
    fmt: str = "auto",
    language: str = "auto",
    options: LoadOptions | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Parse every file, folder or URL in `targets` and load what they hold."""
    records = chain.from_iterable(
        iter_records(target, fmt=fmt, language=language) for target in targets
    )
    loader = ArticleLoader(options or LoadOptions())
    if not loader.options.index or loader.options.dry_run:
        return loader.run(records, progress=progress)
    started = timezone.now()
    with following() as loader.follower:  # the index follows in big batches
        report = loader.run(records, progress=progress)
    report.seconds = (timezone.now() - started).total_seconds()  # the index work included
    return report


class ArticleLoader:
    def __init__(self, options: LoadOptions) -> None:
        self.options = options
        self.report = ImportReport(
            dry_run=options.dry_run,
            index_skipped=not options.index and not options.dry_run,
            tagging_skipped=not options.tag,
        )
        self.sources = SourceResolver(create=not options.dry_run)
        self.forced_source = (
            self.sources.resolve(options.source, language="") if options.source else None
        )
        self.matcher: AliasMatcher | None = None
        if options.tag and not options.dry_run:
            matcher = build_matcher()
            self.matcher = matcher if matcher else None
        self.duplicates = DuplicateFinder() if options.neardup and not options.dry_run else None
        self.preparer = Preparer(
            matcher=self.matcher,
            signature=self.duplicates is not None,
            workers=options.workers,
        )
        self.now = timezone.now()
        self.created_refs: list[str] = []  # urls and ids of new articles, for pending pairs
        self.created_ids: list[int] = []
        self.follower: Follower | None = None

    def run(
        self,
        records: Iterable[ParsedArticle | ParseError],
        *,
        progress: Callable[[int], None] | None = None,
    ) -> ImportReport:
        started = timezone.now()
        batches = (
            (batch, self._stored_hashes(batch))
            for batch in _batches(records, self.options.batch_size)
        )
        for batch, prepared in self.preparer.run(batches, self.options.batch_size):
            self.load_batch(batch, prepared)
            if progress:
                progress(len(batch))
        if not self.options.dry_run:
            self.report.counterparts += link_pending_counterparts(
                created_ids=self.created_ids, created_refs=self.created_refs
            )
            self.sources.discard_unused()
        self.report.seconds = (timezone.now() - started).total_seconds()
        return self.report

    def _stored_hashes(self, batch: Batch) -> Hints:
        if self.options.dry_run:
            return [None] * len(batch)
        return stored_hashes(
            batch, lambda record: self.forced_source or self.sources.for_record(record)
        )

    # -- one batch ---------------------------------------------------------------------

    def load_batch(self, batch: Batch, prepared: list[Prepared | None]) -> None:
        items: list[_Item] = []
        for record, ready in zip(batch, prepared, strict=True):
            if isinstance(record, ParseError):
                self.report.fail(record.origin, record.reason)
                continue
            for warning in record.warnings:
                self.report.warn(record.origin or "?", warning)
            if ready.error:
                self.report.fail(record.origin or "?", ready.error)
                continue
            try:
                items.append(self._item(record, ready))
            except ValueError as exc:
                self.report.fail(record.origin or "?", str(exc))
        if not items:
            return
        new, changed = self._classify(items)
        if self.options.dry_run:
            return
        for item in chain(new, changed):
            if item.reused:  # its text matched a stored article that turned out not to be it
                self._complete(item)
        if self.duplicates is not None and new:
            self.duplicates.find(new_items=new)
        self._write(new, changed)

    def _complete(self, item: _Item) -> None:
        if self.duplicates is not None:
            item.article.neardup_signature = signature_for(item.article.body_text)
        if self.matcher is not None:
            item.tags = self.matcher.count_article(item.article)

    def _item(self, record: ParsedArticle, ready: Prepared) -> _Item:
        source = self.forced_source or self.sources.for_record(record)
        language = record.language or source.default_language
        if language not in ("fa", "en"):
            raise ValueError(f"unknown language {language!r}: pass --language fa or en")
        urls = [
            u for u in dict.fromkeys((clean_url(record.url), clean_url(record.canonical_url))) if u
        ]
        article = Article(
            source=source,
            language=language,
            title=ready.title,
            slug=ready.slug,
            summary=ready.summary,
            body_html=ready.body_html,
            body_text=ready.body_text,
            content_hash=ready.content_hash,
            neardup_signature=ready.signature,
            original_url=urls[0] if urls else "",
            canonical_url=clean_url(record.canonical_url),
            external_id=(record.identity or "").strip()[:500],
            counterpart_ref=(record.counterpart_url or "").strip()[:1000],
            published_at=record.published_at,
            published_precision=record.published_precision if record.published_at else "",
            published_from=(record.published_from or "")[:300] if record.published_at else "",
            byline=clean_title(record.byline or "")[:300],
            status=self.options.status,
            raw_input=record.raw or "",
            provenance_origin=(record.origin or "")[:1000],
            provenance_format=(record.format or "")[:20],
            removed_blocks=list(record.removed_blocks or []),
            imported_at=self.now,
            updated_at=self.now,
        )
        return _Item(
            record=record, article=article, urls=urls, tags=ready.tags, reused=ready.reused
        )

    def _classify(self, items: list[_Item]) -> tuple[list[_Item], list[_Item]]:
        """Match each item to an existing article; count unchanged ones right away."""
        existing_articles = ExistingArticles(items)
        new: list[_Item] = []
        changed: list[_Item] = []
        in_batch: dict[tuple, _Item] = {}
        for item in items:
            article = item.article
            item.keys = identity_keys(article, item.urls)
            earlier = next(
                (
                    in_batch[k]
                    for k in item.keys
                    if k in in_batch
                    and not other_record(
                        in_batch[k].article.source.pk, in_batch[k].article.external_id, article
                    )
                ),
                None,
            )
            if earlier is not None:
                self._merge_into(earlier, item)
                continue
            existing = existing_articles.match(item.keys, article)
            self._give_up_taken_urls(item, existing, existing_articles.by_url, in_batch)
            for key in item.keys:
                in_batch.setdefault(key, item)
            if existing is None:
                self.report.created += 1
                item.pending = True
                new.append(item)
            elif is_unchanged(existing, item.article) or outranked(existing, item.article):
                self.report.unchanged += 1
            else:
                item.existing, item.pending = existing, True
                self.report.updated += 1
                changed.append(item)
        return new, changed

    def _give_up_taken_urls(
        self, item: _Item, existing: Article | None, by_url: dict, in_batch: dict
    ) -> None:
        """A URL already owned by another article stays with it (it is unique)."""
        article = item.article
        for url in item.urls:
            owner = by_url.get(url)
            taken = owner is not None and (existing is None or owner.pk != existing.pk)
            claimant = in_batch.get(("url", url))
            taken = taken or (claimant is not None and claimant is not item)
            if taken and article.original_url == url:
                article.original_url = ""
                article.canonical_url = article.canonical_url or url
                if existing is not None and existing.canonical_url == url:
                    continue  # settled on an earlier run; no news for the report
                self.report.warn(
                    item.record.origin or "?",
                    f"URL {url} already belongs to another article; kept as canonical URL only",
                )

    def _merge_into(self, earlier: _Item, item: _Item) -> None:
        """A record repeated within one batch: the later copy wins, as a re-import would."""
        if earlier.article.content_hash == item.article.content_hash or not earlier.pending:
            self.report.unchanged += 1
            return
        item.existing, item.keys, item.pending = earlier.existing, earlier.keys, True
        earlier.__dict__.update(item.__dict__)
        self.report.updated += 1

    # -- writing -----------------------------------------------------------------------

    def _write(self, new: list[_Item], changed: list[_Item]) -> None:
        for item in changed:
            carry_identity(item.existing, item.article)
        try:
            with transaction.atomic():
                self._save(new, changed)
        except Exception:  # noqa: BLE001 - retried one by one below, each failure reported
            for item in new:
                item.article.pk = None
            self._save_one_by_one(new, changed)
            return
        self._after_commit(new, changed)

    def _save_one_by_one(self, new: list[_Item], changed: list[_Item]) -> None:
        saved_new: list[_Item] = []
        saved_changed: list[_Item] = []
        for item, is_new in chain(((i, True) for i in new), ((i, False) for i in changed)):
            try:
                with transaction.atomic():
                    self._save([item] if is_new else [], [] if is_new else [item])
            except Exception as exc:  # noqa: BLE001 - a database error on one record
                if is_new:
                    item.article.pk = None
                    self.report.created -= 1
                else:
                    self.report.updated -= 1
                reason = " ".join(str(exc).split()) or type(exc).__name__
                self.report.fail(item.record.origin or "?", f"could not be saved: {reason}")
                continue
            (saved_new if is_new else saved_changed).append(item)
        self._after_commit(saved_new, saved_changed)

    def _save(self, new: list[_Item], changed: list[_Item]) -> None:
        if new:
            Article.objects.bulk_create([item.article for item in new], batch_size=250)
        if changed:
            Article.objects.bulk_update(
                [item.article for item in changed], UPDATE_FIELDS, batch_size=250
            )
        if self.matcher is not None:
            found = {item.article.pk: item.tags or Counter() for item in chain(new, changed)}
            apply_auto_tags(found, enqueue=False)
        if self.options.index:
            enqueue_articles([item.article.pk for item in chain(new, changed)])

    def _after_commit(self, new: list[_Item], changed: list[_Item]) -> None:
        if self.follower is not None:
            self.follower.loaded_more(len(new) + len(changed))
        if self.matcher is not None:
            self.report.tagged += sum(1 for item in chain(new, changed) if item.tags)
        for item in new:
            self.created_ids.append(item.article.pk)
            self.created_refs.extend(item.urls)
            if item.article.external_id:
                self.created_refs.append(item.article.external_id)
            if item.article.duplicate_of_id:
                self.report.duplicates += 1
        if self.duplicates is not None:
            self.duplicates.remember(new)


def _batches(records: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for record in records:
        batch.append(record)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
