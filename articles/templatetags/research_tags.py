"""Template helpers of the research views: numbered page windows."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag
def pages_around(number: int, num_pages: int, width: int = 2) -> list[int]:
    """Page numbers to link: the first, the last, `width` either side of `number`; 0 marks a
    gap (`1 … 4 5 [6] 7 8 … 40`)."""
    number, num_pages = int(number), int(num_pages)
    shown = {1, num_pages, *range(max(1, number - width), min(num_pages, number + width) + 1)}
    out: list[int] = []
    for page in sorted(shown):
        if out and page > out[-1] + 1:
            out.append(0)
        out.append(page)
    return out
