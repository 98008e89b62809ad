import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from articles.models import Article, ArticleEntity, Entity, EntityAlias, Source
from tests.factories import make_article, make_entity, make_source, tag

pytestmark = pytest.mark.django_db

MODELS = [Source, Article, Entity]


@pytest.fixture
def staff_client(client):
    user = get_user_model().objects.create_superuser("curator", "c@example.org", "pw-secret-123")
    client.force_login(user)
    return client


@pytest.mark.parametrize("language", ["fa", "en"])
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_admin_pages_answer_200_for_staff(staff_client, model, language):
    article = make_article()
    entity = make_entity(aliases={"fa": ["طالبان"]})
    tag(article, entity)
    obj = {Source: article.source, Article: article, Entity: entity}[model]
    with translation.override(language):
        opts = model._meta
        for url in (
            reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
            reverse(f"admin:{opts.app_label}_{opts.model_name}_add"),
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]),
        ):
            response = staff_client.get(url)
            assert response.status_code == 200, url
    if language == "fa":
        assert 'dir="rtl"' in response.content.decode()


def test_admin_requires_staff(client):
    response = client.get("/en/admin/articles/article/")
    assert response.status_code == 302


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_query_count_is_constant(staff_client, django_assert_max_num_queries, model):
    url = reverse(f"admin:articles_{model._meta.model_name}_changelist")

    def fill(n):
        for _ in range(n):
            entity = make_entity()
            tag(make_article(), entity)

    fill(3)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert staff_client.get(url).status_code == 200
    fill(30)
    with CaptureQueriesContext(connection) as many:
        assert staff_client.get(url).status_code == 200
    assert len(many) == len(few)


def _article_form(source, **extra):
    data = {
        "title": "Hello <b>world</b>",
        "slug": "",
        "source": source.pk,
        "language": "en",
        "status": "published",
        "summary": "",
        "body_html": "<p>Body</p><script>alert('x')</script><p onclick='x()'>Two</p>",
        "original_url": "",
        "canonical_url": "",
        "external_id": "",
        "byline": "",
        "published_at_0": "2021-01-05",
        "published_at_1": "10:00:00",
        "tags-TOTAL_FORMS": "0",
        "tags-INITIAL_FORMS": "0",
        "tags-MIN_NUM_FORMS": "0",
        "tags-MAX_NUM_FORMS": "1000",
    }
    data.update(extra)
    return data


def test_curator_flow_create_sanitise_tag_merge(staff_client):
    # A source, an article with a script in its HTML, two entities, a tag, a merge.
    response = staff_client.post(
        reverse("admin:articles_source_add"),
        {
            "name_en": "TOLOnews",
            "name_fa": "طلوع نیوز",
            "slug": "tolonews",
            "homepage_url": "",
            "feed_url": "",
            "default_language": "en",
            "new_article_status": "draft",
            "country": "AF",
            "is_active": "on",
        },  # fmt: skip
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    source = Source.objects.get(slug="tolonews")

    def entity_form(name_en, name_fa, slug, alias):
        return {
            "kind": "group", "name_en": name_en, "name_fa": name_fa, "slug": slug,
            "description": "",
            "aliases-TOTAL_FORMS": "1", "aliases-INITIAL_FORMS": "0",
            "aliases-MIN_NUM_FORMS": "0", "aliases-MAX_NUM_FORMS": "1000",
            "aliases-0-language": "fa", "aliases-0-alias": alias,
        }  # fmt: skip

    for form in (entity_form("Taliban", "طالبان", "taliban", "طالبان"),
                 entity_form("Taleban", "", "taleban", "تالبان")):  # fmt: skip
        response = staff_client.post(reverse("admin:articles_entity_add"), form)
        assert response.status_code == 302, response.content.decode()[:3000]
    survivor, other = Entity.objects.get(slug="taliban"), Entity.objects.get(slug="taleban")

    response = staff_client.post(
        reverse("admin:articles_article_add"),
        _article_form(
            source,
            **{
                "tags-TOTAL_FORMS": "1",
                "tags-0-entity": other.pk,
                "tags-0-mentions": "2",
                "tags-0-origin": "manual",
                "tags-0-confirmed": "on",
            },  # fmt: skip
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get(source=source)
    assert "<script" not in article.body_html and "onclick" not in article.body_html
    assert article.body_text == "Body\n\nTwo"
    assert article.title == "Hello <b>world</b>"  # titles are text; templates escape them

    merge = {"action": "merge_entities", "_selected_action": [survivor.pk, other.pk]}
    response = staff_client.post(reverse("admin:articles_entity_changelist"), merge)
    assert response.status_code == 200  # the confirmation page
    response = staff_client.post(
        reverse("admin:articles_entity_changelist"),
        {**merge, "confirm": "yes", "survivor": survivor.pk},
    )
    assert response.status_code == 302
    assert not Entity.objects.filter(pk=other.pk).exists()
    assert ArticleEntity.objects.get(article=article).entity == survivor
    assert set(EntityAlias.objects.filter(entity=survivor).values_list("alias", flat=True)) >= {
        "طالبان", "تالبان", "Taleban"}  # fmt: skip


def test_admin_refuses_alias_duplicated_after_normalisation(staff_client):
    response = staff_client.post(
        reverse("admin:articles_entity_add"),
        {
            "kind": "place",
            "name_en": "Kabul",
            "name_fa": "کابل",
            "slug": "kabul",
            "description": "",
            "aliases-TOTAL_FORMS": "2",
            "aliases-INITIAL_FORMS": "0",
            "aliases-MIN_NUM_FORMS": "0",
            "aliases-MAX_NUM_FORMS": "1000",
            "aliases-0-language": "fa",
            "aliases-0-alias": "کابل",
            "aliases-1-language": "fa",
            "aliases-1-alias": "كابل",
        },  # fmt: skip
    )
    assert response.status_code == 200
    assert "normalised" in response.content.decode()
    assert not Entity.objects.filter(slug="kabul").exists()


def test_admin_actions_publish_hide_and_link(staff_client):
    en = make_article(language="en", status="draft")
    fa = make_article(language="fa", status="draft")
    url = reverse("admin:articles_article_changelist")
    staff_client.post(url, {"action": "publish", "_selected_action": [en.pk, fa.pk]})
    assert set(Article.objects.values_list("status", flat=True)) == {"published"}
    staff_client.post(url, {"action": "link_counterparts", "_selected_action": [en.pk, fa.pk]})
    en.refresh_from_db()
    assert en.counterpart_id == fa.pk
    staff_client.post(url, {"action": "hide", "_selected_action": [en.pk]})
    en.refresh_from_db()
    assert en.status == "hidden"


def test_link_action_refuses_same_language(staff_client):
    a, b = make_article(language="en"), make_article(language="en")
    response = staff_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "link_counterparts", "_selected_action": [a.pk, b.pk]},
        follow=True,
    )
    assert "other language" in response.content.decode()
    a.refresh_from_db()
    assert a.counterpart_id is None


def test_source_created_by_factory_is_listed(staff_client):
    make_source(name_en="Radio Farda", name_fa="رادیو فردا")
    response = staff_client.get(reverse("admin:articles_source_changelist") + "?q=فردا")
    assert "Radio Farda" in response.content.decode()
