"""Every Persian spelling variant in the fixture analyses exactly like its canonical form."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from articles.text import analyze

FIXTURE = Path(__file__).parent / "fixtures" / "persian_variants.tsv"


def load_variants() -> list[dict[str, str]]:
    with FIXTURE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


VARIANTS = load_variants()


def test_fixture_covers_every_fold_in_enough_rows() -> None:
    folds = {row["fold"] for row in VARIANTS}
    assert len(VARIANTS) >= 60
    for needed in [
        "arabic_yeh",
        "alef_maksura",
        "arabic_kaf",
        "teh_marbuta",
        "alef_hamza_above",
        "alef_hamza_below",
        "alef_madda",
        "heh_yeh_above",
        "harakat_kasra",
        "superscript_alef",
        "tatweel",
        "persian_digits",
        "arabic_indic_digits",
        "rlm",
        "bidi_isolate",
        "prefix_mi_zwnj_vs_space",
        "prefix_mi_space_vs_zwnj",
        "suffix_ha_joined_vs_zwnj",
    ]:
        assert needed in folds, needed


@pytest.mark.parametrize("row", VARIANTS, ids=[f"{i}-{r['fold']}" for i, r in enumerate(VARIANTS)])
def test_variant_analyses_like_canonical(row: dict[str, str]) -> None:
    expected = analyze(row["canonical"])
    assert expected, "a canonical form made only of stopwords tests nothing"
    assert analyze(row["variant"]) == expected
    assert analyze(row["variant"], query=True) == analyze(row["canonical"], query=True)
