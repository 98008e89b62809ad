"""Which source a record belongs to: named on the command line, or by the record itself."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.db.models import Q

from articles.models import Source
from articles.services import free_slug, unique_slug

from .records import ParsedArticle

_PERSIAN_SCRIPT = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")
_LATIN = re.compile(r"[A-Za-z]")
UNKNOWN_SOURCE = "Unknown source"


class SourceResolver:
    """Finds sources by slug or name and creates missing ones, caching every answer."""

    def __init__(self, *, create: bool = True) -> None:
        self.create = create
        self._cache: dict[str, Source] = {}
        self._created: list[int] = []

    def for_record(self, record: ParsedArticle) -> Source:
        name = (record.source_name or "").strip() or _host(record.url) or UNKNOWN_SOURCE
        return self.resolve(name, language=record.language or "")

    def resolve(self, value: str, *, language: str) -> Source:
        value = " ".join(value.split())[:200]
        cached = self._cache.get(value)
        if cached is not None:
            return cached
        source = (
            Source.objects.filter(slug=value).first()
            or Source.objects.filter(Q(name_en__iexact=value) | Q(name_fa=value)).first()
            or Source.objects.filter(slug=unique_slug(value)).first()
        )
        if source is None:
            source = self._new(value, language)
        self._cache[value] = source
        return source

    def _new(self, name: str, language: str) -> Source:
        persian_only = bool(_PERSIAN_SCRIPT.search(name)) and not _LATIN.search(name)
        default = language if language in ("fa", "en") else ("fa" if persian_only else "en")
        source = Source(
            name_en="" if persian_only else name,
            name_fa=name if persian_only else "",
            slug=free_slug(Source, unique_slug(name, max_length=110)),
            default_language=default,
        )
        if self.create:
            source.full_clean()
            source.save()
            self._created.append(source.pk)
        return source

    def discard_unused(self) -> int:
        """Delete the sources this run created that got no article (a record that turned out
        to be a copy of an article already filed under another source); returns how many."""
        if not self._created:
            return 0
        unused = Source.objects.filter(pk__in=self._created, articles__isnull=True)
        ids = set(unused.values_list("pk", flat=True))
        if ids:
            Source.objects.filter(pk__in=ids).delete()
            self._cache = {k: v for k, v in self._cache.items() if v.pk not in ids}
        self._created = []
        return len(ids)


def _host(url: str) -> str:
    try:
        host = urlsplit(url or "").hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")
