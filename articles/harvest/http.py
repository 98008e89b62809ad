"""Polite HTTP: conditional GET, per-host spacing and concurrency, redirects with loop
detection, size caps on the wire and after decompression, and an overall deadline.

Only the network happens here (no database): the harvester calls it from worker threads.
Every response, redirects included, is handed to ``on_response`` so the caller can keep it
(the WARC store); a failed fetch raises ``HarvestError`` with a one-line reason.
"""

from __future__ import annotations

import http.client
import ssl
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

USER_AGENT = "newsarchive-harvester/1.0 (+https://github.com/newsarchive)"
REDIRECT_CODES = {301, 302, 303, 307, 308}
MAX_REDIRECTS = 5
CHUNK = 64 * 1024


class HarvestError(Exception):
    """A fetch that gave nothing usable; ``reason`` is one line for the fetch log."""

    def __init__(self, reason: str, *, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


@dataclass
class Limits:
    timeout: float = 20.0  # seconds per connect/read, and the whole fetch must end in 3x this
    max_bytes: int = 10 * 1024 * 1024  # on the wire
    max_decoded_bytes: int = 30 * 1024 * 1024  # after gzip/deflate (a bomb stops here)


@dataclass
class Response:
    url: str  # the URL asked for (this hop)
    status: int
    reason: str
    headers: list[tuple[str, str]]
    wire: bytes  # the body as received (possibly gzip), at most Limits.max_bytes
    fetched_at: datetime
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    truncated: str = ""  # WARC-Truncated reason ("length", "time") when cut short
    body: bytes = b""  # decompressed (set on the final response only)

    def header(self, name: str) -> str:
        name = name.lower()
        return next((value for key, value in self.headers if key.lower() == name), "")

    @property
    def content_type(self) -> str:
        return self.header("Content-Type").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for part in self.header("Content-Type").split(";")[1:]:
            key, _, value = part.partition("=")
            if key.strip().lower() == "charset" and value.strip():
                return value.strip().strip("\"'")
        return None


class HostGate:
    """Spaces requests to one host by ``delay`` seconds (start to start, and end of one answer
    to the next start) and lets at most ``concurrency`` run at once (robots.txt's Crawl-delay
    may lengthen the delay)."""

    def __init__(self, *, delay: float, concurrency: int) -> None:
        self.delay = delay
        self.concurrency = max(1, concurrency)
        self._lock = threading.Lock()
        self._hosts: dict[str, tuple[threading.Semaphore, list[float]]] = {}
        self.crawl_delay: dict[str, float] = {}

    def _state(self, host: str) -> tuple[threading.Semaphore, list[float]]:
        with self._lock:
            state = self._hosts.get(host)
            if state is None:
                state = self._hosts[host] = (threading.Semaphore(self.concurrency), [0.0])
            return state

    def run(self, host: str, call: Callable[[], Response]) -> Response:
        semaphore, next_start = self._state(host)
        with semaphore:
            delay = max(self.delay, self.crawl_delay.get(host, 0.0))
            with self._lock:
                now = time.monotonic()
                start = max(now, next_start[0])
                next_start[0] = start + delay
            if start > now:
                time.sleep(start - now)
            try:
                return call()
            finally:
                # Also a full delay after the answer, so the server never sees two requests
                # closer than the delay, however long the connection took to open.
                with self._lock:
                    next_start[0] = max(next_start[0], time.monotonic() + delay)


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def fetch(
    url: str,
    *,
    gate: HostGate,
    limits: Limits,
    headers: dict[str, str] | None = None,
    on_response: Callable[[Response], None] | None = None,
) -> Response:
    """GET ``url`` following redirects; the final response carries the decompressed body.

    Raises HarvestError for network failures, redirect loops, caps exceeded and HTTP
    errors (4xx/5xx). A 304 is returned, not raised.
    """
    seen = [url]
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        response = gate.run(host_of(current), lambda u=current: _get_once(u, headers or {}, limits))
        if on_response is not None:
            on_response(response)
        if response.status in REDIRECT_CODES:
            location = response.header("Location")
            if not location:
                raise HarvestError(
                    f"HTTP {response.status} without a Location", status=response.status
                )
            target = urljoin(current, location.strip())
            if urlsplit(target).scheme not in ("http", "https"):
                raise HarvestError(f"redirect to a non-web address {target[:200]}")
            if target in seen:
                raise HarvestError(
                    "redirect loop: " + " -> ".join([*seen, target])[:500], status=response.status
                )
            seen.append(target)
            current = target
            continue
        if response.truncated:
            raise HarvestError(_truncated_reason(response, limits), status=response.status)
        if response.status == 304:
            return response
        if response.status >= 400:
            raise HarvestError(
                f"HTTP {response.status} {response.reason}".strip(), status=response.status
            )
        response.body = decompress(response.wire, response.header("Content-Encoding"), limits)
        return response
    raise HarvestError(f"more than {MAX_REDIRECTS} redirects: " + " -> ".join(seen)[:500])


def _truncated_reason(response: Response, limits: Limits) -> str:
    if response.truncated == "time":
        return f"response took longer than {limits.timeout * 3:g} s"
    return f"response larger than the cap of {limits.max_bytes} bytes"


def _get_once(url: str, headers: dict[str, str], limits: Limits) -> Response:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise HarvestError(f"not a web address: {url[:200]}")
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    connection_class = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    kwargs = {"context": ssl.create_default_context()} if parts.scheme == "https" else {}
    connection = connection_class(parts.hostname, parts.port, timeout=limits.timeout, **kwargs)
    request_headers = {
        "User-Agent": USER_AGENT,
        "Accept-Encoding": "gzip, deflate",
        "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, "
        "text/html;q=0.8, */*;q=0.5",
        **headers,
    }
    deadline = time.monotonic() + limits.timeout * 3
    fetched_at = datetime.now(UTC)
    try:
        connection.request("GET", path, headers=request_headers)
        raw = connection.getresponse()
        response = Response(
            url=url,
            status=raw.status,
            reason=raw.reason or "",
            headers=list(raw.getheaders()),
            wire=b"",
            fetched_at=fetched_at,
            request_headers=[("Host", parts.netloc), *request_headers.items()],
        )
        length = response.header("Content-Length")
        if length.isdigit() and int(length) > limits.max_bytes:
            response.truncated = "length"  # not read at all: the header says it is too big
            return response
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = raw.read1(CHUNK) if hasattr(raw, "read1") else raw.read(CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > limits.max_bytes:
                response.truncated = "length"
                chunks.append(chunk[: len(chunk) - (size - limits.max_bytes)])
                break
            chunks.append(chunk)
            if time.monotonic() > deadline:
                response.truncated = "time"
                break
        response.wire = b"".join(chunks)
        return response
    except TimeoutError as exc:
        raise HarvestError(f"timed out after {limits.timeout:g} s") from exc
    except (http.client.HTTPException, OSError, ValueError) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise HarvestError(f"cannot fetch: {reason}"[:300]) from exc
    finally:
        connection.close()


def decompress(data: bytes, encoding: str, limits: Limits) -> bytes:
    """Undo gzip/deflate, stopping at ``limits.max_decoded_bytes`` (a gzip bomb is refused)."""
    encoding = (encoding or "").strip().lower()
    if encoding in ("", "identity"):
        return data
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise HarvestError(f"unsupported Content-Encoding {encoding[:40]!r}")
    wbits = 16 + zlib.MAX_WBITS if encoding != "deflate" else zlib.MAX_WBITS
    cap = limits.max_decoded_bytes
    try:
        inflater = zlib.decompressobj(wbits)
        out = inflater.decompress(data, cap + 1)
        if len(out) > cap or inflater.unconsumed_tail:
            raise HarvestError(
                f"decompressed body larger than the cap of {cap} bytes (a gzip bomb?)"
            )
        return out + inflater.flush()
    except zlib.error as exc:
        if encoding == "deflate":  # some servers send raw deflate without the zlib header
            try:
                inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                out = inflater.decompress(data, cap + 1)
                if len(out) <= cap and not inflater.unconsumed_tail:
                    return out
            except zlib.error:
                pass
        raise HarvestError(f"bad {encoding} body: {exc}") from exc
