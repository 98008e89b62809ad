"""The hostile archive of tests/test_xss.py in headless Chromium: every page that shows the
imported vectors is loaded and no script of theirs runs (no dialog opens, `window.__xss` stays
undefined, in frames too) and the Content Security Policy never has to step in, because
nothing hostile reaches the page. Exports are downloads, never rendered as pages."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from tests.browser.test_researcher_journey import CHROMIUM, browser_page  # noqa: F401 (fixture)
from tests.test_xss import admin_urls, build_hostile_archive, feed_urls, pages_to_check

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is absent"),
]

PROBE = """() => {
  const frames = [...document.querySelectorAll('iframe, frame, object, embed')].length;
  return {flag: typeof window.__xss === 'undefined' ? null : String(window.__xss), frames};
}"""


def _login(page, base: str, client: Client) -> None:
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base}]
    )


def test_no_hostile_vector_runs_script_in_chromium(
    live_server,
    transactional_db,
    search_index,
    browser_page,  # noqa: F811 (the fixture imported above)
    tmp_path,
):
    from playwright.sync_api import Error as PlaywrightError

    hostile = build_hostile_archive(tmp_path)
    page, base = browser_page, live_server.url
    _login(page, base, hostile["client"])  # the admin pages too
    dialogs, csp, current = [], [], {"url": ""}
    page.on("dialog", lambda dialog: (dialogs.append((current["url"], dialog.message)),
                                      dialog.dismiss()))  # fmt: skip
    page.on(
        "console",
        lambda message: csp.append((current["url"], message.text))
        if "Content Security Policy" in message.text else None,
    )  # fmt: skip

    public = pages_to_check(languages=("en", "fa"))
    admin = admin_urls()[:12]
    feeds = [url for url in feed_urls() if "latest" in url or "window" in url][:6]
    visited = 0
    for url in [*public, *admin, *feeds]:
        current["url"] = url
        response = page.goto(base + url, wait_until="load")
        assert response is not None and response.status == 200, url
        page.wait_for_timeout(30)  # let late error/load handlers fire
        probe = page.evaluate(PROBE)
        assert probe["flag"] is None, (url, probe)
        assert probe["frames"] == 0, (url, probe)
        visited += 1
    for url in ("/en/exports/search.csv?q=window&limit=50", "/fa/exports/search.jsonl?q=books"):
        with pytest.raises(PlaywrightError, match="Download is starting"):
            page.goto(base + url)
    print(f"\nxss in chromium: {visited} pages loaded, {len(dialogs)} dialogs, "
          f"{len(csp)} CSP reports")  # fmt: skip
    assert not dialogs, dialogs[:5]
    public_csp = [(url, text) for url, text in csp if "/admin/" not in url]
    assert not public_csp, public_csp[:5]
