"""Every change that alters what an article's index document holds records an index task.

The tasks are written by the same transaction as the change (`articles.search.queue`), so a
change and its index update commit or roll back together; the writer (`articles.search.worker`)
applies them. What a document holds comes from the article, its source, its tags, the tagged
entities and their aliases, so each of those models is watched here.
"""

from __future__ import annotations

from django.db.models import signals
from haystack.signals import BaseSignalProcessor

from articles.models import Article, ArticleEntity, Entity, EntityAlias, IndexTask, Source
from articles.search.queue import enqueue_articles

SOURCE_INDEXED_FIELDS = ("slug", "name_en", "name_fa")


def tagged_article_ids(entity_id: int) -> list[int]:
    return list(
        ArticleEntity.objects.filter(entity_id=entity_id).values_list("article_id", flat=True)
    )


class QueuedSignalProcessor(BaseSignalProcessor):
    def setup(self) -> None:
        signals.post_save.connect(self.article_saved, sender=Article)
        signals.post_delete.connect(self.article_deleted, sender=Article)
        signals.post_save.connect(self.tag_changed, sender=ArticleEntity)
        signals.post_delete.connect(self.tag_changed, sender=ArticleEntity)
        signals.post_save.connect(self.entity_saved, sender=Entity)
        signals.post_save.connect(self.alias_changed, sender=EntityAlias)
        signals.post_delete.connect(self.alias_changed, sender=EntityAlias)
        signals.pre_save.connect(self.source_before_save, sender=Source)
        signals.post_save.connect(self.source_saved, sender=Source)

    def teardown(self) -> None:
        signals.post_save.disconnect(self.article_saved, sender=Article)
        signals.post_delete.disconnect(self.article_deleted, sender=Article)
        signals.post_save.disconnect(self.tag_changed, sender=ArticleEntity)
        signals.post_delete.disconnect(self.tag_changed, sender=ArticleEntity)
        signals.post_save.disconnect(self.entity_saved, sender=Entity)
        signals.post_save.disconnect(self.alias_changed, sender=EntityAlias)
        signals.post_delete.disconnect(self.alias_changed, sender=EntityAlias)
        signals.pre_save.disconnect(self.source_before_save, sender=Source)
        signals.post_save.disconnect(self.source_saved, sender=Source)

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
