"""Every change that alters what an article's index document holds records an index task.

The tasks are written by the same transaction as the change (`articles.search.sync.queue`), so a
change and its index update commit or roll back together; the writer (`articles.search.sync.worker`)
applies them. What a document holds comes from the article, its source, its tags, the tagged
entities and their aliases, so each of those models is watched here.
"""

from __future__ import annotations

from django.db.models import signals
from haystack.signals import BaseSignalProcessor

from articles.models import Article, ArticleEntity, Entity, EntityAlias, IndexTask, Source
from articles.search.sync.queue import enqueue_articles

SOURCE_INDEXED_FIELDS = ("slug", "name_en", "name_fa")


def tagged_article_ids(entity_id: int) -> list[int]:
    return list(
        ArticleEntity.objects.filter(entity_id=entity_id).values_list("article_id", flat=True)
    )


class QueuedSignalProcessor(BaseSignalProcessor):
    def _wiring(self) -> list:
        return [
            (signals.post_save, self.article_saved, Article),
            (signals.post_delete, self.article_deleted, Article),
            (signals.post_save, self.tag_changed, ArticleEntity),
            (signals.post_delete, self.tag_changed, ArticleEntity),
            (signals.post_save, self.entity_saved, Entity),
            (signals.post_save, self.alias_changed, EntityAlias),
            (signals.post_delete, self.alias_changed, EntityAlias),
            (signals.pre_save, self.source_before_save, Source),
            (signals.post_save, self.source_saved, Source),
        ]

    def setup(self) -> None:
        for signal, handler, sender in self._wiring():
            signal.connect(handler, sender=sender)

    def teardown(self) -> None:
        for signal, handler, sender in self._wiring():
            signal.disconnect(handler, sender=sender)

    def article_saved(self, sender, instance: Article, **kwargs) -> None:
        enqueue_articles([instance.pk])

    def article_deleted(self, sender, instance: Article, **kwargs) -> None:
        enqueue_articles([instance.pk], IndexTask.Action.DELETE)

    def tag_changed(self, sender, instance: ArticleEntity, **kwargs) -> None:
        enqueue_articles([instance.article_id])

    def entity_saved(self, sender, instance: Entity, created: bool = False, **kwargs) -> None:
        if not created:
            enqueue_articles(tagged_article_ids(instance.pk))

    def alias_changed(self, sender, instance: EntityAlias, **kwargs) -> None:
        enqueue_articles(tagged_article_ids(instance.entity_id))

    def source_before_save(self, sender, instance: Source, **kwargs) -> None:
        instance._indexed_before = None
        if instance.pk:
            instance._indexed_before = (
                Source.objects.filter(pk=instance.pk).values_list(*SOURCE_INDEXED_FIELDS).first()
            )

    def source_saved(self, sender, instance: Source, created: bool = False, **kwargs) -> None:
        before = getattr(instance, "_indexed_before", None)
        now = tuple(getattr(instance, name) for name in SOURCE_INDEXED_FIELDS)
        if created or before is None or tuple(before) == now:
            return
        ids = Article.objects.published().filter(source=instance).values_list("pk", flat=True)
        enqueue_articles(ids.iterator(chunk_size=2000))
