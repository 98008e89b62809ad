"""The search engine the page, the JSON API, the feeds and the exports share.

    params, messages = params_from_query(request.GET, ui_language="fa")
    result = search_articles(params)               # a SearchResult (articles.search.types)
    for article_id in iter_article_ids(params, limit=50_000): ...   # exports, feeds

The query text is parsed by `articles.search.query.parser` into a query over the backend's
schema, bounded (prefix expansions, words: `articles.search.budget`), and run as a
`SearchRequest` through the backend contract (`articles.search.contract`; Whoosh or Solr):
results and snippets come from stored fields (and, on Whoosh, postings), with no database
query per hit.
The database is asked at most four times per search: entity aliases (expansion), hides still
in the index queue (`queue.withheld_article_ids`: those articles are left out of everything),
source and entity names (facet labels).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from datetime import time as clock

from django.utils import timezone
from django.utils.translation import gettext as _

from articles.search import budget as budget_rules
from articles.search import dimensions, notices
from articles.search.budget import Budget, bound_query, negated_prefixes
from articles.search.contract import SearchBackend, SearchRequest, get_backend
from articles.search.hits import search_hit, search_hits
from articles.search.present import facets, suggest
from articles.search.query import expand
from articles.search.query.params import params_from_query
from articles.search.query.parser import parse_query
from articles.search.query.sources import NO_SOURCE, names_resolved
from articles.search.sync.queue import withheld_article_ids
from articles.search.types import SORTS, SearchHit, SearchParams, SearchResult

logger = logging.getLogger(__name__)

EXPORT_BATCH = 500
SLOW_MS = 2000  # a search slower than this says how to make it faster

__all__ = [
    "iter_article_ids",
    "iter_search_hits",
    "match_search",
    "params_from_query",
    "search_articles",
    "search_request",
]


def _backend() -> SearchBackend:
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


def search_request(querydict, *, ui_language: str, **overrides) -> SearchResult:
    """A search from a request's parameters: the one path of the page and the JSON API, so
    both carry the same messages (parameters read, query parsed, engine), each once."""
    params, messages = params_from_query(querydict, ui_language=ui_language)
    params = replace(params, **overrides)
    result = search_articles(params)
    result.messages = notices.merged(messages, result.messages)
    return result


def _search(params: SearchParams) -> SearchResult:
    started = time.perf_counter()
    backend = _backend()
    params = _clamped(params)
    withheld = withheld_article_ids()  # read before the searcher: see `Plan.withheld`
    with backend.searcher() as searcher:
        plan = _plan(params, backend, searcher, withheld)
    if params.sources:  # the slugs the typed names resolved to (facets mark them selected)
        params = replace(params, sources=_known(plan.filters["source"]) or params.sources)
    extra = {
        "facet_fields": facets.shared_fields(params) if params.with_facets else (),
        "pivots": [facets.TIMELINE] if params.with_timeline else (),
    }
    raw = _raw(backend, params, plan, page=params.page, **extra)
    if raw.total and not raw.hits and params.page > 1:
        last = max(1, -(-raw.total // params.per_page))
        plan.messages.append(
            _("There is no page %(page)d; this is the last page, %(last)d.")
            % {"page": params.page, "last": last}
        )
        params = replace(params, page=last)
        raw = _raw(backend, params, plan, page=last, **extra)
    budget = plan.budget
    highlight = params.highlight and not _late(budget, _("snippets were not highlighted"))
    result = SearchResult(
        params=params,
        count=raw.total,
        hits=search_hits(backend, raw.hits, plan if highlight else None, raw.searcher),
        facets={},
        explanation=plan.explanation,
        messages=plan.messages,
        expansions=plan.parsed.expansions,
        plan=plan,
    )
    if params.with_facets:

        def counts_without(field: str):
            if _late(budget, _("facet counts leave the selected filter in")):
                return raw.facets.get(field, [])
            others = {key: values for key, values in plan.filters.items() if key != field}
            counted = _raw(backend, params, plan, page=1, pagelen=1,
                           filters=others, facet_fields=[field], sort="newest")  # fmt: skip
            return counted.facets.get(field, [])

        result.facets = facets.build(raw, params, counts_without)
    if params.with_timeline:
        result.timeline = facets.timeline(raw)
    if params.q.strip() and plan.parsed.words and suggest.worth_suggesting(raw.total):
        if not _late(budget, _("no spelling suggestion was looked for")):
            result.suggestion = _suggestion(backend, params, plan, raw.total)
    if result.suggestion:
        result.explanation["suggestion"] = result.suggestion
    result.explanation["budget"] = budget.explain()
    if budget.was_cut:
        result.messages.append(budget.notice())
    took = (time.perf_counter() - started) * 1000
    result.explanation["took_ms"] = round(took, 1)
    if took > SLOW_MS:
        logger.info("Slow search (%.0f ms): %r", took, params.q)
        result.messages.append(
            _("This search took a while; more specific words or a filter make it faster.")
        )
    return result


def _late(budget: Budget, what: str) -> bool:
    """Whether the search has used its time, so the extra `what` is skipped (and said)."""
    if budget.expired():
        budget.cut(what)
        return True
    return False


def _suggestion(backend, params: SearchParams, plan: Plan, total: int) -> str:
    """A "did you mean" drawn from public documents only, offered when it finds clearly
    more than the query did (under the same filters)."""
    text = backend.did_you_mean(plan.parsed, total=total, withheld=plan.withheld)
    if not text:
        return ""
    aliases = expand.find_aliases(text) if params.expand_entities else {}
    parsed = parse_query(text, backend.schema, aliases=aliases, expand=params.expand_entities)
    if parsed.query is None:
        return ""
    with backend.searcher():
        query = bound_query(parsed.query, backend, [])
    request = SearchRequest(query, filters=plan.filters, date_range=plan.date_range,
                            sort="newest", pagelen=1, withheld=plan.withheld)  # fmt: skip
    found = backend.run(request).total
    return text if suggest.clearly_more(found, total) else ""


def iter_search_hits(
    params: SearchParams, limit: int, *, batch: int = EXPORT_BATCH, notes: list | None = None
) -> Iterator[SearchHit]:
    """Every hit of a search in order, `batch` at a time, without snippets or facets; `notes`
    (a list) receives the plan's notes on how the query was read, once it is planned."""
    backend = _backend()
    params = replace(_clamped(params), highlight=False, with_facets=False, with_timeline=False)
    withheld = withheld_article_ids()
    with backend.searcher() as searcher:
        plan = _plan(params, backend, searcher, withheld)
    if notes is not None:
        notes.extend(str(message) for message in plan.messages)
    given, page = 0, 1
    while given < limit:
        raw = _raw(backend, params, plan, page=page, pagelen=batch)
        for raw_hit in raw.hits:
            yield search_hit(raw_hit)
            given += 1
            if given >= limit:
                return
        if page * batch >= raw.total or not raw.hits:
            return
        page += 1


def iter_article_ids(
    params: SearchParams, limit: int, *, notes: list | None = None
) -> Iterator[int]:
    """The article ids of a search in order (for streamed exports and feeds; `notes`: see
    `iter_search_hits`)."""
    for hit in iter_search_hits(params, limit, notes=notes):
        yield hit.article_id


class Matches:
    """Every document of a search, unscored: the research views count over `docnums` with the
    backend's column arrays (`columns`, bound to the same searcher)."""

    def __init__(self, docnums, columns, plan: Plan, backend) -> None:
        self.docnums = docnums
        self.columns = columns
        self.plan = plan
        self.backend = backend


def match_search(params: SearchParams, plan: Plan | None = None) -> Matches:
    """The sorted index document numbers matching a search (query and filters, no paging);
    `plan`: the one a `SearchResult` of the same search carries, so it is not read again."""
    backend = _backend()
    if plan is None:
        params = _clamped(params)
        withheld = withheld_article_ids()  # read before the searcher: see `Plan.withheld`
        with backend.searcher() as searcher:
            plan = _plan(params, backend, searcher, withheld)
    docnums, columns = backend.match_all(
        plan.query, filters=plan.filters, date_range=plan.date_range, withheld=plan.withheld
    )
    return Matches(docnums, columns, plan, backend)


# -- planning -------------------------------------------------------------------------------
class Plan:
    """What to run. `withheld`: articles hidden since they were indexed (queued `delete`
    tasks); read before the searcher is refreshed, so a task that is gone has been applied
    to the index the search reads."""

    def __init__(self, parsed, query, filters, date_range, messages, explanation, withheld=()):
        self.withheld = list(withheld)
        self.parsed = parsed
        self.query = query
        self.filters = filters
        self.date_range = date_range
        self.messages = messages
        self.explanation = explanation


def _clamped(params: SearchParams) -> SearchParams:
    sort = params.sort if params.sort in SORTS else "relevance"
    return replace(
        params,
        q=str(params.q or ""),
        sort=sort,
        page=max(1, min(int(params.page or 1), 10_000)),
        per_page=max(1, min(int(params.per_page or 20), 100)),
    )


def _plan(params: SearchParams, backend, searcher, withheld=()) -> Plan:
    aliases = expand.find_aliases(params.q) if params.q.strip() else {}
    with names_resolved():
        parsed = parse_query(
            params.q, backend.schema, aliases=aliases, expand=params.expand_entities, op=params.op
        )
    messages = list(parsed.messages)
    budget = Budget(documents=backend.count())
    expansions: dict = {}
    query = None
    if parsed.query:
        budget.prefixes_left = len(
            {(p.field, p.text) for p in negated_prefixes(parsed.query, all_of=True)}
        )
        for prefix in negated_prefixes(parsed.query):  # a budget cut must not widen a NOT
            budget_rules.expand_prefix(backend, prefix.field, prefix.text, budget, expansions)
        query = bound_query(parsed.query, backend, messages, budget, expansions)
        query = budget_rules.fit(query, backend, budget)
    filters = dimensions.filters_of(params, messages)  # {index field: values}
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
    dates = (start, end) if start or end else None
    plan = Plan(parsed, query, filters, dates, messages, explanation, withheld)
    plan.budget, plan.expansions = budget, expansions
    return plan


def _known(slugs: list[str]) -> list[str]:
    return [slug for slug in slugs if slug != NO_SOURCE]


def _aware(day: date | None, moment: clock) -> datetime | None:
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, moment))


# -- running --------------------------------------------------------------------------------
def _raw(backend, params: SearchParams, plan: Plan, *, page: int, pagelen=None,
         filters=None, facet_fields=(), pivots=(), sort=None):  # fmt: skip
    sort = sort or params.sort
    if plan.query is None and sort == "relevance":
        sort = "newest"
    request = SearchRequest(
        plan.query,
        filters=plan.filters if filters is None else filters,
        date_range=plan.date_range,
        sort=sort,
        page=page,
        pagelen=pagelen or params.per_page,
        facets=facet_fields,
        pivots=pivots,
        withheld=plan.withheld,
    )
    return backend.run(request)
