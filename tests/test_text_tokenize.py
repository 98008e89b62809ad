"""tokenize: words of any script, with offsets into the original text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.text import Token, normalize, tokenize

ZWNJ = "\u200c"


def words(text: str) -> list[str]:
    return [token.text for token in tokenize(text)]


def originals(text: str) -> list[str]:
    return [text[token.start : token.end] for token in tokenize(text)]


def test_harakat_do_not_split_a_word() -> None:
    # Whoosh's default \w+ tokenizer gives ک + تاب here.
    assert words("کِتاب مُحَمَّد") == ["کتاب", "محمد"]
    assert originals("کِتاب مُحَمَّد") == ["کِتاب", "مُحَمَّد"]


def test_tatweel_and_invisible_marks_do_not_split_a_word() -> None:
    text = "کتـــاب تهر\u200fان ab\u00adc"
    assert words(text) == ["کتاب", "تهران", "abc"]
    assert originals(text) == ["کتـــاب", "تهر\u200fان", "ab\u00adc"]


def test_zwnj_keeps_a_compound_in_one_token() -> None:
    text = f"دانش{ZWNJ}آموزان  کِتاب{ZWNJ}ها"
    assert words(text) == [f"دانش{ZWNJ}اموزان", f"کتاب{ZWNJ}ها"]
    assert originals(text) == [f"دانش{ZWNJ}آموزان", f"کِتاب{ZWNJ}ها"]


def test_offsets_point_into_the_unnormalised_text() -> None:
    text = "\u200fسال ۱۳۹۹، كِتاب‌هاي «جديد» Café-au-lait!"
    tokens = list(tokenize(text))
    assert [text[t.start : t.end] for t in tokens] == [
        "سال",
        "۱۳۹۹",
        "كِتاب‌هاي",
        "جديد",
        "Café-au-lait",
    ]
    assert [t.text for t in tokens] == ["سال", "1399", f"کتاب{ZWNJ}های", "جدید", "cafe-au-lait"]
    assert [t.position for t in tokens] == [0, 1, 2, 3, 4]


def test_token_is_a_small_named_tuple() -> None:
    assert next(tokenize("  hello")) == Token(text="hello", start=2, end=7, position=0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Trump's", ["trump's"]),
        ("al-Qaeda", ["al-qaeda"]),
        ("U.S. troops", ["u.s", "troops"]),
        ("ج.ا.ا", ["ج.ا.ا"]),
        ("3.14 and ۱٬۲۵۰٬۰۰۰", ["3.14", "and", "1,250,000"]),
        ("snake_case", ["snake", "case"]),
        ("end.Start", ["end", "start"]),
        ("1399/01/02", ["1399/01/02"]),  # one word, analysed as 1399 01 02 in a row
        ("9/11 attacks", ["9/11", "attacks"]),
        ("Москва 東京", ["москва", "東京"]),
    ],
)
def test_word_boundaries(text: str, expected: list[str]) -> None:
    assert words(text) == expected


def test_punctuation_and_marks_alone_are_not_words() -> None:
    assert words("«» ، ؟ ! \u064e ـــ \u200f -- '") == []


def test_ligatures_and_astral_letters_take_the_slow_path() -> None:
    text = "ﻻ ﬁle 𝐀bc"
    assert words(text) == ["لا", "file", "abc"]
    assert originals(text) == ["ﻻ", "ﬁle", "𝐀bc"]


_PIECES = st.sampled_from(
    [
        "کتاب",
        "ها",
        "می",
        "كِتاب",
        "ي",
        "ـــ",
        "\u064e",
        "\u0670",
        "۱۳۹۹",
        "١٢",
        "3.14",
        "1,000",
        "U.S.",
        "al-Qaeda",
        "Trump's",
        "café",
        "ﻻ",
        "ß",
        "İ",
        "اجزاء",
        "آ",
        ZWNJ,
        ZWNJ + ZWNJ,
        "\u200f",
        "\u200d",
        "\u00ad",
        " ",
        "  ",
        "\n",
        "،",
        ".",
        ",",
        "-",
        "'",
        "_",
        "«",
        "»",
        "(",
        "𝐀",
    ]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, max_size=12).map("".join))
def test_every_token_is_the_normalised_slice_it_points_at(text: str) -> None:
    previous_end = 0
    for position, token in enumerate(tokenize(text)):
        assert previous_end <= token.start < token.end <= len(text)
        assert token.position == position
        assert token.text
        assert normalize(text[token.start : token.end]) == token.text
        previous_end = token.end


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_tokenize_never_fails_and_spans_stay_inside(text: str) -> None:
    for token in tokenize(text):
        assert 0 <= token.start < token.end <= len(text)
        assert token.text
