"""What the search index holds for an article: `ArticleIndex` is the single definition.

`article_document(article)` turns one article (with its source and tags prefetched) into the
document dict; Haystack's per-object path (`ArticleIndex.full_prepare`) and the bulk indexer
(`articles.search.sync.indexing`) both call it, so they cannot disagree.

Each field declares its index kind (`whoosh_kind`), read by
`articles.search.query.schema.field_kind`, which the Whoosh and Solr schemas both use:
"text" is analysed with our Persian/English analysis, "exact" is one unanalysed value (facets,
filters: `tolonews` stays `tolonews`), "keyword" several unanalysed values, "stored" is kept for
result lists without being searchable, "datetime"/"integer" are sortable columns.

The fields of the search dimensions (language, source, entities, years, …) and their values
come from their declarations in `articles.search.dimensions`.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone, translation
from haystack import indexes

from articles.models import Article, ArticleEntity, Source
from articles.search import dimensions

MODEL_CT = "articles.article"


def whoosh_id(pk: object) -> str:
    return f"{MODEL_CT}.{pk}"


class TextField(indexes.CharField):
    whoosh_kind = "text"


class ExactField(indexes.CharField):
    whoosh_kind = "exact"


class KeywordField(indexes.MultiValueField):
    whoosh_kind = "keyword"


class StoredField(indexes.CharField):
    whoosh_kind = "stored"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("indexed", False)
        super().__init__(**kwargs)


class DateTimeField(indexes.DateTimeField):
    whoosh_kind = "datetime"


class IntegerField(indexes.IntegerField):
    whoosh_kind = "integer"


FIELD_CLASSES: dict[str, type[indexes.SearchField]] = {
    dimensions.EXACT: ExactField,
    dimensions.KEYWORD: KeywordField,
    dimensions.INTEGER: IntegerField,
    dimensions.DATETIME: DateTimeField,
}


def dimension_field(name: str) -> indexes.SearchField:
    """The index field of the search dimension `name`, of the kind it declares."""
    dim = dimensions.get(name)
    field = FIELD_CLASSES[dim.kind](stored=dim.stored, null=True)
    field.set_instance_name(dim.field)
    return field


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    # Searchable text: the document (title + summary + body) and the title on its own.
    text = TextField(document=True, stored=True)
    title = TextField(stored=True)
    # Names and aliases, in both languages, of the entities tagged on the article.
    entity_names = TextField(stored=False)
    # Unanalysed values for filters and facets: the search dimensions' fields (declared in
    # `articles.search.dimensions`, placed here in the order the schemas list them; a
    # dimension added since gets its field after the last one, by `_add_dimension_fields`).
    language = dimension_field("language")
    source = dimension_field("source")
    month = ExactField(stored=False)  # "2021-01", for timelines
    entities = dimension_field("entity")
    entity_kinds = dimension_field("entity_kind")
    published = DateTimeField(stored=True, null=True)
    year = dimension_field("year")
    jyear = dimension_field("jyear")
    article_id = IntegerField(stored=True)
    updated = DateTimeField(stored=True)  # the article's updated_at, to find stale documents
    # A digest of everything above: `check_index --deep` finds documents whose tags, entity
    # names or source changed without the article's updated_at moving.
    signature = ExactField(stored=False)
    # Shown by result lists without a database query.
    source_name = StoredField()
    source_name_fa = StoredField()
    url = StoredField()
    slug = StoredField()

    def get_model(self) -> type[Article]:
        return Article

    def index_queryset(self, using: str | None = None) -> QuerySet[Article]:
        return indexable_articles()

    def read_queryset(self, using: str | None = None) -> QuerySet[Article]:
        return Article.objects.for_listing()

    def get_updated_field(self) -> str:
        return "updated_at"

    def full_prepare(self, obj: Article, with_string_facet: bool = True) -> dict[str, Any]:
        document = article_document(obj)
        self.prepared_data = {
            "id": whoosh_id(obj.pk),
            "django_ct": MODEL_CT,
            "django_id": str(obj.pk),
            **document,
            "signature": document_signature(document),
        }
        return self.prepared_data


_ADDED: set[str] = set()  # index fields added for dimensions registered after the class


def _add_dimension_fields() -> None:
    """Give `ArticleIndex` a field for each dimension with a document value (and drop those
    of dimensions since removed). Haystack reads `ArticleIndex.fields` when a connection
    builds its schema: reload the connection (`connections.reload`) after a change."""
    wanted = {dim.field: dim for dim in dimensions.indexed_dimensions()}
    for name in [name for name in _ADDED if name not in wanted]:
        ArticleIndex.fields.pop(name, None)
        _ADDED.discard(name)
    for name, dim in wanted.items():
        if name not in ArticleIndex.fields:
            ArticleIndex.fields[name] = dimension_field(dim.name)
            _ADDED.add(name)


_add_dimension_fields()
dimensions.on_change(_add_dimension_fields)


def document_signature(document: dict[str, Any]) -> str:
    """A short digest of an index document's content (without its signature)."""
    content = {key: value for key, value in document.items() if key != "signature"}
    encoded = json.dumps(content, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.blake2b(encoded.encode(), digest_size=10).hexdigest()


def indexable_articles() -> QuerySet[Article]:
    """Published articles with what `article_document` reads, in a fixed number of queries."""
    tags = ArticleEntity.objects.select_related("entity").prefetch_related("entity__aliases")
    return (
        Article.objects.published()
        .select_related("source")
        .only(
            "id",
            "title",
            "slug",
            "summary",
            "body_text",
            "language",
            "published_at",
            "updated_at",
            "status",
            "source__slug",
            "source__name_en",
            "source__name_fa",
            *dimensions.index_reads(),
        )
        .prefetch_related(Prefetch("tags", queryset=tags))
        .order_by("pk")
    )


def naive_utc(value: datetime | None) -> datetime | None:
    """Whoosh stores naive datetimes: keep them in UTC."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def aware_utc(value: datetime | None) -> datetime | None:
    """The inverse of what the index stores: a naive UTC datetime made aware."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def article_url(article: Article) -> str:
    with translation.override(article.language):
        return article.get_absolute_url()


def article_document(article: Article) -> dict[str, Any]:
    """The index document of one article; lists hold the values of multi-valued fields."""
    source: Source = article.source
    names: list[str] = []
    for tag in article.tags.all():
        entity = tag.entity
        names.extend(name for name in (entity.name_en, entity.name_fa) if name)
        names.extend(alias.alias for alias in entity.aliases.all())
    # The month follows the archive's time zone, as readers see the dates (as the years do).
    local = timezone.localtime(article.published_at) if article.published_at else None
    text = "\n\n".join(part for part in (article.title, article.summary, article.body_text) if part)
    document = {
        "text": text,
        "title": article.title,
        "entity_names": "\n".join(dict.fromkeys(names)),
        "month": local.strftime("%Y-%m") if local else None,
        "published": naive_utc(article.published_at),
        "article_id": article.pk,
        "updated": naive_utc(article.updated_at),
        "source_name": source.name_en or source.name_fa,
        "source_name_fa": source.name_fa or source.name_en,
        "url": article_url(article),
        "slug": article.slug,
    }
    for dim in dimensions.indexed_dimensions():  # language, source, entities, years, …
        document[dim.field] = dim.value(article)
    return document
