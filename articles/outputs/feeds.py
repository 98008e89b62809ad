"""RSS 2.0 and Atom 1.0 feeds: latest articles, per source, per entity and per search.

Every feed starts from `Article.objects.published()`, speaks the language of the interface path
(`/fa/…`, `/en/…`) and marks each item with the article's own language (`dc:language` in RSS,
`xml:lang` on Atom entries). Items carry a GUID that never changes when an article is edited
(`tag:<authority>:article:<id>`), the entities as categories and a plain-text summary.

Parameters: `limit` (items, default 50, clamped to 1..200); the latest feed also takes
`lang=fa|en`; the search feed takes the search page's whole query string and returns the first
page of that search. `order=added|published` chooses the order: by the date an article was
*added to the archive* (the default for search feeds, so a back-dated or undated article that
arrives today reaches subscribers) or by its publication date (the default for the latest,
source and entity feeds). Answers carry `ETag`, `Last-Modified` and
`Cache-Control: public, max-age=300`, and a conditional GET gets 304.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from articles.models import LANGUAGE_CODES, Article, Entity, Source
from articles.outputs.citations import author_of
from articles.outputs.searching import clamp_limit, first_ids, read_search
from articles.outputs.selectors import (
    entity_names,
    newest_articles,
    published_articles_in_order,
    snippet,
)
from articles.text.dateprecision import Precision, effective, iso
from articles.web.conditional import conditional_response, etag_for, newest

FEED_DEFAULT_LIMIT = 50
FEED_MAX_LIMIT = 200
# The feed is always the first page, newest first: the page's paging and sort do not apply.
FEED_IGNORES = ("limit", "page", "per_page", "sort", "order")
ORDERS = ("added", "published")
DC_NAMESPACE = "http://purl.org/dc/elements/1.1/"
# Characters XML 1.0 does not allow anywhere (a query string can carry them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(text: str | None) -> str:
    return _NOT_XML.sub("", text or "")


def article_guid(article: Article) -> str:
    """A tag URI from the article id alone, so editing the article keeps its GUID."""
    authority = getattr(settings, "NEWSARCHIVE_FEED_TAG_AUTHORITY", "newsarchive,2026")
    return f"tag:{authority}:article:{article.pk}"


class RssWithLanguages(Rss201rev2Feed):
    def rss_attributes(self) -> dict[str, str]:
        return {**super().rss_attributes(), "xmlns:dc": DC_NAMESPACE}

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        if item.get("language"):
            handler.addQuickElement("dc:language", item["language"])
        if item.get("published_date"):  # a day, month or year without a time (no pubDate)
            handler.addQuickElement("dc:date", item["published_date"])


class AtomWithLanguages(Atom1Feed):
    def item_attributes(self, item) -> dict[str, str]:
        return {"xml:lang": item["language"]} if item.get("language") else {}


@dataclass
class FeedSelection:
    """Everything one feed answer is made of, decided before any XML is written."""

    title: str
    description: str
    link: str
    items: list[Article] = field(default_factory=list)
    self_url: str = ""  # the feed's own absolute address, query string included

    def validators(self, *context: object) -> tuple[str, object]:
        parts: list[object] = [*context, self.title, self.description, self.link]
        for article in self.items:
            parts += [
                article.pk,
                article.updated_at.isoformat(),
                article.published_at.isoformat() if article.published_at else "",
                repr(article.entity_labels),
                article.source.name_fa + article.source.name_en,
            ]
        return etag_for(parts), newest(article.updated_at for article in self.items)


class ArchiveRssFeed(Feed):
    feed_type = RssWithLanguages

    def get_object(self, request: HttpRequest, selection: FeedSelection) -> FeedSelection:
        return selection

    def title(self, obj: FeedSelection) -> str:
        return xml_text(obj.title)

    def description(self, obj: FeedSelection) -> str:
        return xml_text(obj.description)

    def link(self, obj: FeedSelection) -> str:
        return obj.link

    def feed_url(self, obj: FeedSelection) -> str:
        return obj.self_url

    def feed_guid(self, obj: FeedSelection) -> str:
        # Atom's feed id: the feed's own address, so each feed and filter has its own.
        return obj.self_url

    def items(self, obj: FeedSelection) -> list[Article]:
        return obj.items

    def item_title(self, item: Article) -> str:
        return xml_text(item.title)

    def item_description(self, item: Article) -> str:
        # Readers treat the summary as HTML: escaping keeps plain text plain.
        return escape(xml_text(snippet(item)))

    def item_link(self, item: Article) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Article) -> str:
        return article_guid(item)

    item_guid_is_permalink = False

    def item_pubdate(self, item: Article):
        # RSS and Atom dates carry a time: only a time the source gave (else `dc:date`).
        precision = effective(item.published_at, item.published_precision)
        return item.published_at if precision == Precision.TIME else None

    def item_updateddate(self, item: Article):
        return item.updated_at

    def item_author_name(self, item: Article) -> str:
        return xml_text(author_of(item) or item.source.name_in(item.language))

    def item_categories(self, item: Article) -> list[str]:
        return [xml_text(name) for name in entity_names(item, get_language()) if name]

    def item_extra_kwargs(self, item: Article) -> dict[str, str]:
        extra = {"language": item.language}
        precision = effective(item.published_at, item.published_precision)
        if precision not in {Precision.TIME, Precision.UNKNOWN}:
            extra["published_date"] = iso(item.published_at, precision)
        return extra


class ArchiveAtomFeed(ArchiveRssFeed):
    feed_type = AtomWithLanguages

    def subtitle(self, obj: FeedSelection) -> str:
        return xml_text(obj.description)


def _site_name() -> str:
    return _("News archive")


def feed_order(request: HttpRequest, *, default: str) -> str:
    """`added` (newest added to the archive first) or `published` (newest published first)."""
    order = request.GET.get("order", "")
    return order if order in ORDERS else default


def select_latest(request: HttpRequest, *, limit: int) -> FeedSelection:
    articles = Article.objects.published()
    language = request.GET.get("lang", "")
    if language in LANGUAGE_CODES:
        articles = articles.in_language(language)
        title = _("%(site)s: latest articles in %(language)s") % {
            "site": _site_name(),
            "language": settings.LANGUAGE_NAMES[language],
        }
    else:
        title = _("%(site)s: latest articles") % {"site": _site_name()}
    return FeedSelection(
        title=title,
        description=_("The newest articles in the archive."),
        link=reverse("articles:home"),
        items=newest_articles(articles, limit),
    )


def select_source(request: HttpRequest, *, limit: int, slug: str) -> FeedSelection:
    source = get_object_or_404(Source.objects.public(), slug=slug)
    name = source.name_in(get_language())
    return FeedSelection(
        title=_("%(site)s: articles from %(source)s") % {"site": _site_name(), "source": name},
        description=_("The newest articles from %(source)s, in both languages.") % {"source": name},
        link=source.get_absolute_url(),
        items=newest_articles(
            Article.objects.published().filter(source=source),
            limit,
            order=feed_order(request, default="published"),
        ),
    )


def select_entity(request: HttpRequest, *, limit: int, slug: str) -> FeedSelection:
    entity = get_object_or_404(Entity, slug=slug)
    name = entity.name_in(get_language())
    return FeedSelection(
        title=_("%(site)s: articles mentioning %(entity)s")
        % {"site": _site_name(), "entity": name},
        description=_("The newest articles mentioning %(entity)s, in both languages.")
        % {"entity": name},
        link=entity.get_absolute_url(),
        items=newest_articles(
            Article.objects.published().mentioning(entity),
            limit,
            order=feed_order(request, default="published"),
        ),
    )


def search_page_query(request: HttpRequest) -> str:
    """The request's query string as the search page takes it (without the feed's `limit`)."""
    query = QueryDict(mutable=True)
    for key, values in request.GET.lists():
        if key not in ("limit", "order"):
            query.setlist(key, values)
    return query.urlencode()


def select_search(request: HttpRequest, *, limit: int) -> FeedSelection:
    """The first page of the same search, newest added first (or newest published with
    `order=published`); an explained empty feed if unreadable."""
    order = feed_order(request, default="added")
    params, messages = read_search(request, ignore=FEED_IGNORES)
    items: list[Article] = []
    if params is not None:
        # The newest first page of the search, read once however long the feed is.
        sort = "added" if order == "added" else "newest"
        found = first_ids(replace(params, sort=sort), limit)
        messages += found.messages
        items = list(published_articles_in_order(found.ids))
    query_text = " ".join(request.GET.get("q", "").split())[:200]
    if query_text:
        title = _("%(site)s: search “%(query)s”") % {"site": _site_name(), "query": query_text}
    else:
        title = _("%(site)s: search") % {"site": _site_name()}
    notes = list(dict.fromkeys(message for message in messages if message))
    if notes:
        title = f"{title} ({' '.join(notes)})"
    page_query = search_page_query(request)
    link = reverse("articles:search") + (f"?{page_query}" if page_query else "")
    return FeedSelection(
        title=title,
        description=_("The articles this search finds, newest added to the archive first.")
        if order == "added"
        else _("The newest articles this search finds."),
        link=link,
        items=items,
    )


def feed_view(select: Callable[..., FeedSelection], feed: Feed) -> Callable[..., HttpResponse]:
    """A view answering one feed format, with validators and conditional GET."""

    def view(request: HttpRequest, **kwargs: str) -> HttpResponse:
        limit = clamp_limit(
            request.GET.get("limit"), default=FEED_DEFAULT_LIMIT, maximum=FEED_MAX_LIMIT
        )
        selection = select(request, limit=limit, **kwargs)
        selection.self_url = request.build_absolute_uri()
        etag, last_modified = selection.validators(
            type(feed).__name__, get_language(), selection.self_url, limit
        )
        return conditional_response(
            request,
            etag=etag,
            last_modified=last_modified,
            build=lambda: feed(request, selection=selection),
        )

    view.__name__ = f"{select.__name__}_{type(feed).__name__}"
    return view


_rss, _atom = ArchiveRssFeed(), ArchiveAtomFeed()
latest_rss, latest_atom = feed_view(select_latest, _rss), feed_view(select_latest, _atom)
source_rss, source_atom = feed_view(select_source, _rss), feed_view(select_source, _atom)
entity_rss, entity_atom = feed_view(select_entity, _rss), feed_view(select_entity, _atom)
search_rss, search_atom = feed_view(select_search, _rss), feed_view(select_search, _atom)
