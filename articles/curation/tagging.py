"""Automatic entity tagging: every alias of every entity, matched at once.

One Aho–Corasick automaton holds all normalised aliases, so the cost of tagging an article
grows with its length and the number of matches, not with the size of the gazetteer. Text
and aliases go through the same `articles.text.normalize` the search uses (Persian letter
folds, ZWNJ, case folding), so a spelling variant of an alias matches where the search would
find it. Matches count only on whole words, and where aliases overlap the leftmost, then
longest, wins ("al-Qaeda in the Indian Subcontinent" is one mention of AQIS, not also one of
al-Qaeda).

Automatic tags (`origin=auto`) are created, updated and removed here; manual tags are a
curator's and never touched.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import ahocorasick
from django.db import transaction
from django.db.models import QuerySet

from articles.models import Article, ArticleEntity, Entity, EntityAlias
from articles.search.sync.queue import enqueue_articles
from articles.text import normalize
from articles.text.aliases import match_key


def _alias_variants(normalized: str) -> set[str]:
    key = match_key(normalized)
    variants = {key} if key else set()
    if "\u200c" in normalized:  # also typed with no separator at all: "طالبانها"
        joined = match_key(normalized.replace("\u200c", ""))
        if joined:
            variants.add(joined)
    return variants


def _is_word_char(ch: str) -> bool:
    # Letters, digits and combining marks continue a word; ZWNJ joins a Persian word to
    # its suffix but the alias is still a whole word before it ("طالبان‌ها").
    return ch.isalnum() or ch == "_" or unicodedata.category(ch).startswith("M")


class AliasMatcher:
    """Leftmost-longest, whole-word matching of normalised aliases in normalised text."""

    def __init__(self, aliases: Iterable[tuple[str, int]]) -> None:
        self.pairs = list(aliases)  # kept so worker processes can build the same matcher
        by_alias: dict[str, set[int]] = defaultdict(set)
        for alias, entity_id in self.pairs:
            for variant in _alias_variants(alias or ""):
                by_alias[variant].add(entity_id)
        self.alias_count = len(by_alias)
        self._automaton = ahocorasick.Automaton()
        for alias, entity_ids in by_alias.items():
            self._automaton.add_word(alias, (len(alias), tuple(sorted(entity_ids))))
        if by_alias:
            self._automaton.make_automaton()

    def __bool__(self) -> bool:
        return self.alias_count > 0

    def count_normalized(self, text: str) -> Counter[int]:
        """Mentions per entity id in text already in `match_key` form."""
        counts: Counter[int] = Counter()
        if not self.alias_count or not text:
            return counts
        candidates: list[tuple[int, int, tuple[int, ...]]] = []
        limit = len(text)
        for end, (length, entity_ids) in self._automaton.iter(text):
            start = end - length + 1
            if start > 0 and _is_word_char(text[start - 1]):
                continue
            if end + 1 < limit and _is_word_char(text[end + 1]):
                continue
            candidates.append((start, -length, entity_ids))
        candidates.sort()
        taken_until = 0
        for start, negative_length, entity_ids in candidates:
            if start < taken_until:
                continue  # inside a longer alias that started at or before it
            taken_until = start - negative_length
            for entity_id in entity_ids:
                counts[entity_id] += 1
        return counts

    def count(self, text: str) -> Counter[int]:
        return self.count_normalized(match_key(normalize(text or "")))

    def count_article(self, article: Article) -> Counter[int]:
        return self.count(f"{article.title}\n{article.body_text}")


def build_matcher() -> AliasMatcher:
    """The matcher over every alias and entity name in the database (built once per run)."""
    pairs: list[tuple[str, int]] = list(
        EntityAlias.objects.values_list("normalized", "entity_id").iterator(chunk_size=5000)
    )
    for entity_id, name_en, name_fa in Entity.objects.values_list("pk", "name_en", "name_fa"):
        for name in (name_en, name_fa):
            if name:
                pairs.append((normalize(name), entity_id))
    return AliasMatcher(pairs)


@dataclass
class TagReport:
    articles: int = 0
    tagged: int = 0  # articles that carry at least one automatic tag afterwards
    added: int = 0
    updated: int = 0
    removed: int = 0

    @property
    def changed(self) -> int:
        return self.added + self.updated + self.removed

    def merge(self, other: TagReport) -> None:
        self.articles += other.articles
        self.tagged += other.tagged
        self.added += other.added
        self.updated += other.updated
        self.removed += other.removed

    def lines(self) -> list[str]:
        return [
            f"articles tagged: {self.tagged} of {self.articles}",
            f"automatic tags added: {self.added}, updated: {self.updated}, removed: {self.removed}",
        ]


def apply_auto_tags(
    found: Mapping[int, Counter[int]], *, enqueue: bool = True
) -> tuple[TagReport, set[int]]:
    """Make the automatic tags of these articles exactly `found` (article id -> mentions).

    Manual tags are left as they are, and an entity tagged by hand gets no automatic tag
    beside it. Returns the report and the ids of the articles whose tags changed (their
    index entries are queued unless `enqueue` is false).
    """
    report = TagReport(articles=len(found))
    changed: set[int] = set()
    if not found:
        return report, changed
    existing: dict[int, dict[int, ArticleEntity]] = defaultdict(dict)
    article_ids = list(found)
    for start in range(0, len(article_ids), 900):
        chunk = article_ids[start : start + 900]
        for tag in ArticleEntity.objects.filter(article_id__in=chunk):
            existing[tag.article_id][tag.entity_id] = tag
    to_create: list[ArticleEntity] = []
    to_update: list[ArticleEntity] = []
    to_delete: list[int] = []
    for article_id, counts in found.items():
        current = existing.get(article_id, {})
        auto_left = False
        for entity_id, mentions in counts.items():
            tag = current.get(entity_id)
            if tag is None:
                to_create.append(
                    ArticleEntity(
                        article_id=article_id,
                        entity_id=entity_id,
                        mentions=mentions,
                        origin=ArticleEntity.Origin.AUTO,
                    )
                )
                changed.add(article_id)
                auto_left = True
            elif tag.origin == ArticleEntity.Origin.AUTO:
                auto_left = True
                if tag.mentions != mentions:
                    tag.mentions = mentions
                    to_update.append(tag)
                    changed.add(article_id)
        for entity_id, tag in current.items():
            if tag.origin == ArticleEntity.Origin.AUTO and entity_id not in counts:
                to_delete.append(tag.pk)
                changed.add(article_id)
        report.tagged += auto_left
    with transaction.atomic():
        ArticleEntity.objects.bulk_create(to_create, batch_size=500)
        ArticleEntity.objects.bulk_update(to_update, ["mentions"], batch_size=500)
        for start in range(0, len(to_delete), 900):
            ArticleEntity.objects.filter(pk__in=to_delete[start : start + 900]).delete()
        if enqueue and changed:
            enqueue_articles(sorted(changed))
    report.added, report.updated, report.removed = len(to_create), len(to_update), len(to_delete)
    return report, changed


def tag_articles(
    articles: QuerySet[Article],
    *,
    matcher: AliasMatcher | None = None,
    batch_size: int = 500,
    enqueue: bool = True,
    progress: Callable[[int], None] | None = None,
) -> TagReport:
    """Re-tag `articles` against the current gazetteer, one batch per transaction."""
    matcher = matcher if matcher is not None else build_matcher()
    report = TagReport()
    batch: dict[int, Counter[int]] = {}
    rows = articles.order_by("pk").values_list("pk", "title", "body_text")
    for pk, title, body_text in rows.iterator(chunk_size=batch_size):
        batch[pk] = matcher.count(f"{title}\n{body_text}")
        if len(batch) >= batch_size:
            report.merge(apply_auto_tags(batch, enqueue=enqueue)[0])
            if progress:
                progress(len(batch))
            batch = {}
    if batch:
        report.merge(apply_auto_tags(batch, enqueue=enqueue)[0])
        if progress:
            progress(len(batch))
    return report
