"""Finding the existing article a record stands for, for a whole batch in a few queries.

Identity, in order: the URL (original or canonical), the input's own id (dump id, feed GUID)
within its source, else the content hash within its source.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import Protocol

from articles.models import Article, Source

from .errors import ParseError
from .records import ParsedArticle

EXISTING_FIELDS = [
    "pk",
    "source_id",
    "content_hash",
    "summary",
    "published_at",
    "published_precision",
    "byline",
    "original_url",
    "canonical_url",
    "external_id",
    "counterpart_ref",
    "provenance_format",
]
# How much a kind of input is trusted for an article's text: a structured dump over a page,
# a page over a feed item, any of them over scraped text. A copy from a kind ranked no higher
# than the one an article came from does not overwrite it, so the JSON Lines and HTML copies
# of one article no longer replace each other on every re-import.
FORMAT_RANK = {"jsonl": 3, "html": 2, "feed+page": 2, "feed": 1, "text": 0}
CHUNK = 500  # SQL parameters per IN (...) lookup

Key = tuple
_SPACE = re.compile(r"\s")


def clean_url(value: str | None) -> str:
    """The URL if it can serve as an identity (absolute http(s), no spaces), else ""."""
    value = (value or "").strip()
    if not value.lower().startswith(("http://", "https://")) or len(value) > 1000:
        return ""
    if _SPACE.search(value):
        return ""
    return value


class _Keyed(Protocol):
    article: Article
    urls: list[str]


def identity_keys(article: Article, urls: list[str]) -> list[Key]:
    source_id = article.source.pk
    keys: list[Key] = [("url", url) for url in urls]
    if article.external_id:
        keys.append(("id", source_id, article.external_id))
    if not keys:
        keys.append(("hash", source_id, article.content_hash))
    return keys


class ExistingArticles:
    """The existing articles behind every identity key of a batch."""

    def __init__(self, items: Sequence[_Keyed]) -> None:
        self.by_url: dict[str, Article] = {}
        self.by_id: dict[Key, Article] = {}
        self.by_hash: dict[Key, Article] = {}
        urls = {url for item in items for url in item.urls}
        canonical = {item.article.canonical_url for item in items if item.article.canonical_url}
        ids: dict[int, set[str]] = {}
        for item in items:
            if item.article.external_id and item.article.source.pk:
                ids.setdefault(item.article.source.pk, set()).add(item.article.external_id)
        hashes = {item.article.content_hash for item in items if not item.urls}
        base = Article.objects.only(*EXISTING_FIELDS).order_by("pk")
        for chunk in chunks(urls):
            # `exclude("")` repeats the partial index's condition, so SQLite uses the index.
            for article in base.filter(original_url__in=chunk).exclude(original_url=""):
                self.by_url.setdefault(article.original_url, article)
        for chunk in chunks(canonical):  # only pages carry one, so this scan stays rare
            for article in base.filter(canonical_url__in=chunk):
                self.by_url.setdefault(article.canonical_url, article)
        for source_id, source_ids in ids.items():
            for chunk in chunks(source_ids):
                query = base.filter(source_id=source_id, external_id__in=chunk)
                for article in query.exclude(external_id=""):
                    self.by_id.setdefault((source_id, article.external_id), article)
        for chunk in chunks(hashes):
            for article in base.filter(content_hash__in=chunk):
                self.by_hash.setdefault((article.source_id, article.content_hash), article)

    def match(self, keys: list[Key], article: Article) -> Article | None:
        for key in keys:
            if key[0] == "url" and key[1] in self.by_url:
                found = self.by_url[key[1]]
                if not other_record(found.source_id, found.external_id, article):
                    return found
            if key[0] == "id" and key[1:] in self.by_id:
                return self.by_id[key[1:]]
            if key[0] == "hash" and key[1:] in self.by_hash:
                return self.by_hash[key[1:]]
        return None


def other_record(source_id: int | None, external_id: str, article: Article) -> bool:
    """Whether an article found by URL is another record of the same dump (its own id):
    dumps repeat a URL under two ids now and then, and the two must not overwrite each
    other on every run."""
    return bool(
        external_id
        and article.external_id
        and external_id != article.external_id
        and source_id == article.source.pk
    )


def stored_hashes(
    batch: Sequence[ParsedArticle | ParseError], source_of: Callable[[ParsedArticle], Source]
) -> list[str | None]:
    """Per record, the content hash of the article its URL or id already names, if any:
    a re-imported record whose text has not changed needs no signature and no tags."""
    urls: set[str] = set()
    ids: dict[int, set[str]] = {}
    keys: list[tuple[str, tuple | None]] = []
    for record in batch:
        if isinstance(record, ParseError):
            keys.append(("", None))
            continue
        url = clean_url(record.url)
        source_id = source_of(record).pk
        identity = (record.identity or "").strip()[:500]
        if url:
            urls.add(url)
        if identity and source_id:
            ids.setdefault(source_id, set()).add(identity)
        keys.append((url, (source_id, identity) if identity else None))
    by_url: dict[str, str] = {}
    by_id: dict[tuple, str] = {}
    for chunk in chunks(urls):
        query = Article.objects.filter(original_url__in=chunk).exclude(original_url="")
        by_url.update(query.values_list("original_url", "content_hash"))
    for source_id, values in ids.items():
        for chunk in chunks(values):
            query = Article.objects.filter(source_id=source_id, external_id__in=chunk)
            for external_id, digest in query.exclude(external_id="").values_list(
                "external_id", "content_hash"
            ):
                by_id[(source_id, external_id)] = digest
    return [by_id.get(key) or by_url.get(url) if key else by_url.get(url) for url, key in keys]


def chunks(values: set[str]) -> Iterator[list[str]]:
    ordered = sorted(values)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def is_unchanged(existing: Article, article: Article) -> bool:
    gains_identity = (
        (article.original_url and not existing.original_url)
        or (article.canonical_url and article.canonical_url != existing.canonical_url)
        or (article.external_id and not existing.external_id)
        or (article.counterpart_ref and article.counterpart_ref != existing.counterpart_ref)
    )
    return (
        not gains_identity
        and existing.content_hash == article.content_hash
        and existing.summary == article.summary
        and existing.byline == article.byline
        and existing.published_at == article.published_at
        and existing.published_precision == article.published_precision
    )


def outranked(existing: Article, article: Article) -> bool:
    """Whether ``article`` is another kind of copy that may not replace ``existing``."""
    old, new = existing.provenance_format, article.provenance_format
    if not old or not new or old == new:
        return False
    return FORMAT_RANK.get(new, 0) <= FORMAT_RANK.get(old, 0)


def carry_identity(existing: Article, article: Article) -> None:
    """An update keeps the identity the article already had and fills in what it lacked."""
    article.pk = existing.pk
    article.original_url = existing.original_url or article.original_url
    article.canonical_url = article.canonical_url or existing.canonical_url
    article.external_id = existing.external_id or article.external_id
    article.counterpart_ref = article.counterpart_ref or existing.counterpart_ref
