"""The article page in Chromium: the original publication is linked for every visitor, and the
cite line names it (outlet, byline, date, original URL) before the archived copy and the date of
access, in English and in Persian (Solar Hijri, right to left)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from articles.models import Article
from tests.browser.test_researcher_journey import (  # noqa: F401 - fixtures
    archive,
    browser_page,
    direction_of,
    shot,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ORIGINAL_FA = "https://tolonews.example/fa/peace-meeting-kabul"


def test_original_link_and_cite_line_for_an_anonymous_reader(
    live_server,
    archive,  # noqa: F811 - the fixtures imported above
    browser_page,  # noqa: F811
):
    page = browser_page
    base = live_server.url
    english = archive["en"]
    page.goto(f"{base}/en/articles/{english.pk}/{english.slug}/")
    link = page.locator("p.original a")
    assert link.get_attribute("href") == "https://example.org/peace-meeting"
    assert "noopener" in link.get_attribute("rel")
    assert direction_of(page, "p.original a") == "ltr"
    cite = page.locator("p.cite-line").inner_text()
    today = timezone.localdate()
    assert cite.startswith(
        "Staff reporter (2021, January 4). Peace meeting held in Kabul. Pajhwok."
    )
    assert "https://example.org/peace-meeting" in cite
    assert f"Retrieved {today:%B} {today.day}, {today.year}, from {base}/en/articles/" in cite
    assert page.locator("section.provenance").count() == 0  # no staff session
    shot(page, "en-article-citation")

    persian = archive["fa"]
    Article.objects.filter(pk=persian.pk).update(original_url=ORIGINAL_FA)
    page.goto(f"{base}/fa/articles/{persian.pk}/{persian.slug}/")
    assert page.locator("p.original a").get_attribute("href") == ORIGINAL_FA
    assert direction_of(page, "p.cite-line") == "rtl"
    cite = page.locator("p.cite-line").inner_text()
    assert cite.startswith("گزارشگر طلوع (۱۳۹۹، ۱۵ دی). نشست صلح در کابل برگزار شد.")
    assert ORIGINAL_FA in cite and "بازیابی‌شده در" in cite and f"{base}/fa/articles/" in cite
    shot(page, "fa-article-citation")
