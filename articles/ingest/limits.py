"""Size limits on what an import reads into memory, whatever the input claims.

A small gzip file can inflate to gigabytes and a JSON Lines file can hold one enormous line;
both are read in bounded steps, and an input over a limit becomes a ParseError that says
"too large" and names the limit (never a misleading complaint about its content).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import IO

MAX_PAGE_BYTES = 50 * 1024 * 1024  # one page or feed, read whole (after decompression)
MAX_RECORD_CHARS = 16 * 1024 * 1024  # one JSON Lines record (a long article is ~100 kB)
_CHUNK = 1024 * 1024


class TooLarge(ValueError):
    def __init__(self, what: str, limit: int, unit: str = "bytes") -> None:
        self.limit = limit
        super().__init__(f"too large: {what} exceeds the limit of {limit:,} {unit}")


def gunzip(data: bytes, *, limit: int = MAX_PAGE_BYTES) -> bytes:
    """Decompress gzip (or zlib, several members allowed), stopping past `limit` bytes.

    Raises TooLarge past the limit and zlib.error / EOFError on a broken stream.
    """
    out: list[bytes] = []
    size = 0
    while data:
        inflater = zlib.decompressobj(wbits=47)  # gzip or zlib header, detected
        pending = data
        while pending:
            chunk = inflater.decompress(pending, _CHUNK)
            size += len(chunk)
            if size > limit:
                raise TooLarge("the decompressed input", limit)
            out.append(chunk)
            pending = inflater.unconsumed_tail
        if not inflater.eof:
            raise EOFError("compressed data ends early")
        data = inflater.unused_data.lstrip(b"\x00")
    return b"".join(out)


def read_capped(handle: IO[bytes], *, limit: int = MAX_PAGE_BYTES) -> bytes:
    """All of `handle` (a file or a decompressing stream), or TooLarge past `limit` bytes."""
    data = handle.read(limit + 1)
    if len(data) > limit:
        raise TooLarge("the input", limit)
    return data


class OversizedLine(str):
    """Stands in for a line longer than the record limit (its text is not kept)."""

    limit: int = MAX_RECORD_CHARS


def bounded_lines(handle: IO[str], *, limit: int = MAX_RECORD_CHARS) -> Iterator[str]:
    """The lines of a text stream; a line longer than `limit` characters is skipped without
    being held in memory, and an `OversizedLine` takes its place."""
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        if len(line) <= limit or line.endswith("\n") and len(line) == limit + 1:
            yield line
            continue
        while line and not line.endswith("\n"):  # skip the rest of the long line
            line = handle.readline(_CHUNK)
        oversized = OversizedLine("")
        oversized.limit = limit
        yield oversized
