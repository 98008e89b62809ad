"""Admin login throttling: a lockout per account and per client address.

Failed sign-ins are counted in the counters cache (atomic across workers) for the account
named and for the client's address (articles/throttle/address.py). Past either limit, sign-in
is refused, even with the right password, until the lockout period has passed since the first
counted failure; the form says so, and the refusal is logged. A successful sign-in clears the
account's count.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import ngettext

from articles.text.calendar import local_digits
from articles.throttle.address import client_address

logger = logging.getLogger("newsarchive.security")


def _limits() -> tuple[int, int, int]:
    return (
        int(getattr(settings, "NEWSARCHIVE_LOGIN_ACCOUNT_ATTEMPTS", 5)),
        int(getattr(settings, "NEWSARCHIVE_LOGIN_CLIENT_ATTEMPTS", 20)),
        int(getattr(settings, "NEWSARCHIVE_LOGIN_LOCKOUT_SECONDS", 900)),
    )


def _key(kind: str, value: str) -> str:
    # Hashed: user names may hold characters a cache key cannot (memcached forbids spaces).
    return f"login:{kind}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"


class LoginGuard:
    def __init__(self, request: HttpRequest | None, username: str) -> None:
        self.username = (username or "").strip().casefold()
        self.client = client_address(request) if request is not None else "?"
        self.cache = caches[getattr(settings, "RATELIMIT_USE_CACHE", "default")]
        self.account_key = _key("account", self.username)
        self.client_key = _key("client", self.client)

    def _count(self, key: str) -> int:
        return int(self.cache.get(key) or 0)

    def locked(self) -> bool:
        account_limit, client_limit, _seconds = _limits()
        return (
            self._count(self.account_key) >= account_limit
            or self._count(self.client_key) >= client_limit
        )

    def failed(self) -> None:
        _account, _client, seconds = _limits()
        for key in (self.account_key, self.client_key):
            if not self.cache.add(key, 1, seconds):
                try:
                    self.cache.incr(key)
                except ValueError:  # expired between the two calls
                    self.cache.add(key, 1, seconds)
        if self.locked():
            logger.warning(
                "admin sign-in locked for account %r and client %s",
                self.username, self.client,
                extra={"account": self.username, "client": self.client},
            )  # fmt: skip

    def succeeded(self) -> None:
        self.cache.delete(self.account_key)

    def message(self) -> str:
        minutes = max(1, _limits()[2] // 60)
        text = ngettext(
            "Too many failed sign-in attempts for this account or from your address. "
            "Sign-in is locked: try again in %(minutes)d minute.",
            "Too many failed sign-in attempts for this account or from your address. "
            "Sign-in is locked: try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}
        return local_digits(text)


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin's login form with the lockout (installed in `ArticlesConfig.ready`)."""

    def clean(self):
        guard = LoginGuard(self.request, self.cleaned_data.get("username") or "")
        if guard.locked():
            logger.warning(
                "admin sign-in refused (locked) for account %r from %s",
                guard.username, guard.client,
                extra={"account": guard.username, "client": guard.client},
            )  # fmt: skip
            raise ValidationError(guard.message(), code="locked")
        try:
            cleaned = super().clean()
        except ValidationError as error:
            if any(getattr(e, "code", "") == "invalid_login" for e in error.error_list):
                guard.failed()
            raise
        guard.succeeded()
        return cleaned
