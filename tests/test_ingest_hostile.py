"""Hostile inputs to the curator's import: decompression bombs (files and URLs), folder walks
that loop through symbolic links, and records too large to hold. Each one fails alone, with a
reason that says "too large" and names the limit, in bounded memory and time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import tracemalloc
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from articles.ingest.errors import FetchError, ParseError
from articles.ingest.fetch import fetch_url
from articles.ingest.limits import MAX_PAGE_BYTES, MAX_RECORD_CHARS
from articles.ingest.parse import iter_records
from articles.ingest.records import ParsedArticle

ROOT = Path(__file__).resolve().parents[1]
BOMB_INFLATED = 256 * 1024 * 1024  # five times the page limit, from a quarter-megabyte file


def gzip_bomb(size: int = BOMB_INFLATED, start: bytes = b"<html><body><p>") -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [packer.compress(start)]
    chunk = b" " * (1 << 20)
    parts += [packer.compress(chunk) for _ in range(size // len(chunk))]
    return b"".join([*parts, packer.flush()])


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return gzip_bomb()


def _peak_megabytes(run) -> tuple[list, float]:
    tracemalloc.start()
    try:
        results = run()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return results, peak / 1e6


@pytest.mark.parametrize("name", ["page.html.gz", "dump.jsonl.gz"])
def test_a_gzip_file_that_inflates_past_the_limit_fails_as_too_large(tmp_path, bomb, name):
    path = tmp_path / name
    start = b'{"id": "1", "title": "t", "body": "' if name.startswith("dump") else b"<html>"
    path.write_bytes(gzip_bomb(start=start) if name.startswith("dump") else bomb)
    results, peak = _peak_megabytes(lambda: list(iter_records(str(path))))
    assert len(results) == 1 and isinstance(results[0], ParseError), results
    assert "too large" in results[0].reason
    limit = MAX_RECORD_CHARS if name.startswith("dump") else MAX_PAGE_BYTES
    assert f"{limit:,}" in results[0].reason
    assert peak < 3 * limit / 1e6 + 20, f"{peak:.0f} MB held for a {len(bomb)}-byte file"


class BombHandler(BaseHTTPRequestHandler):
    body = b""

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        encoded = self.path == "/encoded"
        self.send_response(200)
        self.send_header("Content-Type", "text/html" if encoded else "application/gzip")
        if encoded:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def bomb_server(bomb) -> Iterator[str]:
    BombHandler.body = bomb
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), BombHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_a_url_whose_body_inflates_past_the_cap_is_refused(bomb_server):
    with pytest.raises(FetchError, match="too large"):
        _peak_megabytes(lambda: fetch_url(f"{bomb_server}/encoded", max_bytes=5_000_000))
    for path in ("/encoded", "/file.gz"):
        results, peak = _peak_megabytes(lambda p=path: list(iter_records(bomb_server + p)))
        assert len(results) == 1 and isinstance(results[0], ParseError), results
        assert "too large" in results[0].reason, results[0].reason
        assert peak < 200, f"{peak:.0f} MB held for {path}"


def _folder_with_loops(root: Path) -> Path:
    folder = root / "pages"
    (folder / "inner").mkdir(parents=True)
    body = "Kabul's library opened again on Monday after months of repairs to its roof. " * 3
    (folder / "inner" / "page.txt").write_text(f"A library opens\n\n{body}\n", "utf-8")
    os.symlink(folder, folder / "inner" / "up")  # two links back to the top:
    os.symlink(folder, folder / "inner" / "again")  # 2^40 paths before the kernel says ELOOP
    os.symlink(folder / "inner" / "page.txt", folder / "same-page.txt")
    return folder


def test_a_folder_walk_visits_each_real_folder_once(tmp_path):
    folder = _folder_with_loops(tmp_path)
    code = (
        "import os, sys, django; os.environ['DJANGO_SETTINGS_MODULE'] = "
        "'newsarchive.settings.test'; django.setup()\n"
        "from articles.ingest.parse import iter_records\n"
        "print(sum(1 for _ in iter_records(sys.argv[1])))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(folder)], cwd=ROOT, capture_output=True, text=True,
        timeout=120, env={**os.environ, "NEWSARCHIVE_DATA_DIR": str(tmp_path / "data")},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "1"


def test_a_record_line_over_the_limit_says_too_large_and_the_next_line_still_loads(tmp_path):
    path = tmp_path / "dump.jsonl"
    huge = {
        "id": "big",
        "lang": "fa",
        "title": "خبر بزرگ",
        "body": "کتاب " * (MAX_RECORD_CHARS // 4),
    }
    small = {"id": "ok", "lang": "en", "title": "A small record", "body": "Books and more books."}
    with path.open("w", encoding="utf-8") as handle:
        handle.write(json.dumps(huge, ensure_ascii=False) + "\n")
        handle.write(json.dumps(small) + "\n")
    results, peak = _peak_megabytes(lambda: list(iter_records(str(path))))
    assert len(results) == 2
    assert isinstance(results[0], ParseError) and results[0].origin.endswith(":1")
    assert "too large" in results[0].reason and f"{MAX_RECORD_CHARS:,}" in results[0].reason
    assert isinstance(results[1], ParsedArticle) and results[1].title == "A small record"
    assert peak < 4 * MAX_RECORD_CHARS * 4 / 1e6 + 20
