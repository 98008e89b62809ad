"""Which published copies fold under which original (`duplicate_roots`)."""

from __future__ import annotations

import pytest

from articles.models import Article
from articles.research.duplicates import duplicate_roots
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_copies_fold_under_the_first_article_of_their_chain_and_drafts_are_left_out():
    original = make_article(title="Kabul airport reopens")
    copy = make_article(title="Kabul airport reopens (copy)")
    copy_of_copy = make_article(title="فرودگاه کابل بازگشایی شد")
    draft_copy = make_article(title="Kabul airport reopens (draft)", status=Article.Status.DRAFT)
    Article.objects.filter(pk=copy.pk).update(duplicate_of=original)
    Article.objects.filter(pk=copy_of_copy.pk).update(duplicate_of=copy)
    Article.objects.filter(pk=draft_copy.pk).update(duplicate_of=original)

    assert duplicate_roots() == {copy.pk: original.pk, copy_of_copy.pk: original.pk}
    assert duplicate_roots([copy_of_copy.pk, original.pk]) == {copy_of_copy.pk: copy.pk}
    assert duplicate_roots([draft_copy.pk]) == {}
