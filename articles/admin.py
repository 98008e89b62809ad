"""Curation in the Django admin (usable in Persian, where the admin is right-to-left)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.urls import path
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from articles import services
from articles.curation import counterparts, display, merge, retag
from articles.harvest.admin import SourceHarvestAdmin
from articles.models import Article, ArticleEntity, Entity, EntityAlias, Source
from articles.text.aliases import alias_key


@admin.register(Source)
class SourceAdmin(SourceHarvestAdmin, admin.ModelAdmin):
    list_display = ("__str__", "name_fa", "slug", "default_language", "country", "is_active",
                    "article_count")  # fmt: skip
    list_filter = ("default_language", "is_active", "harvest_paused", "country")
    search_fields = ("name_en", "name_fa", "slug", "homepage_url")
    prepopulated_fields = {"slug": ("name_en",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("articles"))

    @admin.display(description=_("articles"), ordering="article_total")
    def article_count(self, obj: Source) -> int:
        return obj.article_total


class ArticleEntityInline(admin.TabularInline):
    model = ArticleEntity
    extra = 1
    autocomplete_fields = ("entity",)
    fields = ("entity", "mentions", "origin", "confirmed")
    verbose_name = _("entity tag")
    verbose_name_plural = _("entity tags")


class HasCounterpartFilter(admin.SimpleListFilter):
    title = _("has counterpart")
    parameter_name = "has_counterpart"

    def lookups(self, request, model_admin):
        return (("yes", _("Yes")), ("no", _("No")))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(counterpart__isnull=False)
        if self.value() == "no":
            return queryset.filter(counterpart__isnull=True)
        return queryset


class IsDuplicateFilter(admin.SimpleListFilter):
    title = _("near-duplicate")
    parameter_name = "is_duplicate"

    def lookups(self, request, model_admin):
        return (("yes", _("Yes")), ("no", _("No")))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(duplicate_of__isnull=False)
        if self.value() == "no":
            return queryset.filter(duplicate_of__isnull=True)
        return queryset


class EntityKindFilter(admin.SimpleListFilter):
    title = _("entity kind")
    parameter_name = "entity_kind"

    def lookups(self, request, model_admin):
        return Entity.Kind.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(tags__entity__kind=self.value()).distinct()
        return queryset


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "source", "language", "status", "published", "has_counterpart",
                    "is_duplicate")  # fmt: skip
    list_display_links = ("title",)
    list_filter = ("status", "language", "source", HasCounterpartFilter, IsDuplicateFilter,
                   EntityKindFilter, "published_at")  # fmt: skip
    list_select_related = ("source",)
    search_fields = ("title", "original_url", "external_id", "byline")
    date_hierarchy = "published_at"
    form = counterparts.ArticleAdminForm
    autocomplete_fields = ("source", "duplicate_of")  # the counterpart has its own picker
    inlines = [ArticleEntityInline]
    actions = ["publish", "hide", "link_counterparts", "unmark_duplicates"]
    list_per_page = 50
    readonly_fields = ("body_text_shown", "content_hash", "provenance", "created", "updated",
                       "imported", "duplicate_score")  # fmt: skip
    fieldsets = (
        (
            None,
            {"fields": ("title", "slug", "source", "language", "status", "published_at", "byline")},
        ),  # fmt: skip
        (_("Text"), {"fields": ("summary", "body_html", "body_text_shown")}),
        (
            _("Links"),
            {
                "fields": (
                    "original_url",
                    "canonical_url",
                    "external_id",
                    "counterpart",
                    "duplicate_of",
                    "duplicate_score",
                )
            },
        ),  # fmt: skip
        (
            _("Provenance"),
            {
                "classes": ("collapse",),
                "fields": ("provenance", "content_hash", "imported", "created", "updated"),
            },
        ),  # fmt: skip
    )

    def get_queryset(self, request):
        return super().get_queryset(request).defer("body_html", "body_text", "raw_input",
                                                   "neardup_signature")  # fmt: skip

    class Media:
        css = {"all": ("css/admin.css",)}

    @admin.display(description=_("published"), ordering="published_at")
    def published(self, obj: Article):
        return display.datetime_cell(obj.published_at)

    @admin.display(description=_("imported at"))
    def imported(self, obj: Article):
        return display.datetime_cell(obj.imported_at)

    @admin.display(description=_("created"))
    def created(self, obj: Article):
        return display.datetime_cell(obj.created_at)

    @admin.display(description=_("updated"))
    def updated(self, obj: Article):
        return display.datetime_cell(obj.updated_at)

    @admin.display(description=_("body (plain text)"))
    def body_text_shown(self, obj: Article):
        return display.text_in_its_direction(obj.body_text, obj.language)

    @admin.display(description=_("counterpart"), boolean=True)
    def has_counterpart(self, obj: Article) -> bool:
        return obj.counterpart_id is not None

    @admin.display(description=_("near-duplicate"), boolean=True)
    def is_duplicate(self, obj: Article) -> bool:
        return obj.duplicate_of_id is not None

    @admin.display(description=_("provenance"))
    def provenance(self, obj: Article) -> str:
        removed = obj.removed_blocks or []
        removed_html = (
            format_html_join("", "<li><code>{}</code></li>", ((block[:300],) for block in removed))
            if removed
            else _("nothing")
        )
        return format_html(
            "<p>{}: {}</p><p>{}: {}</p><p>{}:</p><ul>{}</ul><details><summary>{}</summary>"
            "<pre style='white-space:pre-wrap;max-height:30em;overflow:auto'>{}</pre></details>",
            _("Imported from"),
            obj.provenance_origin or "—",
            _("Format"),
            obj.provenance_format or "—",
            _("Removed by the cleaner"),
            removed_html,
            _("Raw input as received"),
            (obj.raw_input or "")[:20000],
        )

    def get_urls(self):
        search = self.admin_site.admin_view(self.counterpart_search)
        own = [path("counterpart-search/", search, name="articles_article_counterpart_search")]
        return own + super().get_urls()

    def counterpart_search(self, request):
        return counterparts.counterpart_search(request, model_admin=self)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "counterpart":
            match = request.resolver_match
            object_id = match.kwargs.get("object_id") if match else None
            kwargs["widget"] = counterparts.picker_for(db_field, self.admin_site,
                                                       object_id=object_id)  # fmt: skip
            kwargs["help_text"] = _(
                "Search the other language by a part of the title or by id (#123); the chosen "
                "article gets this one as its counterpart too."
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj: Article, form, change) -> None:
        services.article_prepare(obj)
        if "counterpart" not in form.cleaned_data:  # not on this form: the pair stays as it is
            super().save_model(request, obj, form, change)
            return
        wanted = form.cleaned_data["counterpart"]
        # The pair is written by the service, both ways; the row keeps its stored link until then.
        stored = Article.objects.filter(pk=obj.pk).values_list("counterpart_id", flat=True)
        obj.counterpart_id = stored.first() if obj.pk else None
        super().save_model(request, obj, form, change)
        services.article_set_counterpart(obj, wanted)

    @admin.action(description=_("Publish the selected articles"))
    def publish(self, request, queryset):
        count = services.articles_publish(queryset)
        self.message_user(request, ngettext("%d article published.", "%d articles published.",
                                            count) % count)  # fmt: skip

    @admin.action(description=_("Hide the selected articles"))
    def hide(self, request, queryset):
        count = services.articles_hide(queryset)
        self.message_user(request, ngettext("%d article hidden.", "%d articles hidden.",
                                            count) % count)  # fmt: skip

    @admin.action(description=_("Link the two selected articles as counterparts"))
    def link_counterparts(self, request, queryset):
        chosen = list(queryset[:3])
        if len(chosen) != 2:
            self.message_user(request, _("Select exactly two articles, one in each language."),
                              messages.ERROR)  # fmt: skip
            return
        try:
            services.articles_link_counterparts(chosen[0], chosen[1])
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        self.message_user(request, _("The two articles are now counterparts."))

    @admin.action(description=_("Undo the near-duplicate link"))
    def unmark_duplicates(self, request, queryset):
        count = 0
        for article in queryset.filter(duplicate_of__isnull=False):
            services.article_unmark_duplicate(article)
            count += 1
        self.message_user(request, ngettext("%d link undone.", "%d links undone.", count) % count)


class EntityAliasFormSet(BaseInlineFormSet):
    """Two aliases that normalise to the same text are one alias: refuse the second."""

    def clean(self) -> None:
        super().clean()
        seen: dict[str, str] = {}
        for form in self.forms:
            if not getattr(form, "cleaned_data", None) or form.cleaned_data.get("DELETE"):
                continue
            alias = form.cleaned_data.get("alias") or ""
            key = alias_key(alias)
            if key in seen:
                raise ValidationError(
                    _(
                        "“%(a)s” and “%(b)s” are the same alias once spelling variants are "
                        "normalised; keep one."
                    )
                    % {"a": seen[key], "b": alias}  # fmt: skip
                )
            seen[key] = alias


class EntityAliasInline(admin.TabularInline):
    model = EntityAlias
    formset = EntityAliasFormSet
    extra = 1
    fields = ("language", "alias", "normalized")
    readonly_fields = ("normalized",)


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    list_display = ("__str__", "name_fa", "kind", "slug", "tag_count")
    list_filter = ("kind",)
    search_fields = ("name_en", "name_fa", "slug", "aliases__alias", "aliases__normalized")
    prepopulated_fields = {"slug": ("name_en",)}
    inlines = [EntityAliasInline]
    actions = ["merge_entities", "retag_now"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(tag_total=Count("tags", distinct=True))

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return queryset, True if search_term else may_have_duplicates

    @admin.display(description=_("tagged articles"), ordering="tag_total")
    def tag_count(self, obj: Entity) -> int:
        return obj.tag_total

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        services.entity_ensure_name_aliases(form.instance)
        if form.has_changed() or any(formset.has_changed() for formset in formsets):
            state = services.gazetteer_changed(reason=str(form.instance))
            self.message_user(request, self._retag_message(state.articles), messages.INFO)

    def delete_model(self, request, obj: Entity) -> None:
        super().delete_model(request, obj)
        services.gazetteer_changed(reason=str(obj))  # its aliases may have hidden others'

    def delete_queryset(self, request, queryset) -> None:
        reason = ", ".join(str(entity) for entity in queryset[:5])
        super().delete_queryset(request, queryset)
        services.gazetteer_changed(reason=reason)

    def changelist_view(self, request, extra_context=None):
        self._show_pending_retag(request)
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            self._show_pending_retag(request)
        return super().change_view(request, object_id, form_url, extra_context)

    def _show_pending_retag(self, request) -> None:
        state = retag.pending_state()
        if state is not None:
            self.message_user(request, self._retag_message(state.articles), messages.WARNING)

    @staticmethod
    def _retag_message(count: int) -> str:
        return ngettext(
            "Re-tagging %(count)d article after the gazetteer changed: tags follow shortly.",
            "Re-tagging %(count)d articles after the gazetteer changed: tags follow shortly.",
            count,
        ) % {"count": count}

    @admin.action(description=_("Merge the selected entities (choose which one to keep)"))
    def merge_entities(self, request, queryset):
        return merge.merge_view(self, request, queryset)

    @admin.action(description=_("Re-tag the articles now"))
    def retag_now(self, request, queryset):
        names = ", ".join(entity.name_in(get_language() or "en") for entity in queryset[:5])
        state = services.gazetteer_changed(reason=names)
        if not settings.NEWSARCHIVE_INDEX_SYNC:  # with it, the request already drains on commit
            transaction.on_commit(retag.drain_in_background)
        self.message_user(request, self._retag_message(state.articles), messages.INFO)
