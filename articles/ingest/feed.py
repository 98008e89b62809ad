"""RSS 2.0 / Atom / RDF feeds through feedparser: one article per entry."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import feedparser

from articles.text import detect_language
from articles.text.sanitize import fragment_to_text

from .dates import parse_date, precision_of
from .errors import ParseError
from .html_page import PERSIAN_CODES
from .records import ParsedArticle, truncate_raw

_XML_ENCODING = re.compile(r"""(<\?xml[^>]*?encoding\s*=\s*["'])[^"']*(["'])""")


def parse_feed(
    text: str,
    *,
    origin: str = "",
    language: str = "auto",
) -> Iterator[ParsedArticle | ParseError]:
    """Yield one ParsedArticle per entry, or one ParseError if the feed has no entries.

    A malformed ("bozo") feed whose entries were still recovered keeps them, each with a
    warning naming the problem.
    """
    # The text is already decoded: an XML declaration naming another encoding (windows-1256)
    # would make feedparser decode it a second time into mojibake.
    text = _XML_ENCODING.sub(r"\1utf-8\2", text[:500], count=1) + text[500:]
    parsed = feedparser.parse(text, sanitize_html=True, resolve_relative_uris=True)
    bozo = _bozo_reason(parsed)
    if not parsed.entries:
        yield ParseError(origin, f"malformed feed: {bozo}" if bozo else "feed has no entries")
        return
    feed = parsed.feed
    feed_lang = _feed_language(feed.get("language") or "")
    source_name = " ".join((feed.get("title") or "").split())
    for index, entry in enumerate(parsed.entries, start=1):
        where = f"{origin}#{index}"
        try:
            yield _entry(
                entry,
                origin=where,
                source_name=source_name,
                feed_lang=feed_lang,
                language=language,
                bozo=bozo,
            )
        except Exception as exc:  # one odd entry must not lose the rest of the feed
            yield ParseError(where, f"unexpected error in feed entry: {exc!r}")


def _entry(
    entry: Any, *, origin: str, source_name: str, feed_lang: str | None, language: str, bozo: str
) -> ParsedArticle | ParseError:
    warnings = [f"malformed feed, entry recovered: {bozo}"] if bozo else []
    contents = entry.get("content") or []
    body_html = max((c.get("value") or "" for c in contents), key=len, default="")
    summary_html = entry.get("summary") or ""
    if not body_html:
        body_html = summary_html
    body = fragment_to_text(body_html)
    summary = fragment_to_text(summary_html)
    title = " ".join(fragment_to_text(entry.get("title") or "").split())
    if not title and not body:
        return ParseError(origin, "feed entry has neither a title nor any text")
    if not body:
        body = title
        warnings.append("feed entry has no text; used the title")
    if not title:
        title = body.split("\n\n", 1)[0][:200]
        warnings.append("feed entry has no title; used the start of the text")
    link = entry.get("link") or ""
    if language != "auto":
        lang = language
    else:
        lang = detect_language(f"{title}\n{body[:2000]}") or feed_lang
    return ParsedArticle(
        title=title,
        body_text=body,
        language=lang,
        body_html=body_html if "<" in body_html else "",
        summary=summary if summary != body else "",
        url=link,
        canonical_url=link,
        **_published(entry, warnings),
        byline=entry.get("author") or "",
        source_name=source_name,
        identity=entry.get("id") or link,
        tags=[t.get("term", "").strip() for t in entry.get("tags") or [] if t.get("term")],
        warnings=warnings,
        raw=truncate_raw(str(entry.get("title", "")) + "\n" + body_html),
        origin=origin,
        format="feed",
    )


def _published(entry: Any, warnings: list[str]) -> dict[str, Any]:
    """`published_at` and `published_precision` of an entry (what its date string states)."""
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        if not raw:
            continue
        parsed = parse_date(raw, [])
        if parsed is None:
            struct = entry.get(f"{key}_parsed")
            if isinstance(struct, time.struct_time):
                parsed = datetime(*struct[:6], tzinfo=UTC)
        if parsed is not None:
            parsed = parse_date(parsed, warnings)
            return {
                "published_at": parsed,
                "published_precision": precision_of(raw) if parsed else "",
                "published_from": f"the feed entry's {key} date" if parsed else "",
            }
        warnings.append(f"unparsable {key} date {str(raw)[:60]!r}")
    return {}


def _feed_language(value: str) -> str | None:
    code = value.lower().replace("_", "-").split("-")[0]
    if code in PERSIAN_CODES:
        return "fa"
    return code if code == "en" else None


def _bozo_reason(parsed: Any) -> str:
    if not parsed.get("bozo"):
        return ""
    exc = parsed.get("bozo_exception")
    name = type(exc).__name__ if exc is not None else "error"
    return f"{name}: {exc}" if exc is not None else name
