"""Scraped plain-text pages: chrome removal, repeated-block collapse, title and language."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from articles.ingest.errors import ParseError
from articles.ingest.records import ParsedArticle
from articles.ingest.text_page import collapse_repeats, is_chrome, parse_text

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"
SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "seeds" / "tolonews_alqaeda_page.txt"

PAGES = {
    "en": {
        "file": "en_scraped_page.txt",
        "title": "Kabul Water Project Reaches Its Second Phase",
        "sentences": [
            "has reached its second phase, with pipes now laid across four districts",
            "We expect clean water to reach another forty thousand homes",
            "began two years ago after a long drought",
            "the water trucks had doubled their prices during the summer",
            "a new reservoir is planned near the airport road",
        ],
        "chrome": [
            "Skip to main content",
            "Latest news",
            "تصویر بندانگشتی",
            "Read more",
            "Share this post",
            "Related",
        ],
        "teaser": "Engineers in Kabul said the city's new water supply project",
    },
    "fa": {
        "file": "fa_scraped_page.txt",
        "title": "مرحله دوم پروژه آب‌رسانی کابل آغاز شد",
        "sentences": [
            "لوله‌ها در چهار ناحیه کار گذاشته شده‌اند",
            "انتظار داریم پیش از زمستان آب آشامیدنی",
            "دو سال پیش پس از یک خشکسالی طولانی آغاز شد",
            "تانکرهای آب در تابستان نرخ خود را دو برابر کردند",
            "یک ذخیره‌گاه تازه نزدیک جاده میدان هوایی",
        ],
        "chrome": [
            "رفتن به محتوای اصلی",
            "آخرین اخبار",
            "صفحه اصلی",
            "Thumbnail",
            "بیشتر بخوانید",
            "خبرهای مرتبط",
            "اشتراک گذاری",
        ],
        "teaser": "مهندسان در کابل گفتند که پروژه تازه",
    },
}


def _parse(path: Path) -> ParsedArticle:
    article = parse_text(path.read_text(encoding="utf-8"), origin=str(path))
    assert isinstance(article, ParsedArticle), article
    return article


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_scraped_page_collapses_to_one_clean_article(lang: str) -> None:
    page = PAGES[lang]
    article = _parse(FIXTURES / page["file"])
    assert article.title == page["title"]
    assert article.language == lang
    assert article.format == "text"
    for sentence in page["sentences"]:
        assert article.body_text.count(sentence) == 1, sentence
    assert len(article.body_text.split("\n\n")) == len(page["sentences"])
    lines = set(article.body_text.split("\n\n"))
    for chrome in page["chrome"]:
        assert chrome not in lines
        assert chrome in article.removed_blocks
    assert page["teaser"] not in article.body_text
    assert any(block.startswith(page["teaser"]) for block in article.removed_blocks)
    assert page["title"] not in article.body_text


@pytest.mark.corpus
@pytest.mark.skipif(not SEED.exists(), reason="needs ../shared/seeds (absent here)")
def test_seed_page_gives_one_article_with_each_paragraph_once() -> None:
    article = _parse(SEED)
    assert article.title == "Al-Qaeda 'Gaining Strength' in Afghanistan: US Treasury"
    assert article.language == "en"
    distinctive = [
        "gaining strength in Afghanistan while",
        "depends on donations from likeminded supporters",
        "through its network of mentors and advisers",
        "forming a new joint unit of armed fighters",
        "Indian Subcontinent (AQIS)",
        "maintains close contacts with the Taliban",
        "signed a peace agreement with Taliban on February 29, 2020",
        "is harder than desalination",
        "killed three al-Qaeda members in a Taliban compound",
        "Mawlawi Abdul Hakim Sharaee",
        "Ayman al-Zawahiri has maintained close ties",
        "Edmund Fitton-Brown",
    ]
    for sentence in distinctive:
        assert article.body_text.count(sentence) == 1, sentence
    assert len(article.body_text.split("\n\n")) == len(distinctive)
    for chrome in ("Skip to main content", "Latest news", "تصویر بندانگشتی", "Share this post"):
        assert chrome not in article.body_text
    assert not re.search(r"[\u0600-\u06ff]", article.body_text)
    assert "through its network.\u201d" not in article.body_text  # the teaser
    assert article.removed_blocks
    assert "Share this post" in article.removed_blocks


def test_repeated_body_collapses_whatever_the_count() -> None:
    paragraphs = ["First paragraph of the story.", "Second paragraph of it."] * 4
    kept, removed = collapse_repeats(paragraphs)
    assert kept == paragraphs[:2]
    assert len(removed) == 6


def test_teaser_that_is_a_shortened_lead_is_dropped() -> None:
    lead = (
        "The ministry said on Sunday that twelve new schools will open in Herat "
        "province before the start of the school year."
    )
    teaser = "The ministry said twelve new schools will open in Herat province."
    kept, removed = collapse_repeats([teaser, lead, "Another, unrelated paragraph follows."])
    assert kept == [lead, "Another, unrelated paragraph follows."]
    assert removed == [teaser]


def test_short_paragraph_sharing_words_is_not_a_teaser() -> None:
    paragraphs = [
        "The Taliban denied it.",
        "The Taliban said nothing about it, and officials denied the report.",
    ]
    kept, _ = collapse_repeats(paragraphs)
    assert kept == paragraphs


def test_chrome_list_matches_whole_lines_only() -> None:
    assert is_chrome("Share this post")
    assert is_chrome("  بیشتر بخوانید  ")
    assert is_chrome("© 2024 Example News. All rights reserved.")
    assert not is_chrome("Officials said they would share the report with the press.")


def test_page_without_title_line_takes_the_first_sentence() -> None:
    text = (
        "Heavy snow closed the Salang pass on Tuesday. Travellers were stuck for hours.\n\n"
        "The road reopened in the evening."
    )
    article = parse_text(text)
    assert isinstance(article, ParsedArticle)
    assert article.title == "Heavy snow closed the Salang pass on Tuesday."
    assert article.body_text.startswith("Heavy snow")


def test_page_of_only_chrome_is_a_parse_error() -> None:
    result = parse_text("Skip to main content\nLatest news\nShare this post\n", origin="x.txt")
    assert isinstance(result, ParseError)
    assert result.origin == "x.txt"


def test_forced_language_overrides_detection() -> None:
    article = parse_text("A headline without a period\n\nSome body text here.", language="fa")
    assert isinstance(article, ParsedArticle)
    assert article.language == "fa"


@pytest.mark.parametrize(
    ("dateline", "expected"),
    [
        ("Published: January 4, 2021", datetime(2021, 1, 4, tzinfo=UTC)),
        ("2021-01-04 10:15", datetime(2021, 1, 4, 10, 15, tzinfo=UTC)),
        ("دلو ۰۴, ۱۴۰۳", datetime(2025, 1, 23, tzinfo=UTC)),
        ("تاریخ انتشار: ۴ بهمن ۱۴۰۳ - ۱۴:۳۰", datetime(2025, 1, 23, 14, 30, tzinfo=UTC)),
    ],
)
def test_dateline_near_the_title_gives_the_date(dateline: str, expected: datetime) -> None:
    text = f"Latest news\n\nSnow closes the Salang pass\n{dateline}\n\nThe road was closed."
    article = parse_text(text)
    assert isinstance(article, ParsedArticle)
    assert article.published_at == expected
    assert article.title == "Snow closes the Salang pass"
    assert article.body_text == "The road was closed."
    assert dateline in article.removed_blocks


def test_numbers_in_ordinary_lines_are_not_dates() -> None:
    text = "Kabul, Afghanistan\n\nTitle of a story here\n\n12 people were hurt on Monday."
    article = parse_text(text)
    assert isinstance(article, ParsedArticle)
    assert article.published_at is None
    assert "12 people were hurt on Monday." in article.body_text


REWORDED = {
    "en": (
        "Engineers in Kabul said on Monday that the city's new water supply project will "
        "bring clean drinking water to two hundred thousand homes before next winter.",
        "Clean drinking water for two hundred thousand Kabul homes: the new water supply "
        "project, engineers said.",
    ),
    "fa": (
        "مهندسان در کابل روز دوشنبه گفتند که پروژه تازه آبرسانی شهر پیش از زمستان آینده "
        "آب آشامیدنی پاک را به دویست هزار خانه خواهد رساند.",
        "آب آشامیدنی پاک برای دویست هزار خانه کابل با پروژه تازه آبرسانی، به گفته مهندسان.",
    ),
}


@pytest.mark.parametrize("language", ["en", "fa"])
def test_a_teaser_that_rewords_the_lead_is_removed_even_as_the_last_paragraph(language):
    lead, teaser = REWORDED[language]
    filler = {
        "en": "The project was funded by the municipality and several donors over three years.",
        "fa": "هزینه این پروژه در سه سال از سوی شهرداری و چند کمک‌کننده پرداخت شده است.",
    }[language]
    title = "Kabul water project" if language == "en" else "پروژه آبرسانی کابل"
    page = "\n\n".join([title, lead, filler, filler.replace("three", "four"), teaser])
    article = parse_text(page)
    assert isinstance(article, ParsedArticle), article
    assert teaser not in article.body_text
    assert teaser in article.removed_blocks
    assert article.body_text.startswith(lead)
