"""The search engine's public types: what the search page, the JSON API, the feeds and the
exports consume. `articles.search.engine.search_articles(params)` returns a `SearchResult`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

# "added": newest added to the archive first (by article id, which grows as articles arrive),
# whatever their publication date: what feeds that work as alerts need.
SORTS = ("relevance", "newest", "oldest", "added")


@dataclass
class SearchParams:
    """A search as read from a URL. The attributes from `language` to `date_to` hold the
    dimensions declared in `articles.search.dimensions`; a dimension declared without an
    attribute of its own keeps its values in `extra` ({dimension name: values})."""

    q: str = ""
    language: str = ""  # "fa" | "en" | "" (both)
    sources: list[str] = field(default_factory=list)  # source slugs
    entities: list[str] = field(default_factory=list)  # entity slugs
    entity_kinds: list[str] = field(default_factory=list)
    year: int | None = None  # Gregorian year
    jyear: int | None = None  # Solar Hijri year
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    expand_entities: bool = True  # cross-language entity expansion
    op: str = "and"  # words side by side: "and" (all; most of a long query) | "or" (any)
    highlight: bool = True
    with_facets: bool = True
    with_timeline: bool = False
    extra: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class SearchHit:
    article_id: int
    title: str
    url: str  # the article's absolute path under the active language prefix
    language: str
    source_name: str
    source_slug: str
    published_at: datetime | None
    snippet_html: str  # escaped text with <mark> around hits: safe to render
    score: float = 0.0
    title_html: str = ""  # escaped title with <mark> around hits
    snippet_text: str = ""  # the snippet as plain text (no markup)
    source_name_fa: str = ""  # the source's Persian name (source_name is the English one)
    entities: list[str] = field(default_factory=list)  # entity slugs the article is tagged with


@dataclass
class FacetValue:
    value: str  # what goes in the URL (slug, code, year)
    label: str  # what a person reads
    count: int
    selected: bool = False


@dataclass
class SearchResult:
    params: SearchParams
    count: int
    hits: list[SearchHit]
    facets: dict[str, list[FacetValue]]  # keys: the facet dimensions' names (search.dimensions)
    explanation: dict  # normalised tokens, fields, expansions, how the query was read
    suggestion: str = ""  # "did you mean"
    messages: list[str] = field(default_factory=list)  # friendly notes (malformed query, …)
    expansions: list[dict] = field(default_factory=list)  # cross-language entity expansions
    timeline: list[dict] = field(default_factory=list)  # [{"month": "2021-01", "fa": n, "en": n}]
    # How the engine read the search (`engine.Plan`), so a second pass over the same search
    # (every match, unscored: `engine.match_search`) does not plan it again.
    plan: object = field(default=None, repr=False, compare=False)

    @property
    def num_pages(self) -> int:
        per_page = max(1, self.params.per_page)
        return max(1, -(-self.count // per_page))
