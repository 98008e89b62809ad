"""Counterparts kept in pairs through the admin's article form, and the counterpart picker."""

from __future__ import annotations

import pytest
from django.urls import reverse

from articles import services
from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def _change_form(article: Article, **changes) -> dict:
    """The article's change form as the admin posts it, with `changes` applied."""
    data = {
        "title": article.title,
        "slug": article.slug,
        "source": article.source_id,
        "language": article.language,
        "status": article.status,
        "summary": article.summary,
        "body_html": article.body_html,
        "original_url": article.original_url,
        "canonical_url": article.canonical_url,
        "external_id": article.external_id,
        "byline": article.byline,
        "published_at_0": "2021-01-05",
        "published_at_1": "10:00:00",
        "counterpart": article.counterpart_id or "",
        "duplicate_of": article.duplicate_of_id or "",
        "tags-TOTAL_FORMS": "0",
        "tags-INITIAL_FORMS": "0",
        "tags-MIN_NUM_FORMS": "0",
        "tags-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def _save(client, article: Article, **changes):
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = client.post(url, _change_form(article, **changes))
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


def _pairs() -> dict[int, int | None]:
    return dict(Article.objects.values_list("pk", "counterpart_id"))


# 1. Counterparts set in the article form


def test_counterpart_chosen_in_the_article_form_points_both_ways(staff_client):
    fa, en = make_article(language="fa"), make_article(language="en")
    _save(staff_client, fa, counterpart=en.pk)
    assert _pairs() == {fa.pk: en.pk, en.pk: fa.pk}


def test_clearing_the_counterpart_in_the_form_clears_both_sides(staff_client):
    fa, en = make_article(language="fa"), make_article(language="en")
    services.articles_link_counterparts(fa, en)
    fa.refresh_from_db()
    _save(staff_client, fa, counterpart="")
    assert _pairs() == {fa.pk: None, en.pk: None}


def test_clearing_on_the_other_side_of_a_pair_clears_both(staff_client):
    fa, en = make_article(language="fa"), make_article(language="en")
    _save(staff_client, fa, counterpart=en.pk)
    en.refresh_from_db()
    _save(staff_client, en, counterpart="")
    assert _pairs() == {fa.pk: None, en.pk: None}


def test_repointing_the_counterpart_to_an_article_paired_elsewhere_re_pairs_all_four(staff_client):
    fa, en = make_article(language="fa"), make_article(language="en")
    other_fa, other_en = make_article(language="fa"), make_article(language="en")
    _save(staff_client, fa, counterpart=en.pk)
    other_fa.refresh_from_db()
    _save(staff_client, other_fa, counterpart=other_en.pk)
    fa.refresh_from_db()
    _save(staff_client, fa, counterpart=other_en.pk)
    assert _pairs() == {fa.pk: other_en.pk, other_en.pk: fa.pk, en.pk: None, other_fa.pk: None}


def test_counterpart_in_the_same_language_is_refused_by_the_form(staff_client):
    first, second = make_article(language="en"), make_article(language="en")
    url = reverse("admin:articles_article_change", args=[first.pk])
    response = staff_client.post(url, _change_form(first, counterpart=second.pk))
    assert response.status_code == 200
    assert "other language" in response.content.decode()
    assert _pairs() == {first.pk: None, second.pk: None}


# 2. The counterpart picker


def test_article_page_offers_a_picker_that_searches_the_other_language(staff_client):
    fa = make_article(language="fa", title="انتخابات کابل")
    en = make_article(language="en", title="Kabul election results")
    make_article(language="fa", title="Kabul election in Persian title")
    page = staff_client.get(reverse("admin:articles_article_change", args=[fa.pk]))
    html = page.content.decode()
    picker_url = reverse("admin:articles_article_counterpart_search")
    assert f'data-ajax--url="{picker_url}?language=en&amp;exclude={fa.pk}"' in html

    found = staff_client.get(picker_url, {"language": "en", "exclude": fa.pk, "term": "election"})
    assert [row["id"] for row in found.json()["results"]] == [str(en.pk)]
    digits = str(en.pk).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    by_id = staff_client.get(picker_url, {"language": "en", "term": f"#{digits}"}).json()
    assert [row["id"] for row in by_id["results"]] == [str(en.pk)]
    assert by_id["results"][0]["text"].startswith(f"#{en.pk} · \u2068Kabul election results\u2069")


def test_picker_finds_persian_titles_typed_with_arabic_letters(staff_client):
    fa = make_article(language="fa", title="سفر رئیس جمهور به کابل")
    url = reverse("admin:articles_article_counterpart_search")
    found = staff_client.get(url, {"language": "fa", "term": "رئيس"}).json()
    assert [row["id"] for row in found["results"]] == [str(fa.pk)]


def test_picker_needs_a_staff_user(client):
    response = client.get(reverse("admin:articles_article_counterpart_search"), {"term": "a"})
    assert response.status_code == 302
