"""RSS and Atom feeds: one article per entry, bozo feeds, broken feeds."""

from __future__ import annotations

from pathlib import Path

from articles.ingest.errors import ParseError
from articles.ingest.feed import parse_feed
from articles.ingest.parse import iter_records
from articles.ingest.records import ParsedArticle

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"


def _entries(name: str) -> list[ParsedArticle | ParseError]:
    return list(iter_records(str(FIXTURES / name)))


def test_rss_with_persian_items() -> None:
    first, second = _entries("feed_fa.rss")
    assert isinstance(first, ParsedArticle) and isinstance(second, ParsedArticle)
    assert first.format == "feed"
    assert first.title == "سیلاب‌ها در افغانستان ۳۶ کشته برجا گذاشت"
    assert first.identity == "https://example.af/fa/news/1001"
    assert first.url == "https://example.af/fa/news/1001.html"
    assert first.language == "fa"
    assert first.source_name == "خبرگزاری نمونه"
    assert first.tags == ["افغانستان", "حوادث طبیعی"]
    assert first.published_at is not None and first.published_at.isoformat() == (
        "2025-02-26T15:02:56+04:30"
    )
    assert first.body_text.split("\n\n") == [
        "مقام‌ها از افزایش تلفات سیلاب‌ها خبر دادند.",
        "در اثر این حوادث ۴۰ تن دیگر زخمی شده‌اند.",
    ]
    assert "<script" not in first.body_html
    assert first.byline == "newsroom@example.af (گزارشگر)"
    assert second.identity == "https://example.af/fa/news/1002.html"  # no guid: the link
    assert second.warnings == []


def test_atom_in_english() -> None:
    (entry,) = _entries("feed_en.atom")
    assert isinstance(entry, ParsedArticle)
    assert entry.identity == "tag:example.org,2025:news-77"
    assert entry.title == "Snow closes the Salang pass"
    assert entry.language == "en"
    assert entry.byline == "Jane Reporter"
    assert entry.tags == ["Afghanistan", "Weather"]
    assert entry.published_at is not None and entry.published_at.year == 2025
    assert entry.summary == "The main road north of Kabul is closed."
    assert "Travellers waited for hours" in entry.body_text
    assert entry.source_name == "Example Wire"


def test_bozo_feed_keeps_recovered_entries_with_a_warning() -> None:
    entries = _entries("feed_bozo.rss")
    assert entries and all(isinstance(e, ParsedArticle) for e in entries)
    assert all(any("malformed feed" in w for w in e.warnings) for e in entries)


def test_feed_with_nothing_parsed_is_one_error() -> None:
    (error,) = list(parse_feed("<rss version='2.0'><channel><<<>>>", origin="broken.xml"))
    assert isinstance(error, ParseError)
    assert error.origin == "broken.xml"
    assert "malformed feed" in error.reason


def test_forced_language_applies_to_every_entry() -> None:
    text = (FIXTURES / "feed_en.atom").read_text(encoding="utf-8")
    (entry,) = list(parse_feed(text, origin="a", language="fa"))
    assert isinstance(entry, ParsedArticle) and entry.language == "fa"
