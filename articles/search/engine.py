"""The search engine the page, the JSON API, the feeds and the exports share.

    params, messages = params_from_query(request.GET, ui_language="fa")
    result = search_articles(params)               # a SearchResult (articles.search.types)
    for article_id in iter_article_ids(params, limit=50_000): ...   # exports, feeds

The query text is parsed by `articles.search.query` into a Whoosh query over the backend's
schema, bounded (prefix expansions, words), and run through the backend's low-level
`raw_search` (`articles.search.backend`): filters and facets are column operations there,
results and snippets come from stored fields and postings, with no database query per hit.
The database is asked at most three times per search: entity aliases (expansion), source and
entity names (facet labels).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from datetime import time as clock
from html import escape

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from whoosh import query as wq

from articles.search import expand, facets, suggest
from articles.search import highlight as hl
from articles.search.params import params_from_query
from articles.search.query import parse_query
from articles.search.spans import postings_hits
from articles.search.types import SearchHit, SearchParams, SearchResult

logger = logging.getLogger(__name__)

MAX_PREFIX_TERMS = 100  # a prefix searches its most frequent expansions only
MAX_EXPANDED_TERMS = 400  # all the prefixes of one query together
EXPORT_BATCH = 500
SLOW_MS = 2000  # a search slower than this says how to make it faster

__all__ = ["iter_article_ids", "iter_search_hits", "params_from_query", "search_articles"]


def _backend():
    from articles.search.backend import get_backend

    return get_backend()


def search_articles(params: SearchParams) -> SearchResult:
    """Run a search; a query nobody can read still gets a result with messages.

    Should the engine fail on a query (a defect, never the visitor's fault), the words of the
    query are searched plainly instead, and the failure is logged.
    """
    try:
        return _search(params)
    except Exception:
        logger.exception("Search failed for %r; retrying with its plain words", params.q)
    words = " ".join(expand.alias_candidates_words(params.q))
    try:
        result = _search(replace(params, q=words))
    except Exception:
        logger.exception("Search failed again for %r", words)
        result = SearchResult(_clamped(params), 0, [], {}, {"input": params.q, "mode": "empty"})
    result.messages.insert(0, _("The query could not be run as written; its words were searched."))
    return result


def _search(params: SearchParams) -> SearchResult:
    started = time.perf_counter()
    backend = _backend()
    params = _clamped(params)
    with backend.searcher() as searcher:
        plan = _plan(params, backend, searcher)
    extra = {
        "facet_fields": facets.shared_fields(params) if params.with_facets else (),
        "pivots": [facets.TIMELINE] if params.with_timeline else (),
    }
    raw = _raw(backend, params, plan, page=params.page, highlight=params.highlight, **extra)
    if raw.total and not raw.hits and params.page > 1:
        last = max(1, -(-raw.total // params.per_page))
        plan.messages.append(
            _("There is no page %(page)d; this is the last page, %(last)d.")
            % {"page": params.page, "last": last}
        )
        params = replace(params, page=last)
        raw = _raw(backend, params, plan, page=last, highlight=params.highlight, **extra)
    result = SearchResult(
        params=params,
        count=raw.total,
        hits=_hits(backend, raw.hits, plan if params.highlight else None),
        facets={},
        explanation=plan.explanation,
        messages=plan.messages,
        expansions=plan.parsed.expansions,
    )
    if params.with_facets:

        def counts_without(field: str):
            others = {key: values for key, values in plan.filters.items() if key != field}
            counted = _raw(backend, params, plan, page=1, highlight=False, pagelen=1,
                           filters=others, facet_fields=[field], sort="newest")  # fmt: skip
            return counted.facets.get(field, [])

        result.facets = facets.build(raw, params, counts_without)
    if params.with_timeline:
        result.timeline = facets.timeline(raw)
    if params.q.strip() and plan.parsed.words and suggest.worth_suggesting(raw.total):
        with backend.searcher() as searcher:
            result.suggestion = suggest.did_you_mean(searcher, plan.parsed, total=raw.total)
    if result.suggestion:
        result.explanation["suggestion"] = result.suggestion
    took = (time.perf_counter() - started) * 1000
    result.explanation["took_ms"] = round(took, 1)
    if took > SLOW_MS:
        logger.info("Slow search (%.0f ms): %r", took, params.q)
        result.messages.append(
            _("This search took a while; more specific words or a filter make it faster.")
        )
    return result


def iter_search_hits(
    params: SearchParams, limit: int, *, batch: int = EXPORT_BATCH
) -> Iterator[SearchHit]:
    """Every hit of a search in order, `batch` at a time, without snippets or facets."""
    backend = _backend()
    params = replace(_clamped(params), highlight=False, with_facets=False, with_timeline=False)
    with backend.searcher() as searcher:
        plan = _plan(params, backend, searcher)
    given, page = 0, 1
    while given < limit:
        raw = _raw(backend, params, plan, page=page, highlight=False, pagelen=batch)
        for raw_hit in raw.hits:
            yield _hit(raw_hit)
            given += 1
            if given >= limit:
                return
        if page * batch >= raw.total or not raw.hits:
            return
        page += 1


def iter_article_ids(params: SearchParams, limit: int) -> Iterator[int]:
    """The article ids of a search in order (for streamed exports and feeds)."""
    for hit in iter_search_hits(params, limit):
        yield hit.article_id


iter_search_ids = iter_article_ids


# -- planning -------------------------------------------------------------------------------
class Plan:
    def __init__(self, parsed, query, filters, date_range, messages, explanation):
        self.parsed = parsed
        self.query = query
        self.filters = filters
        self.date_range = date_range
        self.messages = messages
        self.explanation = explanation


def _clamped(params: SearchParams) -> SearchParams:
    sort = params.sort if params.sort in ("relevance", "newest", "oldest") else "relevance"
    return replace(
        params,
        q=str(params.q or ""),
        sort=sort,
        page=max(1, min(int(params.page or 1), 10_000)),
        per_page=max(1, min(int(params.per_page or 20), 100)),
    )


def _plan(params: SearchParams, backend, searcher) -> Plan:
    aliases = expand.find_aliases(params.q) if params.q.strip() else {}
    parsed = parse_query(
        params.q, backend.schema, aliases=aliases, expand=params.expand_entities, op=params.op
    )
    messages = list(parsed.messages)
    query = bound_query(parsed.query, searcher.reader(), messages) if parsed.query else None
    filters = {
        "language": [params.language] if params.language else [],
        "source": list(params.sources),
        "entities": list(params.entities),
        "entity_kinds": list(params.entity_kinds),
        "year": [params.year] if params.year else [],
        "jyear": [params.jyear] if params.jyear else [],
    }
    start = _aware(params.date_from, clock.min)
    end = _aware(params.date_to, clock.max)
    if start and end and start > end:
        start, end = _aware(params.date_to, clock.min), _aware(params.date_from, clock.max)
        messages.append(_("The dates were in the wrong order; they were swapped."))
    explanation = parsed.explanation()
    explanation["filters"] = {key: value for key, value in filters.items() if value}
    if start or end:
        explanation["filters"]["date"] = [
            start.date().isoformat() if start else "",
            end.date().isoformat() if end else "",
        ]
    if params.sort == "relevance" and query is None:
        explanation["sort"] = "newest"
    else:
        explanation["sort"] = params.sort
    return Plan(
        parsed, query, filters, (start, end) if start or end else None, messages, explanation
    )


def _aware(day: date | None, moment: clock) -> datetime | None:
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, moment))


def bound_query(query: wq.Query, reader, messages: list[str], budget: list[int] | None = None):
    """Replace each prefix by its most frequent expansions: at most MAX_PREFIX_TERMS each and
    MAX_EXPANDED_TERMS in the whole query, so no query can grow without bound."""
    budget = [MAX_EXPANDED_TERMS] if budget is None else budget
    if isinstance(query, wq.Prefix):
        words = []
        for index, word in enumerate(reader.expand_prefix(query.fieldname, query.text)):
            if index >= 20 * MAX_PREFIX_TERMS:
                break
            words.append(word)
        if not words:
            return wq.NullQuery
        allowed = max(1, min(MAX_PREFIX_TERMS, budget[0]))
        if len(words) > allowed:
            words.sort(key=lambda w: -reader.doc_frequency(query.fieldname, w))
            words = words[:allowed]
            note = _(
                "“%(prefix)s*” matches many words; the %(limit)d most frequent were searched."
            ) % {"prefix": query.text, "limit": allowed}
            if note not in messages:
                messages.append(note)
        budget[0] -= len(words)
        terms = [wq.Term(query.fieldname, w, boost=query.boost) for w in words]
        return terms[0] if len(terms) == 1 else wq.Or(terms)
    if query.is_leaf():
        return query
    return query.apply(lambda child: bound_query(child, reader, messages, budget))


# -- running --------------------------------------------------------------------------------
def _raw(backend, params: SearchParams, plan: Plan, *, page: int, highlight: bool, pagelen=None,
         filters=None, facet_fields=(), pivots=(), sort=None):  # fmt: skip
    sort = sort or params.sort
    if plan.query is None and sort == "relevance":
        sort = "newest"
    return backend.raw_search(
        plan.query,
        filters=plan.filters if filters is None else filters,
        date_range=plan.date_range,
        sort=sort,
        page=page,
        pagelen=pagelen or params.per_page,
        facets=facet_fields,
        pivots=pivots,
    )


def _hits(backend, raw_hits, plan: Plan | None) -> list[SearchHit]:
    """Result hits; with a plan, highlighted from the stored text and the postings' offsets
    (no database query, no re-analysis of the article text)."""
    hits = [_hit(raw_hit) for raw_hit in raw_hits]
    if plan is None or not hits:
        return hits
    names = backend.schema.names()
    title_analyzer = backend.schema["title" if "title" in names else "text"].analyzer
    text_analyzer = backend.schema["text"].analyzer
    with backend.searcher() as searcher:
        reader = searcher.reader()
        terms = _highlight_terms(plan, reader)
        docnums = [raw_hit.docnum for raw_hit in raw_hits]
        # Whoosh gives offsets from its postings; an engine without them (Solr) re-analyses.
        postings = hasattr(reader, "leaf_readers")
        found = postings_hits(searcher, docnums, "text", terms) if terms and postings else {}
        for hit, raw_hit in zip(hits, raw_hits, strict=True):
            text = searcher.stored_fields(raw_hit.docnum).get("text") or ""
            floor = len(hit.title) if hit.title and text.startswith(hit.title) else 0
            if postings:
                snippet = hl.snippet_from_hits(text, found.get(raw_hit.docnum, []), floor=floor)
            else:
                snippet = hl.highlight_snippet(text[floor:], text_analyzer, terms)
            hit.snippet_html, hit.snippet_text = snippet.html, snippet.text
            hit.title_html = hl.highlight_title(hit.title, title_analyzer, terms)
    return hits


def _highlight_terms(plan: Plan, reader) -> set[str]:
    """The analysed words searched for, with each prefix's most frequent completions."""
    terms = set(plan.parsed.highlight_terms)
    for prefix in plan.parsed.highlight_prefixes:
        for index, word in enumerate(reader.expand_prefix("text", prefix)):
            if index >= MAX_PREFIX_TERMS:
                break
            terms.add(word.decode("utf-8") if isinstance(word, bytes) else word)
    return terms


def _hit(raw_hit) -> SearchHit:
    fields = raw_hit.fields
    article_id = int(fields.get("article_id") or 0)
    title = fields.get("title") or ""
    return SearchHit(
        article_id=article_id,
        title=title,
        url=_article_path(article_id, fields.get("slug") or "", fields.get("url") or ""),
        language=fields.get("language") or "",
        source_name=fields.get("source_name") or fields.get("source") or "",
        source_slug=fields.get("source") or "",
        published_at=fields.get("published"),
        snippet_html="",
        score=float(raw_hit.score or 0.0),
        title_html=escape(title),
        source_name_fa=fields.get("source_name_fa") or "",
        entities=list(fields.get("entities") or []),
    )


def _article_path(article_id: int, slug: str, stored_url: str) -> str:
    try:
        return reverse("articles:article", kwargs={"pk": article_id, "slug": slug or "-"})
    except NoReverseMatch:
        return stored_url
