"""Thin views: read the request, call a selector or the search engine, render."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language, gettext, ngettext, override
from django.utils.translation import gettext_lazy as _

from articles import selectors
from articles.models import other_language
from articles.outputs.charts import buckets, timeline_svg
from articles.research.search_page import search_json_extras, search_page_extras
from articles.search import dimensions, notices
from articles.search.contract import get_backend
from articles.search.engine import params_from_query, search_request
from articles.search.present.api import hit_precisions, result_to_json
from articles.search.types import SearchParams, SearchResult
from articles.text.aliases import alias_key
from articles.text.calendar import local_digits, month_text
from articles.web.forms import SORT_LABELS

logger = logging.getLogger(__name__)


def _language() -> str:
    return "fa" if (get_language() or "en").startswith("fa") else "en"


def chart_context(timeline: list[dict], *, subject: str) -> dict:
    """The SVG chart and the rows of its table fallback for a `[{"month", "fa", "en"}]` list."""
    rows = buckets(timeline)
    names = {code: str(name) for code, name in settings.LANGUAGE_NAMES.items()}

    def label_for(value: str, numeric: bool = False) -> str:
        return local_digits(value) if numeric or len(value) == 4 else month_text(value)

    svg = timeline_svg(
        rows,
        title=subject,
        description=gettext("Bars per month: Persian and English articles side by side."),
        language_names=names,
        label_for=label_for,
    )
    return {"chart_svg": svg, "chart_rows": rows}


def home(request: HttpRequest) -> HttpResponse:
    context = {
        "counts": selectors.archive_counts(),
        "latest_fa": selectors.latest_articles(language="fa", limit=8),
        "latest_en": selectors.latest_articles(language="en", limit=8),
        "top_entities": selectors.top_entities(),
    }
    return render(request, "articles/home.html", context)


OP_LABELS = (("and", _("All the words")), ("or", _("Any of the words")))
# The form's own fields besides the dimensions it has controls for (language, dates): every
# other parameter of the search is kept, as a hidden field, when the form is sent again.
FORM_FIELDS = {"q", "sort", "op", "page", "format"}


def facet_groups(result: SearchResult, language: str) -> list[dict]:
    """The facet groups of the search page, one per facet dimension shown in `language`."""
    return [
        {
            "title": dim.title,
            "param": dim.params[0],
            "values": result.facets.get(dim.name, []),
            "numeric": dim.numeric,
        }
        for dim in dimensions.page_facets(language)
    ]


EXPLANATION_LABELS = {
    "input": _("You typed"),
    "read_as": _("Read as"),
    "mode": _("Kind of query"),
    "tokens": _("Words searched"),
    "operators": _("Operators"),
    "fields": _("Fields"),
    "filters": _("Filters"),
    "sort": _("Sort"),
    "took_ms": _("Time taken"),
}


def _milliseconds(value: object) -> str:
    try:
        amount = f"{float(value):.1f}"  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)
    if _language() == "fa":
        amount = local_digits(amount.replace(".", "٫"))
    return gettext("%(amount)s ms") % {"amount": amount}


def _plain(value: object) -> str:
    if isinstance(value, dict):
        if "text" in value and "terms" in value:  # a query token and what it searched
            terms = ", ".join(str(term) for term in value.get("terms") or [])
            field = f"{value['field']}: " if value.get("field") else ""
            return f"{field}{value['text']} → {terms or '∅'}"
        return "; ".join(f"{key}: {_plain(item)}" for key, item in value.items())
    if isinstance(value, list | tuple):
        return " · ".join(_plain(item) for item in value)
    return str(value)


def _explanation_items(explanation: dict) -> list[tuple[str, str]]:
    """The engine's explanation as labelled lines; expansions and suggestions show elsewhere."""
    items = []
    for key, value in (explanation or {}).items():
        if key in {"expansions", "suggestion", "match"} or value in ("", None, [], {}):
            continue
        label = EXPLANATION_LABELS.get(key, str(key).replace("_", " "))
        items.append((str(label), _milliseconds(value) if key == "took_ms" else _plain(value)))
    return items


def match_note(match: dict) -> str:
    """The set rule that ran (`explanation["match"]`), as a sentence; "" for one word."""
    words, required = int(match.get("of") or 0), int(match.get("required") or 0)
    if words < 2:
        return ""
    values = {"n": local_digits(str(words)), "k": local_digits(str(required))}
    if match.get("rule") == "any":
        return (
            ngettext(
                "Articles holding any of the %(n)s words.",
                "Articles holding any of the %(n)s words.",
                words,
            )
            % values
        )
    if match.get("rule") == "at_least":
        return gettext("Articles holding at least %(k)s of the %(n)s words.") % values
    return (
        ngettext("Articles holding all %(n)s words.", "Articles holding all %(n)s words.", words)
        % values
    )


def _failed_search(params: SearchParams) -> SearchResult:
    return SearchResult(params, 0, [], {}, {}, messages=[notices.unavailable()])


def search(request: HttpRequest) -> HttpResponse:
    language = _language()
    try:
        result = search_request(request.GET, ui_language=language)
    except Exception:  # noqa: BLE001 - a visitor's query must never cost a 500
        logger.exception("search failed for %r", request.GET.urlencode()[:500])
        result = _failed_search(params_from_query(request.GET, ui_language=language)[0])
    if request.GET.get("format") == "json":
        payload = result_to_json(result, request)
        if result.count or result.params.q:
            payload |= search_json_extras(request, result)
        return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
    # The index keeps a datetime; pages show what the source gave.
    precisions = hit_precisions(result)
    for hit in result.hits:
        hit.published_precision = precisions.get(hit.article_id, "")
    params = result.params
    expansions = []
    for item in result.expansions:
        name = item.get(f"name_{language}") or item.get("name_en") or item.get("slug") or ""
        # "طالبان → طالبان" says nothing: where the typed alias is the name, show the name only.
        same = alias_key(str(item.get("alias") or "")) == alias_key(str(name))
        expansions.append({**item, "name": name, "same_as_typed": same})
    form_fields = FORM_FIELDS | dimensions.form_params()
    context = {
        "result": result,
        "params": params,
        # How the engine read the typed dates (notices of kind "date") shows by the date fields.
        "notices": [m for m in result.messages if notices.kind_of(m) != notices.DATE],
        "date_notes": [m for m in result.messages if notices.kind_of(m) == notices.DATE],
        "date_from_text": request.GET.get("from", "")[:40],
        "date_to_text": request.GET.get("to", "")[:40],
        "sort_choices": SORT_LABELS,
        **date_examples(),
        "kept_filters": [
            (key, request.GET.getlist(key)) for key in request.GET if key not in form_fields
        ],
        "facet_groups": facet_groups(result, language),
        "expansions": expansions,
        "explanation_items": _explanation_items(result.explanation),
        "match_note": match_note(result.explanation.get("match") or {}),
        "op_choices": OP_LABELS,
        "has_query": bool(request.GET),
        "first_number": (params.page - 1) * params.per_page + 1,
        "previous_page": params.page - 1,
        "next_page": params.page + 1,
    }
    if request.GET:
        context |= search_page_extras(request, result)
    return render(request, "search/search.html", context)


def date_examples() -> dict[str, str]:
    """The example dates of the hints, each isolated left to right: after Persian words a
    browser reads "2021-01-04" as Arabic numbers and shows "04-01-2021"."""
    return {
        "solar_example": format_html('<bdi dir="ltr">{}</bdi>', local_digits("1399/10/15")),
        "gregorian_example": format_html('<bdi dir="ltr">{}</bdi>', "2021-01-04"),
    }


def help_page(request: HttpRequest) -> HttpResponse:
    return render(request, "articles/help.html", date_examples())


def article_detail(request: HttpRequest, pk: int, slug: str = "") -> HttpResponse:
    try:
        article = selectors.article_for_page(pk=pk)
    except Http404:
        if selectors.article_is_withdrawn(pk=pk):  # 410: it was here, and is gone on purpose
            return render(request, "articles/withdrawn.html", status=410)
        raise
    if slug != (article.slug or "-"):
        return redirect(article, permanent=True)
    counterpart = selectors.published_counterpart(article)
    with override(article.language):
        permalink = reverse("articles:article_short", kwargs={"pk": article.pk})
    other = other_language(_language())
    counterpart_urls = {}
    if counterpart is not None and counterpart.language == other:
        with override(other):
            counterpart_urls[other] = counterpart.get_absolute_url()
    context = {
        "article": article,
        "counterpart": counterpart,
        "counterpart_urls": counterpart_urls,
        "tags": list(article.tags.all()),
        "elsewhere": selectors.same_story_elsewhere(article),
        "permalink": request.build_absolute_uri(permalink),
    }
    return render(request, "articles/article.html", context)


def source_detail(request: HttpRequest, slug: str) -> HttpResponse:
    source = selectors.source_for_page(slug=slug)
    choice = selectors.paginate(
        selectors.source_articles(source=source), page_text=request.GET.get("page")
    )
    context = {
        "source": source,
        "summary": selectors.source_summary(source=source),
        "page": choice.page,
        "notices": [choice.notice] if choice.notice else [],
    }
    return render(request, "articles/source.html", context)


ENTITY_PAGE_SIZE = 15


def entity_detail(request: HttpRequest, slug: str) -> HttpResponse:
    entity = selectors.entity_for_page(slug=slug)
    counts = selectors.entity_counts(entity=entity)
    pages, notices = {}, []
    for language in ("fa", "en"):  # each column pages on its own: ?page_fa=2&page_en=3
        choice = selectors.paginate(
            selectors.entity_articles(entity=entity, language=language),
            page_text=request.GET.get(f"page_{language}"),
            per_page=ENTITY_PAGE_SIZE,
            count=counts[language],
        )
        pages[language] = choice.page
        notices += [choice.notice] if choice.notice else []
    context = {
        "entity": entity,
        "aliases": list(entity.aliases.all()),
        "counts": counts,
        "page_fa": pages["fa"],
        "page_en": pages["en"],
        "notices": notices,
        "related": selectors.co_mentioned_entities(entity=entity),
        **chart_context(
            selectors.entity_timeline(entity=entity), subject=gettext("Mentions over time")
        ),
    }
    return render(request, "articles/entity.html", context)


def _indexed_count() -> int:
    """Documents in the search index, as the backend counts them (a health check must answer
    quickly: Haystack's SearchQuerySet count ran a match-all query, 21 s at 100k articles)."""
    return get_backend().count()


def health(request: HttpRequest) -> JsonResponse:
    status = {"database": "ok", "search": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # noqa: BLE001 - the health check reports any failure
        status["database"] = f"error: {error.__class__.__name__}"
    try:
        status["indexed"] = _indexed_count()
    except Exception as error:  # noqa: BLE001
        status["search"] = f"error: {error.__class__.__name__}"
    healthy = status["database"] == "ok" and status["search"] == "ok"
    return JsonResponse(status, status=200 if healthy else 503)


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever a page links; the icon is a static file (its
    hashed name changes with its content, so the redirect is temporary)."""
    return redirect(static("favicon.ico"))


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
