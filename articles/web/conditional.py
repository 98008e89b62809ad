"""Conditional GET for feeds and other cacheable answers: ETag, Last-Modified, 304.

The validators are computed from what the answer is made of (the items' ids and `updated_at`
plus everything else that shapes the body: title, parameters, format), so an edited, hidden or
newly published article changes the ETag, while repeating the same request does not.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import datetime

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag

FEED_MAX_AGE = 300


def etag_for(parts: Iterable[object]) -> str:
    """A strong, quoted ETag over the string forms of `parts`, in order."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(str(part).encode("utf-8"))
        digest.update(b"\x1f")
    return quote_etag(digest.hexdigest()[:32])


def newest(stamps: Iterable[datetime | None]) -> datetime | None:
    present = [stamp for stamp in stamps if stamp is not None]
    return max(present) if present else None


def conditional_response(
    request: HttpRequest,
    *,
    etag: str,
    last_modified: datetime | None,
    build: Callable[[], HttpResponse],
    max_age: int = FEED_MAX_AGE,
) -> HttpResponse:
    """Answer 304 when the client's copy is current, otherwise the response from `build()`.

    Both answers carry the same validators and `Cache-Control: public, max-age=…`.
    """
    timestamp = int(last_modified.timestamp()) if last_modified else None
    response = get_conditional_response(request, etag=etag, last_modified=timestamp)
    if response is None:
        response = build()
    if 200 <= response.status_code < 300 or response.status_code == 304:
        response.headers["ETag"] = etag
        if timestamp is not None:
            response.headers["Last-Modified"] = http_date(timestamp)
        elif "Last-Modified" in response.headers:
            del response.headers["Last-Modified"]
        patch_cache_control(response, public=True, max_age=max_age)
    return response
