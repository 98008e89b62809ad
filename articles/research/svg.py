"""Server-drawn SVG for the research views: grouped bars with a link per period, lines per
series, and a small network. No script: each period is an `<a>` (clicking narrows the search),
each mark has a `<title>` for hovering, and every page prints the same numbers as a table.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

# Colour-blind-safe (Okabe–Ito, darkened to ≥ 4.5:1 on white where text uses them).
PALETTE = ("#1f5f99", "#b34700", "#117733", "#88226a", "#6b5b00")
WIDTH, HEIGHT = 720, 240
TOP, BOTTOM, START, END = 14, 34, 52, 10


@dataclass
class Series:
    name: str
    values: Sequence[float | None]
    colour: str


def _frame(title: str, description: str, css: str, ident: str, height: int = HEIGHT) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css}" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-labelledby="{ident}-title {ident}-desc" direction="ltr">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
    ]


def _axis(peak_text: str) -> list[str]:
    baseline = HEIGHT - BOTTOM
    return [
        f'<line x1="{START}" y1="{baseline}" x2="{WIDTH - END}" y2="{baseline}" stroke="#444"/>',
        f'<text x="{START - 6}" y="{TOP + 10}" text-anchor="end" font-size="11" fill="#333">'
        f"{escape(peak_text)}</text>",
        f'<text x="{START - 6}" y="{baseline}" text-anchor="end" font-size="11" fill="#333">0'
        "</text>",
    ]


def _plot(labels: Sequence[str], series: Sequence[Series]) -> tuple[float, int, float]:
    """The highest value (the top of the axis), the plot's height and one period's width."""
    peak = max((v or 0) for s in series for v in s.values) or 1
    return peak, HEIGHT - TOP - BOTTOM, (WIDTH - START - END) / len(labels)


def _axis_labels(labels: Sequence[str], slot: float) -> list[str]:
    every = max(1, math.ceil(len(labels) / 8))
    out = []
    for index in range(0, len(labels), every):
        x = START + index * slot + slot / 2
        out.append(
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" font-size="11" '
            f'fill="#333">{escape(labels[index])}</text>'
        )
    return out


def bars_svg(
    *,
    title: str,
    description: str,
    labels: Sequence[str],
    hovers: Sequence[str],
    links: Sequence[str],
    series: Sequence[Series],
    format_value: Callable[[float], str],
    ident: str = "attention",
) -> str:
    """Grouped bars, one group per period; the whole group is a link (`links[i]`)."""
    if not labels or not series:
        return ""
    peak, plot_height, slot = _plot(labels, series)
    bar = max(min(slot / (len(series) + 1), 36.0), 0.6)  # a lone period stays a bar
    inset = (slot - bar * len(series)) / 2
    baseline = TOP + plot_height
    parts = _frame(title, description, "chart attention-chart", ident) + _axis(format_value(peak))
    for index, label in enumerate(labels):
        x0 = START + index * slot
        hover = [f"{label} ({hovers[index]})"] if hovers[index] else [label]
        hover += [f"{s.name}: {format_value(s.values[index] or 0)}" for s in series]
        parts.append(
            f'<a href="{escape(links[index])}" class="bar-link"><title>'
            f"{escape(' · '.join(hover))}</title>"
            f'<rect x="{x0:.1f}" y="{TOP}" width="{slot:.1f}" height="{plot_height}" '
            'fill="transparent" class="bar-slot"/>'
        )
        for offset, s in enumerate(series):
            value = s.values[index] or 0
            if value <= 0:
                continue
            height = max(plot_height * value / peak, 1.0)
            x = x0 + inset + offset * bar
            parts.append(
                f'<rect x="{x:.1f}" y="{baseline - height:.1f}" width="{bar:.1f}" '
                f'height="{height:.1f}" fill="{s.colour}"/>'
            )
        parts.append("</a>")
    parts += _axis_labels(labels, slot)
    parts += _legend(series)
    parts.append("</svg>")
    return "".join(parts)


def lines_svg(
    *,
    title: str,
    description: str,
    labels: Sequence[str],
    hovers: Sequence[str],
    series: Sequence[Series],
    format_value: Callable[[float], str],
    ident: str = "compare",
) -> str:
    """One line per series over the periods; each point has a `<title>`."""
    if not labels or not series:
        return ""
    peak, plot_height, slot = _plot(labels, series)
    baseline = TOP + plot_height
    parts = _frame(title, description, "chart compare-chart", ident) + _axis(format_value(peak))
    for s in series:
        points = []
        for index, value in enumerate(s.values):
            x = START + index * slot + slot / 2
            y = baseline - plot_height * (value or 0) / peak
            points.append((x, y, value))
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _v in points)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{s.colour}" stroke-width="2"/>'
        )
        if len(points) <= 120:
            for index, (x, y, value) in enumerate(points):
                hover = f"{labels[index]}: {s.name} {format_value(value or 0)}"
                parts.append(
                    f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{s.colour}">'
                    f"<title>{escape(hover)}</title></circle>"
                )
    parts += _axis_labels(labels, slot)
    parts += _legend(series)
    parts.append("</svg>")
    return "".join(parts)


def _legend(series: Sequence[Series]) -> list[str]:
    out = []
    width = (WIDTH - START) / max(1, len(series))
    for offset, s in enumerate(series):
        x = START + offset * width
        name = s.name if len(s.name) <= 28 else s.name[:27] + "…"
        out.append(
            f'<rect x="{x:.1f}" y="{HEIGHT - 12}" width="10" height="10" fill="{s.colour}"/>'
            f'<text x="{x + 14:.1f}" y="{HEIGHT - 3}" font-size="11" fill="#333">'
            f"{escape(name)}</text>"
        )
    return out


def network_svg(
    *,
    title: str,
    description: str,
    centre: str,
    nodes: Sequence[tuple[str, int, str]],
    edges: Sequence[tuple[int, int, int]],
    ident: str = "network",
) -> str:
    """A focal node in the middle, `nodes` (label, count, link) around it, spokes as thick as
    the counts, and `edges` (i, j, count) between the surrounding nodes."""
    if not nodes:
        return ""
    size = 420
    cx = cy = size / 2
    radius = size / 2 - 70
    peak = max(count for _l, count, _h in nodes) or 1
    places = []
    for index in range(len(nodes)):
        angle = 2 * math.pi * index / len(nodes) - math.pi / 2
        places.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="network" viewBox="0 0 {size} {size}" '
        f'role="img" aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
    ]
    edge_peak = max((count for _i, _j, count in edges), default=1) or 1
    for i, j, count in edges:
        (x1, y1), (x2, y2) = places[i], places[j]
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#9aa" '
            f'stroke-width="{0.5 + 3 * count / edge_peak:.1f}" opacity="0.6"/>'
        )
    for (_label, count, _link), (x, y) in zip(nodes, places, strict=True):
        parts.append(
            f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" stroke="{PALETTE[0]}" '
            f'stroke-width="{1 + 7 * count / peak:.1f}" opacity="0.5"/>'
        )
    parts.append(f'<circle cx="{cx}" cy="{cy}" r="22" fill="{PALETTE[1]}"/>')
    parts.append(
        f'<text x="{cx}" y="{cy + 38}" text-anchor="middle" font-size="13" font-weight="bold" '
        f'fill="#222">{escape(centre[:30])}</text>'
    )
    for (label, count, link), (x, y) in zip(nodes, places, strict=True):
        r = 6 + 10 * math.sqrt(count / peak)
        anchor = "start" if x > cx + 5 else "end" if x < cx - 5 else "middle"
        dx = r + 4 if anchor == "start" else -(r + 4) if anchor == "end" else 0
        dy = 4 if anchor != "middle" else (r + 14 if y > cy else -(r + 4))
        parts.append(
            f'<a href="{escape(link)}"><title>{escape(label)}: {count}</title>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{PALETTE[0]}"/>'
            f'<text x="{x + dx:.1f}" y="{y + dy:.1f}" text-anchor="{anchor}" font-size="12" '
            f'fill="#222">{escape(label[:24])}</text></a>'
        )
    parts.append("</svg>")
    return "".join(parts)
