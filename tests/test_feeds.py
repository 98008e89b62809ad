"""RSS/Atom feeds: validity, item fields, languages, limits, conditional GET, bad input."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import feedparser
import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import translation

from articles.models import Article, ArticleEntity, Entity, Source
from articles.outputs.feeds import FEED_MAX_LIMIT, article_guid
from articles.outputs.searching import clamp_limit
from articles.search import engine
from articles.search.engine import params_from_query, search_articles
from articles.search.sync import indexing

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
TRICKY_TITLE = "Tom & Jerry <b>not bold</b> > 3"
PERSIAN_TITLE = "گفت‌وگوی «صلح» در کابل؛ ۱۳۹۹ & <آینده>"
FEEDS = [
    ("feed_latest_rss", {}),
    ("feed_latest_atom", {}),
    ("feed_source_rss", {"slug": "tolo"}),
    ("feed_source_atom", {"slug": "tolo"}),
    ("feed_entity_rss", {"slug": "kabul"}),
    ("feed_entity_atom", {"slug": "kabul"}),
]


def make_source(slug: str = "tolo", **fields) -> Source:
    fields.setdefault("name_en", "TOLOnews")
    fields.setdefault("name_fa", "طلوع‌نیوز")
    return Source.objects.create(slug=slug, **fields)


def make_article(source: Source, title: str, *, language: str = "en", days_ago: int = 0, **fields):
    fields.setdefault("status", Article.Status.PUBLISHED)
    fields.setdefault(
        "published_at", datetime(2021, 1, 4, 10, tzinfo=UTC) - timedelta(days=days_ago)
    )
    fields.setdefault("body_text", f"{title}. Body text of the article about {title}.")
    return Article.objects.create(source=source, language=language, title=title, **fields)


def tag(article: Article, entity: Entity, mentions: int = 1) -> None:
    ArticleEntity.objects.create(article=article, entity=entity, mentions=mentions)


@pytest.fixture
def archive(db):
    source = make_source()
    kabul = Entity.objects.create(slug="kabul", name_en="Kabul", name_fa="کابل", kind="place")
    english = make_article(source, TRICKY_TITLE, byline="By Jane Roe")
    persian = make_article(source, PERSIAN_TITLE, language="fa", days_ago=1)
    make_article(source, "A draft nobody may see", status=Article.Status.DRAFT)
    tag(english, kabul)
    tag(persian, kabul)
    return {"source": source, "kabul": kabul, "en": english, "fa": persian}


def url(name: str, kwargs: dict | None = None, language: str = "en", query: str = "") -> str:
    with translation.override(language):
        path = reverse(f"articles:{name}", kwargs=kwargs)
    return f"{path}?{query}" if query else path


def fetch(client, name, kwargs=None, language="en", query="", **headers):
    response = client.get(url(name, kwargs, language, query), headers=headers)
    assert response.status_code == 200, response.content[:300]
    return response


def check_strictly(content: bytes, atom: bool) -> ET.Element:
    root = ET.fromstring(content)
    if atom:
        assert root.tag == f"{ATOM}feed"
        for name in ("title", "id", "updated"):
            assert root.find(f"{ATOM}{name}") is not None
        for entry in root.findall(f"{ATOM}entry"):
            assert entry.find(f"{ATOM}id").text
            assert entry.find(f"{ATOM}author/{ATOM}name").text
    else:
        assert root.tag == "rss" and root.get("version") == "2.0"
        channel = root.find("channel")
        for name in ("title", "link", "description"):
            assert channel.find(name).text
        for item in channel.findall("item"):
            assert item.find("guid").text
    return root


@pytest.mark.parametrize("language", ["fa", "en"])
@pytest.mark.parametrize(("name", "kwargs"), FEEDS)
def test_every_feed_parses_strictly_and_with_feedparser(client, archive, name, kwargs, language):
    response = fetch(client, name, kwargs, language)
    atom = name.endswith("atom")
    assert response["Content-Type"].startswith(
        "application/atom+xml" if atom else "application/rss+xml"
    )
    check_strictly(response.content, atom)
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert {entry.title for entry in parsed.entries} == {TRICKY_TITLE, PERSIAN_TITLE}
    assert parsed.feed.language == language


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_items_carry_guid_dates_author_categories_and_their_own_language(client, archive, fmt):
    response = fetch(client, f"feed_latest_{fmt}", language="fa")
    parsed = feedparser.parse(response.content)
    by_title = {entry.title: entry for entry in parsed.entries}
    english, persian = by_title[TRICKY_TITLE], by_title[PERSIAN_TITLE]
    assert (
        english.id
        == article_guid(archive["en"])
        == f"tag:newsarchive,2026:article:{archive['en'].pk}"
    )
    assert english.link.endswith(f"/fa/articles/{archive['en'].pk}/{archive['en'].slug or '-'}/")
    assert english.author == "Jane Roe"  # the byline without its "By"
    assert persian.author == "طلوع‌نیوز"  # no byline: the source, named in the article's language
    assert [category.term for category in english.tags] == ["کابل"]  # interface language
    assert english.published_parsed[:3] == (2021, 1, 4)
    root = ET.fromstring(response.content)
    if fmt == "atom":
        langs = [
            entry.get("{http://www.w3.org/XML/1998/namespace}lang")
            for entry in root.iter(f"{ATOM}entry")
        ]
        assert english.updated_parsed is not None
        assert root.find(f"{ATOM}id").text == "http://testserver/fa/feeds/latest/atom/"
    else:
        langs = [item.find(f"{DC}language").text for item in root.iter("item")]
    assert langs == ["en", "fa"]  # newest first


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_guid_survives_an_edit_and_summary_stays_plain_text(client, archive, fmt):
    first = feedparser.parse(fetch(client, f"feed_latest_{fmt}").content).entries[0]
    archive["en"].title = "Renamed & edited"
    archive["en"].summary = "Summary with <script>alert(1)</script> & an ampersand"
    archive["en"].save()
    edited = feedparser.parse(fetch(client, f"feed_latest_{fmt}").content).entries[0]
    assert edited.title == "Renamed & edited"
    assert edited.id == first.id
    assert "<script>" not in edited.summary
    assert "&lt;script&gt;" in edited.summary and "ampersand" in edited.summary


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_persian_rtl_and_markup_characters_in_titles_survive_round_trips(client, archive, fmt):
    content = fetch(client, f"feed_source_{fmt}", {"slug": "tolo"}, language="fa").content
    titles = [
        element.text for element in ET.fromstring(content).iter() if element.tag.endswith("title")
    ]
    assert TRICKY_TITLE in titles and PERSIAN_TITLE in titles
    parsed = feedparser.parse(content)
    assert [entry.title for entry in parsed.entries] == [TRICKY_TITLE, PERSIAN_TITLE]
    assert "طلوع‌نیوز" in parsed.feed.title


def test_latest_feed_takes_a_language_and_ignores_an_unknown_one(client, archive):
    persian_only = feedparser.parse(fetch(client, "feed_latest_rss", query="lang=fa").content)
    assert [entry.title for entry in persian_only.entries] == [PERSIAN_TITLE]
    assert "Persian" in persian_only.feed.title
    anything = feedparser.parse(fetch(client, "feed_latest_rss", query="lang=xx").content)
    assert len(anything.entries) == 2


def test_entity_feed_holds_both_languages_and_no_drafts(client, archive):
    draft = Article.objects.get(status=Article.Status.DRAFT)
    tag(draft, archive["kabul"])
    parsed = feedparser.parse(fetch(client, "feed_entity_atom", {"slug": "kabul"}).content)
    assert {entry.title for entry in parsed.entries} == {TRICKY_TITLE, PERSIAN_TITLE}
    assert "Kabul" in parsed.feed.title


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", 1), ("0", 1), ("-5", 1), ("9999", FEED_MAX_LIMIT), ("abc", 50), (None, 50)],
)
def test_limit_is_clamped(raw, expected):
    assert clamp_limit(raw, default=50, maximum=FEED_MAX_LIMIT) == expected


def test_limit_caps_the_items_and_over_limit_values_are_clamped(client, archive):
    one = feedparser.parse(fetch(client, "feed_latest_rss", query="limit=1").content)
    assert [entry.title for entry in one.entries] == [TRICKY_TITLE]
    many = feedparser.parse(fetch(client, "feed_latest_rss", query="limit=100000").content)
    assert len(many.entries) == 2
    assert fetch(client, "feed_latest_atom", query="limit=%3Cscript%3E").status_code == 200


@pytest.mark.parametrize("name", ["feed_source_rss", "feed_entity_atom"])
def test_unknown_slugs_are_not_found(client, archive, name):
    assert client.get(url(name, {"slug": "no-such-thing"})).status_code == 404
    assert client.get(url(name, {"slug": "ناشناخته"}, language="fa")).status_code == 404


def test_conditional_get_answers_not_modified_until_an_article_changes(client, archive):
    first = fetch(client, "feed_latest_atom")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert first["Cache-Control"] in {"public, max-age=300", "max-age=300, public"}
    again = client.get(url("feed_latest_atom"), headers={"if-none-match": etag})
    assert again.status_code == 304 and again["ETag"] == etag and not again.content
    since = client.get(url("feed_latest_atom"), headers={"if-modified-since": modified})
    assert since.status_code == 304
    assert fetch(client, "feed_latest_rss")["ETag"] != etag  # another format, another body
    archive["fa"].title = "عنوان ویرایش‌شده"
    archive["fa"].save()
    changed = fetch(client, "feed_latest_atom", **{"if-none-match": etag})
    assert changed["ETag"] != etag
    Article.objects.filter(pk=archive["fa"].pk).update(status=Article.Status.HIDDEN)
    hidden = fetch(client, "feed_latest_atom", **{"if-none-match": changed["ETag"]})
    assert hidden["ETag"] != changed["ETag"]
    assert len(feedparser.parse(hidden.content).entries) == 1


def test_a_feed_needs_a_bounded_number_of_queries(client, archive, django_assert_max_num_queries):
    kabul = archive["kabul"]
    for number in range(30):
        tag(make_article(archive["source"], f"Story {number}", days_ago=number + 2), kabul)
    with django_assert_max_num_queries(4):
        response = fetch(client, "feed_entity_rss", {"slug": "kabul"}, query="limit=200")
    assert len(feedparser.parse(response.content).entries) == 32


def test_an_empty_feed_is_still_valid(client, db):
    Entity.objects.create(slug="empty", name_en="Nobody yet")
    for fmt in ("rss", "atom"):
        response = fetch(client, f"feed_entity_{fmt}", {"slug": "empty"})
        check_strictly(response.content, fmt == "atom")
        assert feedparser.parse(response.content).bozo == 0
        assert "Last-Modified" not in response and response["ETag"]


# Search feeds run the search engine against a real temporary index.


@pytest.fixture
def searchable(archive, request):
    request.getfixturevalue("search_index")
    for number in range(24):
        language = "fa" if number % 2 else "en"
        words = "خبر کابل و بازار" if language == "fa" else "Kabul market news"
        title = f"{words} {number}" if number % 3 else f"Weather report {number}"
        make_article(archive["source"], title, language=language, days_ago=number + 2)
    indexing.rebuild()
    return archive


def search_page_ids(query: str, language: str = "en") -> list[int]:
    params, _messages = params_from_query(QueryDict(query), ui_language=language)
    return [hit.article_id for hit in search_articles(params).hits]


def feed_ids(parsed) -> list[int]:
    return [int(entry.id.rsplit(":", 1)[1]) for entry in parsed.entries]


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_search_feed_items_equal_the_first_page_of_the_same_search_newest_added_first(
    client, searchable, fmt
):
    with translation.override("en"):
        expected = search_page_ids("q=Kabul&sort=added&per_page=5")
    assert len(expected) == 5
    response = fetch(client, f"feed_search_{fmt}", query="q=Kabul&sort=relevance&limit=5")
    check_strictly(response.content, fmt == "atom")
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0
    assert feed_ids(parsed) == expected
    assert "Kabul" in parsed.feed.title
    assert "/en/search/?q=Kabul&sort=relevance" in parsed.feed.link
    self_link = [link.href for link in parsed.feed.links if link.rel == "self"]
    assert self_link == [
        f"http://testserver{url(f'feed_search_{fmt}')}?q=Kabul&sort=relevance&limit=5"
    ]


def test_search_feed_with_filters_and_a_persian_query(client, searchable):
    with translation.override("fa"):
        expected = search_page_ids("q=کابل&lang=fa&sort=added&per_page=50", "fa")
    parsed = feedparser.parse(
        fetch(client, "feed_search_rss", language="fa", query="q=کابل&lang=fa").content
    )
    assert parsed.bozo == 0
    assert feed_ids(parsed) == expected and expected
    assert {entry.title.split()[0] for entry in parsed.entries} <= {"خبر", "گفت‌وگوی"}


def test_a_back_dated_or_undated_article_added_today_reaches_search_and_entity_subscribers(
    client, searchable
):
    source, kabul = searchable["source"], searchable["kabul"]
    old = make_article(source, "Kabul market news from the archives",
                       published_at=datetime(1999, 5, 1, tzinfo=UTC))  # fmt: skip
    undated = make_article(source, "Kabul market news without a date", published_at=None)
    tag(old, kabul)
    indexing.rebuild()
    added = feed_ids(feedparser.parse(fetch(client, "feed_search_rss", query="q=Kabul").content))
    assert added[:2] == [undated.pk, old.pk]
    by_date = feed_ids(
        feedparser.parse(
            fetch(client, "feed_search_rss", query="q=Kabul&order=published&limit=200").content
        )
    )
    assert old.pk not in by_date[:5] and by_date[-1] in (old.pk, undated.pk)
    with translation.override("en"):
        assert search_page_ids("q=Kabul&order=published&sort=newest&per_page=5") == by_date[:5]
    entity = feed_ids(
        feedparser.parse(
            fetch(client, "feed_entity_rss", {"slug": "kabul"}, query="order=added").content
        )
    )
    assert entity[0] == old.pk
    default = feed_ids(
        feedparser.parse(fetch(client, "feed_entity_rss", {"slug": "kabul"}).content)
    )
    assert default[-1] == old.pk  # the entity feed's default stays the publication date


def test_a_search_feed_longer_than_a_search_page_reads_on_in_order(client, searchable):
    parsed = feedparser.parse(fetch(client, "feed_search_atom", query="limit=150").content)
    added = Article.objects.published().order_by("-pk").values_list("pk", flat=True)
    assert feed_ids(parsed) == list(added)  # every article: more than one engine page
    by_date = fetch(client, "feed_search_atom", query="limit=150&order=published").content
    published = Article.objects.published().newest_first().values_list("pk", flat=True)
    assert feed_ids(feedparser.parse(by_date)) == list(published)


@pytest.mark.parametrize("limit", [20, 150])
def test_a_search_feed_plans_its_search_once_however_long(
    client, archive, request, monkeypatch, limit
):
    request.getfixturevalue("search_index")
    for number in range(110):  # more than one engine page (100) of matches
        make_article(archive["source"], f"Kabul bulletin {number}", days_ago=number + 2)
    indexing.rebuild()
    plans = []
    real_plan = engine._plan

    def counted_plan(params, *args, **kwargs):
        plans.append(params.q)
        return real_plan(params, *args, **kwargs)

    monkeypatch.setattr(engine, "_plan", counted_plan)
    response = fetch(client, "feed_search_rss", query=f"q=bulletin&limit={limit}")
    assert len(feed_ids(feedparser.parse(response.content))) == min(limit, 110)
    assert plans == ["bulletin"]
    # The notes on how the query was read reach the title, however long the feed.
    query = f"q=bulletin+nosuchfield:kabul&op=or&limit={limit}"
    parsed = feedparser.parse(fetch(client, "feed_search_rss", query=query).content)
    assert len(feed_ids(parsed)) == min(limit, 110)
    assert "There is no field" in parsed.feed.title


@pytest.mark.parametrize(
    "query",
    [
        "q=%22unclosed+(((&year=abc&from=1399-13-40&sort=sideways&page=-3",
        "q=" + "x" * 6000 + "&lang=zz&kind=alien",
        "q=%01%02%EF%BF%BE&source=no-such-source",
    ],
)
def test_a_malformed_search_gives_a_valid_feed_whose_title_explains(client, searchable, query):
    for fmt in ("rss", "atom"):
        response = fetch(client, f"feed_search_{fmt}", query=query)
        check_strictly(response.content, fmt == "atom")
        parsed = feedparser.parse(response.content)
        assert parsed.bozo == 0, parsed.get("bozo_exception")
        if "source=no-such-source" in query:
            assert parsed.entries == []
        else:
            assert "(" in parsed.feed.title  # the notes on how the query was read


def test_search_feed_answers_not_modified_and_changes_with_the_results(client, searchable):
    first = fetch(client, "feed_search_atom", query="q=Kabul")
    repeat = client.get(
        url("feed_search_atom", query="q=Kabul"), headers={"if-none-match": first["ETag"]}
    )
    assert repeat.status_code == 304
    newest = Article.objects.published().newest_first().filter(title__contains="Kabul").first()
    newest.title = "Kabul market news, corrected"
    newest.save()
    assert fetch(client, "feed_search_atom", query="q=Kabul")["ETag"] != first["ETag"]
