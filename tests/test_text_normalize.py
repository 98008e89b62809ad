"""normalize: the canonical search form of Persian and English text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.text import normalize

ZWNJ = "\u200c"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ايران", "ایران"),
        ("موسى", "موسی"),
        ("كتاب", "کتاب"),
        ("مدرسة", "مدرسه"),
        ("نامۀ", "نامه"),
        ("أحمد", "احمد"),
        ("إسلام", "اسلام"),
        ("آب", "اب"),
        ("ٱلله", "الله"),
        ("مؤسسه", "موسسه"),
        ("پائیز", "پاییز"),
        ("مسئله", "مسیله"),
        ("کِتابٌ", "کتاب"),
        ("رحمٰن", "رحمن"),
        ("کتـــاب", "کتاب"),
        ("اجزاء", "اجزا"),
        ("۱۳۹۹", "1399"),
        ("١٣٩٩", "1399"),
        ("१२३ ๑๒", "123 12"),
        ("۱۲٫۵", "12.5"),
        ("Café CRÈME Straße", "cafe creme strasse"),
        ("ﻛﺘﺎﺏ", "کتاب"),
        ("Trump’s", "trump's"),
    ],
)
def test_normalize_folds_letters_marks_digits_and_case(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    "mark",
    list(
        "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200d\ufeff\u00ad"
    ),
)
def test_normalize_removes_invisible_marks_without_splitting_words(mark: str) -> None:
    assert normalize(f"کتا{mark}ب {mark}ایران{mark}") == "کتاب ایران"


def test_normalize_keeps_one_zwnj_between_letters_only() -> None:
    assert normalize(f"کتاب{ZWNJ}{ZWNJ}ها") == f"کتاب{ZWNJ}ها"
    assert normalize(f"{ZWNJ}کتاب{ZWNJ} ها{ZWNJ}") == "کتاب ها"


def test_normalize_collapses_whitespace_of_every_kind() -> None:
    assert normalize("  سلام\u00a0\u202fدنیا\n\n\tagain\u2003 ") == "سلام دنیا again"


def test_normalize_drops_control_characters() -> None:
    assert normalize("a\x00b\x07c") == "abc"


def test_normalize_keeps_punctuation_for_callers_that_need_it() -> None:
    assert normalize("«سلام»، دنیا!") == "«سلام»، دنیا!"


def test_normalize_of_empty_text_is_empty() -> None:
    assert normalize("") == ""
    assert normalize(" \u200c\u200f ") == ""


_ALPHABET = st.sampled_from(
    list("abcAÉéßİıﬁ ـ\u200c\u200d\u200f\u064e\u0670_-'.,٫٬ۀةيىكأإآؤئءاًۭ۱١1ﻻﷲ\n\t")
    + ["\U0001d400", "\u0654", "\u0653", "ا\u0654"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_ALPHABET, max_size=30).map("".join) | st.text(max_size=30))
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once
