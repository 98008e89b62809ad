"""Attention over time: counts and shares against a hand-built archive with known monthly
totals, resolutions, calendars, undated hits, and the search page and JSON leading with it."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from articles.research.attention import attention_for, automatic_resolution
from articles.search.sync import indexing
from articles.search.types import SearchParams
from tests.factories import make_article, make_source

# Month -> (Persian articles, English articles) in the archive, and how many mention "drought".
MONTHS = {
    (2021, 1): ((10, 20), (2, 5)),
    (2021, 2): ((4, 0), (1, 0)),
    (2021, 3): ((0, 8), (0, 8)),
    (2021, 5): ((5, 5), (5, 1)),
}
UNDATED_HITS = 3


@pytest.fixture
def known_archive(db, search_index):
    source = make_source(slug="known")
    for (year, month), ((fa_total, en_total), (fa_hits, en_hits)) in MONTHS.items():
        for language, total, hits in (("fa", fa_total, fa_hits), ("en", en_total, en_hits)):
            for n in range(total):
                word = ("خشکسالی" if language == "fa" else "drought") if n < hits else "market"
                body = f"{word} report {n}" if language == "en" else f"{word} گزارش {n}"
                make_article(
                    source=source,
                    language=language,
                    title=f"{word} {year}-{month}-{n}",
                    body=body,
                    published_at=datetime(year, month, 1 + n % 27, 12, 0, tzinfo=UTC),
                )
    for n in range(UNDATED_HITS):
        make_article(source=source, language="en", title=f"drought undated {n}",
                     body="drought", published_at=None)  # fmt: skip
    indexing.rebuild()


def _by_key(attention):
    return {p.key: p for p in attention.periods}


def test_monthly_shares_are_hits_over_the_archive_total_of_the_month_and_language(
    known_archive,
):
    attention = attention_for(
        SearchParams(q="drought OR خشکسالی"), resolution="month", calendar="gregorian"
    )
    periods = _by_key(attention)
    assert list(periods) == ["2021-01", "2021-02", "2021-03", "2021-04", "2021-05"]
    january = periods["2021-01"]
    assert january.counts == {"fa": 2, "en": 5}
    assert january.totals == {"fa": 10, "en": 20}
    assert january.share("fa") == pytest.approx(0.2)
    assert january.share("en") == pytest.approx(0.25)
    assert january.share() == pytest.approx(7 / 30)
    assert periods["2021-03"].share("fa") is None  # no Persian article that month at all
    assert periods["2021-03"].share("en") == pytest.approx(1.0)
    assert periods["2021-04"].count == 0 and periods["2021-04"].share() is None
    assert periods["2021-05"].share("fa") == pytest.approx(1.0)
    assert periods["2021-05"].share("en") == pytest.approx(0.2)


def test_undated_hits_are_counted_apart(known_archive):
    attention = attention_for(SearchParams(q="drought"), resolution="month")
    dated = sum(p.counts["en"] for p in attention.periods)
    assert attention.undated == UNDATED_HITS
    assert attention.count == dated + UNDATED_HITS == 14 + UNDATED_HITS


def test_a_language_filter_keeps_the_shares_of_all_archived_articles(known_archive):
    attention = attention_for(SearchParams(q="drought OR خشکسالی", language="fa"),
                              resolution="month")  # fmt: skip
    january = _by_key(attention)["2021-01"]
    assert january.counts == {"fa": 2, "en": 0}
    assert january.totals == {"fa": 10, "en": 20}


def test_solar_hijri_months_bin_by_their_own_boundaries(known_archive):
    attention = attention_for(
        SearchParams(q="drought OR خشکسالی"), resolution="month", calendar="jalali"
    )
    periods = _by_key(attention)
    # Dey 1399 runs from 21 December 2020 to 19 January 2021.
    dey = periods["1399-10"]
    assert (dey.start, dey.end) == (date(2020, 12, 21), date(2021, 1, 19))
    assert sum(p.count for p in attention.periods) == 14 + 8  # English and Persian hits
    assert sum(p.totals["fa"] + p.totals["en"] for p in attention.periods) == sum(
        fa + en for (fa, en), _hits in MONTHS.values()
    )


def test_resolution_follows_the_span_and_can_be_chosen(known_archive):
    assert automatic_resolution(1, 30) == "day"
    assert automatic_resolution(1, 300) == "week"
    assert automatic_resolution(1, 3000) == "month"
    assert automatic_resolution(1, 30000) == "year"
    automatic = attention_for(SearchParams(q="drought"))
    assert automatic.resolution == "week" and automatic.automatic
    weekly = attention_for(SearchParams(q="drought"), resolution="week")
    assert all(p.start.weekday() == 0 for p in weekly.periods)  # Monday
    jalali_weeks = attention_for(SearchParams(q="drought"), resolution="week", calendar="jalali")
    assert all(p.start.weekday() == 5 for p in jalali_weeks.periods)  # Saturday
    yearly = attention_for(SearchParams(q="drought"), resolution="year")
    assert [p.key for p in yearly.periods] == ["2021"]


def test_search_json_carries_the_attention_series_with_shares_and_undated(client, known_archive):
    response = client.get("/en/search/", {"q": "drought", "format": "json", "res": "month"})
    data = response.json()
    attention = data["attention"]
    assert attention["undated"] == UNDATED_HITS
    assert attention["resolution"] == "month"
    january = attention["periods"][0]
    assert january["start"] == "2021-01-01" and january["end"] == "2021-01-31"
    assert january["counts"] == {"fa": 0, "en": 5}
    assert january["shares"]["en"] == pytest.approx(0.25)
    assert data["version"] == 1


def test_search_page_leads_with_the_chart_whose_bars_narrow_to_their_period(client, known_archive):
    response = client.get("/en/search/", {"q": "drought", "res": "month"})
    html = response.content.decode()
    assert html.index('class="attention"') < html.index('id="results-title"')
    assert "from=2021-01-01&amp;to=2021-01-31" in html
    assert "3 undated articles are not in the chart" in html
    narrowed = client.get("/en/search/", {"q": "drought", "from": "2021-01-01",
                                          "to": "2021-01-31", "format": "json"})  # fmt: skip
    assert narrowed.json()["count"] == 5


def test_persian_interface_uses_solar_hijri_months_with_gregorian_on_hover(client, known_archive):
    response = client.get("/fa/search/attention/", {"q": "drought", "res": "month"})
    html = response.content.decode()
    assert "دی ۱۳۹۹" in html
    assert "۲۱ دسامبر ۲۰۲۰" in html  # the other calendar, in the hover title
    data = client.get("/fa/search/attention/", {"q": "drought", "format": "json"}).json()
    assert data["calendar"] == "jalali" and data["view"] == "attention"


def test_attention_csv_has_counts_totals_and_shares(client, known_archive):
    response = client.get("/en/search/attention/", {"q": "drought", "res": "month",
                                                    "format": "csv"})  # fmt: skip
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("start,end,period,count_fa,total_fa,share_fa")
    assert lines[1].startswith("2021-01-01,2021-01-31,January 2021,0,10,0.000000,5,20,0.250000")
    assert response["Content-Type"].startswith("text/csv")


def test_raw_counts_are_one_click_away(client, known_archive):
    html = client.get("/en/search/", {"q": "drought"}).content.decode()
    assert "measure=count" in html
    counted = client.get("/en/search/", {"q": "drought", "measure": "count"}).content.decode()
    assert "Matching articles over time" in counted
