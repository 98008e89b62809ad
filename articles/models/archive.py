"""Sources and their articles, with the QuerySets that are the archive's vocabulary: every
list, feed and the search index start from `Article.objects.published()`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles.text.dateprecision import Precision, effective
from articles.text.lead import repeats_lead
from articles.text.sanitize import clean_title

if TYPE_CHECKING:
    from articles.models.entities import Entity

LANGUAGE_CHOICES = [("fa", _("Persian")), ("en", _("English"))]
LANGUAGE_CODES = {code for code, _label in LANGUAGE_CHOICES}


def other_language(language: str) -> str:
    return "en" if language == "fa" else "fa"


def _clean_names(obj: models.Model) -> None:
    """Names are plain text shown in pages and feeds: no bidi overrides, no control characters
    (an RTL override in a name would reorder the text around it)."""
    obj.name_en, obj.name_fa = clean_title(obj.name_en), clean_title(obj.name_fa)


class SourceQuerySet(models.QuerySet):
    def public(self) -> SourceQuerySet:
        """Sources a visitor may see: active, with at least one published article."""
        published = Article.objects.published().filter(source=models.OuterRef("pk"))
        return self.filter(is_active=True).filter(models.Exists(published))


class Source(models.Model):
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_fa = models.CharField(_("name (Persian)"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, allow_unicode=True)
    homepage_url = models.URLField(_("homepage URL"), max_length=500, blank=True)
    feed_url = models.URLField(_("feed URL"), max_length=500, blank=True)
    default_language = models.CharField(
        _("default language"), max_length=2, choices=LANGUAGE_CHOICES, default="en"
    )
    country = models.CharField(_("country"), max_length=100, blank=True)
    # Active: the source is followed (harvested) and listed publicly once it has a published
    # article. Inactive: retired, neither harvested nor listed (its page and feed answer 404);
    # its published articles stay readable on their own pages. See docs/harvesting.md.
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Inactive sources are not harvested and not listed publicly."),
    )
    harvest_paused = models.BooleanField(
        _("harvesting paused"),
        default=False,
        help_text=_("Stop fetching the feeds for now; the source stays listed."),
    )
    new_article_status = models.CharField(
        _("status of new articles"),
        max_length=10,
        choices=[("draft", _("Draft")), ("published", _("Published"))],
        default="draft",
        help_text=_("Harvested articles land with this status (drafts wait for review)."),
    )

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["name_en", "name_fa"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.name_en or self.name_fa or self.slug

    def get_absolute_url(self) -> str:
        return reverse("articles:source", kwargs={"slug": self.slug})

    def clean(self) -> None:
        _clean_names(self)
        if not (self.name_en or self.name_fa):
            raise ValidationError(_("A source needs a name in English or in Persian."))

    def name_in(self, language: str) -> str:
        if language == "fa":
            return self.name_fa or self.name_en
        return self.name_en or self.name_fa


class ArticleQuerySet(models.QuerySet):
    def published(self) -> ArticleQuerySet:
        return self.filter(status=Article.Status.PUBLISHED)

    def in_language(self, language: str) -> ArticleQuerySet:
        return self.filter(language=language)

    def mentioning(self, entity: Entity) -> ArticleQuerySet:
        return self.filter(tags__entity=entity).distinct()

    def newest_first(self) -> ArticleQuerySet:
        return self.order_by(models.F("published_at").desc(nulls_last=True), "-id")

    def for_listing(self) -> ArticleQuerySet:
        """What a list of articles shows: the source, without the heavy text columns."""
        return self.select_related("source").defer("body_html", "body_text", "raw_input")


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        HIDDEN = "hidden", _("Hidden")

    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="articles", verbose_name=_("source")
    )
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES)
    title = models.CharField(_("title"), max_length=500)
    slug = models.SlugField(_("slug"), max_length=200, allow_unicode=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    body_html = models.TextField(_("body (HTML)"), blank=True)
    body_text = models.TextField(_("body (plain text)"), blank=True, editable=False)
    original_url = models.URLField(_("original URL"), max_length=1000, blank=True)
    canonical_url = models.URLField(_("canonical URL"), max_length=1000, blank=True)
    external_id = models.CharField(
        _("external identity"),
        max_length=500,
        blank=True,
        help_text=_("Dump id or feed GUID the article was imported under."),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_precision = models.CharField(
        _("precision of the date"),
        max_length=5,
        choices=Precision.choices,
        default=Precision.UNKNOWN,
        blank=True,
        help_text=_("How much of the date the source gave; a time is never shown otherwise."),
    )
    published_from = models.CharField(
        _("date taken from"), max_length=300, blank=True, editable=False
    )
    byline = models.CharField(_("byline"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    content_hash = models.CharField(_("content hash"), max_length=64, blank=True, editable=False)
    counterpart = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("counterpart in the other language"),
    )
    counterpart_ref = models.CharField(
        _("counterpart named by the input"),
        max_length=1000,
        blank=True,
        editable=False,
        help_text=_("URL or dump id of the other-language version; linked once both exist."),
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
        help_text=_("The same story published by another source (near-duplicate)."),
    )
    duplicate_score = models.FloatField(_("duplicate similarity"), null=True, blank=True)
    neardup_signature = models.BinaryField(null=True, blank=True, editable=False)
    raw_input = models.TextField(_("raw input as received"), blank=True, editable=False)
    provenance_origin = models.CharField(_("imported from"), max_length=1000, blank=True)
    provenance_format = models.CharField(_("input format"), max_length=20, blank=True)
    removed_blocks = models.JSONField(_("removed by the cleaner"), default=list, blank=True)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = [models.F("published_at").desc(nulls_last=True), "-id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            models.UniqueConstraint(
                fields=["original_url"],
                condition=~Q(original_url=""),
                name="article_unique_original_url",
            ),
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=~Q(external_id=""),
                name="article_unique_external_id_per_source",
            ),
            models.CheckConstraint(
                condition=Q(language__in=["fa", "en"]), name="article_language_known"
            ),
            models.CheckConstraint(
                condition=~Q(counterpart=models.F("id")), name="article_not_own_counterpart"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "language", "published_at"]),
            models.Index(fields=["status", "published_at"]),
            models.Index(fields=["content_hash"]),
            models.Index(fields=["updated_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("articles:article", kwargs={"pk": self.pk, "slug": self.slug or "-"})

    @property
    def direction(self) -> str:
        return "rtl" if self.language == "fa" else "ltr"

    def clean(self) -> None:
        # The byline is plain text shown in pages, citations and feeds (see `_clean_names`).
        self.byline = clean_title(self.byline)
        self.published_precision = effective(self.published_at, self.published_precision)
        errors: dict[str, list] = {}
        if self.language and self.language not in LANGUAGE_CODES:
            errors.setdefault("language", []).append(
                _("Unknown language “%(code)s”: choose Persian (fa) or English (en).")
                % {"code": self.language}
            )
        if self.counterpart_id:
            if self.pk and self.counterpart_id == self.pk:
                errors.setdefault("counterpart", []).append(
                    _("An article cannot be its own counterpart.")
                )
            elif self.counterpart and self.counterpart.language == self.language:
                errors.setdefault("counterpart", []).append(
                    _("The counterpart must be in the other language.")
                )
        if self.duplicate_of_id and self.pk and self.duplicate_of_id == self.pk:
            errors.setdefault("duplicate_of", []).append(
                _("An article cannot be a duplicate of itself.")
            )
        if errors:
            raise ValidationError(errors)

    @property
    def shown_summary(self) -> str:
        """The summary, unless the body already opens with it (then the page shows it once)."""
        return "" if repeats_lead(self.summary, self.body_text) else self.summary

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED
