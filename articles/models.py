"""The archive: sources, articles, entities and the tags that join them.

The QuerySets are the archive's vocabulary: every list, feed and the search index start from
`Article.objects.published()`, so none of them can disagree on what is public.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles.text.dateprecision import Precision, effective

LANGUAGE_CHOICES = [("fa", _("Persian")), ("en", _("English"))]
LANGUAGE_CODES = {code for code, _label in LANGUAGE_CHOICES}


def other_language(language: str) -> str:
    return "en" if language == "fa" else "fa"


def _clean_names(obj: models.Model) -> None:
    """Names are plain text shown in pages and feeds: no bidi overrides, no control characters
    (an RTL override in a name would reorder the text around it)."""
    from articles.text.sanitize import clean_title

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
        from articles.text.sanitize import clean_title

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
        from articles.text.lead import repeats_lead

        return "" if repeats_lead(self.summary, self.body_text) else self.summary

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Entity(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANISATION = "organisation", _("Organisation")
        PLACE = "place", _("Place")
        GROUP = "group", _("Group")
        EVENT = "event", _("Event")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    name_fa = models.CharField(_("name (Persian)"), max_length=300, blank=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name_en", "name_fa"]
        verbose_name = _("entity")
        verbose_name_plural = _("entities")

    def __str__(self) -> str:
        return self.name_en or self.name_fa or self.slug

    def get_absolute_url(self) -> str:
        return reverse("articles:entity", kwargs={"slug": self.slug})

    def clean(self) -> None:
        _clean_names(self)
        if not (self.name_en or self.name_fa):
            raise ValidationError(_("An entity needs a name in English or in Persian."))

    def name_in(self, language: str) -> str:
        if language == "fa":
            return self.name_fa or self.name_en
        return self.name_en or self.name_fa


class EntityAlias(models.Model):
    entity = models.ForeignKey(
        Entity, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("entity")
    )
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES)
    alias = models.CharField(_("alias"), max_length=300)
    normalized = models.CharField(_("normalised form"), max_length=300, editable=False)

    class Meta:
        ordering = ["language", "alias"]
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "normalized"], name="alias_unique_per_entity_normalized"
            )
        ]
        indexes = [models.Index(fields=["normalized"])]

    def __str__(self) -> str:
        return self.alias

    def save(self, *args, **kwargs) -> None:
        from articles.text import normalize
        from articles.text.sanitize import clean_title

        self.alias = clean_title(self.alias)
        self.normalized = normalize(self.alias or "")
        super().save(*args, **kwargs)

    def clean(self) -> None:
        from articles.curation.tagging import alias_key
        from articles.text import normalize

        self.normalized = normalize(self.alias or "")
        if not self.normalized:
            raise ValidationError({"alias": _("An alias needs at least one letter or digit.")})
        if self.language and self.language not in LANGUAGE_CODES:
            raise ValidationError({"language": _("Unknown language.")})
        key = alias_key(self.alias)
        others = EntityAlias.objects.filter(entity_id=self.entity_id).exclude(pk=self.pk)
        clash = next((a for a in others if self.entity_id and alias_key(a.alias) == key), None)
        if clash is not None:
            raise ValidationError(
                {
                    "alias": _(
                        "This entity already has the alias “%(alias)s” (the same after "
                        "normalising spelling variants)."
                    )
                    % {"alias": clash.alias}
                }
            )


class EntitySlugRedirect(models.Model):
    """The slug of an entity merged into another: its page and feeds answer 301 to the
    survivor's, for good (a merge of the survivor later re-points the row)."""

    old_slug = models.SlugField(_("old slug"), max_length=200, unique=True, allow_unicode=True)
    entity = models.ForeignKey(
        Entity, on_delete=models.CASCADE, related_name="+", verbose_name=_("entity")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.old_slug} -> {self.entity_id}"


class RetagRequest(models.Model):
    """The gazetteer changed: articles need tagging anew (`articles.curation.retag`)."""

    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.reason


class ArticleEntity(models.Model):
    class Origin(models.TextChoices):
        AUTO = "auto", _("Automatic")
        MANUAL = "manual", _("Manual")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="tags", verbose_name=_("article")
    )
    entity = models.ForeignKey(
        Entity, on_delete=models.CASCADE, related_name="tags", verbose_name=_("entity")
    )
    mentions = models.PositiveIntegerField(_("mentions"), default=0)
    origin = models.CharField(
        _("origin"), max_length=10, choices=Origin.choices, default=Origin.MANUAL
    )
    confirmed = models.BooleanField(_("confirmed"), default=False)

    class Meta:
        verbose_name = _("entity tag")
        verbose_name_plural = _("entity tags")
        constraints = [
            models.UniqueConstraint(fields=["article", "entity"], name="tag_unique_article_entity")
        ]
        indexes = [models.Index(fields=["entity", "article"])]

    def __str__(self) -> str:
        return f"{self.entity} @ {self.article_id}"


class IndexTask(models.Model):
    """A pending change for the search index; one worker applies them in order.

    Living in the database, the queue survives a restart and is written in the same
    transaction as the change it describes, so no update can be lost between them.
    """

    ARTICLE = "articles.article"  # the `model_label` of an article's tasks

    class Action(models.TextChoices):
        UPDATE = "update", "update"
        DELETE = "delete", "delete"

    model_label = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    action = models.CharField(max_length=10, choices=Action.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["model_label", "object_id"])]

    def __str__(self) -> str:
        return f"{self.action} {self.model_label}:{self.object_id}"


# The harvester's tables (feeds, fetch attempts, WARC captures, alerts) live in their package.
from articles.harvest.models import Capture, Feed, FetchAttempt, HealthAlert  # noqa: E402, F401
