"""The publication date of an HTML page, from the most trusted statement it makes.

In order of trust (tested in tests/test_ingest_page_dates.py):
1. the page's own machine-readable metadata: `article:published_time`, `datePublished`
   (microdata or JSON-LD), Dublin Core and `pubdate` meta tags, a `<time datetime>`;
2. the date in the article's address (`/2010/08/13/`, CNN's `/2010/POLITICS/08/13/`,
   `/2010-08-13-…`), from the canonical URL, `og:url` or the address it was fetched from;
3. any other `<time datetime>` on the page (it may date a sidebar item);
4. trafilatura's guess (htmldate), which may read a date off the page's chrome or links;
5. a Solar Hijri date printed on the page.
The label of the statement used goes to the article's provenance (`published_from`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .dates import find_jalali_date, parse_dated

_META_DATES = (
    ("article:published_time", "//meta[@property='article:published_time']/@content"),
    ("datePublished", "//*[@itemprop='datePublished']/@content"),
    ("datePublished", "//*[@itemprop='datePublished']/@datetime"),
    ("DC.date.issued", "//meta[@name='DC.date.issued' or @name='dc.date.issued']/@content"),
    ("pubdate", "//meta[@name='pubdate' or @name='publishdate' or @name='date']/@content"),
    ("time", "//article//time/@datetime"),
    ("time", "//time[@pubdate]/@datetime"),
)
# /2010/08/13/, /2010/POLITICS/08/13/ (one section between year and month), /2010-08-13-…
_URL_DATES = (
    re.compile(r"/((?:19|20)\d\d)/(?:[A-Za-z][\w.-]*/)?(\d{1,2})/(\d{1,2})(?:/|$)"),
    re.compile(r"[/_-]((?:19|20)\d\d)-(\d{2})-(\d{2})(?:[/_.-]|$)"),
)


@dataclass
class PageDate:
    moment: datetime | None = None
    precision: str = ""
    source: str = ""  # which statement of the page it came from


def url_date(url: str) -> datetime | None:
    path = re.sub(r"^[a-z]+://[^/]+", "", url or "", flags=re.IGNORECASE).split("?")[0]
    for pattern in _URL_DATES:
        match = pattern.search(path)
        if match:
            try:
                return datetime(*(int(part) for part in match.groups()), tzinfo=UTC)
            except ValueError:
                continue
    return None


def _json_ld_dates(tree: Any) -> list[str]:
    found: list[str] = []
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            data = json.loads(script)
        except ValueError:
            continue
        items = data if isinstance(data, list) else [data]
        if isinstance(data, dict) and isinstance(data.get("@graph"), list):
            items += data["@graph"]  # Yoast and others nest the article in a graph
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("datePublished"), str):
                found.append(item["datePublished"])
    return found


def page_date(
    *, tree: Any, urls: list[str], extracted: str | None, warnings: list[str]
) -> PageDate:
    """The page's publication date by the order of trust above."""
    statements = [("JSON-LD datePublished", value) for value in _json_ld_dates(tree)]
    for label, xpath in _META_DATES:
        statements += [(f"page metadata ({label})", str(v)) for v in tree.xpath(xpath)[:1]]
    for label, value in statements:
        moment, precision = parse_dated(value.strip(), warnings)
        if moment is not None:
            return PageDate(moment, precision, label)
    for url in urls:
        moment = url_date(url)
        if moment is not None:
            return PageDate(moment, "day", f"the article's address ({url[:200]})")
    for value in tree.xpath("//time/@datetime")[:1]:
        moment, precision = parse_dated(str(value).strip(), warnings)
        if moment is not None:
            return PageDate(moment, precision, "a <time> element of the page")
    if extracted:
        moment, precision = parse_dated(extracted, warnings)
        if moment is not None:
            return PageDate(moment, precision, "trafilatura's guess from the page text")
    body = tree.find("body")
    time_text = " ".join(" ".join(t.text_content().split()) for t in tree.xpath("//time"))
    jalali = find_jalali_date(time_text) or find_jalali_date(
        body.text_content()[:50_000] if body is not None else ""
    )
    if jalali is not None:
        warnings.append("only a Solar Hijri display date was found; converted it")
        moment, _precision = parse_dated(jalali, warnings)
        if moment is not None:
            precision = "time" if (jalali.hour, jalali.minute) != (0, 0) else "day"
            return PageDate(moment, precision, "a Solar Hijri date printed on the page")
    return PageDate()
