"""The pages: what a researcher reads and follows, in Persian and in English."""

from __future__ import annotations

import json
from urllib.parse import unquote

import pytest
from django.contrib.auth.models import User

from tests.ui_data import build_archive

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(search_index):
    from articles.search.sync import indexing

    data = build_archive()
    indexing.rebuild()
    return data


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_empty_archive_explains_how_to_import_and_create_an_admin(client):
    html = page(client, "/fa/")
    assert "بایگانی خالی است" in html
    assert "import_articles" in html and "make admin" in html


def test_home_lists_latest_per_language_counts_and_top_entities(client, archive):
    html = page(client, "/fa/")
    assert "۳ مقاله (۱ به فارسی، ۲ به انگلیسی)" in html
    assert archive["fa"].title in html and archive["en"].title in html
    assert '<li class="item" lang="en" dir="ltr">' in html
    assert "/fa/entities/taliban/" in html


def test_language_switch_keeps_the_page_and_the_query(client, archive):
    html = page(client, "/fa/search/?q=%DA%A9%D8%A7%D8%A8%D9%84&lang=fa")
    assert 'href="/en/search/?q=%DA%A9%D8%A7%D8%A8%D9%84&amp;lang=fa"' in html
    html = page(client, "/en/sources/tolonews/")
    assert 'href="/fa/sources/tolonews/"' in html


def test_language_switch_on_an_article_goes_to_its_counterpart(client, archive):
    fa, en = archive["fa"], archive["en"]
    html = page(client, f"/en/articles/{en.pk}/{en.slug}/")
    assert f'href="/fa/articles/{fa.pk}/' in html
    assert "Read in Persian" in html and fa.title in html
    html = page(client, f"/fa/articles/{fa.pk}/{unquote(fa.get_absolute_url().split('/')[-2])}/")
    assert "خواندن به انگلیسی" in html and f'href="/en/articles/{en.pk}/' in html


def test_article_keeps_its_own_direction_inside_the_other_interface(client, archive):
    en = archive["en"]
    html = page(client, f"/fa/articles/{en.pk}/{en.slug}/")
    assert '<article class="article" lang="en" dir="ltr"' in html
    assert '<html lang="fa" dir="rtl">' in html


def test_article_shows_solar_hijri_date_in_persian_and_gregorian_in_english(client, archive):
    en = archive["en"]
    assert "۱۵ دی ۱۳۹۹" in page(client, f"/fa/articles/{en.pk}/{en.slug}/")
    assert "4 January 2021" in page(client, f"/en/articles/{en.pk}/{en.slug}/")


def test_article_links_entities_duplicates_and_citations(client, archive):
    en, duplicate = archive["en"], archive["duplicate"]
    html = page(client, f"/en/articles/{en.pk}/{en.slug}/")
    assert 'href="/en/entities/taliban/"' in html
    assert duplicate.title in html
    assert f"http://testserver/en/articles/{en.pk}/" in html
    assert "Staff reporter (2021, January 4). <cite>Peace meeting held in Kabul</cite>" in html
    assert f"/en/articles/{en.pk}/citation.bib" in html
    assert "Provenance" not in html


def test_provenance_is_shown_to_staff_who_may_view_articles(client, archive):
    from django.contrib.auth.models import Permission

    en = archive["en"]
    assert "Provenance (staff only)" not in page(client, f"/en/articles/{en.pk}/{en.slug}/")
    curator = User.objects.create_user("curator", password="pw", is_staff=True)
    curator.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.login(username="curator", password="pw")
    html = page(client, f"/en/articles/{en.pk}/{en.slug}/")
    assert "Provenance (staff only)" in html and "https://example.org/peace-meeting" in html


def test_article_with_wrong_slug_redirects_to_the_right_one(client, archive):
    en = archive["en"]
    response = client.get(f"/en/articles/{en.pk}/wrong/")
    assert response.status_code == 301 and response["Location"].endswith(f"/{en.slug}/")


def test_entity_page_has_names_articles_in_both_languages_chart_and_company(client, archive):
    html = page(client, "/fa/entities/taliban/")
    assert '<dd lang="en" dir="ltr" class="crossdir">Taliban</dd>' in html and "Taleban" in html
    assert archive["fa"].title in html and archive["en"].title in html
    assert 'role="img"' in html and "<table>" in html
    assert 'href="/fa/entities/kabul/"' in html
    assert "/fa/feeds/entities/taliban/rss/" in html


def test_source_page_has_counts_span_and_feed(client, archive):
    html = page(client, "/en/sources/tolonews/")
    assert "2 (1 in Persian, 1 in English)" in html
    assert "4 January 2021" in html and "1 February 2021" in html
    assert 'type="application/rss+xml"' in html


def test_search_shows_highlighted_snippets_in_the_article_direction(client, archive):
    html = page(client, "/en/search/?q=Taliban")
    assert "<mark>" in html
    assert '<li class="hit" lang="fa" dir="rtl">' in html
    assert '<li class="hit" lang="en" dir="ltr">' in html
    assert "/en/feeds/search/rss/?q=Taliban" in html and "/en/exports/search.csv?q=Taliban" in html


def test_a_facet_adds_a_filter_and_removes_it_again(client, archive):
    html = page(client, "/en/search/?q=kabul")
    assert 'href="?q=kabul&amp;source=pajhwok"' in html
    html = page(client, "/en/search/?q=kabul&source=pajhwok")
    assert "1 result" in html
    assert 'href="?q=kabul" aria-current="true"' in html


def test_persian_dates_are_read_in_either_calendar_and_explained(client, archive):
    html = page(
        client, "/fa/search/?q=kabul&from=%DB%B1%DB%B3%DB%B9%DB%B9/%DB%B1%DB%B0/%DB%B1%DB%B5"
    )
    assert "تاریخ هجری خورشیدی خوانده شد" in html and "۴ ژانویه ۲۰۲۱" in html
    html = page(client, "/fa/search/?q=kabul&from=2021-02-01")
    assert "۱ result" not in html and "۱ نتیجه" in html


def test_cross_language_expansion_is_announced_with_a_way_out(client, archive):
    html = page(client, "/en/search/?q=%D8%B7%D8%A7%D9%84%D8%A8%D8%A7%D9%86")
    assert "Also searching articles tagged with the same entity" in html
    assert "expand=0" in html


def test_search_json_is_the_engine_json(client, archive):
    response = client.get("/fa/search/?q=kabul&format=json")
    assert response["Content-Type"].startswith("application/json")
    data = json.loads(response.content)
    assert data["count"] == 3 and {"results", "facets"} <= set(data)


def test_search_chart_has_a_title_and_a_table(client, archive):
    html = page(client, "/en/search/?q=kabul&res=month")
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart attention-chart"' in html
    assert '<title id="attention-title">Attention over time</title>' in html
    assert ">January 2021</a></th><td>1</td><td>1</td><td>100.0%</td><td>1</td>" in html


def test_help_page_explains_syntax_in_both_languages(client):
    assert "title:" in page(client, "/en/help/") and "نحو جست‌وجو" in page(client, "/fa/help/")


def test_search_paginates_and_keeps_the_query(client, archive):
    html = page(client, "/en/search/?q=kabul&per_page=1")
    assert "Page 1 of 3" in html and 'href="?q=kabul&amp;per_page=1&amp;page=2"' in html
    html = page(client, "/fa/search/?q=kabul&per_page=1&page=2")
    assert "صفحهٔ ۲ از ۳" in html and 'rel="prev"' in html


def test_all_articles_of_a_language_newest_first_without_a_query(client, archive):
    html = page(client, "/en/search/?lang=en&sort=newest")
    assert html.index(archive["duplicate"].title) < html.index(archive["en"].title)
    assert archive["fa"].title not in html.split('class="hits"')[1].split("</ol>")[0]


def test_language_switch_on_a_404_keeps_the_address(client, db):
    response = client.get("/fa/entities/no-such/?x=1")
    assert response.status_code == 404
    assert 'href="/en/entities/no-such/?x=1"' in response.content.decode()


def test_a_misspelt_query_gets_a_suggestion(client, archive):
    html = page(client, "/fa/search/?q=kabol")
    assert 'آیا منظورتان این بود: <a href="?q=kabul"' in html


@pytest.mark.parametrize(
    ("path", "feed"),
    [
        ("/fa/", "/fa/feeds/latest/rss/"),
        ("/en/search/?q=kabul&page=2", "/en/feeds/search/rss/?q=kabul"),
        ("/fa/sources/tolonews/", "/fa/feeds/sources/tolonews/rss/"),
        ("/en/entities/taliban/", "/en/feeds/entities/taliban/atom/"),
    ],
)
def test_pages_announce_their_feeds(client, archive, path, feed):
    head = page(client, path).split("</head>")[0]
    assert 'rel="alternate" type="application/' in head and f'href="{feed}"' in head
