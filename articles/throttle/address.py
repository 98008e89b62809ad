"""The client's address, as the rate limits and the login lockout key on it.

Behind a reverse proxy every request comes from the proxy (`REMOTE_ADDR`), so keying on it puts
all visitors in one bucket. `NEWSARCHIVE_TRUSTED_PROXIES` says how many proxies stand in front
of the app; each appends the address it received the request from to `X-Forwarded-For`, so the
client is the entry that many places from the right. Entries further left were written by the
client and are never trusted (a visitor cannot choose their bucket by sending the header).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    address = address.strip()
    if address.startswith("[") and "]" in address:  # "[2001:db8::1]:443"
        address = address[1 : address.index("]")]
    elif address.count(":") == 1:  # "203.0.113.7:51234"
        address = address.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    """The address of the client that sent `request` (see the module's docstring)."""
    remote = request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104 - a unix socket
    trusted = int(getattr(settings, "NEWSARCHIVE_TRUSTED_PROXIES", 0) or 0)
    if trusted <= 0:
        return remote
    forwarded = [
        part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if len(forwarded) < trusted:  # the request skipped a proxy: the header is the client's
        return remote
    return _valid(forwarded[-trusted]) or remote
