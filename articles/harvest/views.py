"""Public sources directory with each source's health; staff views of the evidence."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.contrib.syndication.views import Feed as SyndicationFeed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from articles.models import Source

from . import health
from .models import Capture, HealthAlert
from .warc import read_record

ALERT_FEED_ITEMS = 100


def sparkline(daily: list[int], *, width: int = 112, height: int = 20) -> str:
    """An inline SVG of daily counts (numbers only, so safe to mark safe)."""
    top = max(daily, default=0) or 1
    step = width / max(len(daily), 1)
    bars = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}"></rect>',
        (
            (f"{i * step:.1f}", f"{height - n / top * height:.1f}", f"{max(step - 0.5, 0.5):.1f}",
             f"{n / top * height:.1f}")
            for i, n in enumerate(daily)
        ),
    )  # fmt: skip
    return mark_safe(  # noqa: S308 - numbers formatted above, nothing from a visitor
        f'<svg class="spark" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-hidden="true" focusable="false">{bars}</svg>'
    )


def sources_directory(request: HttpRequest) -> HttpResponse:
    sources = list(Source.objects.public().order_by("name_en", "name_fa"))
    rows = [
        {"health": figures, "spark": sparkline(figures.daily)}
        for figures in health.health_of(sources)
    ]
    return render(request, "harvest/sources.html", {"rows": rows, "window": health.WINDOW_DAYS})


def _staff(request: HttpRequest) -> bool:
    user = request.user
    return user.is_active and user.is_staff and user.has_perm("articles.view_article")


def capture_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The response body as fetched, for staff; sandboxed so the page runs nothing."""
    if not _staff(request):
        raise Http404
    capture = get_object_or_404(Capture, pk=pk, pruned=False)
    try:
        stored = read_record(capture.warc_path, capture.offset)
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    content_type = dict((k.lower(), v) for k, v in stored.headers).get("content-type", "")
    if not content_type.startswith(
        ("text/", "application/xml", "application/rss", "application/atom")
    ):
        content_type = "text/plain"
    response = HttpResponse(stored.body, content_type=content_type)
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    response["X-WARC-Record-ID"] = stored.record_id
    response["Cache-Control"] = "private, no-store"
    return response


class AlertsFeed(SyndicationFeed):
    """Source alerts for curators: staff, or anyone holding NEWSARCHIVE_ALERTS_FEED_KEY."""

    def __call__(self, request, *args, **kwargs):
        key = getattr(settings, "NEWSARCHIVE_ALERTS_FEED_KEY", "")
        given = request.GET.get("key", "")
        if not (_staff(request) or (key and hmac.compare_digest(given, key))):
            raise Http404
        return super().__call__(request, *args, **kwargs)

    def title(self) -> str:
        return _("Source alerts")

    def link(self) -> str:
        return reverse("admin:articles_healthalert_changelist")

    def description(self) -> str:
        return _("Sources that went silent, changed volume or keep failing.")

    def items(self):
        return HealthAlert.objects.select_related("source")[:ALERT_FEED_ITEMS]

    def item_title(self, item: HealthAlert) -> str:
        state = _("resolved") if item.resolved_at else _("open")
        return f"{item.source}: {item.get_kind_display()} ({state})"

    def item_description(self, item: HealthAlert) -> str:
        return item.message

    def item_link(self, item: HealthAlert) -> str:
        return reverse("admin:articles_healthalert_change", args=[item.pk])

    def item_pubdate(self, item: HealthAlert):
        return item.created_at


def article_capture(article) -> Capture | None:
    """The capture an article was made from: its page, else the record its provenance names."""
    capture = Capture.objects.filter(article=article, pruned=False).first()
    if capture is None and "(WARC " in (article.provenance_origin or ""):
        record_id = article.provenance_origin.rsplit("(WARC ", 1)[1].rstrip(")")
        capture = Capture.objects.filter(record_id=record_id, pruned=False).first()
    return capture
