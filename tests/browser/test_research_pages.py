"""The research workbench in headless Chromium against the app on loopback: every page in
Persian and English, at desktop width and at 360 px, with full-page screenshots written to
test-artifacts/screenshots/research-*.png; a click on a bar of the attention chart lands on the
search narrowed to that period."""

from __future__ import annotations

import pytest

from tests.browser.test_researcher_journey import (  # noqa: F401 - the shared browser fixture
    CHROMIUM,
    SHOTS,
    browser_page,
)
from tests.research_data import build_research_archive

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is absent"),
]

PAGES = (
    ("search", "/search/?q=drought+OR+خشکسالی&res=week"),
    ("attention", "/search/attention/?q=kabul+OR+drought+OR+خشکسالی"),
    ("terms", "/search/terms/?q=drought"),
    ("kwic-en", "/search/kwic/?q=wheat&sort=right"),
    ("kwic-fa", "/search/kwic/?q=گندم+OR+wheat"),
    ("comentions", "/search/comentions/?entity=taliban"),
    ("compare", "/compare/?q=drought+lang:en&q=خشکسالی+lang:fa&q=kabul"),
    ("advanced", "/search/advanced/"),
)
WIDER_THAN_PAGE = "() => document.documentElement.scrollWidth - window.innerWidth"
OUTSIDE = """() => [document.documentElement.scrollWidth, document.documentElement.clientWidth,
  ...[...document.querySelectorAll('body *')]
  .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX == 'visible')
  .slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + e.scrollWidth)]"""


@pytest.fixture
def archive(transactional_db, search_index):
    from articles.search.sync import indexing

    data = build_research_archive()
    indexing.rebuild()
    return data


def test_every_research_page_in_both_languages_at_desktop_and_phone_width(
    live_server,
    archive,
    browser_page,  # noqa: F811 - the fixture imported above
):
    page = browser_page
    for width, suffix in ((1200, ""), (360, "-360")):
        page.set_viewport_size({"width": width, "height": 900})
        for language in ("fa", "en"):
            for name, path in PAGES:
                response = page.goto(f"{live_server.url}/{language}{path}")
                assert response.status == 200, (language, path)
                assert page.locator("h1").count() == 1
                expected = "rtl" if language == "fa" else "ltr"
                assert page.get_attribute("html", "dir") == expected
                page.screenshot(
                    path=str(SHOTS / f"research-{language}-{name}{suffix}.png"), full_page=True
                )
                assert page.evaluate(WIDER_THAN_PAGE) <= 1, page.evaluate(OUTSIDE)


def test_concordance_aligns_each_line_on_its_keyword_in_its_own_direction(
    live_server,
    archive,
    browser_page,  # noqa: F811
):
    page = browser_page
    page.goto(f"{live_server.url}/fa/search/kwic/?q=گندم+OR+wheat")
    rtl = page.locator("tr.kwic-rtl").first
    ltr = page.locator("tr.kwic-ltr").first
    # In a Persian line the words before the keyword stand to its right; in English, left.
    rtl_before = rtl.locator(".kwic-left").bounding_box()
    rtl_key = rtl.locator(".kwic-key").bounding_box()
    assert rtl_before["x"] > rtl_key["x"]
    ltr_before = ltr.locator(".kwic-left").bounding_box()
    ltr_key = ltr.locator(".kwic-key").bounding_box()
    assert ltr_before["x"] < ltr_key["x"]


@pytest.mark.parametrize("language", ["en", "fa"])
def test_clicking_a_bar_narrows_the_search_to_its_period(
    live_server,
    archive,
    browser_page,  # noqa: F811
    language,
):
    page = browser_page
    page.goto(f"{live_server.url}/{language}/search/?q=drought&res=day")
    bars = page.locator("svg.attention-chart a.bar-link")
    assert bars.count() == 6  # one per day, 1 to 6 March 2021
    bars.nth(2).click()
    page.wait_for_url("**from=2021-03-03**")
    assert "to=2021-03-03" in page.url
    assert page.locator("li.hit").count() == 1
    assert "Drought in Herat 2" in page.locator("li.hit").first.inner_text()
    page.screenshot(path=str(SHOTS / f"research-{language}-narrowed.png"), full_page=True)


def test_copies_fold_and_unfold_without_script(
    live_server,
    archive,
    browser_page,  # noqa: F811
):
    page = browser_page
    page.goto(f"{live_server.url}/en/search/?q=kabul+peace&op=or")  # any of the words
    assert page.locator("li.hit").count() == 2
    copies = page.locator("details.copies")
    assert not copies.locator("li").first.is_visible()
    copies.locator("summary").click()
    assert copies.locator("li").first.is_visible()
