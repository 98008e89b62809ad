"""Saved or fetched HTML article pages: main text and metadata via trafilatura.

trafilatura drops zero-width non-joiners (U+200C) as "control characters", which breaks
Persian spelling (سیلاب‌ها -> سیلابها); they are swapped for a printable placeholder before
extraction and restored afterwards. Dates: see page_dates.py (the page's metadata, then the
date in its address, then trafilatura's guess, then a printed Solar Hijri date).
"""

from __future__ import annotations

import re
from typing import Any

import lxml.html
from lxml import etree

from articles.text import detect_language

from .errors import ParseError
from .page_dates import page_date
from .records import ParsedArticle, truncate_raw
from .text_page import collapse_repeats, is_chrome

_ZWNJ_HOLD = "\u2e19"  # printable and unused in news text; stands in for U+200C
_ZWNJ_FORMS = re.compile(r"\u200c|&zwnj;|&#8204;|&#x200c;", re.IGNORECASE)
_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—:·»«]\s+")
PERSIAN_CODES = ("fa", "prs", "per", "fas")


def parse_html(
    html: str,
    *,
    origin: str = "",
    url: str = "",
    language: str = "auto",
) -> ParsedArticle | ParseError:
    """One article from an HTML page, or a ParseError when no main text is found."""
    if not html.strip():
        return ParseError(origin, "empty HTML page")
    protected = _ZWNJ_FORMS.sub(_ZWNJ_HOLD, html)
    tree = _tree(protected)
    if tree is None:
        return ParseError(origin, "not parsable as HTML")
    meta = _page_metadata(tree)
    try:
        import trafilatura  # imported here: it is heavy, and needs lxml_html_clean
    except ImportError as exc:
        return ParseError(
            origin, f"HTML extraction unavailable ({exc}); install the packages in requirements.txt"
        )
    document = trafilatura.bare_extraction(
        protected,
        url=url or None,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        deduplicate=False,
    )
    data: dict[str, Any] = _restore(document.as_dict()) if document is not None else {}
    meta = _restore(meta)
    other = third_language(meta) if language == "auto" else ""
    if other:
        # Arabic, Pashto or Urdu in Arabic script would pass for Persian, anything in Latin
        # script for English: the archive holds only those two, so say so and stop.
        return ParseError(
            origin,
            f"the page declares the language {other!r}, neither Persian nor English; "
            "pass --language fa or --language en to import it anyway",
        )
    warnings: list[str] = []
    paragraphs = [line.strip() for line in (data.get("text") or "").split("\n")]
    removed = [p for p in paragraphs if p and is_chrome(p)]
    paragraphs = [p for p in paragraphs if p and not is_chrome(p)]
    site = data.get("sitename") or meta.get("site_name") or ""
    title = strip_site_name(
        data.get("title") or meta.get("og_title") or meta.get("title") or "",
        site,
        data.get("hostname") or "",
    )
    kept, dropped = collapse_repeats(paragraphs, title=title)
    removed.extend(dropped)
    if not kept:
        return ParseError(origin, "no article text found in the HTML page")
    body = "\n\n".join(kept)
    if not title:
        title = kept[0][:200]
        warnings.append("page has no title; used the start of the text")
    canonical = data.get("url") or meta.get("canonical") or ""
    dated = page_date(
        tree=tree,
        urls=[u for u in (canonical, meta.get("og_url") or "", url) if u],
        extracted=data.get("date"),
        warnings=warnings,
    )
    return ParsedArticle(
        title=" ".join(title.split()),
        body_text=body,
        language=language if language != "auto" else _language(body, meta),
        summary=data.get("description") or meta.get("description") or "",
        url=url or canonical,
        canonical_url=canonical,
        published_at=dated.moment,
        published_precision=dated.precision,
        published_from=dated.source,
        byline=data.get("author") or "",
        source_name=site,
        identity=canonical or url,
        counterpart_url=_counterpart(meta),
        tags=_tags(data),
        removed_blocks=removed,
        warnings=warnings,
        raw=truncate_raw(html),
        origin=origin,
        format="html",
    )


def strip_site_name(title: str, site: str, hostname: str = "") -> str:
    """Drop a leading or trailing site name: "TechCrunch | Headline", "Headline - CNN.com"."""
    title = " ".join(title.split())
    names = {_site_key(site), _site_key(hostname), _site_key(hostname.split(".")[0])} - {""}
    parts = _TITLE_SEPARATOR.split(title)
    if len(parts) < 2 or not names:
        return title
    if _site_key(parts[0]) in names:
        return " ".join(title[len(parts[0]) :].lstrip(" |-–—:·»").split())
    if _site_key(parts[-1]) in names:
        return title[: len(title) - len(parts[-1])].rstrip(" |-–—:·«").strip()
    return title


def _site_key(name: str) -> str:
    key = name.lower().strip().removeprefix("www.")
    return re.sub(r"\.(com|org|net|ir|af|co\.uk)$", "", key).replace(" ", "")


def _tree(html: str) -> Any:
    try:
        return lxml.html.document_fromstring(
            html.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8")
        )
    except (etree.ParserError, ValueError):
        return None


def _page_metadata(tree: Any) -> dict[str, Any]:
    def first(xpath: str) -> str:
        values = tree.xpath(xpath)
        return " ".join(str(values[0]).split()) if values else ""

    alternates = [
        (str(link.get("hreflang", "")).lower(), str(link.get("href", "")))
        for link in tree.xpath("//link[@rel='alternate'][@hreflang][@href]")
    ]
    return {
        "lang": first("/html/@lang") or first("/html/@xml:lang"),
        "og_locale": first("//meta[@property='og:locale']/@content"),
        "og_title": first("//meta[@property='og:title']/@content"),
        "title": first("//title/text()"),
        "description": first("//meta[@name='description']/@content")
        or first("//meta[@property='og:description']/@content"),
        "site_name": first("//meta[@property='og:site_name']/@content"),
        "canonical": first("//link[@rel='canonical']/@href"),
        "og_url": first("//meta[@property='og:url']/@content"),
        "alternates": alternates,
    }


def third_language(meta: dict[str, Any]) -> str:
    """The page's declared language when it is neither Persian nor English ("ar", "ps",
    "de-DE"), else ""."""
    declared = (meta.get("lang") or meta.get("og_locale") or "").lower().replace("_", "-")
    code = declared.split("-")[0]
    return "" if not code or code in PERSIAN_CODES or code == "en" else declared


def _language(body: str, meta: dict[str, Any]) -> str | None:
    declared = (meta.get("lang") or meta.get("og_locale") or "").lower().replace("_", "-")
    code = declared.split("-")[0]
    code = "fa" if code in PERSIAN_CODES else code
    return detect_language(body) or (code if code in ("fa", "en") else None)


def _counterpart(meta: dict[str, Any]) -> str:
    own = (meta.get("lang") or "").lower().split("-")[0]
    own = "fa" if own in PERSIAN_CODES else own
    for hreflang, href in meta.get("alternates") or []:
        code = hreflang.split("-")[0]
        code = "fa" if code in PERSIAN_CODES else code
        if code in ("fa", "en") and code != own and href:
            return href
    return ""


def _tags(data: dict[str, Any]) -> list[str]:
    labels: list[str] = []
    for value in list(data.get("categories") or []) + list(data.get("tags") or []):
        labels.extend(part.strip() for part in str(value).split(","))
    return list(dict.fromkeys(label for label in labels if label))


def _restore(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace(_ZWNJ_HOLD, "\u200c")
    if isinstance(value, list):
        return [_restore(item) for item in value]
    if isinstance(value, tuple):
        return tuple(_restore(item) for item in value)
    if isinstance(value, dict):
        return {key: _restore(item) for key, item in value.items()}
    return value
