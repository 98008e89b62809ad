"""Which sources a typed name means: `source:` in a query and the `source` URL parameter.

A source is found by its slug, its English or Persian name, or its web domain (`farsnews.ir`,
`www.farsnews.ir`, `https://farsnews.ir/`, `farsnews`), case- and variant-folded with the
archive's normalisation (Arabic/Persian letter variants, ZWNJ, spaces and hyphens don't
matter: `Fars News Agency`, `fars-news-agency`, `خبرگزاری فارس`, `خبرگزاري فارس`). When
nothing matches whole, the words typed are looked for as whole words inside the names
(`fars`, `فارس`, `BBC`): every source so named is taken and the notice lists them. A name that
matches no source is said so, with the closest names, never silently counted as 0.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from articles.models import Source
from articles.search.notices import Notice
from articles.search.query.nodes import Part
from articles.text import normalize

NO_SOURCE = "\x00no-such-source"  # a filter value no document holds
_SEPARATORS = re.compile(r"[\s\u200c\u200d\-_.'’/]+")


def _fold(text: str) -> str:
    return normalize(str(text or "")).strip()


def _words(text: str) -> list[str]:
    return [word for word in _SEPARATORS.split(_fold(text)) if word]


def _compact(text: str) -> str:
    return "".join(_words(text))


def _domain(url: str) -> str:
    text = str(url or "").strip().lower()
    if not text:
        return ""
    try:
        host = urlsplit(text if "//" in text else f"//{text}").hostname or ""
    except ValueError:  # typed text that is no URL ("[", a bad port): no domain
        return ""
    return host.removeprefix("www.")


@dataclass
class Resolution:
    slugs: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)


class SourceDirectory:
    """Every source's keys, read in one query."""

    def __init__(self, rows) -> None:
        self.names: dict[str, str] = {}  # slug -> display name
        self.exact: dict[str, set[str]] = {}
        self.worded: list[tuple[list[str], str]] = []
        for slug, name_en, name_fa, homepage, feed in rows:
            self.names[slug] = name_en or name_fa or slug
            keys = {slug, name_en, name_fa}
            for url in (homepage, feed):
                domain = _domain(url)
                if domain:
                    keys |= {domain, domain.split(".")[0]}
            for key in keys:
                if key and _compact(key):
                    self.exact.setdefault(_compact(key), set()).add(slug)
            for name in (name_en, name_fa):
                if name:
                    self.worded.append((_words(name), slug))

    @classmethod
    def load(cls) -> SourceDirectory:
        rows = Source.objects.values_list("slug", "name_en", "name_fa", "homepage_url", "feed_url")
        return cls(list(rows))

    def resolve(self, typed: str) -> Resolution:
        value = str(typed or "").strip()
        domain = _domain(value) if "." in value or "/" in value else ""
        for key in (_compact(value), _compact(domain)):
            if key and len(self.exact.get(key, ())) == 1:
                return Resolution(sorted(self.exact[key]))
        words = _words(value)
        found = {slug for name, slug in self.worded if words and _run_in(words, name)}
        for key in {_compact(value), _compact(domain)} - {""}:
            found |= self.exact.get(key, set())
        if not found:
            return Resolution([NO_SOURCE], [Notice(self.unknown(value))])
        names = ", ".join(self.names[slug] for slug in sorted(found))
        note = _("“%(value)s” was read as the source(s): %(names)s.") % {
            "value": value,
            "names": names,
        }
        return Resolution(sorted(found), [Notice(note)])

    def unknown(self, value: str) -> str:
        choices = {_fold(name): name for name in self.names.values()}
        close = difflib.get_close_matches(_fold(value), list(choices), n=3, cutoff=0.5)
        message = _("No source is called “%(value)s”; nothing was found from it.") % {
            "value": value
        }
        if close:
            names = ", ".join(choices[name] for name in close)
            message += " " + _("Did you mean: %(names)s?") % {"names": names}
        return message


def _run_in(words: list[str], name: list[str]) -> bool:
    size = len(words)
    return any(name[i : i + size] == words for i in range(len(name) - size + 1))


def resolve_sources(values: list[str], directory: SourceDirectory | None = None) -> Resolution:
    """The slugs of every source the typed values name, and what to tell the reader."""
    directory = directory or SourceDirectory.load()
    out = Resolution()
    for value in values:
        found = directory.resolve(value)
        out.slugs += [slug for slug in found.slugs if slug not in out.slugs]
        out.messages += found.messages
    if len(out.slugs) > 1 and NO_SOURCE in out.slugs:
        out.slugs.remove(NO_SOURCE)
    return out


_directory: ContextVar[list | None] = ContextVar("source_directory", default=None)


@contextmanager
def names_resolved() -> Iterator[None]:
    """Within this block `source:` in a parsed query resolves names through the database
    (read once, on first use). Outside it (the parser alone) it takes the value as a slug
    or an indexed name."""
    token = _directory.set([])
    try:
        yield
    finally:
        _directory.reset(token)


def source_part(builder, tok, entry: dict):
    """`source:name` in a query: a restriction to the sources the name means (a query Part
    for `articles.search.query.parser`)."""
    loaded = _directory.get()
    if loaded is None:
        return builder._exact("source", "source_name", tok, entry)
    if not loaded:
        loaded.append(SourceDirectory.load())
    value = tok.text.strip()
    found = resolve_sources([value], loaded[0])
    for message in found.messages:
        builder.note(message)
    entry["terms"] = [slug for slug in found.slugs if slug != NO_SOURCE]
    builder.fields_used.add("source")
    return Part(builder.any_of("source", found.slugs), f"source:{value}", restriction=True)
