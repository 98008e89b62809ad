"""Entities (people, organisations, places…), their aliases in both languages, the slugs of
merged entities, and the tags that join entities to articles."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles.models.archive import LANGUAGE_CHOICES, LANGUAGE_CODES, Article, _clean_names
from articles.text import normalize
from articles.text.aliases import alias_key
from articles.text.sanitize import clean_title


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
        self.alias = clean_title(self.alias)
        self.normalized = self.normalized_form(self.alias)
        super().save(*args, **kwargs)

    def clean(self) -> None:
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

    @staticmethod
    def normalized_form(alias: str) -> str:
        """What `normalized` holds for `alias`: its cleaned text, normalised as search does."""
        return normalize(clean_title(alias or ""))


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
