"""Template helpers for a bilingual page: calendars, digits, direction and links.

In the Persian interface dates are Solar Hijri with Persian digits, with the Gregorian date in
`title=` (and a machine-readable `datetime=`); in English they are Gregorian. The calendars and
digits themselves are `articles.text.calendar`'s: the filters here only wrap them in markup.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from urllib.parse import urlencode

from django import template
from django.http import QueryDict
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, override

from articles.outputs.citations import LONG, author_of, cite_when, original_url, written
from articles.text import calendar
from articles.text.calendar import (
    gregorian_text,
    is_fa,
    jalali_text,
    persian_digits,
)
from articles.text.dateprecision import Precision, calendar_day, effective

register = template.Library()

# Control characters and spaces that browsers drop from URLs (`/\t/evil.example`).
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]")


@register.filter
def localdigits(value: object, language: str | None = None) -> str:
    """Digits as the interface writes them: Persian digits in the Persian interface."""
    return calendar.local_digits(value, language)


@register.filter
def number(value: object) -> str:
    """An integer with thousands separators, in the interface's digits (۱٬۲۳۴ or 1,234)."""
    return calendar.grouped_number(value)


@register.filter
def archive_date(value: date | datetime | None) -> str:
    """A `<time>` element in the interface's calendar; the other calendar on hover."""
    if not value:
        return ""
    day = calendar.local_date(value)
    if is_fa():
        return format_html(
            '<time datetime="{}" title="{}">{}</time>',
            day.isoformat(),
            gregorian_text(day, "fa"),
            jalali_text(day),
        )
    return format_html('<time datetime="{}">{}</time>', day.isoformat(), gregorian_text(day))


@register.filter
def archive_datetime(value: datetime | None) -> str:
    """Date and time (local time of the archive) in the interface's calendar and digits."""
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    clock = local.strftime("%H:%M")
    if is_fa():
        return format_html(
            '<time datetime="{}" title="{}">{}، {}</time>',
            local.isoformat(),
            gregorian_text(local, "fa") + " " + persian_digits(clock),
            jalali_text(local),
            persian_digits(clock),
        )
    return format_html(
        '<time datetime="{}">{}, {}</time>', local.isoformat(), gregorian_text(local), clock
    )


@register.filter
def published_on(article, detail: str = "time") -> str:
    """An article's publication date as precise as its source gave it: a time only when the
    source stated one, else the day, the month or the year (articles/text/dateprecision.py).
    Lists pass "day" to show no time at all."""
    moment = article.published_at
    precision = effective(moment, getattr(article, "published_precision", ""))
    if moment is None:
        return ""
    if precision == Precision.TIME and detail == "time":
        return archive_datetime(moment)
    day = calendar_day(moment, precision)
    if precision in {Precision.TIME, Precision.DAY}:
        return archive_date(day)
    if precision == Precision.MONTH:
        return format_html(
            '<time datetime="{}">{}</time>', f"{day.year:04d}-{day.month:02d}",
            month_label(f"{day.year}-{day.month}"),
        )  # fmt: skip
    return format_html('<time datetime="{}">{}</time>', f"{day.year:04d}", localdigits(day.year))


@register.filter
def month_label(value: str) -> str:
    """ "2021-01" as a month name in the interface's language (Gregorian months); a year
    bucket ("2021") in the interface's digits."""
    return calendar.month_text(value)


_LTR_ISOLATE = re.compile("\u2066([^\u2066-\u2069]*)\u2069")


@register.filter
def notice_html(text: object) -> str:
    """A plain-text notice as HTML: its left-to-right isolates (ISO dates, see
    `articles.search.query.dates`) become `<bdi dir="ltr">` that a narrow screen never breaks
    inside ("2019-" at a line's end, "03-21" on the next)."""
    escaped = str(conditional_escape(str(text)))
    return mark_safe(  # noqa: S308 - built from escaped text
        _LTR_ISOLATE.sub(r'<bdi dir="ltr" class="nowrap">\1</bdi>', escaped)
    )


@register.filter
def direction(language: str) -> str:
    return "rtl" if str(language).startswith("fa") else "ltr"


@register.filter
def name_in(obj: object, language: str | None = None) -> str:
    """A source's or entity's name in the interface language, falling back to the other."""
    language = language or get_language() or "en"
    method = getattr(obj, "name_in", None)
    return method(language) if method else str(obj)


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """This page's query string with some parameters replaced (None removes one); the page
    number is dropped unless set, since a new filter starts on page one."""
    query: QueryDict = context["request"].GET.copy()
    query.pop("page", None)
    for key, value in changes.items():
        query.pop(key, None)
        if value not in (None, ""):
            query[key] = str(value)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def query_page(context, key: str, number: int) -> str:
    """This page's query string with the page parameter `key` (a page has several lists,
    each with its own) set to `number`."""
    query: QueryDict = context["request"].GET.copy()
    query[key] = str(number)
    return f"?{query.urlencode()}"


@register.simple_tag(takes_context=True)
def query_toggle(context, key: str, value: object) -> str:
    """This page's query string with `key=value` added, or removed when already there."""
    query: QueryDict = context["request"].GET.copy()
    query.pop("page", None)
    value = str(value)
    values = query.getlist(key)
    if value in values:
        values = [item for item in values if item != value]
    else:
        values = [*values, value]
    query.setlist(key, values)
    pairs = [(k, v) for k, vs in query.lists() for v in vs if v != ""]
    return "?" + urlencode(pairs) if pairs else "?"


@register.simple_tag(takes_context=True)
def switch_language_url(context, language: str) -> str:
    """The same page in another interface language, query string kept; an article page
    offers its counterpart in that language when it has one (`counterpart_urls`)."""
    special = context.get("counterpart_urls") or {}
    if language in special:
        return special[language]
    request = context.get("request")
    if request is None:
        with override(language):
            return translate_url("/", language)
    path = request.get_full_path()
    translated = translate_url(path, language)
    if translated == path:  # an address that resolves nowhere (a 404): swap the prefix
        current = get_language() or ""
        if path.startswith(f"/{current}/"):
            translated = f"/{language}/{path[len(current) + 2 :]}"
    return same_site_path(translated, fallback=f"/{language}/")


def same_site_path(url: str, *, fallback: str) -> str:
    """`url` when it is a path on this site, else `fallback`: `//host/x` and `/\\host/x` are
    read by browsers as other sites, so a visitor's address never becomes such a link."""
    if not url.startswith("/") or url[1:2] in {"/", "\\"} or _URL_NOISE.search(url):
        return fallback
    return url


# Feeds and exports come from `articles/outputs/urls.py`; a link appears only once its URL exists.
FEED_NAMES = {
    "latest": {"rss": "feed_latest_rss", "atom": "feed_latest_atom"},
    "search": {
        "rss": "feed_search_rss",
        "atom": "feed_search_atom",
        "csv": "export_csv",
        "jsonl": "export_jsonl",
        "bibtex": "export_bibtex",
        "ris": "export_ris",
    },
    "source": {"rss": "feed_source_rss", "atom": "feed_source_atom"},
    "entity": {"rss": "feed_entity_rss", "atom": "feed_entity_atom"},
}


@register.simple_tag(takes_context=True)
def feed_urls(context, scope: str, slug: str = "") -> dict[str, str]:
    """The feed and export URLs of a page (`scope`), with this search's query string."""
    urls = {}
    query = ""
    if scope == "search" and context.get("request") is not None:
        params = context["request"].GET.copy()
        for key in ("page", "format"):
            params.pop(key, None)
        query = f"?{params.urlencode()}" if params else ""
    for kind, name in FEED_NAMES.get(scope, {}).items():
        try:
            url = reverse(f"articles:{name}", kwargs={"slug": slug} if slug else None)
        except NoReverseMatch:
            continue
        urls[kind] = url + query
    return urls


@register.simple_tag
def citation_line(article, permalink: str) -> str:
    """An APA-style reference in the article's own language (Solar Hijri for Persian): the
    original publication (outlet, byline, date, original URL), then the archived copy and the
    date of access, as Chronicling America cites its pages."""
    source = article.source.name_in(article.language)
    author = author_of(article) or source
    original = original_url(article)
    today = timezone.localdate()
    with override(article.language):
        if article.language == "fa":
            accessed = jalali_text(today)
        else:
            accessed = written(today, Precision.DAY, LONG)
        retrieved = gettext("Retrieved %(date)s, from") % {"date": accessed}
    original_part = format_html(' <span dir="ltr">{}</span>', original) if original else ""
    return format_html(
        "{} ({}). <cite>{}</cite>. {}.{} {} <span dir=\"ltr\">{}</span>",
        author, cite_when(article), article.title, source, original_part, retrieved, permalink,
    )  # fmt: skip


@register.filter
def crossdir(language: str) -> str:
    """ "crossdir" when text in `language` runs against the interface; the stylesheet aligns
    such blocks with what surrounds them (`text-align: end`)."""
    return "crossdir" if direction(language) != direction(get_language() or "en") else ""
