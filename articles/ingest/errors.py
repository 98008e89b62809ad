"""Typed errors of the ingest pipeline.

A ``ParseError`` is *yielded* (not raised) by ``iter_records`` for an input that could not be
turned into an article, so one bad item never stops a batch; the management command turns it
into a line of its report.
"""

from __future__ import annotations


class ParseError(Exception):
    """An input (file, line, URL, feed entry) that could not be parsed.

    ``origin`` names where it came from (``path``, ``path:line``, URL) and ``reason`` is one
    human-readable line saying what is wrong.
    """

    def __init__(self, origin: str, reason: str) -> None:
        self.origin = origin
        self.reason = " ".join(str(reason).split()) or "unknown error"
        super().__init__(f"{origin}: {self.reason}")


class FetchError(ParseError):
    """A URL that could not be fetched (network error, HTTP status, size cap, timeout)."""
