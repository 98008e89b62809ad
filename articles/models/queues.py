"""Work queued in the database, written in the same transaction as the change that causes
it: index updates (`articles.search.sync`) and gazetteer re-tagging (`articles.curation.retag`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RetagRequest(models.Model):
    """The gazetteer changed: articles need tagging anew (`articles.curation.retag`)."""

    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.reason


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
