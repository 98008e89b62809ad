"""How the admin shows dates and article text: the calendar of the interface (Solar Hijri in
Persian, the Gregorian date on hover, as the public pages), and text in its own direction."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.html import format_html, linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from articles.text import calendar


def _persian() -> bool:
    return (get_language() or "en").startswith("fa")


def datetime_cell(value: datetime | None) -> SafeString | str:
    """A `<time>`: "۱۵ دی ۱۳۹۹، ۱۴:۰۵" with "۴ ژانویه ۲۰۲۱ ۱۴:۰۵" on hover in Persian,
    "4 January 2021, 14:05" in English."""
    if value is None:
        return "—"
    moment = timezone.localtime(value) if timezone.is_aware(value) else value
    if _persian():
        clock = calendar.clock_text(moment, "fa")
        return format_html(
            '<time datetime="{}" title="{} {}">{}، {}</time>',
            moment.isoformat(),
            calendar.gregorian_text(moment, "fa"),
            clock,
            calendar.jalali_text(moment),
            clock,
        )
    return format_html(
        '<time datetime="{}">{}, {}</time>',
        moment.isoformat(),
        calendar.gregorian_text(moment, "en"),
        calendar.clock_text(moment, "en"),
    )


def text_in_its_direction(text: str, language: str) -> SafeString:
    """Plain article text set in the article's language and direction, whatever the admin's."""
    direction = "rtl" if language == "fa" else "ltr"
    return format_html(
        '<div class="article-text" lang="{}" dir="{}">{}</div>',
        language or "und",
        direction,
        mark_safe(linebreaks(text or "", autoescape=True)),  # noqa: S308 - escaped by linebreaks
    )
