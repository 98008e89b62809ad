"""Old slugs of merged entities answer 301 to the survivor's page or feed, for good."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse

from articles.models import EntitySlugRedirect


def follow_merged_slugs(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap an entity view taking `slug`: where no entity has the slug but a merged one had,
    redirect permanently to the same view (and query string) of the survivor."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, slug: str, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, slug=slug, **kwargs)
        except Http404:
            moved = EntitySlugRedirect.objects.filter(old_slug=slug).select_related("entity")
            target = moved.first()
            if target is None or target.entity.slug == slug:
                raise
            url = reverse(
                request.resolver_match.view_name, kwargs={**kwargs, "slug": target.entity.slug}
            )
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)

    return wrapper
