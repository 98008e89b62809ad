"""Cross-language entity expansion: aliases found in the query, in one database query."""

from __future__ import annotations

import pytest

from articles.search.query.expand import alias_candidates, find_aliases
from tests.factories import make_entity

pytestmark = pytest.mark.django_db


@pytest.fixture
def entities():
    return {
        "taliban": make_entity(
            slug="taliban", name_en="Taliban", name_fa="طالبان", kind="group",
            aliases={"en": ["Taliban", "Taleban"], "fa": ["طالبان"]},
        ),
        "karzai": make_entity(
            slug="hamid-karzai", name_en="Hamid Karzai", name_fa="حامد کرزی", kind="person",
            aliases={"en": ["Hamid Karzai"], "fa": ["حامد کرزی"]},
        ),
    }  # fmt: skip


def test_candidates_are_normalised_runs_of_words_without_syntax():
    found = alias_candidates('"Hamid Karzai" AND title:كابل -x')
    assert {"hamid karzai", "hamid", "karzai", "کابل"} <= found
    assert not any("and" == word or '"' in word for word in found)


@pytest.mark.parametrize(
    ("q", "slug", "alias"),
    [
        ("Taliban", "taliban", "Taliban"),
        ("TALEBAN talks", "taliban", "Taleban"),
        ("طالبان", "taliban", "طالبان"),
        ("طالـبان", "taliban", "طالبان"),  # tatweel
        ("news about hamid karzai", "hamid-karzai", "Hamid Karzai"),
        ("حامد کرزي", "hamid-karzai", "حامد کرزی"),  # Arabic yeh folds to Persian
    ],
)
def test_aliases_in_either_language_are_found(entities, q, slug, alias, django_assert_num_queries):
    with django_assert_num_queries(1):
        found = find_aliases(q)
    entries = [entry for entries in found.values() for entry in entries]
    assert [entry["slug"] for entry in entries] == [slug]
    assert entries[0]["alias"] == alias
    assert entries[0]["name_en"] and entries[0]["name_fa"]


def test_nothing_to_expand_costs_no_query(entities, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert find_aliases("   ") == {}
    assert find_aliases("weather report") == {}
