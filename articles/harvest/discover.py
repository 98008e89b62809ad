"""Finding a site's feeds from its homepage: ``<link rel="alternate" type="…rss/atom…">``."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

import lxml.html
from lxml import etree

FEED_TYPES = {
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+json",
    "application/xml",
    "text/xml",
}


@dataclass
class Homepage:
    title: str
    language: str  # "fa" | "en" | ""
    feeds: list[tuple[str, str]]  # (url, title)


def discover(html: str, *, base_url: str) -> Homepage:
    try:
        tree = lxml.html.document_fromstring(
            html.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8")
        )
    except (etree.ParserError, ValueError):
        return Homepage(title="", language="", feeds=[])
    feeds: list[tuple[str, str]] = []
    for link in tree.xpath("//link[@href]"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        if "alternate" in rel and kind in FEED_TYPES and kind != "application/feed+json":
            url = urljoin(base_url, link.get("href").strip())
            if url.startswith(("http://", "https://")) and url not in dict(feeds):
                feeds.append((url, " ".join((link.get("title") or "").split())[:300]))
    site = tree.xpath("//meta[@property='og:site_name']/@content")
    title = tree.xpath("//title/text()")
    name = " ".join(str((site or title or [""])[0]).split())[:200]
    lang = (tree.get("lang") or "").lower().split("-")[0]
    language = "fa" if lang in ("fa", "prs", "per", "fas") else ("en" if lang == "en" else "")
    return Homepage(title=name, language=language, feeds=feeds)


def looks_like_feed(text: str) -> bool:
    head = text[:2048].lower()
    return ("<rss" in head or "<feed" in head or "<rdf:rdf" in head) and "<html" not in head
