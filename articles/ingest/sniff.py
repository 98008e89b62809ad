"""Format sniffing and byte decoding, before any parser sees the input."""

from __future__ import annotations

import codecs
import json
import re

from charset_normalizer import from_bytes

from .errors import ParseError

GZIP_MAGIC = b"\x1f\x8b"
SNIFF_BYTES = 65_536
_BINARY_MAGIC = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (or an Office document)",
    b"\x7fELF": "an executable",
    b"BZh": "a bzip2 archive",
    b"\xfd7zXZ": "an xz archive",
}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-.]+)""", re.I)
_FEED_ROOT = re.compile(r"<(?:rss|feed|rdf:RDF|rdf)[\s>]", re.I)
_HTML_START = re.compile(r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.I)
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*[\s>/]")


def binary_reason(data: bytes) -> str | None:
    """Why ``data`` is not text (a known magic number, NUL bytes), or None if it may be."""
    head = data[:SNIFF_BYTES]
    for magic, what in _BINARY_MAGIC.items():
        if head.startswith(magic):
            return f"binary input: {what}"
    if head.startswith(GZIP_MAGIC):
        return None
    if any(head.startswith(bom) for bom, _ in _BOMS[1:]):
        return None
    if b"\x00" in head:
        return "binary input: contains NUL bytes"
    return None


def decode_bytes(data: bytes, declared: str | None = None, *, origin: str = "") -> str:
    """Decode with a BOM, else the declared charset (header, <meta>, <?xml?>), else UTF-8,
    else charset-normalizer's guess. Raises ParseError for input that is not text."""
    reason = binary_reason(data)
    if reason:
        raise ParseError(origin, reason)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    candidates = [declared] if declared else []
    head = data[:4096]
    for pattern in (_META_CHARSET, _XML_ENCODING):
        match = pattern.search(head)
        if match:
            candidates.append(match.group(1).decode("ascii", "ignore"))
    for encoding in candidates:
        try:
            codec = codecs.lookup(encoding.strip())
        except LookupError:
            continue
        try:
            return data.decode(codec.name)
        except UnicodeDecodeError:
            continue  # a wrong declaration is common: fall through to detection
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[:200_000]).best()
    if best is None or best.encoding is None:
        raise ParseError(origin, "undecodable input: no text encoding fits")
    text = data.decode(best.encoding, errors="replace")
    if _control_ratio(text[:20_000]) > 0.05:
        raise ParseError(origin, "binary input: too many control characters")
    return text


def sniff_text(text: str) -> str:
    """``jsonl`` | ``feed`` | ``html`` | ``json`` | ``text`` for decoded text."""
    head = text[:SNIFF_BYTES].lstrip("\ufeff \t\r\n")
    first_line = head.split("\n", 1)[0].strip()
    if first_line.startswith("{"):
        if "\n" not in head:
            return "jsonl"  # one line longer than the sniffing window
        try:
            if isinstance(json.loads(first_line), dict):
                return "jsonl"
        except ValueError:
            pass
    if head.startswith(("{", "[")):
        return "json"
    xmlish = head[:2048]
    if _FEED_ROOT.search(xmlish) and not _HTML_START.search(xmlish):
        return "feed"
    if _HTML_START.search(head[:4096]):
        return "html"
    if len(_TAG.findall(head[:8192])) >= 10:
        return "html"
    return "text"


def _control_ratio(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(1 for ch in text if ch < " " and ch not in "\t\r\n\f")
    return bad / len(text)
