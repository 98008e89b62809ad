"""What the harvester keeps: the feeds it follows, each fetch it made, the captures in the WARC
files, and the alerts source health raised.

Registered under the ``articles`` app (``articles.models`` imports this module), so the tables
live beside the articles they feed.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_INTERVAL = 3600  # seconds between fetches of a new feed


class Feed(models.Model):
    """One feed of a source (a source may have several). Holds the conditional-GET validators
    and the schedule: when it is next due and how its last fetches went."""

    source = models.ForeignKey(
        "articles.Source", on_delete=models.CASCADE, related_name="feeds", verbose_name=_("source")
    )
    url = models.URLField(_("feed URL"), max_length=1000)
    title = models.CharField(_("title"), max_length=300, blank=True)
    is_active = models.BooleanField(_("followed"), default=True)
    fetch_pages = models.BooleanField(
        _("fetch article pages"),
        default=True,
        help_text=_(
            "Fetch each new item's page and extract its text when the feed carries only a summary."
        ),  # fmt: skip
    )
    etag = models.CharField(_("ETag"), max_length=500, blank=True, editable=False)
    last_modified = models.CharField(_("Last-Modified"), max_length=100, blank=True, editable=False)
    interval = models.PositiveIntegerField(_("interval (seconds)"), default=DEFAULT_INTERVAL)
    next_fetch_at = models.DateTimeField(_("next fetch"), null=True, blank=True)
    last_fetched_at = models.DateTimeField(_("last fetch"), null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField(
        _("last successful fetch"), null=True, blank=True, editable=False
    )
    last_new_at = models.DateTimeField(_("last new article"), null=True, blank=True, editable=False)
    error_streak = models.PositiveIntegerField(_("failures in a row"), default=0, editable=False)
    # Digests of the items the last fetch listed: a known item listed again unchanged is
    # counted without being cleaned and compared again.
    item_digests = models.JSONField(default=list, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        app_label = "articles"
        ordering = ["source", "url"]
        verbose_name = _("feed")
        verbose_name_plural = _("feeds")
        constraints = [
            models.UniqueConstraint(fields=["source", "url"], name="feed_unique_url_per_source")
        ]
        indexes = [models.Index(fields=["is_active", "next_fetch_at"])]

    def __str__(self) -> str:
        return self.title or self.url


class FetchAttempt(models.Model):
    """One fetch of a feed and what came of it (the admin shows the last 50 per source)."""

    class Outcome(models.TextChoices):
        OK = "ok", _("Fetched")
        NOT_MODIFIED = "not_modified", _("Not modified")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    source = models.ForeignKey(
        "articles.Source",
        on_delete=models.CASCADE,
        related_name="fetch_attempts",
        verbose_name=_("source"),
    )
    feed = models.ForeignKey(
        Feed, on_delete=models.SET_NULL, null=True, blank=True, related_name="attempts"
    )
    url = models.URLField(_("URL"), max_length=1000)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    seconds = models.FloatField(_("seconds"), default=0)
    status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    reason = models.TextField(_("reason"), blank=True)
    items = models.PositiveIntegerField(_("items in the feed"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    bytes = models.PositiveBigIntegerField(_("bytes"), default=0)
    warc_record_id = models.CharField(_("WARC record"), max_length=100, blank=True)

    class Meta:
        app_label = "articles"
        ordering = ["-started_at", "-id"]
        verbose_name = _("fetch attempt")
        verbose_name_plural = _("fetch attempts")
        indexes = [models.Index(fields=["source", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.url} {self.outcome}"


class Capture(models.Model):
    """Where one fetched response sits in the WARC files (file, offset, length, record id)."""

    source = models.ForeignKey("articles.Source", on_delete=models.CASCADE, related_name="captures")
    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="captures",
    )
    url = models.URLField(_("URL"), max_length=1000)
    kind = models.CharField(_("kind"), max_length=10)  # feed | page | robots
    fetched_at = models.DateTimeField(_("fetched"))
    status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    content_type = models.CharField(_("content type"), max_length=200, blank=True)
    warc_path = models.CharField(_("WARC file"), max_length=500)
    offset = models.PositiveBigIntegerField()
    length = models.PositiveBigIntegerField()
    record_id = models.CharField(_("WARC record id"), max_length=100, db_index=True)
    pruned = models.BooleanField(_("pruned"), default=False)

    class Meta:
        app_label = "articles"
        ordering = ["-fetched_at", "-id"]
        verbose_name = _("capture")
        verbose_name_plural = _("captures")
        indexes = [models.Index(fields=["source", "fetched_at"])]

    def __str__(self) -> str:
        return f"{self.record_id} {self.url}"


class HealthAlert(models.Model):
    """A source behaving unusually: silent, outside its usual daily volume, or failing."""

    class Kind(models.TextChoices):
        SILENT = "silent", _("Silent")
        LOW_VOLUME = "low", _("Fewer articles than usual")
        HIGH_VOLUME = "high", _("More articles than usual")
        FAILING = "failing", _("Fetches failing")

    source = models.ForeignKey(
        "articles.Source", on_delete=models.CASCADE, related_name="alerts", verbose_name=_("source")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    message = models.TextField(_("message"))
    created_at = models.DateTimeField(_("raised"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        app_label = "articles"
        ordering = ["-created_at", "-id"]
        verbose_name = _("source alert")
        verbose_name_plural = _("source alerts")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind"],
                condition=models.Q(resolved_at__isnull=True),
                name="alert_one_open_per_source_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.source}: {self.get_kind_display()}"
