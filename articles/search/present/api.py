"""The public JSON of a search (`/<lang>/search/?q=…&format=json`), documented in
docs/search-api.md. Researchers' scripts depend on it: add keys, never rename or remove them,
and raise `VERSION` if that ever becomes unavoidable."""

from __future__ import annotations

from django.http import HttpRequest

from articles.models import Article
from articles.search import dimensions, notices
from articles.search.types import SearchResult
from articles.text.dateprecision import Precision, effective, iso

VERSION = 1


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def hit_precisions(result: SearchResult) -> dict[int, str]:
    """The date precision of each hit (one query for the page): the index keeps a datetime."""
    ids = [hit.article_id for hit in result.hits]
    return dict(Article.objects.filter(pk__in=ids).values_list("pk", "published_precision"))


def _published(value, precision: str) -> str | None:
    """A time only when the source gave one; else "2010-08-13", "2010-08" or "2010"."""
    precision = effective(value, precision)
    if value is None:
        return None
    return _iso(value) if precision == Precision.TIME else iso(value, precision)


def result_to_json(result: SearchResult, request: HttpRequest | None = None) -> dict:
    params = result.params
    precisions = hit_precisions(result)

    def absolute(path: str) -> str:
        if request is None or not path or "://" in path:
            return path
        return request.build_absolute_uri(path)

    return {
        "version": VERSION,
        "count": result.count,
        "page": params.page,
        "per_page": params.per_page,
        "num_pages": result.num_pages,
        "results": [
            {
                "id": hit.article_id,
                "url": absolute(hit.url),
                "title": hit.title,
                "title_html": hit.title_html,
                "language": hit.language,
                "source": {
                    "slug": hit.source_slug,
                    "name": hit.source_name,
                    "name_fa": hit.source_name_fa,
                },  # fmt: skip
                "published": _published(hit.published_at, precisions.get(hit.article_id, "")),
                "date_precision": str(
                    effective(hit.published_at, precisions.get(hit.article_id, ""))
                ),
                "snippet": hit.snippet_html,
                "snippet_text": hit.snippet_text,
                "entities": list(hit.entities),
                "score": round(hit.score, 4),
            }
            for hit in result.hits
        ],
        "facets": {
            key: [
                {"value": v.value, "label": str(v.label), "count": v.count, "selected": v.selected}
                for v in values
            ]
            for key, values in result.facets.items()
        },
        "query": result.explanation,
        "params": {
            "q": params.q,
            **dimensions.params_json(params),  # lang, source, entity, kind, year, jyear, from, to
            "sort": params.sort,
            "expand": params.expand_entities,
            "op": params.op,
        },
        "suggestion": result.suggestion,
        "messages": [str(message) for message in result.messages],
        "notices": notices.as_json(result.messages),
        "expansions": result.expansions,
        "timeline": result.timeline,
    }
