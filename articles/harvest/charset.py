"""Bytes to text for fetched feeds and pages, Windows-1256 Persian included.

Order: a byte-order mark, the charset the server or the document declares, UTF-8, then
Windows-1256 when it reads as Arabic-script text (old Persian sites send it undeclared),
then the ingest stage's detector.
"""

from __future__ import annotations

import re

from articles.ingest.errors import ParseError
from articles.ingest.sniff import decode_bytes

_ARABIC = re.compile("[\u0600-\u06ff]")
_LETTER = re.compile(r"[^\W\d_]")
_DECLARED = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def decode_document(data: bytes, declared: str | None) -> str:
    """The text of a fetched body; raises ParseError when it is not text."""
    if (
        declared
        or _DECLARED.search(data[:4096])
        or data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"))
    ):
        return decode_bytes(data, declared)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    persian = data.decode("cp1256", errors="replace")
    letters = _LETTER.findall(persian[:20_000])
    if letters and len(_ARABIC.findall(persian[:20_000])) >= 0.5 * len(letters):
        return persian
    return decode_bytes(data, None)


__all__ = ["ParseError", "decode_document"]
