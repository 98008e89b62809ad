"""Merging entities from the admin: the curator picks the survivor on a confirmation page
that shows what each merged entity brings (tags, aliases, articles)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin import helpers
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from articles import services
from articles.models import Article, Entity

TEMPLATE = "admin/articles/entity/merge_confirmation.html"


def merge_view(model_admin, request: HttpRequest, queryset: QuerySet[Entity]):
    """The admin action: first a confirmation page, then (posted with a survivor) the merge."""
    entities = list(
        queryset.annotate(
            tag_total=Count("tags", distinct=True),
            published_total=Count(
                "tags", distinct=True, filter=Q(tags__article__status=Article.Status.PUBLISHED)
            ),
        )
        .prefetch_related("aliases")
        .order_by("pk")
    )
    if len(entities) < 2:
        model_admin.message_user(
            request, _("Select at least two entities to merge."), messages.ERROR
        )
        return None
    if request.POST.get("confirm") == "yes":
        chosen = request.POST.get("survivor", "")
        survivor = next((e for e in entities if str(e.pk) == chosen), None)
        if survivor is None:
            model_admin.message_user(
                request, _("Choose the entity to keep, then confirm."), messages.ERROR
            )
        else:
            others = [entity for entity in entities if entity.pk != survivor.pk]
            services.entity_merge(survivor=survivor, others=others)
            model_admin.message_user(
                request,
                ngettext(
                    "%(count)d entity merged into “%(name)s”; its address now leads there.",
                    "%(count)d entities merged into “%(name)s”; their addresses now lead there.",
                    len(others),
                )
                % {"count": len(others), "name": survivor.name_in(get_language() or "en")},
            )
            return None
    suggested = max(entities, key=lambda entity: (entity.tag_total, -entity.pk))
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Merge entities"),
        "opts": model_admin.model._meta,
        "entities": entities,
        "suggested": suggested,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "action_name": "merge_entities",
    }
    return TemplateResponse(request, TEMPLATE, context)
