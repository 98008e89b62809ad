"""The CPU-bound half of loading a record, kept free of database access so it can run in
worker processes: the sanitised body and its hash (`services.article_prepare`), the
near-duplicate signature and the entity mentions.

On a 2-core machine the MinHash signature and the sanitiser cost more than the database
writes, so a big import prepares batches in a small process pool while the main process
parses the input and writes the previous batch. Small imports never start the pool.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from articles.curation.tagging import AliasMatcher
from articles.models import Article
from articles.services import article_prepare

from . import neardup
from .errors import ParseError
from .records import ParsedArticle

MIN_WORDS = 10  # shorter bodies share too few shingles for a meaningful signature


@dataclass
class Prepared:
    title: str = ""
    slug: str = ""
    summary: str = ""
    body_html: str = ""
    body_text: str = ""
    content_hash: str = ""
    signature: bytes | None = None
    tags: Counter[int] | None = None
    error: str = ""
    # The stored article already has this text: signature and tags were not computed,
    # since an unchanged article needs neither (the loader fills them in if it does).
    reused: bool = False


def signature_for(text: str) -> bytes | None:
    if len(text.split(None, MIN_WORDS)) < MIN_WORDS:
        return None
    return neardup.signature(text)


def prepare_record(
    record: ParsedArticle,
    *,
    matcher: AliasMatcher | None,
    signature: bool,
    stored_hash: str | None = None,
) -> Prepared:
    article = Article(title=(record.title or "")[:500], summary=record.summary or "")
    if record.body_html:
        article_prepare(article, body_html=record.body_html)
    else:
        article_prepare(article, body_text=record.body_text or "")
    if not article.title:
        return Prepared(error="missing title")
    if not article.body_text:
        return Prepared(error="no article text left after cleaning")
    prepared = Prepared(
        title=article.title[:500],
        slug=article.slug[:200],
        summary=article.summary,
        body_html=article.body_html,
        body_text=article.body_text,
        content_hash=article.content_hash,
    )
    if stored_hash is not None and stored_hash == article.content_hash:
        prepared.reused = True
        return prepared
    if signature:
        prepared.signature = signature_for(article.body_text)
    if matcher is not None:
        prepared.tags = matcher.count_article(article)
    return prepared


Batch = list[ParsedArticle | ParseError]
Hints = list[str | None]  # per record: the content hash of the article it already is, if known

_worker: dict = {}


def _init_worker(alias_pairs: list[tuple[str, int]] | None, signature: bool) -> None:
    _worker["matcher"] = AliasMatcher(alias_pairs) if alias_pairs is not None else None
    _worker["signature"] = signature


def _prepare_batch(batch: Batch, hints: Hints) -> list[Prepared | None]:
    return _prepare_all(batch, hints, _worker["matcher"], _worker["signature"])


def _prepare_all(
    batch: Batch, hints: Hints, matcher: AliasMatcher | None, signature: bool
) -> list[Prepared | None]:
    return [
        None
        if isinstance(record, ParseError)
        else prepare_record(record, matcher=matcher, signature=signature, stored_hash=hint)
        for record, hint in zip(batch, hints, strict=True)
    ]


class Preparer:
    """Pairs each batch with its prepared records, in order, in or out of process."""

    def __init__(self, *, matcher: AliasMatcher | None, signature: bool, workers: int) -> None:
        self.matcher = matcher
        self.signature = signature
        self.workers = workers if workers > 0 else min(2, os.cpu_count() or 1)

    def run(
        self, batches: Iterable[tuple[Batch, Hints]], batch_size: int
    ) -> Iterator[tuple[Batch, list]]:
        batches = iter(batches)
        first = next(batches, None)
        if first is None:
            return
        if self.workers < 2 or len(first[0]) < batch_size:  # one small input: no pool
            for batch, hints in _prepend(first, batches):
                yield batch, _prepare_all(batch, hints, self.matcher, self.signature)
            return
        yield from self._pooled(first, batches)

    def _pooled(
        self, first: tuple[Batch, Hints], rest: Iterator[tuple[Batch, Hints]]
    ) -> Iterator[tuple[Batch, list]]:
        pairs = self.matcher.pairs if self.matcher is not None else None
        context = multiprocessing.get_context("fork")
        with context.Pool(
            self.workers, initializer=_init_worker, initargs=(pairs, self.signature)
        ) as pool:
            window: deque = deque()
            for batch, hints in _prepend(first, rest):
                window.append((batch, pool.apply_async(_prepare_batch, (batch, hints))))
                if len(window) > self.workers:
                    batch, result = window.popleft()
                    yield batch, result.get()
            while window:
                batch, result = window.popleft()
                yield batch, result.get()


def _prepend(first, rest):
    yield first
    yield from rest
