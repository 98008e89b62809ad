"""JSON Lines dumps: record mapping, bad lines, gzip streaming, the real corpus."""

from __future__ import annotations

import gzip
import json
import time
from pathlib import Path

import pytest

from articles.ingest.errors import ParseError
from articles.ingest.jsonl import iter_jsonl
from articles.ingest.parse import iter_records
from articles.ingest.records import ParsedArticle

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="needs ../shared/corpus (absent)")

RECORDS = [
    {
        "id": "x-1",
        "lang": "fa",
        "title": "سیلاب در کابل",
        "body": "بند اول.\n\nبند دوم.\n\nبند اول.",
        "published": "2025-02-26T15:02:56+04:30",
        "source": "VOA Dari",
        "url": "https://e.x/1",
        "summary": "خلاصه",
        "tags": ["افغانستان"],
        "category": "news",
        "counterpart_id": "x-2",
    },
    {
        "id": "x-2",
        "lang": "en",
        "title": "FLOODS IN KABUL",
        "body": "Body text.",
        "published": None,
        "source": "Reuters",
        "places": ["afghanistan"],
        "topics": ["weather"],
    },
    {"id": "x-3", "lang": "en", "body": "No title here. It has two sentences."},
]


def _write(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_records_map_onto_parsed_articles(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    _write(path, [json.dumps(r, ensure_ascii=False) for r in RECORDS])
    first, second, third = list(iter_records(str(path)))
    assert isinstance(first, ParsedArticle)
    assert first.identity == "x-1"
    assert first.language == "fa"
    assert first.body_text == "بند اول.\n\nبند دوم.\n\nبند اول."  # short repeats stay
    assert first.published_at is not None and first.published_at.isoformat().endswith("+04:30")
    assert first.tags == ["افغانستان", "news"]
    assert first.counterpart_url == "x-2"
    assert first.origin == f"{path}:1"
    assert first.format == "jsonl"
    assert first.source_name == "VOA Dari"
    assert isinstance(second, ParsedArticle)
    assert second.tags == ["topic:weather", "place:afghanistan"]
    assert second.published_at is None
    assert isinstance(third, ParsedArticle)
    assert third.title == "No title here."
    assert any("no title" in w for w in third.warnings)


def test_bad_lines_become_errors_with_line_numbers_and_the_batch_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    good = json.dumps(RECORDS[1])
    _write(path, [good, "{not json", "[1, 2]", json.dumps({"id": "empty"}), "", good])
    results = list(iter_records(str(path)))
    assert [type(r).__name__ for r in results] == [
        "ParsedArticle",
        "ParseError",
        "ParseError",
        "ParseError",
        "ParsedArticle",
    ]
    errors = [r for r in results if isinstance(r, ParseError)]
    assert [e.origin for e in errors] == [f"{path}:2", f"{path}:3", f"{path}:4"]
    assert "neither a title nor a body" in errors[2].reason
    assert results[-1].origin == f"{path}:6"


def test_gzipped_dump_is_streamed(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        for record in RECORDS:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    results = list(iter_records(str(path)))
    assert all(isinstance(r, ParsedArticle) for r in results)
    assert [r.identity for r in results] == ["x-1", "x-2", "x-3"]


def test_exact_repeated_paragraphs_in_a_dump_body_are_dropped() -> None:
    paragraph = "A long paragraph that the crawler concatenated twice by mistake."
    line = json.dumps(
        {"id": "r", "lang": "en", "title": "T", "body": f"{paragraph}\n\n{paragraph}"}
    )
    (article,) = iter_jsonl([line], origin="d.jsonl")
    assert isinstance(article, ParsedArticle)
    assert article.body_text == paragraph
    assert article.removed_blocks == [paragraph]


def test_forced_language_wins_over_the_record() -> None:
    (article,) = iter_jsonl([json.dumps(RECORDS[1])], origin="d", language="fa")
    assert isinstance(article, ParsedArticle)
    assert article.language == "fa"


@pytest.mark.corpus
@needs_corpus
def test_small_corpus_file_parses_completely_and_fast() -> None:
    started = time.perf_counter()
    results = list(iter_records(str(CORPUS / "fa_voa_dari.jsonl.gz")))
    elapsed = time.perf_counter() - started
    assert len(results) == 65
    assert all(isinstance(r, ParsedArticle) and r.language == "fa" for r in results)
    assert sum(r.published_at is not None for r in results) == 65
    assert elapsed < 5


@pytest.mark.corpus
@pytest.mark.slow
@needs_corpus
def test_whole_corpus_streams_without_errors() -> None:
    total = errors = 0
    started = time.perf_counter()
    for path in sorted(CORPUS.glob("*.jsonl.gz")):
        for result in iter_records(str(path)):
            total += 1
            errors += isinstance(result, ParseError)
    rate = total / (time.perf_counter() - started)
    assert total == 62_838
    assert errors == 0
    assert rate > 1_000, f"{rate:.0f} articles/s"
