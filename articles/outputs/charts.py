"""Hits over time, drawn on the server as an accessible SVG (with a table beside it).

The chart needs no JavaScript: one bar per month and language, a `<title>` and `<desc>` for
screen readers (`role="img"`), and the page prints the same numbers as a table. Long spans are
grouped by year so the bars stay legible.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

LANGUAGES = ("fa", "en")
COLOURS = {"fa": "#1f5f99", "en": "#b34700"}  # both ≥ 4.5:1 on white
MAX_BARS = 120
WIDTH, HEIGHT = 640, 220
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_START, MARGIN_END = 12, 40, 44, 8


@dataclass
class Bucket:
    label: str  # "2021-01" or "2021"
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _month_range(first: str, last: str) -> list[str]:
    year, month = (int(part) for part in first.split("-"))
    end = tuple(int(part) for part in last.split("-"))
    months = []
    while (year, month) <= end and len(months) < 12 * 200:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def buckets(timeline: list[dict]) -> list[Bucket]:
    """Fill the gaps between the first and last month; group by year when the span is long."""
    counts: dict[str, dict[str, int]] = {}
    for row in timeline:
        month = str(row.get("month", ""))[:7]
        if len(month) != 7 or month[4] != "-" or not (month[:4] + month[5:]).isdigit():
            continue
        slot = counts.setdefault(month, dict.fromkeys(LANGUAGES, 0))
        for language in LANGUAGES:
            slot[language] += int(row.get(language) or 0)
    if not counts:
        return []
    months = _month_range(min(counts), max(counts))
    rows = [Bucket(month, counts.get(month, dict.fromkeys(LANGUAGES, 0))) for month in months]
    if len(rows) <= MAX_BARS:
        return rows
    years: dict[str, dict[str, int]] = {}
    for bucket in rows:
        slot = years.setdefault(bucket.label[:4], dict.fromkeys(LANGUAGES, 0))
        for language in LANGUAGES:
            slot[language] += bucket.counts[language]
    return [Bucket(year, value) for year, value in years.items()]


def timeline_svg(
    rows: list[Bucket],
    *,
    title: str,
    description: str,
    language_names: dict[str, str],
    label_for=str,
) -> str:
    """SVG markup (already escaped) for grouped bars; `label_for` formats a bucket label."""
    if not rows:
        return ""
    peak = max(max(bucket.counts.values()) for bucket in rows) or 1
    plot_width = WIDTH - MARGIN_START - MARGIN_END
    plot_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    slot = plot_width / len(rows)
    bar = max(slot / (len(LANGUAGES) + 1), 0.5)
    baseline = MARGIN_TOP + plot_height
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="chart-title chart-desc" direction="ltr">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">{escape(description)}</desc>',
        f'<line x1="{MARGIN_START}" y1="{baseline}" x2="{WIDTH - MARGIN_END}" y2="{baseline}" '
        'stroke="#444" stroke-width="1"/>',
        f'<text x="{MARGIN_START - 6}" y="{MARGIN_TOP + 10}" text-anchor="end" '
        f'font-size="11" fill="#333">{escape(label_for(str(peak), numeric=True))}</text>',
        f'<text x="{MARGIN_START - 6}" y="{baseline}" text-anchor="end" font-size="11" '
        f'fill="#333">{escape(label_for("0", numeric=True))}</text>',
    ]
    label_every = max(1, round(len(rows) / 8))
    for index, bucket in enumerate(rows):
        x0 = MARGIN_START + index * slot + bar / 2
        for offset, language in enumerate(LANGUAGES):
            count = bucket.counts[language]
            if not count:
                continue
            height = plot_height * count / peak
            x = x0 + offset * bar
            parts.append(
                f'<rect x="{x:.1f}" y="{baseline - height:.1f}" width="{bar:.1f}" '
                f'height="{height:.1f}" fill="{COLOURS[language]}">'
                f"<title>{escape(label_for(bucket.label))}: "
                f"{escape(language_names[language])} {escape(label_for(str(count), numeric=True))}"
                "</title></rect>"
            )
        if index % label_every == 0:
            parts.append(
                f'<text x="{MARGIN_START + index * slot + slot / 2:.1f}" y="{baseline + 16}" '
                f'text-anchor="middle" font-size="11" fill="#333">'
                f"{escape(label_for(bucket.label))}</text>"
            )
    legend_y = HEIGHT - 6
    for offset, language in enumerate(LANGUAGES):
        x = MARGIN_START + offset * 120
        parts.append(
            f'<rect x="{x}" y="{legend_y - 10}" width="10" height="10" '
            f'fill="{COLOURS[language]}"/><text x="{x + 14}" y="{legend_y}" font-size="11" '
            f'fill="#333">{escape(language_names[language])}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
