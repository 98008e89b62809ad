"""Automatic entity tagging: whole words, longest alias, Persian variants, manual tags kept."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles import services
from articles.curation.tagging import AliasMatcher, apply_auto_tags, build_matcher, tag_articles
from articles.models import Article, ArticleEntity, IndexTask
from articles.text import normalize
from tests.factories import make_article, make_entity


def matcher(**aliases: list[str]) -> AliasMatcher:
    """A matcher whose entity ids are the keyword names' positions (1, 2, ...)."""
    pairs = []
    for entity_id, names in enumerate(aliases.values(), start=1):
        pairs += [(normalize(name), entity_id) for name in names]
    return AliasMatcher(pairs)


@pytest.fixture(autouse=True)
def _queue_only(settings):
    settings.NEWSARCHIVE_INDEX_SYNC = False


def test_matches_whole_words_only():
    m = matcher(un=["UN"], iran=["Iran"])
    assert m.count("The UN said; un-official UNICEF fun") == {1: 2}
    assert m.count("Iranian officials and Iran's minister") == {2: 1}


def test_longest_alias_wins_over_a_shorter_one_inside_it():
    m = matcher(
        qaeda=["al-Qaeda"], aqis=["al-Qaeda in the Indian Subcontinent", "AQIS"],
        taliban=["Taliban"], ttp=["Tehrik-e Taliban Pakistan", "TTP"],
    )  # fmt: skip
    text = (
        "al-Qaeda in the Indian Subcontinent (AQIS) and Tehrik-e Taliban Pakistan (TTP) "
        "work with al-Qaeda and the Taliban."
    )
    assert m.count(text) == {1: 1, 2: 2, 3: 1, 4: 2}


def test_case_hyphen_and_persian_spelling_variants_match():
    m = matcher(qaeda=["al-Qaeda", "القاعده"], hezb=["حزب‌الله"], treasury=["وزارت خزانه‌داری"])
    assert m.count("AL QAEDA, Al-Qaeda and al qaeda") == {1: 3}
    assert m.count("القاعدة و القاعده") == {1: 2}  # ة/ه folded
    assert m.count("حزب الله، حزب‌الله و حزبالله") == {2: 3}  # ZWNJ, space or nothing
    assert m.count("وزارت خزانه داري") == {3: 1}  # Arabic yeh, space for ZWNJ


def test_persian_suffix_after_zwnj_keeps_the_word_whole():
    m = matcher(taliban=["طالبان"])
    assert m.count("طالبان‌ها و طالبانی") == {1: 1}


def test_shared_alias_counts_for_every_entity_that_has_it():
    m = matcher(first=["Herat"], second=["Herat", "Herat province"])
    assert m.count("Herat province and Herat city") == {1: 1, 2: 2}


def test_empty_gazetteer_tags_nothing():
    m = AliasMatcher([])
    assert not m and m.count("anything") == {}


def test_auto_tags_follow_the_text_and_manual_tags_are_untouched(db):
    taliban = make_entity(name_en="Taliban", aliases={"fa": ["طالبان"]})
    un = make_entity(name_en="United Nations", aliases={"en": ["UN"]})
    curated = make_entity(name_en="Kabul")
    article = make_article(body="The Taliban met the UN. The Taliban left.")
    services.article_tag(article=article, entity=curated, mentions=5)
    services.article_tag(article=article, entity=un)  # a curator's tag on a matched entity

    report = tag_articles(Article.objects.all(), matcher=build_matcher())
    assert (report.added, report.updated, report.removed) == (1, 0, 0)
    tags = {t.entity_id: (t.origin, t.mentions) for t in article.tags.all()}
    assert tags == {
        taliban.pk: ("auto", 2),
        un.pk: ("manual", 0),
        curated.pk: ("manual", 5),
    }
    assert IndexTask.objects.filter(object_id=str(article.pk)).exists()

    Article.objects.filter(pk=article.pk).update(body_text="Nobody was named.")
    report = tag_articles(Article.objects.all(), matcher=build_matcher())
    assert report.removed == 1
    assert set(article.tags.values_list("origin", flat=True)) == {"manual"}


def test_mention_counts_are_updated_and_unchanged_tags_not_rewritten(db):
    entity = make_entity(name_en="Herat")
    article = make_article(body="Herat and Herat.")
    report, changed = apply_auto_tags({article.pk: build_matcher().count_article(article)})
    assert report.added == 1 and changed == {article.pk}
    assert ArticleEntity.objects.get(article=article, entity=entity).mentions == 2
    report, changed = apply_auto_tags({article.pk: {entity.pk: 2}})
    assert changed == set() and report.changed == 0
    report, changed = apply_auto_tags({article.pk: {entity.pk: 1}})
    assert report.updated == 1
    assert ArticleEntity.objects.get(article=article, entity=entity).mentions == 1


def test_tag_articles_command(db):
    make_entity(name_en="Kandahar", name_fa="قندهار")
    fa = make_article(language="fa", body="سیلاب در قندهار و ولایت قندهار")
    make_article(body="Nothing here.")
    out = StringIO()
    call_command("tag_articles", "--all", "--verbosity", "0", stdout=out)
    assert "articles tagged: 1 of 2" in out.getvalue()
    assert fa.tags.get().mentions == 2
    call_command("tag_articles", "--since", "2000-01-01", "--verbosity", "0", stdout=out)
    with pytest.raises(CommandError, match="not a date"):
        call_command("tag_articles", "--since", "yesterday-ish", verbosity=0)


def test_tag_articles_command_needs_a_gazetteer(db):
    make_article()
    with pytest.raises(CommandError, match="import_entities"):
        call_command("tag_articles", "--all", verbosity=0)
