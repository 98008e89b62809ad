"""The evidence: every fetched response kept as WARC records (with warcio).

Layout: ``<NEWSARCHIVE_WARC_DIR>/source-<id>/<YYYY-MM-DD>[-n].warc.gz``, one file per source
and day (a new ``-n`` file once one passes ``NEWSARCHIVE_WARC_FILE_BYTES``), each record its
own gzip member so a record can be read back from its offset alone. Each exchange is a
``request`` record and a ``response`` record carrying the HTTP status line, the headers as
received and the body as received (compressed bodies stay compressed), with ``WARC-Date``
the fetch time. A body cut at the size cap is marked ``WARC-Truncated: length``.

Storage is bounded: bodies are capped by the fetch limits, and once the whole folder passes
``NEWSARCHIVE_WARC_MAX_BYTES`` the oldest day files are deleted (their captures marked pruned).
"""

from __future__ import annotations

import io
import re
import threading
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from .http import HarvestError, Limits, Response, decompress

_DAY_FILE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:-\d+)?\.warc\.gz$")
_HOP_BY_HOP = {"transfer-encoding", "connection", "keep-alive"}


@dataclass
class WarcRef:
    path: str  # relative to the WARC folder
    offset: int
    length: int
    record_id: str
    url: str
    status: int
    content_type: str
    fetched_at: datetime
    kind: str


def warc_root() -> Path:
    root = getattr(settings, "NEWSARCHIVE_WARC_DIR", None) or Path(settings.DATA_DIR) / "warc"
    return Path(root)


class WarcStore:
    def __init__(self, root: Path | None = None, *, file_bytes: int | None = None) -> None:
        self.root = root or warc_root()
        self.file_bytes = file_bytes or getattr(
            settings, "NEWSARCHIVE_WARC_FILE_BYTES", 512 * 1024 * 1024
        )
        self._lock = threading.Lock()

    def _file_for(self, source_id: int, day: date) -> Path:
        folder = self.root / f"source-{source_id}"
        folder.mkdir(parents=True, exist_ok=True)
        stem, n = day.isoformat(), 1
        path = folder / f"{stem}.warc.gz"
        while path.exists() and path.stat().st_size >= self.file_bytes:
            n += 1
            path = folder / f"{stem}-{n}.warc.gz"
        return path

    def write(self, source_id: int, response: Response, kind: str) -> WarcRef:
        """Append the request and response records of one exchange; returns the response's."""
        iso = datetime_to_iso_date(response.fetched_at)
        with self._lock:
            path = self._file_for(source_id, response.fetched_at.date())
            with path.open("ab") as handle:
                writer = WARCWriter(handle, gzip=True)
                if handle.tell() == 0:
                    info = writer.create_warcinfo_record(
                        path.name, {"software": "newsarchive harvester", "format": "WARC 1.1"}
                    )
                    writer.write_record(info)
                http_headers = StatusAndHeaders(
                    f"{response.status} {response.reason}".strip(),
                    [(k, v) for k, v in response.headers if k.lower() not in _HOP_BY_HOP],
                    protocol="HTTP/1.1",
                )
                warc_headers = {"WARC-Date": iso, "WARC-Harvest-Kind": kind}
                if response.truncated:
                    warc_headers["WARC-Truncated"] = response.truncated
                record = writer.create_warc_record(
                    response.url,
                    "response",
                    payload=io.BytesIO(response.wire),
                    length=len(response.wire),
                    http_headers=http_headers,
                    warc_headers_dict=warc_headers,
                )
                record_id = record.rec_headers.get_header("WARC-Record-ID")
                path_part = response.url.split("/", 3)[3] if response.url.count("/") >= 3 else ""
                request = writer.create_warc_record(
                    response.url,
                    "request",
                    payload=io.BytesIO(b""),
                    length=0,
                    http_headers=StatusAndHeaders(
                        f"GET /{path_part} HTTP/1.1",
                        response.request_headers,
                        is_http_request=True,
                    ),
                    warc_headers_dict={"WARC-Date": iso, "WARC-Concurrent-To": record_id},
                )
                offset = handle.tell()
                writer.write_record(record)
                length = handle.tell() - offset
                writer.write_record(request)
        return WarcRef(
            path=str(path.relative_to(self.root)),
            offset=offset,
            length=length,
            record_id=record_id,
            url=response.url,
            status=response.status,
            content_type=response.content_type[:200],
            fetched_at=response.fetched_at,
            kind=kind,
        )


@dataclass
class StoredResponse:
    record_id: str
    url: str
    date: str
    status_line: str
    headers: list[tuple[str, str]]
    body: bytes  # decompressed, capped


def read_record(path: str, offset: int, *, root: Path | None = None) -> StoredResponse:
    """The response record at ``offset`` in ``path`` (relative to the WARC folder)."""
    base = (root or warc_root()).resolve()
    full = (base / path).resolve()
    if base not in full.parents:
        raise FileNotFoundError(path)
    with full.open("rb") as handle:
        handle.seek(offset)
        for record in ArchiveIterator(handle):
            wire = record.raw_stream.read(Limits().max_bytes + 1)
            encoding = record.http_headers.get_header("Content-Encoding") or ""
            try:
                body = decompress(wire, encoding, Limits())
            except HarvestError:
                body = wire
            return StoredResponse(
                record_id=record.rec_headers.get_header("WARC-Record-ID"),
                url=record.rec_headers.get_header("WARC-Target-URI"),
                date=record.rec_headers.get_header("WARC-Date"),
                status_line=record.http_headers.statusline,
                headers=list(record.http_headers.headers),
                body=body,
            )
    raise FileNotFoundError(f"{path}@{offset}")


def day_files(source_id: int, *, start: date, end: date, root: Path | None = None) -> list[Path]:
    """The source's WARC files for the days from ``start`` to ``end`` inclusive, in order."""
    folder = (root or warc_root()) / f"source-{source_id}"
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = _DAY_FILE.match(path.name)
        if match and start.isoformat() <= match.group(1) <= end.isoformat():
            found.append(path)
    return sorted(found, key=lambda p: (p.name[:10], len(p.name), p.name))


def export(files: list[Path], output) -> int:
    """Concatenate WARC files (gzip members join into one valid WARC); returns bytes written."""
    written = 0
    for path in files:
        with path.open("rb") as handle:
            while chunk := handle.read(1024 * 1024):
                output.write(chunk)
                written += len(chunk)
    return written


def prune(*, max_bytes: int, root: Path | None = None) -> list[str]:
    """Delete the oldest day files until the folder holds at most ``max_bytes``; returns the
    relative paths removed."""
    base = root or warc_root()
    if not base.is_dir():
        return []
    files = [p for p in base.glob("source-*/*.warc.gz") if _DAY_FILE.match(p.name)]
    total = sum(p.stat().st_size for p in files)
    removed: list[str] = []
    for path in sorted(files, key=lambda p: (p.name[:10], p.stat().st_mtime)):
        if total <= max_bytes:
            break
        total -= path.stat().st_size
        path.unlink()
        removed.append(str(path.relative_to(base)))
    return removed
