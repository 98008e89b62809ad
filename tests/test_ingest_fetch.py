"""Fetching over real HTTP on loopback: headers, charsets, errors, caps, timeouts."""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from articles.ingest.errors import FetchError
from articles.ingest.fetch import USER_AGENT, fetch_url
from articles.ingest.parse import iter_records
from articles.ingest.records import ParsedArticle

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"
SEEN_AGENTS: list[str] = []


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        SEEN_AGENTS.append(self.headers.get("User-Agent", ""))
        if self.path == "/feed":
            self._send(200, (FIXTURES / "feed_en.atom").read_bytes(), "application/atom+xml")
        elif self.path == "/cp1256":
            body = (FIXTURES / "fa_cp1256_undeclared.html").read_bytes()
            self._send(200, body, "text/html; charset=windows-1256")
        elif self.path == "/gzip":
            body = gzip.compress((FIXTURES / "en_scraped_page.txt").read_bytes())
            self._send(200, body, "text/plain; charset=utf-8", {"Content-Encoding": "gzip"})
        elif self.path == "/big":
            self._send(200, b"x" * 5000, "text/plain")
        elif self.path == "/slow":
            time.sleep(1.5)
            self._send(200, b"late", "text/plain")
        else:
            self._send(404, b"not here", "text/plain")

    def _send(self, status: int, body: bytes, ctype: str, extra: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_fetch_sends_the_user_agent_and_reads_the_charset(server: str) -> None:
    fetched = fetch_url(f"{server}/cp1256")
    assert fetched.charset == "windows-1256"
    assert fetched.content_type == "text/html"
    assert SEEN_AGENTS[-1] == USER_AGENT


def test_gzip_responses_are_decompressed(server: str) -> None:
    fetched = fetch_url(f"{server}/gzip")
    assert fetched.data.startswith(b"Skip to main content")


def test_http_errors_name_the_status(server: str) -> None:
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch_url(f"{server}/missing")


def test_size_cap(server: str) -> None:
    with pytest.raises(FetchError, match="cap"):
        fetch_url(f"{server}/big", max_bytes=1000)


def test_timeout(server: str) -> None:
    with pytest.raises(FetchError, match="timed out"):
        fetch_url(f"{server}/slow", timeout=0.3)


def test_unreachable_host_is_a_fetch_error() -> None:
    with pytest.raises(FetchError):
        fetch_url("http://127.0.0.1:9/", timeout=2)


def test_iter_records_fetches_and_parses_urls(server: str) -> None:
    (entry,) = list(iter_records(f"{server}/feed"))
    assert isinstance(entry, ParsedArticle) and entry.format == "feed"
    (page,) = list(iter_records(f"{server}/cp1256"))
    assert isinstance(page, ParsedArticle) and page.language == "fa"
    (error,) = list(iter_records(f"{server}/missing"))
    assert isinstance(error, FetchError)
    assert error.origin == f"{server}/missing"
