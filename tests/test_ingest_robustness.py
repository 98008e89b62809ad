"""Bad input never raises: every parser returns articles or ParseErrors, whatever it is fed."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.ingest.dates import parse_date
from articles.ingest.errors import ParseError
from articles.ingest.parse import parse_bytes
from articles.ingest.records import ParsedArticle
from articles.ingest.text_page import parse_text

PIECES = st.sampled_from(
    [
        "<html>",
        "<p>",
        "</p>",
        "<rss version='2.0'>",
        "<item><title>",
        '{"id": 1}',
        "\n",
        "\n\n",
        "Skip to main content",
        "تصویر بندانگشتی",
        "دلو ۰۴, ۱۴۰۳",
        "Title line",
        ".",
        "\x00",
        "\x1f\x8b",
        "%PDF",
        "کابل",
        "Kabul said on Monday that it would.",
        "<!DOCTYPE html>",
    ]
)
MIXED = st.lists(st.one_of(PIECES, st.text(max_size=40)), max_size=30).map("".join)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.binary(max_size=2000))
def test_random_bytes_give_results_not_exceptions(data: bytes) -> None:
    for result in parse_bytes(data, origin="fuzz"):
        assert isinstance(result, ParsedArticle | ParseError)


@FAST
@given(MIXED)
def test_random_markup_and_text_give_results_not_exceptions(text: str) -> None:
    for result in parse_bytes(text.encode("utf-8", "surrogatepass"), origin="fuzz"):
        assert isinstance(result, ParsedArticle | ParseError)
        if isinstance(result, ParsedArticle):
            assert result.body_text.strip()


@FAST
@given(MIXED)
def test_text_pages_never_raise(text: str) -> None:
    assert isinstance(parse_text(text), ParsedArticle | ParseError)


@FAST
@given(st.one_of(st.text(max_size=60), MIXED))
def test_dates_never_raise(value: str) -> None:
    parsed = parse_date(value)
    assert parsed is None or parsed.tzinfo is not None
