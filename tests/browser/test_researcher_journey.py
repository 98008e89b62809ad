"""A researcher's session in headless Chromium against the app on loopback.

Searches in Persian and English, follows a facet, an article, its counterpart and the language
switch, checks direction as the browser computes it, and saves full-page screenshots of every
page in both languages to test-artifacts/screenshots/ (look at them: they are the review).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui_data import build_archive

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is absent"),
]


@pytest.fixture
def browser_page(monkeypatch):
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API keeps an event loop in this thread; the ORM calls the test makes
    # afterwards are still synchronous and safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        page = context.new_page()
        page.set_default_timeout(20_000)
        yield page
        context.close()
        browser.close()


@pytest.fixture
def archive(transactional_db, search_index):
    from articles.search.sync import indexing

    data = build_archive()
    indexing.rebuild()
    return data


OVERFLOWING = """() => [...document.querySelectorAll('body *')]
  .filter(e => { const r = e.getBoundingClientRect(); return r.right > 360.5 || r.left < -0.5; })
  .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + e.getBoundingClientRect().width)"""


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def direction_of(page, selector: str) -> str:
    return page.eval_on_selector(selector, "element => getComputedStyle(element).direction")


def test_researcher_journey_in_persian_and_english(live_server, archive, browser_page):
    page = browser_page
    base = live_server.url

    # Persian interface: search in Persian, right to left.
    page.goto(f"{base}/fa/")
    assert page.get_attribute("html", "dir") == "rtl"
    assert direction_of(page, "main") == "rtl"
    shot(page, "fa-home")
    page.fill("#id_q", "کابل")
    page.click("form.search-box button[type=submit]")
    page.wait_for_url("**/fa/search/?q=*")
    # Three results; the copy of the English story is folded under it ("and 1 copy").
    assert page.locator("li.hit").count() == 2
    assert page.locator("details.copies").count() == 1
    shot(page, "fa-search")

    # A facet narrows the results; choosing it again removes it.
    page.click(".facet a:has-text('پژواک')")
    page.wait_for_url("**source=pajhwok*")
    assert page.locator("li.hit").count() == 1
    page.click(".facet a.selected")
    page.wait_for_function("!location.search.includes('source=')")

    # An English article inside the Persian interface keeps its own direction.
    english = archive["en"]
    page.goto(f"{base}/fa/articles/{english.pk}/{english.slug}/")
    assert direction_of(page, "article.article") == "ltr"
    assert direction_of(page, "header.site-header") == "rtl"
    shot(page, "fa-article-en")

    # The counterpart link leads to the Persian version, right to left.
    page.click("p.counterpart a")
    page.wait_for_url(f"**/fa/articles/{archive['fa'].pk}/**")
    assert direction_of(page, "article.article") == "rtl"
    shot(page, "fa-article-fa")

    # The language switch on an article goes to its counterpart in the other language.
    page.click("nav.lang-switch a")
    page.wait_for_url(f"**/en/articles/{english.pk}/**")
    assert page.get_attribute("html", "lang") == "en"
    assert direction_of(page, "main") == "ltr"
    shot(page, "en-article-en")

    # English interface: search in English; the switch keeps the query.
    page.goto(f"{base}/en/search/?q=Taliban&sort=newest&dups=show")
    assert page.locator("li.hit").count() == 3
    assert direction_of(page, "li.hit[lang=fa]") == "rtl"
    shot(page, "en-search")
    page.click("nav.lang-switch a")
    page.wait_for_url("**/fa/search/?q=Taliban&sort=newest&dups=show")
    assert page.input_value("#id_q") == "Taliban"

    # The remaining pages, in both languages.
    for language in ("fa", "en"):
        for name, path in (
            ("entity", "/entities/taliban/"),
            ("source", "/sources/tolonews/"),
            ("help", "/help/"),
            ("search-dates", "/search/?q=peace&from=۱۳۹۹/۱۰/۱۰&to=2021-03"),
            ("404", "/entities/no-such-entity/"),
        ):
            page.goto(f"{base}/{language}{path}")
            assert page.locator("h1").count() == 1
            shot(page, f"{language}-{name}")
        if language == "en":
            page.goto(f"{base}/en/")
            shot(page, "en-home")

    # Narrow screens: nothing wider than the viewport.
    page.set_viewport_size({"width": 360, "height": 800})
    for language in ("fa", "en"):
        page.goto(f"{base}/{language}/search/?q=kabul")
        shot(page, f"{language}-search-360")
        width = page.evaluate("document.documentElement.scrollWidth")
        wide = page.evaluate(OVERFLOWING)
        assert width <= 360, f"{language} search page is {width}px wide at 360px: {wide}"


def test_search_works_with_javascript_off(live_server, archive, browser_page):
    context = browser_page.context.browser.new_context(
        java_script_enabled=False, extra_http_headers={"Accept-Language": "fa-IR,fa;q=0.9"}
    )
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/")
        assert page.url.endswith("/fa/")  # the first visit follows Accept-Language
        page.fill("#id_q", "Taliban")
        page.click("form.search-box button[type=submit]")
        page.wait_for_url("**/fa/search/?q=Taliban")
        assert page.locator("li.hit").count() == 2  # and one copy, folded
        page.click("details.copies summary")
        assert page.locator("details.copies li").is_visible()
        page.click(".facet a:has-text('فارسی')")
        page.wait_for_url("**lang=fa*")
        assert page.locator("li.hit").count() == 1
        page.click("details.explanation summary")
        assert page.locator("details.explanation dl").is_visible()
        page.select_option("#id_sort", "oldest")
        page.fill("#id_from", "۱۳۹۹/۱۰/۰۱")
        page.click("fieldset.filters button[type=submit]")
        page.wait_for_url("**sort=oldest*")
        assert "lang=fa" in page.url  # the chosen facet survives the form
        assert page.locator(".date-notes li").count() == 1
    finally:
        context.close()
