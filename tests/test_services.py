import pytest
from django.core.exceptions import ValidationError

from articles import services
from articles.models import Article, ArticleEntity, Entity, EntityAlias, IndexTask
from tests.factories import make_article, make_entity, tag

pytestmark = pytest.mark.django_db


def test_article_prepare_sanitises_and_derives_text_and_hash():
    article = make_article(body="")
    article.body_html = "<p>Hello<script>alert(1)</script></p><p>world</p>"
    services.article_save(article)
    article.refresh_from_db()
    assert "script" not in article.body_html
    assert article.body_text == "Hello\n\nworld"
    assert len(article.content_hash) == 64


def test_content_hash_ignores_persian_spelling_variants():
    first = make_article(language="fa", title="كتاب", body="سلام ي ك ۱۳۹۹")
    second = make_article(language="fa", title="کتاب", body="سلام  ی ک 1399")
    assert first.content_hash == second.content_hash


def test_link_counterparts_is_symmetric_and_replaces_old_links():
    en, fa, other_fa = (
        make_article(language="en"),
        make_article(language="fa"),
        make_article(language="fa"),
    )
    services.articles_link_counterparts(en, fa)
    services.articles_link_counterparts(en, other_fa)
    en.refresh_from_db(), fa.refresh_from_db(), other_fa.refresh_from_db()
    assert en.counterpart_id == other_fa.pk and other_fa.counterpart_id == en.pk
    assert fa.counterpart_id is None


def test_link_counterparts_refuses_same_language():
    with pytest.raises(ValidationError):
        services.articles_link_counterparts(
            make_article(language="en"), make_article(language="en")
        )


def test_publish_and_hide_enqueue_index_updates():
    article = make_article(status=Article.Status.DRAFT)
    IndexTask.objects.all().delete()
    assert services.articles_publish(Article.objects.filter(pk=article.pk)) == 1
    assert Article.objects.get(pk=article.pk).status == "published"
    assert services.articles_hide(Article.objects.filter(pk=article.pk)) == 1
    assert Article.objects.get(pk=article.pk).status == "hidden"


def test_merge_moves_tags_and_aliases_without_loss_or_duplicates():
    survivor = make_entity(name_en="Taliban", aliases={"en": ["Taliban"], "fa": ["طالبان"]})
    other = make_entity(name_en="Taleban", name_fa="طالبان", aliases={"en": ["Taleban"]})
    shared, only_other, only_survivor = make_article(), make_article(), make_article()
    tag(shared, survivor, origin="auto", mentions=2)
    tag(shared, other, origin="manual", mentions=5)
    tag(only_other, other, origin="auto", mentions=1)
    tag(only_survivor, survivor)

    services.entity_merge(survivor=survivor, others=[other])

    assert not Entity.objects.filter(pk=other.pk).exists()
    tags = {t.article_id: t for t in ArticleEntity.objects.filter(entity=survivor)}
    assert set(tags) == {shared.pk, only_other.pk, only_survivor.pk}
    assert tags[shared.pk].mentions == 5 and tags[shared.pk].origin == "manual"
    assert ArticleEntity.objects.filter(article=shared).count() == 1
    aliases = sorted(EntityAlias.objects.filter(entity=survivor).values_list("alias", flat=True))
    assert aliases == ["Taleban", "Taliban", "طالبان"]


def test_manual_tag_service_marks_tag_manual():
    article, entity = make_article(), make_entity()
    tag(article, entity, origin="auto")
    services.article_tag(article=article, entity=entity)
    assert ArticleEntity.objects.get(article=article, entity=entity).origin == "manual"


def test_unmark_duplicate():
    original, copy = make_article(), make_article()
    Article.objects.filter(pk=copy.pk).update(duplicate_of=original, duplicate_score=0.9)
    copy.refresh_from_db()
    services.article_unmark_duplicate(copy)
    copy.refresh_from_db()
    assert copy.duplicate_of_id is None


def test_status_and_link_changes_touch_updated_at():
    en, fa = make_article(language="en"), make_article(language="fa")
    before = Article.objects.get(pk=en.pk).updated_at
    services.articles_hide(Article.objects.filter(pk=en.pk))
    hidden_at = Article.objects.get(pk=en.pk).updated_at
    assert hidden_at > before
    services.articles_link_counterparts(Article.objects.get(pk=en.pk), fa)
    assert Article.objects.get(pk=en.pk).updated_at > hidden_at
