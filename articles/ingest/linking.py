"""Links an import makes between articles: near-duplicates across sources, language pairs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Protocol

from django.db.models import Q

from articles.models import Article
from articles.services import articles_link_counterparts

from . import neardup

_CHUNK = 500


class _HasArticle(Protocol):
    article: Article


class DuplicateFinder:
    """Finds, for new articles, the same story already archived from another source.

    An identical content hash counts as a duplicate (score 1.0); otherwise the MinHash
    index answers. The index is filled from the stored signatures only when a batch first
    has new articles, so a re-import that changes nothing never pays for it. Only articles
    that are not themselves duplicates are indexed, so links point at the first copy.
    """

    def __init__(self, *, since: datetime | None = None) -> None:
        self.index: neardup.NearDupIndex | None = None
        self.source_of: dict[str, int] = {}
        # Only articles added since then are compared (the harvester's window: its memory
        # then follows the recent volume, not the size of the archive).
        self.since = since

    def _build(self) -> neardup.NearDupIndex:
        index = neardup.NearDupIndex()
        rows = Article.objects.filter(duplicate_of__isnull=True).exclude(neardup_signature=None)
        if self.since is not None:
            rows = rows.filter(created_at__gte=self.since)
        rows = rows.values_list("pk", "source_id", "neardup_signature")
        for pk, source_id, sig in rows.iterator(chunk_size=2000):
            index.add(str(pk), bytes(sig))
            self.source_of[str(pk)] = source_id
        return index

    def find(self, *, new_items: Sequence[_HasArticle]) -> None:
        if self.index is None:
            self.index = self._build()
        by_hash: dict[str, list[tuple[int, int, int | None]]] = {}
        hashes = sorted({item.article.content_hash for item in new_items})
        for start in range(0, len(hashes), _CHUNK):
            rows = Article.objects.filter(content_hash__in=hashes[start : start + _CHUNK])
            for pk, source_id, digest, original in rows.order_by("pk").values_list(
                "pk", "source_id", "content_hash", "duplicate_of_id"
            ):
                by_hash.setdefault(digest, []).append((pk, source_id, original))
        for item in new_items:
            article = item.article  # its signature was computed with the body (prepare.py)
            for pk, source_id, original in by_hash.get(article.content_hash, []):
                if source_id != article.source.pk:
                    article.duplicate_of_id, article.duplicate_score = original or pk, 1.0
                    break
            else:
                self._near(article)

    def _near(self, article: Article) -> None:
        if article.neardup_signature is None or not len(self.index):
            return
        for key, score in self.index.query(article.neardup_signature):
            if self.source_of.get(key) != article.source.pk:
                article.duplicate_of_id, article.duplicate_score = int(key), round(score, 4)
                return

    def remember(self, new_items: Iterable[_HasArticle]) -> None:
        """Index the saved new articles, so later ones in the same run can match them."""
        if self.index is None:
            return  # built from the database when first needed, these included
        for item in new_items:
            article = item.article
            if article.neardup_signature is not None and article.duplicate_of_id is None:
                self.index.add(str(article.pk), article.neardup_signature)
                self.source_of[str(article.pk)] = article.source.pk


def link_pending_counterparts(*, created_ids: list[int], created_refs: list[str]) -> int:
    """Pair articles with the other-language version their input named, once both exist.

    Looks at the articles created in this run that name a counterpart, and at older ones
    still waiting for an article created in this run. Pairs that already exist, or that a
    curator changed, are left alone: only articles without a counterpart are linked.
    """
    waiting: dict[int, Article] = {}
    fields = ("pk", "language", "counterpart_id", "counterpart_ref")
    for start in range(0, len(created_ids), _CHUNK):
        chunk = created_ids[start : start + _CHUNK]
        for article in (
            Article.objects.filter(pk__in=chunk).exclude(counterpart_ref="").only(*fields)
        ):
            waiting[article.pk] = article
    if created_refs:
        refs = set(created_refs)
        older = Article.objects.filter(counterpart__isnull=True).exclude(counterpart_ref="")
        for article in older.only(*fields):
            if article.counterpart_ref in refs:
                waiting.setdefault(article.pk, article)
    waiting = {pk: a for pk, a in waiting.items() if a.counterpart_id is None}
    if not waiting:
        return 0
    targets = _articles_named_by({a.counterpart_ref for a in waiting.values()})
    linked = 0
    for pk in sorted(waiting):
        article = waiting[pk]
        if article.counterpart_id is not None:
            continue
        candidates = targets.get(article.counterpart_ref, [])
        target = next(
            (t for t in candidates if t.language != article.language and t.pk != pk), None
        )
        if target is None or target.counterpart_id is not None:
            continue
        articles_link_counterparts(article, target)
        if target.pk in waiting:
            waiting[target.pk].counterpart_id = pk
        linked += 1
    return linked


def _articles_named_by(refs: set[str]) -> dict[str, list[Article]]:
    found: dict[str, list[Article]] = {}
    fields = ("pk", "language", "counterpart_id", "original_url", "canonical_url", "external_id")
    values = sorted(refs)
    for start in range(0, len(values), _CHUNK):
        chunk = values[start : start + _CHUNK]
        query = Article.objects.filter(
            Q(original_url__in=chunk) | Q(canonical_url__in=chunk) | Q(external_id__in=chunk)
        )
        for article in query.only(*fields).order_by("pk"):
            for ref in {article.original_url, article.canonical_url, article.external_id}:
                if ref in refs:
                    found.setdefault(ref, []).append(article)
    return found
