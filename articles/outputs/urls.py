"""Feeds and exports (RSS/Atom, CSV/JSON Lines, citations).

Feeds take `?limit=` (default 50, 1..200); the latest feed `?lang=fa|en`; the search feed and
the exports take the search page's query string. Exports take `?limit=` (default 10,000,
1..50,000). See articles/outputs/feeds.py and articles/outputs/exports.py.
"""

from django.urls import path

from articles.curation.redirects import follow_merged_slugs
from articles.outputs import citations, exports, feeds

urlpatterns = [
    path("feeds/latest/rss/", feeds.latest_rss, name="feed_latest_rss"),
    path("feeds/latest/atom/", feeds.latest_atom, name="feed_latest_atom"),
    path("feeds/sources/<str:slug>/rss/", feeds.source_rss, name="feed_source_rss"),
    path("feeds/sources/<str:slug>/atom/", feeds.source_atom, name="feed_source_atom"),
    path(
        "feeds/entities/<str:slug>/rss/",
        follow_merged_slugs(feeds.entity_rss),
        name="feed_entity_rss",
    ),
    path(
        "feeds/entities/<str:slug>/atom/",
        follow_merged_slugs(feeds.entity_atom),
        name="feed_entity_atom",
    ),
    path("feeds/search/rss/", feeds.search_rss, name="feed_search_rss"),
    path("feeds/search/atom/", feeds.search_atom, name="feed_search_atom"),
    path("exports/search.csv", exports.export_csv, name="export_csv"),
    path("exports/search.jsonl", exports.export_jsonl, name="export_jsonl"),
    path("exports/search.bib", exports.export_bibtex, name="export_bibtex"),
    path("exports/search.ris", exports.export_ris, name="export_ris"),
    path("articles/<int:pk>/citation.bib", citations.article_bibtex, name="article_bibtex"),
    path("articles/<int:pk>/citation.ris", citations.article_ris, name="article_ris"),
]
