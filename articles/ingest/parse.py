"""The top-level entry of the pure ingest stages: anything in, articles or errors out."""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterator
from pathlib import Path

from .errors import ParseError
from .feed import parse_feed
from .fetch import fetch_url, is_url
from .html_page import parse_html
from .jsonl import iter_jsonl
from .limits import MAX_PAGE_BYTES, TooLarge, bounded_lines, gunzip, read_capped
from .records import ParsedArticle
from .sniff import GZIP_MAGIC, SNIFF_BYTES, binary_reason, decode_bytes, sniff_text
from .text_page import parse_text

FORMATS = ("auto", "text", "html", "feed", "jsonl")
LANGUAGES = ("auto", "fa", "en")
Result = ParsedArticle | ParseError


def iter_records(target: str, *, fmt: str = "auto", language: str = "auto") -> Iterator[Result]:
    """Yield one ParsedArticle per article found in ``target`` or a ParseError per failure.

    ``target`` is a file, a folder (walked in sorted order, hidden entries skipped) or an
    http(s) URL. ``fmt`` forces a format instead of sniffing; ``language`` forces fa/en.
    Never raises for bad input.
    """
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {FORMATS}, not {fmt!r}")
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    if is_url(target):
        yield from _guard(_iter_url(target, fmt, language), target)
        return
    path = Path(target)
    if path.is_dir():
        for child in _walk(path):
            yield from _guard(_iter_file(child, fmt, language), str(child))
    elif path.is_file():
        yield from _guard(_iter_file(path, fmt, language), str(path))
    else:
        yield ParseError(target, "no such file, folder or URL")


def parse_bytes(
    data: bytes,
    *,
    origin: str,
    fmt: str = "auto",
    language: str = "auto",
    charset: str | None = None,
    url: str = "",
) -> Iterator[Result]:
    """Parse an in-memory input (a fetched body, an upload) like a file."""
    if data.startswith(GZIP_MAGIC):
        try:
            data = gunzip(data)
        except TooLarge as exc:
            yield ParseError(origin, str(exc))
            return
        except (OSError, EOFError, zlib.error) as exc:
            yield ParseError(origin, f"broken gzip data: {exc}")
            return
    try:
        text = decode_bytes(data, charset, origin=origin)
    except ParseError as exc:
        yield exc
        return
    yield from _dispatch(text, origin=origin, fmt=fmt, language=language, url=url)


def _walk(folder: Path, seen: set[Path] | None = None) -> Iterator[Path]:
    """Files under `folder`, each real file and folder once: a symbolic link back up the
    tree would otherwise be walked again and again (two such links: exponentially)."""
    seen = set() if seen is None else seen
    seen.add(folder.resolve())
    for child in sorted(folder.iterdir(), key=lambda p: p.name):
        if child.name.startswith("."):
            continue
        try:
            real = child.resolve()
        except (OSError, RuntimeError):  # a link loop resolves nowhere
            continue
        if real in seen:
            continue
        if child.is_dir():
            yield from _walk(child, seen)
        elif child.is_file():
            seen.add(real)
            yield child


def _iter_url(url: str, fmt: str, language: str) -> Iterator[Result]:
    try:
        fetched = fetch_url(url)
    except ParseError as exc:
        yield exc
        return
    yield from parse_bytes(
        fetched.data,
        origin=url,
        fmt=fmt,
        language=language,
        charset=fetched.charset,
        url=fetched.url,
    )


def _iter_file(path: Path, fmt: str, language: str) -> Iterator[Result]:
    origin = str(path)
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if not head.strip():
        yield ParseError(origin, "empty file")
        return
    if head.startswith(GZIP_MAGIC):
        yield from _iter_gzip(path, fmt, language)
        return
    reason = binary_reason(head)
    if reason:
        yield ParseError(origin, reason)
        return
    if fmt == "jsonl" or (fmt == "auto" and sniff_text(_decode_head(head)) == "jsonl"):
        with path.open(encoding="utf-8-sig", errors="replace") as lines:
            yield from iter_jsonl(bounded_lines(lines), origin=origin, language=language)
        return
    if path.stat().st_size > MAX_PAGE_BYTES:
        yield ParseError(
            origin, f"too large for one page or feed: over the limit of {MAX_PAGE_BYTES:,} bytes"
        )
        return
    yield from parse_bytes(path.read_bytes(), origin=origin, fmt=fmt, language=language)


def _iter_gzip(path: Path, fmt: str, language: str) -> Iterator[Result]:
    origin = str(path)
    try:
        with gzip.open(path, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except (OSError, EOFError) as exc:
        yield ParseError(origin, f"broken gzip file: {exc}")
        return
    if fmt == "jsonl" or (fmt == "auto" and sniff_text(_decode_head(head)) == "jsonl"):
        with gzip.open(path, "rb") as raw:
            lines = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace")
            try:
                yield from iter_jsonl(bounded_lines(lines), origin=origin, language=language)
            except (OSError, EOFError) as exc:
                yield ParseError(origin, f"gzip stream ends early: {exc}")
        return
    try:
        with gzip.open(path, "rb") as handle:  # inflated in bounded steps, never whole
            data = read_capped(handle)
    except TooLarge as exc:
        yield ParseError(origin, str(exc))
        return
    except (OSError, EOFError) as exc:
        yield ParseError(origin, f"broken gzip file: {exc}")
        return
    yield from parse_bytes(data, origin=origin, fmt=fmt, language=language)


def _dispatch(text: str, *, origin: str, fmt: str, language: str, url: str) -> Iterator[Result]:
    kind = sniff_text(text) if fmt == "auto" else fmt
    if kind == "jsonl":
        yield from iter_jsonl(bounded_lines(io.StringIO(text)), origin=origin, language=language)
    elif kind == "feed":
        yield from parse_feed(text, origin=origin, language=language)
    elif kind == "html":
        yield parse_html(text, origin=origin, url=url, language=language)
    elif kind == "text":
        yield parse_text(text, origin=origin, url=url, language=language)
    else:
        yield ParseError(
            origin,
            "a single JSON document; expected JSON Lines (one object "
            "per line), a feed, an HTML page or plain text",
        )


def _guard(results: Iterator[Result], origin: str) -> Iterator[Result]:
    """Turn an unexpected exception into a ParseError so the batch goes on."""
    try:
        yield from results
    except Exception as exc:  # a parser bug must not stop the other inputs
        yield ParseError(origin, f"unexpected error: {exc!r}")


def _decode_head(head: bytes) -> str:
    return head.decode("utf-8", errors="replace")
