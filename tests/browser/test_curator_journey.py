"""A curator's session in headless Chromium, then the Persian interface at phone width.

Links a Persian and an English article with the counterpart picker, merges two entities
through the confirmation page and follows the old address, checks the changelist layout at
1,280 px, and that Persian pages use the vendored Vazirmatn font and show example dates left to
right. Screenshots go to test-artifacts/screenshots/ (look at them: they are the review).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.browser.test_researcher_journey import (  # noqa: F401 - fixtures
    ARGS,
    CHROMIUM,
    OVERFLOWING,
    SHOTS,
    archive,
    browser_page,
    shot,
)
from tests.factories import make_article, make_entity, tag

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is absent"),
]

PROBE = """text => Object.fromEntries(['Vazirmatn, serif', 'serif', '"DejaVu Sans"'].map(f => {
  const s = document.createElement('span'); s.textContent = text; s.style.fontFamily = f;
  s.style.fontSize = '32px'; document.body.append(s);
  const w = s.getBoundingClientRect().width; s.remove(); return [f, w]; }))"""
ISO_DATES_IN_NOTICES = """() => [...document.querySelectorAll('.notice bdi[dir=ltr]')]
  .map(b => { const t = b.firstChild; const at = i => { const r = document.createRange();
    r.setStart(t, i); r.setEnd(t, i + 1); return r.getBoundingClientRect(); };
    const a = at(0), z = at(t.length - 1);
    return [a.top === z.top ? a.left : -1, a.top === z.top ? z.left : 0, b.textContent]; })"""
LONG_TITLE = (
    "Provincial officials in Herat and Farah report that the new irrigation canal has reached "
    "the villages of the western districts after three years of work"
)


@pytest.fixture
def curator(live_server, archive, browser_page):  # noqa: F811
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("curator", "c@example.org", "pw-secret-123")
    page = browser_page
    page.goto(f"{live_server.url}/fa/admin/login/?next=/fa/admin/")
    page.fill("#id_username", "curator")
    page.fill("#id_password", "pw-secret-123")
    page.click("input[type=submit]")
    page.wait_for_url("**/fa/admin/")
    return page


def test_curator_links_counterparts_with_the_picker_and_merges_entities(live_server, curator):
    from playwright.sync_api import expect

    from articles.models import Article, Entity

    page, base = curator, live_server.url
    persian = make_article(language="fa", title="بازگشایی پل تاریخی هرات")
    english = make_article(language="en", title="Historic Herat bridge reopens")
    make_article(language="fa", title="Herat bridge in a Persian article")  # not offered

    # 1-2. The picker searches the other language only; saving links both ways.
    page.goto(f"{base}/fa/admin/articles/article/{persian.pk}/change/")
    assert page.get_attribute("html", "dir") == "rtl"
    page.click(".field-counterpart .select2-selection")
    page.fill(".select2-search__field", "bridge")
    options = page.locator(".select2-results__option:not(.loading-results)")
    expect(options).to_have_count(1)  # retried until the typed search has answered
    assert "Historic Herat bridge reopens" in options.first.inner_text()
    shot(page, "fa-admin-counterpart-picker")
    options.first.click()
    page.click("input[name=_save]")
    page.wait_for_url("**/fa/admin/articles/article/")
    assert Article.objects.get(pk=english.pk).counterpart_id == persian.pk
    assert Article.objects.get(pk=persian.pk).counterpart_id == english.pk

    # 3. Merge: the confirmation page shows what moves; the curator's choice survives.
    older = make_entity(name_en="Herat city", name_fa="شهر هرات", slug="herat-city")
    chosen = make_entity(name_en="Herat", name_fa="هرات", slug="herat")
    tag(persian, older)
    page.goto(f"{base}/fa/admin/articles/entity/?q=herat")
    for entity in (older, chosen):
        page.check(f"input[name=_selected_action][value='{entity.pk}']")
    page.select_option("select[name=action]", "merge_entities")
    page.click("button[name=index]")
    page.wait_for_selector("table.merge-table")
    assert page.locator("table.merge-table tbody tr").count() == 2
    assert "شهر هرات" in page.inner_text("table.merge-table")
    shot(page, "fa-admin-merge-confirmation")
    page.check(f"#survivor-{chosen.pk}")
    with page.expect_navigation():
        page.click("input[type=submit].default")
    expect(page.locator("ul.messagelist")).to_contain_text("هرات")
    assert list(Entity.objects.filter(slug__startswith="herat").values_list("slug", flat=True)) == [
        "herat"
    ]
    page.goto(f"{base}/fa/entities/herat-city/")
    assert page.url == f"{base}/fa/entities/herat/"
    assert page.locator("h1").inner_text() == "هرات"


def test_admin_changelist_keeps_long_titles_readable_and_dates_solar_hijri(live_server, curator):
    page, base = curator, live_server.url
    make_article(language="en", title=LONG_TITLE, published_at=datetime(2021, 1, 4, tzinfo=UTC))
    persian = make_article(language="fa", title="گزارش " * 12, body="متن فارسی خبر در مدیریت.")
    page.set_viewport_size({"width": 1280, "height": 900})
    for language in ("en", "fa"):
        page.goto(f"{base}/{language}/admin/articles/article/")
        shot(page, f"{language}-admin-changelist-1280")
        cell = page.locator("#result_list td.field-title, #result_list th.field-title").filter(
            has_text="irrigation canal"
        )
        width = cell.evaluate("e => e.getBoundingClientRect().width")
        lines = cell.evaluate("e => e.querySelector('a').getClientRects().length")
        assert width >= 300, f"{language}: title column {width}px wide"
        assert lines <= 4, f"{language}: the 150-character title wraps into {lines} lines"
        short = page.locator("#result_list .field-title a", has_text="Peace meeting held")
        assert short.evaluate("e => e.getClientRects().length") == 1
    assert "۱۵ دی ۱۳۹۹" in page.inner_text("#result_list")  # fa, last
    page.goto(f"{base}/en/admin/articles/article/{persian.pk}/change/")
    assert page.eval_on_selector(".article-text", "e => getComputedStyle(e).direction") == "rtl"
    shot(page, "en-admin-persian-article")


def test_persian_pages_use_vazirmatn_and_show_dates_left_to_right(
    live_server,
    archive,  # noqa: F811
    browser_page,  # noqa: F811
):
    page, base = browser_page, live_server.url
    for _ in range(17):
        tag(make_article(language="fa", body="طالبان"), archive["taliban"])
    withdrawn = make_article(title="Secret title", body="Secret body.", status="hidden")
    page.set_viewport_size({"width": 360, "height": 800})
    for language in ("fa", "en"):
        page.goto(f"{base}/{language}/search/?q=date:1399..1398+peace&from=abc")
        page.evaluate("document.fonts.ready")
        assert page.get_attribute("html", "dir") == ("rtl" if language == "fa" else "ltr")
        # "2021-01-04" reads left to right: its first digit is left of its last.
        order = page.evaluate(
            """() => { const b = [...document.querySelectorAll('#date-help bdi')]
                 .find(e => e.textContent === '2021-01-04'); const t = b.firstChild;
               const at = i => { const r = document.createRange(); r.setStart(t, i);
                 r.setEnd(t, i + 1); return r.getBoundingClientRect().left; };
               return [at(0), at(9)]; }"""
        )
        assert order[0] < order[1], f"{language}: 2021-01-04 drawn right to left"
        # So do the dates the notices name (isolated left to right, never broken).
        for first, last, text in page.evaluate(ISO_DATES_IN_NOTICES):
            assert first < last, f"{language}: {text} drawn right to left"
        shot(page, f"{language}-search-notices-360")
        page.screenshot(path=str(SHOTS / f"{language}-search-notices-360-top.png"))
        response = page.goto(f"{base}/{language}/articles/{withdrawn.pk}/")
        assert response.status == 410 and page.locator("h1").count() == 1
        assert "Secret" not in page.content()
        shot(page, f"{language}-withdrawn-360")
        page.goto(f"{base}/{language}/entities/taliban/")
        page.evaluate("document.fonts.ready")
        assert page.locator("nav.pagination").count() >= 1
        width = page.evaluate("document.documentElement.scrollWidth")
        wide = page.evaluate(OVERFLOWING)
        assert width <= 360, f"{language} entity page is {width}px wide: {wide}"
        shot(page, f"{language}-entity-paged-360")
        if language == "fa":
            loaded = page.evaluate(
                "() => [...document.fonts].filter(f => f.family.includes('Vazirmatn'))"
                ".map(f => f.status)"
            )
            assert "loaded" in loaded, loaded
            family = page.eval_on_selector("h1 bdi", "e => getComputedStyle(e).fontFamily")
            assert family.strip('"').startswith("Vazirmatn"), family
            # Drawn in Vazirmatn, not a fallback: the same words take another width.
            widths = page.evaluate(PROBE, "گفت‌وگوی صلح در کابل")
            assert widths["Vazirmatn, serif"] != widths["serif"], widths
            assert widths["Vazirmatn, serif"] != widths['"DejaVu Sans"'], widths
            page.set_content(
                "<link rel=stylesheet href='" + base + "/static/css/site.css'>"
                "<p lang=fa style='font-size:32px'>گفت‌وگوی صلح در کابل (Vazirmatn)</p>"
                "<p style='font-size:32px;font-family:\"DejaVu Sans\"'>گفت‌وگوی صلح در کابل</p>"
            )
            page.evaluate("document.fonts.ready")
            page.screenshot(path=str(SHOTS / "fa-font-probe.png"))
