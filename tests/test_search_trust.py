"""Result sets that mean what was typed, through the HTTP layer (JSON and page), in both
languages: joined names, Persian compounds in every spelling, common words, and the `op` rule."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from tests.factories import make_article, make_source

pytestmark = pytest.mark.django_db

ZWNJ = "\u200c"

EN = {
    "qaeda_hyphen": ("Attack claimed", "Al-Qaeda claimed the attack on the convoy."),
    "qaeda_space": ("Leader killed", "A senior al Qaeda leader was killed in the raid."),
    "qaeda_joined": ("Statement", "A statement signed by AlQaeda was published online."),
    "sabah": ("Kuwait", "Sheikh Sabah al-Ahmad al-Sabah met the delegation; Qaeda was not named."),
    "quds": ("Jerusalem", "The al Quds force spokesman spoke to reporters."),
    "covid": ("Pandemic", "COVID-19 cases rose again in the province."),
    "nineteen": ("Election", "The vote was held on 19 May; covid was not mentioned until later."),
    "nine_eleven": ("Anniversary", "The 9/11 attacks changed the region."),
    "nine_and_eleven": ("Schedule", "Flights leave at 9 and return at 11 every day."),
    "mosul": ("Mosul", "Mosul's old city was rebuilt slowly."),
    "iran_iraq": ("War", "The Iran-Iraq war lasted eight years."),
    "iran_comma": ("Region", "The talks covered Iran, Iraq and Syria."),
    "oil_prices": ("Markets", "Oil prices fell sharply as demand weakened."),
    "oil_only": ("Drilling", "The oil company drilled a new well offshore."),
    "prices_only": ("Inflation", "Food prices rose for the third month."),
    "hamlet": ("Theatre", "He asked whether to be or not to be, as Hamlet did."),
    "be_apart": ("Notes", "It is not easy to be calm; or so they say, to be sure."),
}
FA = {
    "ahmadi_zwnj": ("دیدار", f"محمود احمدی{ZWNJ}نژاد به نیویورک رفت."),
    "ahmadi_space": ("سفر", "محمود احمدی نژاد در سازمان ملل سخن گفت."),
    "ahmadi_joined": ("سخنرانی", "احمدینژاد در دانشگاه سخنرانی کرد."),
    "ahmadi_first": ("ورزش", "علی احمدی قهرمان کشتی شد."),
    "nejad_only": ("علم", "پژوهش دربارهٔ نژاد اسب‌ها منتشر شد."),
    "talk_zwnj": ("مذاکره", f"گفت{ZWNJ}وگو میان دو کشور ادامه دارد."),
    "talk_joined": ("نشست", "گفتگو درباره برنامه هسته‌ای پایان یافت."),
    "talk_spaced": ("رایزنی", "گفت و گو با نمایندگان برگزار شد."),
    "said_only": ("خبر", "وزیر گفت که بودجه افزایش می‌یابد."),
    "transport_zwnj": ("ترافیک", f"وزارت راه و حمل{ZWNJ}ونقل طرح تازه داد."),
    "transport_spaced": ("جاده", "هزینه حمل و نقل کالا بالا رفت."),
    "transport_joined": ("بار", "شرکت حملونقل ریلی گسترش یافت."),
    "transfer_only": ("بازار", "حمل بار با کامیون و نقل قول از مدیر."),
    "result_zwnj": ("پژوهش", f"این پژوهش به نتیجه{ZWNJ}ای روشن رسید."),
    "article_joined": ("نشریه", "نویسنده مقالهای تازه نوشت."),
    "year_glued": ("تاریخ", "این کتاب در سال ۱۴۰۸ق نوشته شد."),
    "percent_glued": ("اقتصاد", "تورم ۱۲درصد کاهش یافت."),
    "held_phrase": ("همایش", "همایش سالانه فردا برگزار می‌شود."),
    "held_past": ("جشنواره", "جشنواره سال گذشته برگزار شد."),
    "one": ("شمارش", "یک نفر زخمی شد."),
    "counter_revolution": ("تاریخ معاصر", "گروه‌های ضد-انقلاب فعال شدند."),
    "counter_apart": ("سیاست", "او ضد جنگ بود و از انقلاب سخن گفت."),
    "oil_price_fa": ("انرژی", "قیمت نفت در بازار جهانی کاهش یافت."),
    "oil_fa": ("صنعت", "صادرات نفت ایران بیشتر شد."),
    "iran_iraq_fa": ("جنگ", "جنگ ایران-عراق هشت سال طول کشید."),
    "iran_comma_fa": ("منطقه", "نشست درباره ایران، عراق و سوریه بود."),
}


@pytest.fixture
def archive(search_index):
    from articles.search.sync import indexing

    source = make_source(slug="wire", name_en="Wire", name_fa="خبرگزاری")
    docs = {}
    for language, table in (("en", EN), ("fa", FA)):
        for key, (title, body) in table.items():
            docs[key] = make_article(language=language, source=source, title=title, body=body)
    indexing.rebuild()
    return {key: article.pk for key, article in docs.items()}


def found(client, q: str, language: str = "en", **params) -> dict:
    extra = "".join(f"&{key}={quote(str(value))}" for key, value in params.items())
    response = client.get(f"/{language}/search/?q={quote(q)}&format=json&per_page=100{extra}")
    assert response.status_code == 200
    return json.loads(response.content)


def ids(data: dict) -> set[int]:
    return {hit["id"] for hit in data["results"]}


def keys(archive: dict, *names: str) -> set[int]:
    return {archive[name] for name in names}


# 1. Words joined by - / . '
@pytest.mark.parametrize("q", ["al-Qaeda", "Al-Qaeda", "al/Qaeda"])
def test_hyphenated_name_finds_its_spellings_and_never_its_parts_alone(client, archive, q):
    # The parts next to each other (hyphen or space) or the joined form; never al-Sabah
    # (al and Qaeda apart) or al Quds.
    expected = keys(archive, "qaeda_hyphen", "qaeda_space", "qaeda_joined")
    assert ids(found(client, q)) == expected
    assert ids(found(client, q, "fa")) == expected


@pytest.mark.parametrize("q", ["alqaeda", "AlQaeda"])
def test_joined_name_finds_the_hyphenated_and_joined_spellings(client, archive, q):
    assert ids(found(client, q)) == keys(archive, "qaeda_hyphen", "qaeda_joined")


def test_a_name_typed_as_two_words_needs_both(client, archive):
    # "al Qaeda" is two words, both required (op=and): al Quds is left out, the article
    # naming al-Sabah and Qaeda apart is not.
    assert ids(found(client, "al Qaeda")) == keys(archive, "qaeda_hyphen", "qaeda_space", "sabah")


def test_covid_19_is_not_every_article_with_19(client, archive):
    assert ids(found(client, "COVID-19")) == keys(archive, "covid")
    assert ids(found(client, "covid19")) == keys(archive, "covid")
    assert archive["covid"] in ids(found(client, "19"))  # the parts are indexed too


def test_slash_and_apostrophe_join_words(client, archive):
    assert ids(found(client, "9/11")) == keys(archive, "nine_eleven")
    assert ids(found(client, "Mosul's")) == keys(archive, "mosul")
    assert ids(found(client, "mosul")) == keys(archive, "mosul")


def test_a_hyphenated_name_does_not_match_across_punctuation(client, archive):
    assert ids(found(client, "Iran-Iraq")) == keys(archive, "iran_iraq")
    assert ids(found(client, '"Iran Iraq"')) == keys(archive, "iran_iraq")
    # Typed with its comma, the phrase finds the text written with one.
    assert archive["iran_comma"] in ids(found(client, '"Iran, Iraq"'))
    assert ids(found(client, "ایران-عراق", "fa")) == keys(archive, "iran_iraq_fa")


def test_persian_hyphenated_word_is_a_sequence_not_its_parts(client, archive):
    assert ids(found(client, "ضد-انقلاب", "fa")) == keys(archive, "counter_revolution")


def test_hyphenated_name_is_highlighted_whole(client, archive):
    data = found(client, "al-Qaeda")
    hit = next(h for h in data["results"] if h["id"] == archive["qaeda_hyphen"])
    assert "<mark>Al-Qaeda</mark>" in hit["snippet"]


# 2. Persian compounds, affixes and digits glued to letters
@pytest.mark.parametrize(
    ("spellings", "expected"),
    [
        (
            [f"احمدی{ZWNJ}نژاد", "احمدی نژاد", "احمدینژاد", "احمدي نژاد"],
            ("ahmadi_zwnj", "ahmadi_space", "ahmadi_joined"),
        ),
        (
            [f"گفت{ZWNJ}وگو", "گفتگو", "گفت و گو", f"گفت{ZWNJ}و{ZWNJ}گو", "گفتوگو"],
            ("talk_zwnj", "talk_joined", "talk_spaced"),
        ),
        (
            [f"حمل{ZWNJ}ونقل", "حمل و نقل", "حملونقل"],
            ("transport_zwnj", "transport_spaced", "transport_joined"),
        ),
    ],
)
def test_every_spelling_of_a_persian_compound_finds_the_same_set(
    client, archive, spellings, expected
):
    for q in spellings:
        assert ids(found(client, q, "fa")) == keys(archive, *expected), q


def test_compound_is_highlighted_in_the_spelling_the_article_used(client, archive):
    data = found(client, "احمدی نژاد", "fa")
    hit = next(h for h in data["results"] if h["id"] == archive["ahmadi_zwnj"])
    assert f"<mark>احمدی{ZWNJ}نژاد</mark>" in hit["snippet"]


def test_half_of_a_compound_still_finds_it(client, archive):
    assert keys(archive, "ahmadi_zwnj", "ahmadi_first") <= ids(found(client, "احمدی", "fa"))


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("نتیجهای", "result_zwnj"),  # ه + ای typed joined
        ("نتیجه ای", "result_zwnj"),
        ("مقاله‌ای", "article_joined"),
        ("مقاله", "article_joined"),
    ],
)
def test_affix_after_heh_in_any_spelling(client, archive, q, expected):
    assert archive[expected] in ids(found(client, q, "fa"))


@pytest.mark.parametrize(
    ("q", "expected"),
    [("1408", "year_glued"), ("۱۴۰۸", "year_glued"), ("۱۴۰۸ق", "year_glued"),
     ("1408ق", "year_glued"), ("۱۲", "percent_glued"), ("12درصد", "percent_glued"),
     ("درصد", "percent_glued")],
)  # fmt: skip
def test_digits_glued_to_letters_are_indexed_apart_and_together(client, archive, q, expected):
    assert archive[expected] in ids(found(client, q, "fa"))


# 3. Common words
@pytest.mark.parametrize(
    ("q", "language", "expected"),
    [
        ("می‌شود", "fa", {"held_phrase"}),
        ("يك", "fa", {"one"}),  # Arabic yeh and kaf
        ('"to be or not to be"', "en", {"hamlet"}),
        ('"برگزار می‌شود"', "fa", {"held_phrase"}),
        ('"برگزار میشود"', "fa", {"held_phrase"}),
    ],
)
def test_common_words_alone_or_in_a_phrase_are_searched_as_words(
    client, archive, q, language, expected
):
    data = found(client, q, language)
    assert ids(data) == keys(archive, *expected)
    assert data["count"] < len(archive)


def test_a_phrase_matches_only_the_phrase(client, archive):
    held = keys(archive, "held_phrase", "held_past", "talk_spaced")
    assert ids(found(client, "برگزار", "fa")) == held
    assert ids(found(client, '"برگزار شد"', "fa")) == held - keys(archive, "held_phrase")


# 4. The default rule and op=or
@pytest.mark.parametrize(
    ("q", "language", "both", "either"),
    [
        ("oil prices", "en", {"oil_prices"}, {"oil_prices", "oil_only", "prices_only"}),
        ("قیمت نفت", "fa", {"oil_price_fa"}, {"oil_price_fa", "oil_fa"}),
    ],
)
def test_plain_words_mean_all_of_them_and_op_or_any(client, archive, q, language, both, either):
    data = found(client, q, language)
    assert ids(data) == keys(archive, *both)
    assert data["query"]["match"] == {"op": "and", "rule": "all", "required": 2, "of": 2}
    assert data["params"]["op"] == "and"
    data = found(client, q, language, op="or")
    assert ids(data) == keys(archive, *either)
    assert data["query"]["match"]["rule"] == "any" and data["params"]["op"] == "or"
    # Ranking is the same under both rules: the article holding both words comes first.
    assert data["results"][0]["id"] == archive[sorted(both)[0]]


def test_a_long_query_needs_two_of_its_words_and_a_third_of_them(client, archive):
    data = found(client, "oil prices fell sharply demand weakened company")
    assert data["query"]["match"] == {"op": "and", "rule": "at_least", "required": 2, "of": 7}
    assert ids(data) == keys(archive, "oil_prices", "oil_only")  # not "Food prices rose"
    data = found(client, "oil prices fell sharply demand weakened company drilled new well")
    assert data["query"]["match"]["required"] == 3
    assert ids(data) == keys(archive, "oil_prices", "oil_only")


@pytest.mark.parametrize(
    ("q", "language", "expected"),
    [
        ("قیمت نفت چیست؟", "fa", {"oil_price_fa", "oil_fa"}),
        ("what are oil prices?", "en", {"oil_prices", "oil_only", "prices_only"}),
    ],
)
def test_a_question_in_words_needs_only_some_of_them(client, archive, q, language, expected):
    # An answer need not repeat the question's words: a quarter of them, at least one.
    data = found(client, q, language)
    assert data["query"]["match"]["question"] is True
    assert data["query"]["match"]["required"] == 1
    assert ids(data) == keys(archive, *expected)


def test_an_unknown_op_falls_back_to_all_the_words_with_a_message(client, archive):
    data = found(client, "oil prices", op="xor")
    assert ids(data) == keys(archive, "oil_prices") and data["params"]["op"] == "and"
    html = client.get("/fa/search/?q=oil+prices&op=xor").content.decode()
    assert "عملگر ناشناخته «xor»" in html


@pytest.mark.parametrize("language", ["fa", "en"])
def test_the_page_says_which_rule_ran_and_offers_the_other(client, archive, language):
    html = client.get(f"/{language}/search/?q=oil+prices").content.decode()
    assert 'name="op"' in html and 'data-op="and"' in html
    sentence = "مقاله‌های دارای همهٔ ۲ واژه." if language == "fa" else "Articles holding all 2 words."
    assert sentence in html
    assert "op=or" in html
    html = client.get(f"/{language}/search/?q=oil+prices&op=or").content.decode()
    assert 'data-op="or"' in html and '<option value="or" selected>' in html


def test_structured_words_side_by_side_are_all_required(client, archive):
    assert ids(found(client, 'oil "prices fell"')) == keys(archive, "oil_prices")
    assert ids(found(client, 'oil "prices fell"', op="or")) >= keys(archive, "oil_only")


@pytest.mark.parametrize(
    ("units", "op", "question", "required"),
    [(1, "and", False, 1), (2, "and", False, 2), (3, "and", False, 2), (6, "and", False, 2),
     (9, "and", False, 3), (12, "and", False, 4), (5, "or", False, 1), (3, "and", True, 1),
     (8, "and", True, 2)],
)  # fmt: skip
def test_the_rule_needs_all_of_two_words_and_a_share_of_more(units, op, question, required):
    from articles.search.query.units import required_count

    assert required_count(units, op, question=question) == required


@pytest.mark.parametrize(
    ("text", "question"),
    [("پایتخت اسپانیا کجاست؟", True), ("چرا دلار گران شد", True), ("who won the league", True),
     ("قیمت نفت", False), ("oil prices", False), ("what?", True)],
)  # fmt: skip
def test_a_question_is_told_by_its_mark_or_its_words(text, question):
    from articles.search.query.units import is_question

    assert is_question(text) is question
