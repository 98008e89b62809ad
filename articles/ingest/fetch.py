"""Fetching URLs: the only network I/O of the ingest pipeline."""

from __future__ import annotations

import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass
from email.message import Message

from .errors import FetchError
from .limits import TooLarge, gunzip

USER_AGENT = "newsarchive/0.1 (+https://github.com/newsarchive)"
DEFAULT_TIMEOUT = 20.0
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


@dataclass
class Fetched:
    url: str  # the final URL after redirects
    data: bytes
    content_type: str = ""
    charset: str | None = None


def is_url(target: str) -> bool:
    return target.startswith(("http://", "https://"))


def fetch_url(
    url: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Fetched:
    """GET ``url`` and return its bytes (decompressed) and declared charset.

    Raises FetchError with the HTTP status or network reason, or when the body is larger
    than ``max_bytes``.
    """
    request = urllib.request.Request(
        url,
        headers={
            "User-Agent": USER_AGENT,
            "Accept-Encoding": "gzip, deflate",
            "Accept": "text/html,application/xhtml+xml,application/rss+xml,"
            "application/atom+xml,application/xml;q=0.9,*/*;q=0.8",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            headers: Message = response.headers
            length = headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise FetchError(
                    url, f"response of {length} bytes exceeds the cap of {max_bytes} bytes"
                )
            data = response.read(max_bytes + 1)
            final_url = response.geturl()
    except FetchError:
        raise
    except urllib.error.HTTPError as exc:
        raise FetchError(url, f"HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        raise FetchError(url, f"cannot reach the server: {exc.reason}") from exc
    except TimeoutError as exc:
        raise FetchError(url, f"timed out after {timeout:g} s") from exc
    except (OSError, ValueError) as exc:
        raise FetchError(url, f"fetch failed: {exc}") from exc
    if len(data) > max_bytes:
        raise FetchError(url, f"response exceeds the cap of {max_bytes} bytes")
    data = _decompress(data, headers.get("Content-Encoding", ""), url, max_bytes)
    return Fetched(
        url=final_url,
        data=data,
        content_type=headers.get_content_type(),
        charset=headers.get_content_charset(),
    )


def _decompress(data: bytes, encoding: str, url: str, max_bytes: int) -> bytes:
    """The body without its content encoding, inflated no further than `max_bytes` (a small
    compressed response can stand for gigabytes)."""
    encoding = encoding.strip().lower()
    try:
        if encoding in {"gzip", "deflate"}:
            return gunzip(data, limit=max_bytes)
    except TooLarge as exc:
        raise FetchError(url, f"response {exc}") from exc
    except (OSError, zlib.error, EOFError) as exc:
        raise FetchError(url, f"bad {encoding} response body: {exc}") from exc
    return data
