"""Bulk indexing: the whole archive (or the recently changed part) through one writer.

Haystack's `rebuild_index` commits (and merges segments) after every batch and prepares each
object through its fields; here one Whoosh writer with a memory limit (`limitmb`) takes every
document and commits once, into one new segment. A rebuild commits with
`backend.commit_replacing` (Whoosh: `mergetype=CLEAR`), so searches keep seeing the old index
until the new one is complete. The text analysis runs in `procs` worker processes and is cached
on disk by content and analysis version (`articles.search.sync.preanalysis`): the writer replays
the analysed terms, so a rebuild after a change that leaves the analysis alone re-analyses
nothing. Writing the postings is the other half of the work: with `writers=2` two writing
processes take alternate batches and leave one segment each (no merge), faster on two cores, but
documents are then not numbered in article order, and documents of equal score may rank in
another order after the next rebuild. Documents come from the same `article_document` as single
updates, so both paths index the same thing."""

from __future__ import annotations

import resource
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.db.models import Max, QuerySet

from articles.models import Article, IndexTask
from articles.search.contract import get_backend
from articles.search.sync.lock import index_write_lock
from articles.search.sync.preanalysis import AnalysisCache, PreAnalyser
from articles.search.sync.worker import pending_count, process_pending
from articles.search.whoosh.backend import NewsWhooshBackend, to_whoosh
from articles.search_indexes import ArticleIndex, indexable_articles, whoosh_id


def cpu_seconds(*, children: bool = True) -> float:
    """CPU time of this process and (`children`) of its finished children (the analysing and
    writing processes)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    total = own.ru_utime + own.ru_stime
    if children:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        total += usage.ru_utime + usage.ru_stime
    return total


@dataclass
class BulkReport:
    indexed: int = 0
    removed: int = 0
    seconds: float = 0.0
    procs: int = 1
    cpu: float = 0.0  # CPU seconds, all processes: the rate a machine with spare cores gets
    cpu_main: float = 0.0  # CPU seconds of this process alone
    deleted_share: float | None = None  # deleted documents / all documents, after the run
    cache_hits: int | None = None  # field values whose analysis came from the cache
    cache_misses: int = 0

    @property
    def rate(self) -> float:
        return self.indexed / self.seconds if self.seconds else 0.0

    def __str__(self) -> str:
        per_cpu = self.indexed / self.cpu if self.cpu else 0.0
        return (
            f"{self.indexed} articles indexed, {self.removed} removed in {self.seconds:.1f}s "
            f"({self.rate:.0f} articles/s, {self.procs} process(es), "
            f"{self.cpu:.1f} CPU s = {per_cpu:.0f} articles per CPU second, "
            f"{self.cpu_main:.1f} of them in the main process)"
            + (
                f"; deleted documents left in the index: {self.deleted_share:.1%}"
                if self.deleted_share is not None
                else ""
            )
            + (
                f"; analysis cache: {self.cache_hits} hits, {self.cache_misses} misses"
                if self.cache_hits is not None
                else ""
            )
        )


Progress = Callable[[Iterable[Article], int], Iterable[Article]]


def _documents(queryset: QuerySet[Article], chunk_size: int):
    index = ArticleIndex()
    for article in queryset.iterator(chunk_size=chunk_size):
        yield to_whoosh(index.full_prepare(article))


@contextmanager
def _prepared(
    backend, queryset: QuerySet[Article], chunk_size: int, procs: int, cache: AnalysisCache | None
) -> Iterator[Iterable[dict]]:
    """The documents to write: text fields pre-analysed for Whoosh, plain for Solr."""
    documents = _documents(queryset, chunk_size)
    if not isinstance(backend, NewsWhooshBackend):
        yield documents
        return
    with PreAnalyser(backend.schema, procs=procs, cache=cache) as analyser:
        yield analyser.documents(documents)


@contextmanager
def _written(writer, cache: AnalysisCache | None, report: BulkReport) -> Iterator[None]:
    """The writer cancelled if the work fails; the analysis cache's counts reported, it closed."""
    try:
        yield
    except BaseException:
        writer.cancel()
        raise
    finally:
        if cache:
            report.cache_hits, report.cache_misses = cache.hits, cache.misses
            cache.close()


def analysis_cache_folder(backend: NewsWhooshBackend) -> Path:
    """Beside the index folder (`DATA_DIR/analysis_cache` for the default index)."""
    return Path(backend.path).resolve().parent / "analysis_cache"


def rebuild(
    *,
    procs: int = 2,
    limitmb: int = 1024,
    chunk_size: int = 1000,
    progress: Progress | None = None,
    backend: NewsWhooshBackend | None = None,
    analysis_cache: bool = True,
    writers: int = 1,
) -> BulkReport:
    """Replace the index with every published article.

    `procs` analysing processes (0 or 1: analysis in this process), the analysis cached
    unless `analysis_cache` is False; `writers` 1: the writer in this process, one segment;
    more: that many writing processes, one segment each.
    """
    backend = backend or get_backend()
    report = BulkReport(procs=procs)
    started, cpu_started = time.perf_counter(), cpu_seconds()
    main_started = cpu_seconds(children=False)
    with index_write_lock(backend.path, timeout=backend.lock_timeout):
        # Tasks queued so far are covered by this rebuild, which reads the database after them.
        covered = IndexTask.objects.aggregate(last=Max("pk"))["last"]
        queryset = indexable_articles()
        total = queryset.count()
        whoosh = isinstance(backend, NewsWhooshBackend)  # Solr analyses on its side
        if writers > 1 and whoosh:
            # Writing processes open the index with its stored schema: store ours first.
            backend.ensure_stored_schema()
            writer = backend.open_writer(
                procs=writers,
                limitmb=max(16, limitmb // writers),
                multisegment=True,
                # Batches small enough that every writer gets some of a small archive.
                batchsize=max(1, min(256, total // (8 * writers))),
            )
        else:
            writer = backend.open_writer(limitmb=limitmb)
        cache = AnalysisCache(analysis_cache_folder(backend)) if analysis_cache and whoosh else None
        workers = procs if procs > 1 else 0
        with _written(writer, cache, report):
            with _prepared(backend, queryset, chunk_size, workers, cache) as documents:
                if progress:
                    documents = progress(documents, total)
                for document in documents:
                    writer.add_document(**document)
                    report.indexed += 1
        backend.commit_replacing(writer)
        if covered is not None:
            IndexTask.objects.filter(pk__lte=covered, attempts=0).delete()
        # Changes made while the rebuild ran wait in the queue: apply them now.
        process_pending()
    report.seconds = time.perf_counter() - started
    report.cpu = cpu_seconds() - cpu_started
    report.cpu_main = cpu_seconds(children=False) - main_started
    return report


def update(
    *,
    since: datetime | None = None,
    remove: bool = False,
    chunk_size: int = 1000,
    limitmb: int = 256,
    progress: Progress | None = None,
    backend: NewsWhooshBackend | None = None,
    optimize: bool | None = None,
    procs: int = 2,
    analysis_cache: bool = True,
) -> BulkReport:
    """(Re)index published articles changed since `since` (all of them without it).

    With `remove`, documents of articles that are no longer published are deleted too. The
    segments are merged into one (`optimize`) when the update replaced more than a tenth of
    the index; the report says what share of the documents are deleted copies afterwards.
    """
    backend = backend or get_backend()
    report = BulkReport()
    started = time.perf_counter()
    queryset = indexable_articles()
    if since is not None:
        queryset = queryset.filter(updated_at__gte=since)
    with index_write_lock(backend.path, timeout=backend.lock_timeout):
        writer = backend.open_writer(limitmb=limitmb)
        before = writer.doc_count()
        total = queryset.count()
        whoosh = isinstance(backend, NewsWhooshBackend)
        cache = AnalysisCache(analysis_cache_folder(backend)) if analysis_cache and whoosh else None
        with _written(writer, cache, report):
            # Analysis in worker processes (cached) as for a rebuild, when there is enough.
            workers = procs if total >= 200 and procs > 1 else 0
            with (
                _prepared(backend, queryset, chunk_size, workers, cache) as documents,
                writer.searcher() if whoosh else nullcontext() as searcher,
            ):
                if progress:
                    documents = progress(documents, total)
                for document in documents:
                    if searcher is None:
                        writer.update_document(**document)
                    else:
                        # One searcher finds every replaced document (`update_document`
                        # opens one per document).
                        writer.delete_by_term("id", document["id"], searcher=searcher)
                        writer.add_document(**document)
                    report.indexed += 1
            if remove:
                published = set(Article.objects.published().values_list("pk", flat=True))
                for article_id in backend.stored_versions():
                    if article_id not in published:
                        writer.delete_by_term("id", whoosh_id(article_id))
                        report.removed += 1
        # Each replaced document leaves a deleted copy behind, which keeps its words in the
        # term list (and in spelling suggestions) until its segment is merged: after a bulk
        # update, merge everything into one segment.
        if optimize is None:
            optimize = report.indexed + report.removed > max(before, 1) // 10
        writer.commit(optimize=optimize)
        # Changes committed while this ran (hides included) wait in the queue: apply them
        # before letting the lock go, so the index catches up without anyone's help.
        process_pending()
    report.deleted_share = backend.deleted_share()
    report.seconds = time.perf_counter() - started
    return report


def clear(*, backend: NewsWhooshBackend | None = None) -> None:
    (backend or get_backend()).clear()


@dataclass
class DriftReport:
    published: int = 0
    indexed: int = 0
    missing: list[int] | None = None  # published, not in the index
    extra: list[int] | None = None  # in the index, not published
    stale: list[int] | None = None  # indexed from an older version of the article
    pending_tasks: int = 0
    repaired: int = 0
    tasks_cleared: int = 0  # queued tasks the repair made redundant (failed ones included)

    @property
    def drift(self) -> int:
        return len(self.missing or []) + len(self.extra or []) + len(self.stale or [])


def check(
    *, repair: bool = False, deep: bool = False, backend: NewsWhooshBackend | None = None
) -> DriftReport:
    """Compare published articles (and their `updated_at`) with the indexed documents.

    `deep` also rebuilds every document in memory and compares its signature with the
    indexed one, which finds changes to tags, entities or sources that left `updated_at`
    alone. With `repair`, missing and stale articles are (re)indexed and extra documents
    deleted, all under the writer lock, then the comparison is made again.
    """
    backend = backend or get_backend()
    report = _compare(backend, deep)
    if repair:
        with index_write_lock(backend.path, timeout=backend.lock_timeout):
            # Apply the queue first; what it cannot apply, the repair below covers, since it
            # reads the database after every task queued so far.
            process_pending()
            covered = IndexTask.objects.aggregate(last=Max("pk"))["last"]
            report = _compare(backend, deep)
            ids = [*report.missing, *report.stale]
            index = ArticleIndex()
            for start in range(0, max(len(ids), 1) if report.drift else 0, 1000):
                chunk = indexable_articles().filter(pk__in=ids[start : start + 1000])
                deletes = [whoosh_id(pk) for pk in report.extra] if start == 0 else []
                backend.apply((index.full_prepare(a) for a in chunk), deletes)
            repaired = report.drift
            report = _compare(backend, deep)
            report.repaired = repaired
            if covered is not None and not report.drift:
                report.tasks_cleared = IndexTask.objects.filter(pk__lte=covered).delete()[0]
    report.pending_tasks = pending_count()
    return report


def _compare(backend: NewsWhooshBackend, deep: bool = False) -> DriftReport:
    database = dict(Article.objects.published().values_list("pk", "updated_at"))
    indexed = backend.stored_versions()
    stale = {pk for pk in set(database) & set(indexed) if indexed[pk] != database[pk]}
    if deep:
        signatures = backend.stored_signatures()
        index = ArticleIndex()
        for article in indexable_articles().iterator(chunk_size=1000):
            if article.pk in indexed and article.pk not in stale:
                if index.full_prepare(article)["signature"] != signatures.get(article.pk):
                    stale.add(article.pk)
    return DriftReport(
        published=len(database),
        indexed=len(indexed),
        missing=sorted(set(database) - set(indexed)),
        extra=sorted(set(indexed) - set(database)),
        stale=sorted(stale),
    )
