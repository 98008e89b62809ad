"""iter_records and sniffing: folders, format detection, binary and odd inputs."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

from articles.ingest.errors import ParseError
from articles.ingest.parse import iter_records, parse_bytes
from articles.ingest.records import ParsedArticle
from articles.ingest.sniff import decode_bytes, sniff_text

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ('{"id": 1, "title": "t"}\n{"id": 2}\n', "jsonl"),
        ('\n\n  {"id": 1}\n', "jsonl"),
        ('{\n  "id": 1\n}\n', "json"),
        ("<?xml version='1.0'?>\n<rss version='2.0'><channel/></rss>", "feed"),
        ("<feed xmlns='http://www.w3.org/2005/Atom'></feed>", "feed"),
        ("<rdf:RDF xmlns:rdf='x'></rdf:RDF>", "feed"),
        ("<!DOCTYPE html><html><body><p>x</p></body></html>", "html"),
        ("<div><p>a</p><p>b</p><p>c</p><p>d</p><p>e</p><span>f</span></div>", "html"),
        ("Skip to main content\nA title\n\nSome text.", "text"),
    ],
)
def test_sniff_recognises_formats(text: str, kind: str) -> None:
    assert sniff_text(text) == kind


def test_folder_is_walked_in_order_skipping_hidden_files(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "en_scraped_page.txt", tmp_path / "b_page.txt")
    shutil.copy(FIXTURES / "feed_en.atom", tmp_path / "a_feed.xml")
    (tmp_path / ".hidden.txt").write_text("Secret title\n\nHidden text.", encoding="utf-8")
    sub = tmp_path / "c_sub"
    sub.mkdir()
    with gzip.open(sub / "dump.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "g1", "lang": "en", "title": "T", "body": "B."}) + "\n")
    (sub / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    results = list(iter_records(str(tmp_path)))
    kinds = [r.format if isinstance(r, ParsedArticle) else "error" for r in results]
    assert kinds == ["feed", "text", "jsonl", "error"]
    assert results[2].origin == f"{sub / 'dump.jsonl.gz'}:1"
    assert "PNG" in results[3].reason


def test_missing_target_is_an_error_not_an_exception() -> None:
    (error,) = list(iter_records("/nonexistent/place.txt"))
    assert isinstance(error, ParseError)


def test_single_json_document_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "page.expected.json"
    path.write_text('{\n "title": "x"\n}\n', encoding="utf-8")
    (error,) = list(iter_records(str(path)))
    assert isinstance(error, ParseError)
    assert "JSON Lines" in error.reason


def test_forced_format_and_language(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "A title line\n\nThe body is plain text even though the name says html.", encoding="utf-8"
    )
    (article,) = list(iter_records(str(path), fmt="text", language="fa"))
    assert isinstance(article, ParsedArticle)
    assert article.format == "text"
    assert article.language == "fa"


def test_empty_and_broken_gzip_files_are_errors(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "broken.jsonl.gz").write_bytes(b"\x1f\x8b\x08\x00garbage")
    results = list(iter_records(str(tmp_path)))
    assert len(results) == 2
    assert all(isinstance(r, ParseError) for r in results)


def test_bad_arguments_raise() -> None:
    with pytest.raises(ValueError):
        list(iter_records("x", fmt="pdf"))


def test_decode_prefers_the_declared_charset_and_falls_back() -> None:
    persian = "خبر تازه از کابل".replace("ی", "ي").replace("ک", "ك")
    assert decode_bytes(persian.encode("cp1256"), "windows-1256") == persian
    assert decode_bytes(persian.encode("utf-8"), "iso-8859-1-bogus") == persian
    assert decode_bytes("\ufeffhello".encode()) == "hello"


def test_decode_rejects_binary() -> None:
    with pytest.raises(ParseError):
        decode_bytes(b"%PDF-1.4\n...")
    with pytest.raises(ParseError):
        decode_bytes(b"abc\x00\x01\x02def")


def test_in_memory_bytes_are_parsed_like_a_file() -> None:
    data = (FIXTURES / "feed_fa.rss").read_bytes()
    results = list(parse_bytes(data, origin="upload"))
    assert [r.origin for r in results] == ["upload#1", "upload#2"]


def test_jsonl_with_a_first_line_longer_than_the_sniffing_window(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    record = {"id": "long", "lang": "en", "title": "Long", "body": "word " * 30_000}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    (article,) = list(iter_records(str(path)))
    assert isinstance(article, ParsedArticle)
    assert article.identity == "long"
