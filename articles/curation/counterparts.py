"""Counterparts in the article form: a picker that searches the other language, and a form
that leaves pairing to `services.article_set_counterpart` (which keeps pairs symmetric).

The picker is Django's autocomplete widget pointed at a search of its own: articles in the
language the edited article is not in, found by a part of the title (Arabic and Persian ی/ک
folded) or by id (`123` or `#123`, in Latin or Persian digits).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, JsonResponse
from django.urls import reverse

from articles.models import LANGUAGE_CODES, Article
from articles.text.calendar import fold_digits

PAGE_SIZE = 20
_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose what shows

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("title", "summary", "body_html", "byline"):  # text of either direction
            if name in self.fields:
                self.fields[name].widget.attrs["dir"] = "auto"

    def validate_unique(self) -> None:
        # Choosing an article that is paired elsewhere re-pairs it (the service unpairs the old
        # partner); the one-to-one column must not refuse it first.
        exclude = self._get_validation_exclusions()
        exclude.add("counterpart")
        try:
            self.instance.validate_unique(exclude=exclude)
        except ValidationError as error:
            self._update_errors(error)


class CounterpartPicker(AutocompleteSelect):
    def __init__(self, field, admin_site, *, language: str = "", exclude: str = "", **kwargs):
        super().__init__(field, admin_site, **kwargs)
        self.language, self.exclude = language, exclude

    def get_url(self) -> str:
        url = reverse("admin:articles_article_counterpart_search")
        query = urlencode({"language": self.language, "exclude": self.exclude})
        return f"{url}?{query}"


def picker_for(db_field, admin_site, *, object_id: str | None) -> CounterpartPicker:
    """The widget for the form of article `object_id` (None on the add form: both languages)."""
    language = ""
    if object_id and str(object_id).isdigit():
        own = Article.objects.filter(pk=object_id).values_list("language", flat=True).first()
        language = {"fa": "en", "en": "fa"}.get(own or "", "")
    return CounterpartPicker(db_field, admin_site, language=language, exclude=str(object_id or ""))


def _label(article: Article) -> str:
    day = article.published_at.date().isoformat() if article.published_at else "—"
    # The title isolated: an English title in the Persian admin (or the reverse) must not
    # reorder the id and date around it.
    return f"#{article.pk} · \u2068{article.title}\u2069 ({article.language}, {day})"


def counterpart_search(request: HttpRequest, *, model_admin) -> JsonResponse:
    """Select2's JSON: `{"results": [{"id", "text"}], "pagination": {"more"}}`."""
    if not model_admin.has_view_or_change_permission(request):
        raise PermissionDenied
    term = (request.GET.get("term") or "").strip()[:200]
    articles = Article.objects.only("pk", "title", "language", "published_at")
    language = request.GET.get("language", "")
    if language in LANGUAGE_CODES:
        articles = articles.filter(language=language)
    exclude = request.GET.get("exclude", "")
    if exclude.isdigit():
        articles = articles.exclude(pk=int(exclude))
    if term:
        match = Q(title__icontains=term) | Q(title__icontains=term.translate(_LETTERS))
        number = fold_digits(term.lstrip("#"))
        if number.isdigit() and len(number) < 19:
            match |= Q(pk=int(number))
        articles = articles.filter(match)
    page_text = fold_digits(request.GET.get("page") or "1")
    page = max(1, min(int(page_text), 1000)) if page_text.isdigit() else 1
    start = (page - 1) * PAGE_SIZE
    rows = list(articles.order_by("-published_at", "-pk")[start : start + PAGE_SIZE + 1])
    return JsonResponse(
        {
            "results": [{"id": str(a.pk), "text": _label(a)} for a in rows[:PAGE_SIZE]],
            "pagination": {"more": len(rows) > PAGE_SIZE},
        },
        json_dumps_params={"ensure_ascii": False},
    )
