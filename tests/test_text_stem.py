"""Stemmers and stopword lists."""

from __future__ import annotations

import pytest

from articles.text import EN_STOPWORDS, FA_STOPWORDS, normalize, stem_en, stem_fa


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("کتابها", "کتاب"),
        ("کتابهای", "کتاب"),
        ("کتابهایشان", "کتاب"),
        ("خانهها", "خانه"),
        ("خانههای", "خانه"),
        ("بزرگتر", "بزرگ"),
        ("بزرگترین", "بزرگ"),
        ("بیشتر", "بیش"),
        ("کودکان", "کودک"),
        ("دانشجویان", "دانشجو"),
        ("اقایان", "اقا"),
        ("ایرانیان", "ایرانی"),
        ("نمایندگان", "نماینده"),
        ("نخبگان", "نخبه"),
        ("دوستان", "دوست"),
        ("مردان", "مرد"),
        ("هواداران", "هوادار"),
        ("مسابقات", "مسابقه"),
        ("حملات", "حمله"),
        ("ولایات", "ولایت"),
        ("اطلاعات", "اطلاع"),
        ("انتخابات", "انتخاب"),
        ("رفتهاند", "رفته"),
        ("خانهاش", "خانه"),
        ("صدای", "صدا"),
    ],
)
def test_stem_fa_strips_one_inflection(word: str, stem: str) -> None:
    assert stem_fa(word) == stem


@pytest.mark.parametrize(
    "word",
    [
        # Words that merely end in a suffix's letters.
        "ایران",
        "تهران",
        "زمان",
        "سازمان",
        "استان",
        "افغانستان",
        "افغان",
        "طالبان",
        "هرمزگان",
        "پارلمان",
        "دروازهبان",
        "کشورمان",
        "خیابان",
        "دفتر",
        "دکتر",
        "کامپیوتر",
        "تنها",
        "حیات",
        "سهام",
        "اتهام",
        # Too short to carry a suffix.
        "بها",
        "رها",
        "متر",
        "جای",
        # Verbs are left alone.
        "میخواهم",
        "رفت",
    ],
)
def test_stem_fa_keeps_words_that_only_look_inflected(word: str) -> None:
    assert stem_fa(word) == word


@pytest.mark.parametrize(
    "word", ["افغان", "کاپیتان", "ایران", "مسابقه", "طالبان", "کتاب", "بزرگ", "خانه", "زلزله"]
)
def test_a_word_and_its_ha_plural_share_a_stem(word: str) -> None:
    assert stem_fa(word + "ها") == stem_fa(word)
    assert stem_fa(word + "های") == stem_fa(word)


def test_stem_fa_leaves_other_scripts_and_numbers() -> None:
    assert stem_fa("books") == "books"
    assert stem_fa("1399") == "1399"


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("running", "run"),
        ("studies", "studi"),
        ("generalization", "general"),
        ("news", "news"),
        ("trump's", "trump"),
        ("talibans'", "taliban"),
        ("was", "was"),
    ],
)
def test_stem_en_is_porter2(word: str, stem: str) -> None:
    assert stem_en(word) == stem


@pytest.mark.parametrize("words", [FA_STOPWORDS, EN_STOPWORDS])
def test_stopwords_are_in_normalised_form(words: frozenset[str]) -> None:
    assert all(normalize(word) == word and " " not in word for word in words)


def test_stopword_lists_hold_the_commonest_function_words() -> None:
    assert {"و", "در", "به", "از", "که", "این", "را", "با", "است", "ان"} <= FA_STOPWORDS
    assert {"the", "a", "of", "and", "to", "in", "is"} <= EN_STOPWORDS
    assert not FA_STOPWORDS & EN_STOPWORDS
