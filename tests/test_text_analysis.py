"""analyze: one analysis for documents and queries, affixes joined across spellings."""

from __future__ import annotations

import itertools

import pytest

from articles.text import analyze, analyze_tokens, detect_language, join_affixes

ZWNJ = "\u200c"

# Inflected words in three spellings: ZWNJ, space, joined.
AFFIXED = {
    "prefix می": ("می‌خواهم", "می خواهم", "میخواهم"),
    "prefix نمی": ("نمی‌توانند", "نمی توانند", "نمیتوانند"),
    "prefix بی": ("بی‌خبر", "بی خبر", "بیخبر"),
    "plural ها": ("کتاب‌ها", "کتاب ها", "کتابها"),
    "plural های": ("کتاب‌های", "کتاب های", "کتابهای"),
    "comparative تر": ("بزرگ‌تر", "بزرگ تر", "بزرگتر"),
    "superlative ترین": ("بزرگ‌ترین", "بزرگ ترین", "بزرگترین"),
    "auxiliary اند": ("رفته‌اند", "رفته اند", "رفتهاند"),
}
# Known compounds (FA_COMPOUNDS): every spelling analyses alike.
KNOWN_COMPOUNDS = {
    "دانش‌آموز": ("دانش‌آموز", "دانش آموز", "دانشآموز"),
    "بین‌المللی": ("بین‌المللی", "بین المللی", "بینالمللی"),
    "علی‌رضا": ("علی‌رضا", "علی رضا", "علیرضا"),
    "کتاب‌خانه‌ها": ("کتاب‌خانه‌ها", "کتاب خانه ها", "کتابخانهها"),
}
# Other compounds: the joined form is indexed beside the parts.
COMPOUNDS = {
    "کار‌آموز": ("کار‌آموز", "کار آموز", "کارآموز"),
    "نیک‌نام": ("نیک‌نام", "نیک نام", "نیکنام"),
}
SPELLINGS = ("zwnj", "space", "joined")


def finds(document: str, query: str) -> bool:
    """Whoosh ANDs the terms of a query word: every query term must be in the document."""
    terms = analyze(query, query=True)
    return bool(terms) and set(terms) <= set(analyze(document))


@pytest.mark.parametrize("case", AFFIXED)
def test_affixed_word_gives_one_term_in_every_spelling(case: str) -> None:
    zwnj, space, joined = AFFIXED[case]
    assert analyze(zwnj) == analyze(space) == analyze(joined)
    assert len(analyze(zwnj)) == 1


@pytest.mark.parametrize(
    ("case", "doc_spelling", "query_spelling"),
    [(case, d, q) for case in AFFIXED for d, q in itertools.product(range(3), range(3))],
)
def test_affixed_word_found_across_spellings(
    case: str, doc_spelling: int, query_spelling: int
) -> None:
    forms = AFFIXED[case]
    assert finds(f"امروز {forms[doc_spelling]} گفت", forms[query_spelling])


@pytest.mark.parametrize(
    ("doc", "query"),
    [
        (d, q)
        for d, q in itertools.product(range(3), range(3))
        # A document written joined cannot be split without a lexicon, and a space query
        # cannot know that its two words make one: those two cells are not promised.
        if (d, q) not in {(2, 0), (2, 1), (1, 2)}
    ],
)
@pytest.mark.parametrize("compound", COMPOUNDS)
def test_compound_found_across_spellings(compound: str, doc: int, query: int) -> None:
    forms = COMPOUNDS[compound]
    assert finds(forms[doc], forms[query])


def test_zwnj_compound_indexes_parts_and_joined_form_at_the_first_position() -> None:
    tokens = list(analyze_tokens("کار‌آموز خوب"))
    assert [(t.text, t.position) for t in tokens] == [
        ("کار", 0),
        ("کاراموز", 0),
        ("اموز", 1),
        ("خوب", 2),
    ]
    assert analyze("کار‌آموز", query=True) == ["کار", "اموز"]


@pytest.mark.parametrize("compound", KNOWN_COMPOUNDS)
def test_known_compound_analyses_alike_in_every_spelling(compound: str) -> None:
    zwnj, space, joined = KNOWN_COMPOUNDS[compound]
    for query in (False, True):
        assert analyze(zwnj, query=query) == analyze(space, query=query)
        assert analyze(zwnj, query=query) == analyze(joined, query=query)


@pytest.mark.parametrize(("doc", "query"), list(itertools.product(range(3), range(3))))
@pytest.mark.parametrize("compound", KNOWN_COMPOUNDS)
def test_known_compound_found_across_spellings(compound: str, doc: int, query: int) -> None:
    forms = KNOWN_COMPOUNDS[compound]
    assert finds(forms[doc], forms[query])
    # A query parser splits a spaced query into words before analysis: each word's terms
    # (none for a stopword, which the parser drops) must be in the document too.
    indexed = set(analyze(forms[doc]))
    assert all(set(analyze(word, query=True)) <= indexed for word in forms[1].split())


def test_known_compound_takes_one_position_and_queries_by_its_joined_form() -> None:
    tokens = [(t.text, t.position) for t in analyze_tokens("علیرضا آمد")]
    assert tokens == [("علی", 0), ("علیرضا", 0), ("رضا", 0), ("امد", 1)]
    assert analyze("علی رضا", query=True) == ["علیرضا"]


def test_phrase_positions_match_across_spellings() -> None:
    def positions(text: str) -> list[tuple[str, int]]:
        return [(t.text, t.position) for t in analyze_tokens(text, query=True)]

    assert positions("کتاب‌های دانش‌آموزان") == positions("کتاب های دانش آموزان")


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("پدید آید", ["پدید", "اید"]),  # آید is a verb, not the suffix اید
        ("کاسه آش", ["کاسه", "اش"]),  # آش is soup, not the suffix اش
        ("گفت ای مردم", ["گفت", "مردم"]),  # vocative ای after a word not ending in ه
        ("کتاب. ها", ["کتاب"]),  # never across punctuation
        ("iPhone ها", ["iphon"]),  # only after Persian words
        ("می", []),  # alone it is a stopword
        ("بی آن که", []),  # not بیان ("statement") + که
        ("۱۳۹۰ ها", ["1390"]),  # a suffix never attaches to a number across a space
    ],
)
def test_affix_joining_is_conservative(text: str, kept: list[str]) -> None:
    assert analyze(text) == kept


def test_ezafe_and_indefinite_after_heh_are_dropped() -> None:
    assert analyze("خانه‌ی من") == analyze("خانه ی من") == analyze("خانه من")
    assert analyze("خانه‌ای") == analyze("خانه ای") == ["خانه"]


def test_offsets_of_joined_words_cover_both_originals() -> None:
    text = "او مي خواهد کِتاب ها را"
    [(wants, ws, we), (books, bs, be)] = [(t.text, t.start, t.end) for t in analyze_tokens(text)]
    assert (wants, text[ws:we]) == ("میخواهد", "مي خواهد")
    assert (books, text[bs:be]) == ("کتاب", "کِتاب ها")


def test_english_terms_are_folded_stemmed_and_stopped() -> None:
    assert analyze("The Cafés of Tehran were RUNNING") == ["cafe", "tehran", "run"]


def test_english_possessive_and_apostrophes() -> None:
    assert analyze("Trump's") == analyze("Trump’s") == analyze("Trump") == ["trump"]
    assert analyze("O'Neill") == analyze("ONeill") == ["oneil"]


@pytest.mark.parametrize("query", ["al-Qaeda", "al qaeda", "qaeda", "Al-Qaeda's", "alqaeda"])
def test_hyphenated_name_is_found_by_every_spelling(query: str) -> None:
    assert finds("leaders of al-Qaeda met", query)


def test_acronyms_and_numbers_are_neither_stopped_nor_stemmed() -> None:
    assert analyze("U.S. and U.N. forces, 1,500 troops, 3.5%") == [
        "us",
        "un",
        "forc",
        "1500",
        "troop",
        "3.5",
    ]


def test_persian_digits_inside_text() -> None:
    assert analyze("سال ۱۳۹۹") == analyze("سال 1399") == analyze("سال ١٣٩٩") == ["سال", "1399"]


def test_stem_flag_gives_unstemmed_terms() -> None:
    assert analyze("کتاب‌ها running", stem=False) == ["کتابها", "running"]


def test_removestops_false_keeps_stopwords() -> None:
    assert analyze("کتاب و قلم", removestops=False) == ["کتاب", "و", "قلم"]
    positions = [t.position for t in analyze_tokens("کتاب و قلم")]
    assert positions == [0, 2]


def test_language_is_decided_per_token_by_script() -> None:
    assert analyze("کتاب‌ها the books") == ["کتاب", "book"]


def test_forced_language_applies_to_every_word() -> None:
    assert analyze("books کتاب‌ها", language="fa") == ["books", "کتاب"]
    assert analyze("books the", language="en") == ["book"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("سلام دنیا", "fa"),
        ("Hello world", "en"),
        ("Tehran تهران پایتخت ایران", "fa"),
        ("Tehran is the capital of Iran (ایران)", "en"),
        ("١٢٣ 456 !؟", None),
        ("", None),
    ],
)
def test_detect_language_by_script_majority(text: str, expected: str | None) -> None:
    assert detect_language(text) == expected


def test_join_affixes_rewrites_only_separated_affixes() -> None:
    assert join_affixes("کتاب ها AND می خواهم") == f"کتاب{ZWNJ}ها AND می{ZWNJ}خواهم"
    assert join_affixes('title:"بزرگ ترین" -rain') == f'title:"بزرگ{ZWNJ}ترین" -rain'
    assert join_affixes("دانش آموز") == "دانش آموز"


def test_replacing_the_persian_stemmer_takes_effect_despite_memoised_terms(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import articles.text.analysis as analysis

    assert analyze("کتاب‌ها books") == ["کتاب", "book"]
    monkeypatch.setattr(analysis, "stem_fa", str)
    assert analyze("کتاب‌ها books") == ["کتابها", "book"]
    monkeypatch.undo()
    assert analyze("کتاب‌ها books") == ["کتاب", "book"]
