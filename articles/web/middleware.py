"""Per-client rate limits on the expensive public endpoints (search, feeds, exports).

Limits are counted in the cache (django-ratelimit's counters), keyed by client address; a
client over its limit gets a 429 that says which limit it hit and when to come back.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_ratelimit.core import get_usage

# URL names (in the `articles` namespace) and the limit group each belongs to.
GROUPS = {
    "search": "search",
    "feed_": "feeds",
    "export_": "exports",
    "article_bibtex": "exports",
    "article_ris": "exports",
}

GROUP_LABELS = {
    "search": gettext_lazy("search"),
    "feeds": gettext_lazy("feed"),
    "exports": gettext_lazy("export"),
}


def limit_group(request: HttpRequest) -> str | None:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    if match.namespace != "articles":
        return None
    for prefix, group in GROUPS.items():
        if match.url_name == prefix or (prefix.endswith("_") and match.url_name.startswith(prefix)):
            return group
    return None


class RateLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        group = limit_group(request) if getattr(settings, "RATELIMIT_ENABLE", True) else None
        if group:
            rate = settings.NEWSARCHIVE_RATE_LIMITS[group]
            usage = get_usage(request, group=f"newsarchive:{group}", key="ip", rate=rate,
                              increment=True)  # fmt: skip
            if usage and usage["should_limit"]:
                return self.too_many(request, group, rate, usage["time_left"])
        return self.get_response(request)

    def too_many(
        self, request: HttpRequest, group: str, rate: str, retry_after: int
    ) -> HttpResponse:
        message = _(
            "Too many %(what)s requests from your address: the limit is %(rate)s. "
            "Please wait %(seconds)s seconds and try again."
        ) % {"what": GROUP_LABELS[group], "rate": rate, "seconds": max(1, retry_after)}
        body = render_to_string("429.html", {"message": message}, request=request)
        response = HttpResponse(body, status=429)
        response["Retry-After"] = str(max(1, retry_after))
        return response
