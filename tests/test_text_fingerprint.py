"""content_hash and shingles: fingerprints for exact and near de-duplication."""

from __future__ import annotations

import pytest

from articles.text import content_hash, shingles

ZWNJ = "\u200c"


@pytest.mark.parametrize(
    "variant",
    [
        "مي خواهم كتاب‌هاي سال ١٣٩٩ را بخوانم.",
        "می‌خواهم  کتاب‌های سال ۱۳۹۹ را\nبخوانم",
        "میخواهم کتابهای سال 1399 را بخوانم!!",
        "\u200fمی‌خواهم کِتاب‌های سال ۱۳۹۹ را بخوانم\u200f",
    ],
)
def test_content_hash_ignores_spacing_zwnj_letter_forms_and_digits(variant: str) -> None:
    assert content_hash(variant) == content_hash("می خواهم کتاب های سال 1399 را بخوانم")


def test_content_hash_is_sha256_hex_and_tells_texts_apart() -> None:
    digest = content_hash("Hello, World")
    assert len(digest) == 64 and int(digest, 16) >= 0
    assert digest == content_hash("hello world")
    assert digest != content_hash("hello word")


def test_shingles_are_space_joined_word_windows() -> None:
    assert shingles("one two three four", size=3) == {"one two three", "two three four"}


def test_shingles_of_short_and_empty_text() -> None:
    assert shingles("only two", size=5) == {"only two"}
    assert shingles(" ،. ", size=5) == set()


def test_shingles_agree_across_persian_spellings() -> None:
    a = "دانش‌آموزان کتاب‌های تازه را می‌خوانند"
    b = "دانش آموزان كتاب هاي تازه را مي خوانند"
    assert shingles(a, size=3) == shingles(b, size=3)


def test_shingles_keep_stopwords_and_do_not_stem() -> None:
    assert shingles("the running of the bulls", size=5) == {"the running of the bulls"}


def test_shingle_size_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        shingles("a b", size=0)
