"""The ways a search can be narrowed (language, source, entity, …): each declared once, here.

A `Dimension` says everything the archive needs to know about one of them: its name (the key
of `SearchResult.facets` and of the JSON's "facets"), its URL parameter(s), the index field
and kind that hold it, how its values are labelled in Persian and English, how many facet
values are shown, and its query-syntax prefix (`source:`). Every part that deals with
dimensions reads `DIMENSIONS`, in order:

- `articles.search.query.params` reads the URL parameters into `SearchParams` (`read`);
- `articles.search.engine` turns them into the index filters (`filters_of`);
- `articles.search.present.facets` counts and labels facet values (`facet_dimensions`);
- `articles.search.present.api` writes them into the JSON's "params" (`params_json`);
- `articles.web.views` shows a facet group per dimension, and keeps the parameters that the
  form has no control for (`form_params`) as hidden fields;
- `articles.search_indexes` gives `ArticleIndex` a field per dimension with a `value`, and each
  article's document that value; the Whoosh schema (`articles.search.whoosh.backend`) and the
  Solr schema (`articles.search.solr.schema`, `manage.py build_search_schema`) follow;
- the feeds and exports read searches through `params_from_query`, so they follow too.

Adding a dimension
------------------
Append one declaration to `DIMENSIONS` below (or, from other code, `register(...)` it), say
the date precision of articles:

    Dimension(
        name="precision",                      # facet key, in the JSON too
        params=("precision",),                 # ?precision=day
        field="date_precision", kind=EXACT,    # the index field and its kind
        title=_("Date precision"),             # the facet's heading
        limit=5,                               # facet values shown (0: no facet)
        labels=choice_labels(Precision.choices),
        value=lambda article: article.published_precision or None,
        reads=("published_precision",),        # the Article columns `value` reads
        prefix="precision",                    # precision:day in a query
    )

then add the Persian of its title (and of any new label) at the end of
locale/fa/LC_MESSAGES/django.po, run `manage.py build_search_schema` for Solr, and rebuild the
index (`manage.py rebuild_index`) so documents hold the new field. Nothing else changes: a
dimension without a `SearchParams` attribute (`attrs`) keeps its values in `params.extra`.
`tests/test_search_dimensions.py` declares such a dimension and finds it everywhere above.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Entity, Source
from articles.search.query import readers
from articles.search.query.sources import resolve_sources
from articles.text import calendar

# Index kinds (`whoosh_kind` of `articles.search_indexes` fields).
EXACT = "exact"  # one unanalysed value per article (filters, facets)
KEYWORD = "keyword"  # several unanalysed values per article
INTEGER = "integer"  # a number (facet values sort by value, newest year first)
DATETIME = "datetime"  # a moment; a range dimension (from, to)

Reader = Callable[..., None]  # (dimension, querydict, params, messages) -> None
Labeller = Callable[[list[str], str], dict[str, str]]  # (values, "fa"|"en") -> labels
# typed values -> (index values, notes on how they were read)
Resolver = Callable[[list[Any]], tuple[list[Any], list[str]]]


@dataclass(frozen=True, eq=False)
class Dimension:
    name: str  # facet key: SearchResult.facets, the JSON's "facets"
    params: tuple[str, ...]  # URL parameters (two for a range: from, to)
    field: str  # index field; also the key of the engine's filters
    kind: str  # EXACT | KEYWORD | INTEGER | DATETIME
    title: Any  # the facet's heading (a lazy translation)
    attrs: tuple[str, ...] = ()  # SearchParams attributes; none: `params.extra[name]`
    many: bool = False  # several values at once (a list), or one
    limit: int = 0  # facet values shown; 0: not a facet
    prefix: str = ""  # query syntax: `prefix:value`
    stored: bool = False  # the index keeps the value for result lists
    in_form: bool = False  # the search form has its own control for it
    position: int = 100  # order of the facet groups on the search page
    interfaces: tuple[str, ...] = ("fa", "en")  # interface languages showing the facet
    labels: Labeller | None = None  # None: a value is its own label
    read: Reader = readers.read_values
    resolve: Resolver | None = None  # typed values -> index values (source names -> slugs)
    value: Callable[[Article], Any] | None = None  # the document's value; None: not indexed here
    reads: tuple[str, ...] = ()  # Article columns `value` reads (loaded by the index query)

    @property
    def is_range(self) -> bool:
        return self.kind == DATETIME

    @property
    def numeric(self) -> bool:
        return self.kind == INTEGER

    def values(self, params: Any) -> list[Any]:
        """The values selected in `params` (a range: none; see `attrs`)."""
        if self.is_range:
            return []
        if not self.attrs:
            return list(params.extra.get(self.name, ()))
        value = getattr(params, self.attrs[0])
        if isinstance(value, list | tuple):
            return list(value)
        return [value] if value not in (None, "") else []

    def store(self, params: Any, values: list[Any]) -> None:
        """Set the values read for this dimension on `params`."""
        if not self.attrs:
            if values:
                params.extra[self.name] = list(values if self.many else values[:1])
            else:
                params.extra.pop(self.name, None)
        elif self.many:
            setattr(params, self.attrs[0], list(values))
        elif values:
            setattr(params, self.attrs[0], values[0])


# -- labels ---------------------------------------------------------------------------------
def source_labels(values: list[str], language: str) -> dict[str, str]:
    sources = Source.objects.filter(slug__in=values).only("slug", "name_en", "name_fa")
    return {source.slug: source.name_in(language) for source in sources}


def entity_labels(values: list[str], language: str) -> dict[str, str]:
    entities = Entity.objects.filter(slug__in=values).only("slug", "name_en", "name_fa")
    return {entity.slug: entity.name_in(language) for entity in entities}


def language_labels(values: list[str], language: str) -> dict[str, str]:
    names = getattr(settings, "LANGUAGE_NAMES", {})
    return {code: str(name) for code, name in names.items()}


def choice_labels(choices: Iterable[tuple[str, Any]]) -> Labeller:
    """Labels from a model's choices (translated in the active language)."""
    pairs = list(choices)

    def labels(values: list[str], language: str) -> dict[str, str]:
        return {str(value): str(label) for value, label in pairs}

    return labels


def _resolve_sources(values: list[Any]) -> tuple[list[Any], list[str]]:
    if not values:
        return [], []
    resolution = resolve_sources(list(values))
    return resolution.slugs, list(resolution.messages)


# -- document values ------------------------------------------------------------------------
def _local(article: Article) -> datetime | None:
    """Calendar facets follow the archive's time zone, as readers see the dates."""
    return timezone.localtime(article.published_at) if article.published_at else None


def _year(article: Article) -> int | None:
    local = _local(article)
    return local.year if local else None


def solar_hijri_year(value: datetime | date | None) -> int | None:
    if value is None:
        return None
    return calendar.jalali(value).year


def _jyear(article: Article) -> int | None:
    return solar_hijri_year(_local(article))


def _entity_slugs(article: Article) -> list[str]:
    return [tag.entity.slug for tag in article.tags.all()]


def _entity_kinds(article: Article) -> list[str]:
    return list(dict.fromkeys(tag.entity.kind for tag in article.tags.all()))


# -- the declarations -----------------------------------------------------------------------
DIMENSIONS: list[Dimension] = [
    Dimension(
        name="language", params=("lang",), field="language", kind=EXACT, title=_("Language"),
        attrs=("language",), limit=2, prefix="lang", stored=True, in_form=True, position=1,
        labels=language_labels, read=readers.read_language,
        value=lambda article: article.language, reads=("language",),
    ),
    Dimension(
        name="source", params=("source",), field="source", kind=EXACT, title=_("Source"),
        attrs=("sources",), many=True, limit=50, prefix="source", stored=True, position=2,
        labels=source_labels, resolve=_resolve_sources,
        value=lambda article: article.source.slug, reads=("source__slug",),
    ),
    Dimension(
        name="entity", params=("entity",), field="entities", kind=KEYWORD, title=_("Entity"),
        attrs=("entities",), many=True, limit=30, prefix="entity", stored=True, position=4,
        labels=entity_labels, value=_entity_slugs,
    ),
    Dimension(
        name="entity_kind", params=("kind",), field="entity_kinds", kind=KEYWORD,
        title=_("Entity kind"), attrs=("entity_kinds",), many=True, limit=10, position=3,
        labels=choice_labels(Entity.Kind.choices), read=readers.read_entity_kinds,
        value=_entity_kinds,
    ),
    Dimension(
        name="year", params=("year",), field="year", kind=INTEGER, title=_("Year"),
        attrs=("year",), limit=100, position=6, read=readers.read_year, value=_year,
        reads=("published_at",),
    ),
    Dimension(
        name="jyear", params=("jyear",), field="jyear", kind=INTEGER,
        title=_("Solar Hijri year"), attrs=("jyear",), limit=100, position=5,
        interfaces=("fa",), read=readers.read_year, value=_jyear, reads=("published_at",),
    ),
    # The index field `published` is the article's own (sorting, result lists): no `value`.
    Dimension(
        name="date", params=("from", "to"), field="published", kind=DATETIME,
        title=_("Date"), attrs=("date_from", "date_to"), prefix="date", in_form=True,
        read=readers.read_date_range,
    ),
]  # fmt: skip

_listeners: list[Callable[[], None]] = []


def multi_fields() -> tuple[str, ...]:
    """Index fields that hold several values per article (stored comma-joined by Whoosh,
    as lists by Solr): the fields of the KEYWORD dimensions."""
    return tuple(dim.field for dim in DIMENSIONS if dim.kind == KEYWORD)


def register(dimension: Dimension) -> Dimension:
    """Add a dimension (after the declared ones); every part sees it from now on."""
    if any(dim.name == dimension.name for dim in DIMENSIONS):
        raise ValueError(f"A search dimension named {dimension.name!r} exists already.")
    DIMENSIONS.append(dimension)
    _changed()
    return dimension


def unregister(name: str) -> None:
    DIMENSIONS[:] = [dim for dim in DIMENSIONS if dim.name != name]
    _changed()


@contextmanager
def registered(dimension: Dimension) -> Iterator[Dimension]:
    """A dimension for the length of a block (tests, experiments)."""
    register(dimension)
    try:
        yield dimension
    finally:
        unregister(dimension.name)


def on_change(listener: Callable[[], None]) -> None:
    """Call `listener` whenever a dimension is registered or removed (the index definition
    adds or drops its field)."""
    _listeners.append(listener)


def _changed() -> None:
    for listener in _listeners:
        listener()


# -- what the parts ask -----------------------------------------------------------------------
def get(name: str) -> Dimension:
    for dim in DIMENSIONS:
        if dim.name == name:
            return dim
    raise KeyError(name)


def by_prefix(prefix: str) -> Dimension | None:
    """The dimension a query's `prefix:value` restricts, if any."""
    return next((dim for dim in DIMENSIONS if dim.prefix and dim.prefix == prefix), None)


def facet_dimensions() -> list[Dimension]:
    return [dim for dim in DIMENSIONS if dim.limit > 0]


def indexed_dimensions() -> list[Dimension]:
    """The dimensions whose index field and document value are declared here."""
    return [dim for dim in DIMENSIONS if dim.value is not None]


def index_reads() -> list[str]:
    """The Article columns the document values read."""
    return list(dict.fromkeys(column for dim in DIMENSIONS for column in dim.reads))


def read(querydict: Any, params: Any, messages: list[str]) -> None:
    """Read every dimension's URL parameters into `params`; notes go to `messages`."""
    for dim in DIMENSIONS:
        dim.read(dim, querydict, params, messages)


def filters_of(params: Any, messages: list[str]) -> dict[str, list[Any]]:
    """The index filters of a search: {index field: values}; a dimension that resolves typed
    values (source names) says how it read them in `messages`."""
    filters: dict[str, list[Any]] = {}
    for dim in DIMENSIONS:
        if dim.is_range:
            continue
        values = dim.values(params)
        if dim.resolve is not None and values:
            values, notes = dim.resolve(values)
            messages.extend(notes)
        filters[dim.field] = list(values)
    return filters


def params_json(params: Any) -> dict[str, Any]:
    """Each dimension's parameters as the JSON API writes them: a list for a repeatable
    parameter, a date in ISO 8601, else the value (or "" / None when unset)."""
    out: dict[str, Any] = {}
    for dim in DIMENSIONS:
        if dim.is_range or len(dim.attrs) > 1:
            for key, attr in zip(dim.params, dim.attrs, strict=True):
                value = getattr(params, attr)
                out[key] = value.isoformat() if value else None
        elif dim.many:
            out[dim.params[0]] = dim.values(params)
        elif dim.attrs:
            out[dim.params[0]] = getattr(params, dim.attrs[0])
        else:
            values = dim.values(params)
            out[dim.params[0]] = values[0] if values else None
    return out


def url_params() -> list[str]:
    """Every dimension's URL parameters, in declaration order."""
    return [key for dim in DIMENSIONS for key in dim.params]


def form_params() -> set[str]:
    """The URL parameters the search form has its own controls for."""
    return {key for dim in DIMENSIONS if dim.in_form for key in dim.params}


def page_facets(language: str) -> list[Dimension]:
    """The facet groups of the search page in `language`, in their order."""
    shown = [dim for dim in facet_dimensions() if language in dim.interfaces]
    return sorted(shown, key=lambda dim: dim.position)
