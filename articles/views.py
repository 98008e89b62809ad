"""Thin views: read the request, call a selector, render."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language

from articles import selectors


def home(request: HttpRequest) -> HttpResponse:
    language = get_language()
    context = {
        "counts": selectors.archive_counts(),
        "latest_fa": selectors.latest_articles(language="fa", limit=8),
        "latest_en": selectors.latest_articles(language="en", limit=8),
        "top_entities": selectors.top_entities(),
        "ui_language": language,
    }
    return render(request, "articles/home.html", context)


def search(request: HttpRequest) -> HttpResponse:
    return render(request, "search/search.html", {"query": request.GET.get("q", "")})


def help_page(request: HttpRequest) -> HttpResponse:
    return render(request, "articles/help.html")


def article_detail(request: HttpRequest, pk: int, slug: str = "") -> HttpResponse:
    article = selectors.article_for_page(pk=pk)
    if slug != (article.slug or "-"):
        return redirect(article, permanent=True)
    return render(request, "articles/article.html", {"article": article})


def source_detail(request: HttpRequest, slug: str) -> HttpResponse:
    source = selectors.source_for_page(slug=slug)
    articles = selectors.source_articles(source=source)
    return render(request, "articles/source.html", {"source": source, "articles": articles})


def entity_detail(request: HttpRequest, slug: str) -> HttpResponse:
    entity = selectors.entity_for_page(slug=slug)
    articles = selectors.entity_articles(entity=entity)
    return render(request, "articles/entity.html", {"entity": entity, "articles": articles})


def health(request: HttpRequest) -> JsonResponse:
    status = {"database": "ok", "search": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # noqa: BLE001 - the health check reports any failure
        status["database"] = f"error: {error.__class__.__name__}"
    try:
        from haystack.query import SearchQuerySet

        status["indexed"] = SearchQuerySet().count()
    except Exception as error:  # noqa: BLE001
        status["search"] = f"error: {error.__class__.__name__}"
    healthy = status["database"] == "ok" and status["search"] == "ok"
    return JsonResponse(status, status=200 if healthy else 503)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
