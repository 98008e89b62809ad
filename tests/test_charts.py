"""The hits-over-time chart: accessible SVG, gaps filled, long spans grouped by year."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from articles.outputs.charts import MAX_BARS, buckets, timeline_svg

NAMES = {"fa": "Persian", "en": "English"}


def label(value: str, numeric: bool = False) -> str:
    return value


def test_missing_months_are_filled_with_zeros_and_bad_rows_skipped():
    rows = buckets(
        [
            {"month": "2020-11", "fa": 2},
            {"month": "2021-02", "en": 3},
            {"month": "garbage", "fa": 9},
        ]
    )
    assert [row.label for row in rows] == ["2020-11", "2020-12", "2021-01", "2021-02"]
    assert rows[0].counts == {"fa": 2, "en": 0} and rows[-1].total == 3


def test_long_spans_are_grouped_by_year():
    timeline = [{"month": f"{year}-06", "fa": 1, "en": 2} for year in range(1990, 2021)]
    rows = buckets(timeline)
    assert len(rows) == 31 < MAX_BARS
    assert rows[0].label == "1990" and rows[0].counts == {"fa": 1, "en": 2}


def test_svg_is_well_formed_labelled_and_escaped():
    svg = timeline_svg(
        buckets([{"month": "2021-01", "fa": 4, "en": 1}, {"month": "2021-03", "fa": 0, "en": 2}]),
        title="Hits <over> time",
        description="Bars & more",
        language_names=NAMES,
        label_for=label,
    )
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img" and root.get("aria-labelledby") == "chart-title chart-desc"
    assert root.find(f"{ns}title").text == "Hits <over> time"
    bars = [rect for rect in root.iter(f"{ns}rect") if rect.find(f"{ns}title") is not None]
    assert len(bars) == 3  # zero counts draw no bar
    tallest = max(bars, key=lambda rect: float(rect.get("height")))
    assert tallest.find(f"{ns}title").text == "2021-01: Persian 4"


def test_no_timeline_no_chart():
    assert timeline_svg([], title="t", description="d", language_names=NAMES) == ""
