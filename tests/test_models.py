import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from articles.models import Article, EntityAlias
from tests.factories import make_article, make_entity, make_source, tag

pytestmark = pytest.mark.django_db


def test_unknown_language_is_rejected_with_a_readable_message():
    article = Article(source=make_source(), language="de", title="x")
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "language" in error.value.message_dict


def test_article_cannot_be_its_own_counterpart():
    article = make_article()
    article.counterpart = article
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "own counterpart" in str(error.value)


def test_counterpart_in_the_same_language_is_rejected():
    first, second = make_article(language="en"), make_article(language="en")
    first.counterpart = second
    with pytest.raises(ValidationError) as error:
        first.full_clean()
    assert "other language" in str(error.value)


def test_validation_messages_are_translated_to_persian():
    article = make_article()
    article.counterpart = article
    with translation.override("fa"):
        with pytest.raises(ValidationError) as error:
            article.full_clean()
        message = " ".join(error.value.messages)
    assert "own counterpart" not in message
    assert any("\u0600" <= ch <= "\u06ff" for ch in message)


def test_alias_duplicated_after_normalisation_is_rejected():
    entity = make_entity(name_en="Kabul", aliases={"fa": ["کابل"]})
    duplicate = EntityAlias(entity=entity, language="fa", alias="كابل")  # Arabic kaf
    with pytest.raises(ValidationError):
        duplicate.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_original_url_is_unique_when_present_only():
    source = make_source()
    make_article(source=source, original_url="https://example.org/a")
    make_article(source=source)  # blank URLs do not clash
    make_article(source=source)
    with pytest.raises(ValidationError):
        make_article(source=source, original_url="https://example.org/a")
    clash = Article(source=source, language="en", title="t", original_url="https://example.org/a")
    with pytest.raises(IntegrityError), transaction.atomic():
        clash.save()


def test_queryset_vocabulary():
    entity = make_entity()
    public_fa = make_article(language="fa")
    make_article(language="en", status=Article.Status.DRAFT)
    hidden = make_article(language="fa", status=Article.Status.HIDDEN)
    tag(public_fa, entity)
    tag(hidden, entity)
    assert list(Article.objects.published().in_language("fa")) == [public_fa]
    assert list(Article.objects.published().mentioning(entity)) == [public_fa]


@pytest.mark.parametrize("language", ["fa", "en"])
def test_absolute_urls_carry_the_language_prefix(language):
    article = make_article()
    entity = make_entity()
    with translation.override(language):
        assert article.get_absolute_url().startswith(f"/{language}/articles/{article.pk}/")
        assert article.source.get_absolute_url() == f"/{language}/sources/{article.source.slug}/"
        assert entity.get_absolute_url() == f"/{language}/entities/{entity.slug}/"


def test_persian_slug_is_kept_in_unicode():
    article = make_article(language="fa", title="طالبان در کابل")
    assert article.slug == "طالبان-در-کابل"
