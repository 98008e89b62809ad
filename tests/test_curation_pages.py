"""What curation looks like: withdrawn articles on the public pages, and dates, layout and
direction in the admin."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import translation

from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db


# 13. Withdrawn articles


@pytest.mark.parametrize(
    "language, notice", [("en", "Withdrawn from the archive"), ("fa", "از آرشیو برداشته شد")]
)
def test_withdrawn_article_answers_410_without_its_title_or_text(client, language, notice):
    article = make_article(title="A secret title", body="The secret body.", status="hidden")
    for path in (f"/{language}/articles/{article.pk}/{article.slug}/",
                 f"/{language}/articles/{article.pk}/"):  # fmt: skip
        response = client.get(path)
        html = response.content.decode()
        assert response.status_code == 410
        assert notice in html
        assert "A secret title" not in html and "The secret body" not in html
    assert client.get(f"/{language}/articles/{article.pk + 1000}/").status_code == 404


def test_draft_article_is_still_not_found(client):
    article = make_article(status="draft")
    assert client.get(f"/en/articles/{article.pk}/").status_code == 404


def test_duplicate_of_a_hidden_original_shows_no_empty_same_story_heading(client):
    original = make_article(status="hidden")
    copy = make_article(duplicate_of=original)
    html = client.get(copy.get_absolute_url()).content.decode()
    assert "The same story elsewhere" not in html
    Article.objects.filter(pk=original.pk).update(status="published")
    html = client.get(copy.get_absolute_url()).content.decode()
    assert "The same story elsewhere" in html


# 5. Dates, layout and direction in the admin


def test_persian_admin_lists_solar_hijri_dates_with_the_gregorian_date_on_hover(staff_client):
    make_article(language="en", published_at=datetime(2021, 1, 4, 8, 0, tzinfo=UTC))
    with translation.override("fa"):
        url = reverse("admin:articles_article_changelist")
    html = staff_client.get(url).content.decode()
    assert '<time datetime="2021-01-04T12:30:00+04:30" title="۴ ژانویه ۲۰۲۱ ۱۲:۳۰">' in html
    assert "۱۵ دی ۱۳۹۹، ۱۲:۳۰</time>" in html
    with translation.override("en"):
        url = reverse("admin:articles_article_changelist")
    assert "4 January 2021, 12:30</time>" in staff_client.get(url).content.decode()


def test_article_change_form_shows_its_timestamps_in_the_persian_calendar(staff_client):
    article = make_article(language="fa")
    with translation.override("fa"):
        url = reverse("admin:articles_article_change", args=[article.pk])
    html = staff_client.get(url).content.decode()
    created = re.search(r'field-created.*?<div class="readonly">(.*?)</div>', html, re.S)
    assert created and re.search(r"<time [^>]*title=\"[۰-۹]+ [^\"]+\">[۰-۹]+ ", created.group(1))


def test_persian_text_in_the_english_admin_is_set_right_to_left(staff_client):
    article = make_article(language="fa", body="متن فارسی خبر.\n\nبند دوم.")
    with translation.override("en"):
        url = reverse("admin:articles_article_change", args=[article.pk])
    html = staff_client.get(url).content.decode()
    assert '<div class="article-text" lang="fa" dir="rtl"><p>متن فارسی خبر.</p>' in html
    assert re.search(r'<textarea[^>]*name="summary"[^>]*dir="auto"|<textarea[^>]*dir="auto"[^>]*'
                     r'name="summary"', html)  # fmt: skip
    assert re.search(r'<input[^>]*name="title"[^>]*dir="auto"|<input[^>]*dir="auto"[^>]*'
                     r'name="title"', html)  # fmt: skip


def test_article_changelist_gives_titles_room_instead_of_wrapping_them(staff_client):
    html = staff_client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert 'href="/static/css/admin.css"' in html
    css = open(finders.find("css/admin.css"), encoding="utf-8").read()  # noqa: SIM115
    assert "#result_list th.field-title, #result_list td.field-title { min-width: 24em" in css
