"""The harvester in the admin: feeds, fetch attempts, alerts and captures, and the source
controls (add from a homepage, pause/resume, fetch now, health, the last 50 fetches)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Count, Max, OuterRef, Subquery
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.models import LANGUAGE_CHOICES, Source

from . import health, services
from .models import Capture, Feed, FetchAttempt, HealthAlert

SHOWN_ATTEMPTS = 50


class FeedInline(admin.TabularInline):
    model = Feed
    extra = 1
    fields = ("url", "title", "is_active", "fetch_pages", "interval", "next_fetch_at",
              "last_success_at", "error_streak", "last_error")  # fmt: skip
    readonly_fields = ("last_success_at", "error_streak", "last_error")


class FetchAttemptInline(admin.TabularInline):
    model = FetchAttempt
    verbose_name_plural = _("last 50 fetch attempts")
    fields = ("started_at", "seconds", "url", "status", "outcome", "created", "unchanged", "failed",
              "reason", "warc_record_id")  # fmt: skip
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        source_id = (
            request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
        )
        if not source_id:
            return queryset.none()
        ids = list(
            queryset.filter(source_id=source_id)
            .order_by("-started_at", "-id")
            .values_list("id", flat=True)[:SHOWN_ATTEMPTS]
        )
        return queryset.filter(id__in=ids).order_by("-started_at", "-id")


class HomepageForm(forms.Form):
    url = forms.URLField(label=_("Homepage URL"), max_length=500, assume_scheme="https")
    language = forms.ChoiceField(
        label=_("Default language"),
        choices=[("", _("As the page declares"))] + list(LANGUAGE_CHOICES),
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status of new articles"),
        choices=[("draft", _("Draft")), ("published", _("Published"))],
    )


class SourceHarvestAdmin:
    """Mixed into the source admin (articles/admin.py)."""

    inlines = [FeedInline, FetchAttemptInline]
    actions = ["pause_harvest", "resume_harvest", "fetch_now"]
    change_list_template = "admin/harvest/source_change_list.html"

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []  # feeds are added once the source exists

    def get_list_display(self, request):
        # The full health figures show on the change page; the list shows what one query
        # can carry (tests/test_admin.py holds the changelist to a constant query count).
        return (*super().get_list_display(request), "harvest_state", "last_fetch_ok",
                "failures", "open_alerts")  # fmt: skip

    def get_queryset(self, request):
        feeds = Feed.objects.filter(source=OuterRef("pk"), is_active=True).values("source")
        alerts = HealthAlert.objects.filter(source=OuterRef("pk"), resolved_at=None)
        return (
            super()
            .get_queryset(request)
            .annotate(
                feeds_ok_at=Subquery(feeds.annotate(m=Max("last_success_at")).values("m")[:1]),
                feeds_failing=Subquery(feeds.annotate(m=Max("error_streak")).values("m")[:1]),
                alerts_open=Subquery(
                    alerts.values("source").annotate(n=Count("id")).values("n")[:1]
                ),
            )
        )

    @admin.display(description=_("last successful fetch"), ordering="feeds_ok_at")
    def last_fetch_ok(self, obj: Source):
        return getattr(obj, "feeds_ok_at", None) or "—"

    @admin.display(description=_("failures in a row"), ordering="feeds_failing")
    def failures(self, obj: Source) -> int:
        return getattr(obj, "feeds_failing", None) or 0

    @admin.display(description=_("Alerts"), ordering="alerts_open")
    def open_alerts(self, obj: Source) -> int:
        return getattr(obj, "alerts_open", None) or 0

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "health_summary")

    @admin.display(description=_("harvesting"))
    def harvest_state(self, obj: Source) -> str:
        if not obj.is_active:
            return _("inactive")
        return _("paused") if obj.harvest_paused else _("following")

    @admin.display(description=_("health"))
    def health_summary(self, obj: Source) -> str:
        if obj is None or not obj.pk:
            return "—"
        figures = health.health_of([obj])[0]
        alerts = "; ".join(str(a.message) for a in figures.alerts) or _("no alert")
        return format_html(
            "{} {} · {} {} · {} {} · {}",
            _("articles a day:"), f"{figures.per_day:.1f}",
            _("last successful fetch:"), figures.last_success or "—",
            _("failures in a row:"), figures.error_streak,
            alerts,
        )  # fmt: skip

    def get_urls(self):
        extra = [
            path(
                "add-from-homepage/",
                self.admin_site.admin_view(self.add_from_homepage),
                name="articles_source_add_from_homepage",
            )
        ]
        return extra + super().get_urls()

    def add_from_homepage(self, request):
        form = HomepageForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                added = services.add_source_from_homepage(
                    url=form.cleaned_data["url"],
                    language=form.cleaned_data["language"],
                    status=form.cleaned_data["status"],
                )
            except services.DiscoveryError as error:
                form.add_error("url", str(error))
            else:
                self.message_user(
                    request,
                    ngettext(
                        "%(source)s: %(n)d feed followed.",
                        "%(source)s: %(n)d feeds followed.",
                        len(added.feeds),
                    )  # fmt: skip
                    % {"source": added.source, "n": len(added.feeds)},
                )
                return redirect(reverse("admin:articles_source_change", args=[added.source.pk]))
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": _("Add a source from its homepage"),
            "opts": self.model._meta,
        }
        return render(request, "admin/harvest/add_from_homepage.html", context)

    @admin.action(description=_("Pause harvesting"))
    def pause_harvest(self, request, queryset):
        count = services.sources_pause(queryset)
        self.message_user(
            request, ngettext("%d source paused.", "%d sources paused.", count) % count
        )

    @admin.action(description=_("Resume harvesting"))
    def resume_harvest(self, request, queryset):
        count = services.sources_resume(queryset)
        self.message_user(
            request, ngettext("%d source resumed.", "%d sources resumed.", count) % count
        )

    @admin.action(description=_("Fetch now"))
    def fetch_now(self, request, queryset):
        count = services.sources_fetch_now(queryset)
        self.message_user(
            request,
            ngettext("%d feed is due: the harvester fetches it in its next round.",
                     "%d feeds are due: the harvester fetches them in its next round.", count)
            % count,
        )  # fmt: skip


@admin.register(FetchAttempt)
class FetchAttemptAdmin(admin.ModelAdmin):
    list_display = ("started_at", "source", "url", "status", "outcome", "created", "unchanged",
                    "failed")  # fmt: skip
    list_filter = ("outcome", "source")
    list_select_related = ("source",)
    search_fields = ("url", "reason", "warc_record_id")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(HealthAlert)
class HealthAlertAdmin(admin.ModelAdmin):
    list_display = ("created_at", "source", "kind", "message", "resolved_at")
    list_filter = ("kind", ("resolved_at", admin.EmptyFieldListFilter), "source")
    list_select_related = ("source",)
    readonly_fields = ("source", "kind", "message", "created_at")

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Capture)
class CaptureAdmin(admin.ModelAdmin):
    list_display = ("fetched_at", "source", "kind", "status", "url", "record_id", "view_link")
    list_filter = ("kind", "pruned", "source")
    list_select_related = ("source",)
    search_fields = ("url", "record_id")
    readonly_fields = [f.name for f in Capture._meta.fields]

    @admin.display(description=_("as fetched"))
    def view_link(self, obj: Capture) -> str:
        if obj.pruned:
            return _("pruned")
        return format_html('<a href="{}">{}</a>', reverse("articles:capture", args=[obj.pk]),
                           _("view"))  # fmt: skip

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = ("url", "source", "is_active", "interval", "next_fetch_at", "last_success_at",
                    "error_streak")  # fmt: skip
    list_filter = ("is_active", "source")
    list_select_related = ("source",)
    search_fields = ("url", "title")
