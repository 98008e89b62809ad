"""robots.txt, fetched once per host and round through the same polite gate.

A missing robots.txt (4xx) allows everything; one that cannot be fetched (5xx, timeout)
disallows the host for this round, as RFC 9309 asks. ``Crawl-delay`` lengthens the host's
politeness delay.
"""

from __future__ import annotations

import threading
import urllib.robotparser
from collections.abc import Callable
from urllib.parse import urlsplit

from .http import USER_AGENT, HarvestError, HostGate, Limits, Response, fetch, host_of

ROBOTS_MAX_BYTES = 500 * 1024


class RobotsCache:
    def __init__(self, *, gate: HostGate, limits: Limits) -> None:
        self.gate = gate
        self.limits = Limits(
            timeout=limits.timeout, max_bytes=ROBOTS_MAX_BYTES, max_decoded_bytes=ROBOTS_MAX_BYTES
        )
        self._lock = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self._rules: dict[str, urllib.robotparser.RobotFileParser | str] = {}

    def allowed(self, url: str, *, on_response: Callable[[Response], None] | None = None) -> str:
        """ "" when ``url`` may be fetched, else the reason it may not."""
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            host_lock = self._locks.setdefault(key, threading.Lock())
        with host_lock:  # one fetch of robots.txt per host, however many threads ask
            rules = self._rules.get(key)
            if rules is None:
                rules = self._rules[key] = self._load(key, on_response)
        if isinstance(rules, str):
            return rules
        if not rules.can_fetch(USER_AGENT, url):
            return "disallowed by robots.txt"
        return ""

    def _load(
        self, base: str, on_response: Callable[[Response], None] | None
    ) -> urllib.robotparser.RobotFileParser | str:
        parser = urllib.robotparser.RobotFileParser(f"{base}/robots.txt")
        try:
            response = fetch(
                f"{base}/robots.txt", gate=self.gate, limits=self.limits, on_response=on_response
            )
        except HarvestError as error:
            if error.status is not None and 400 <= error.status < 500:
                parser.parse([])
                return parser
            return f"robots.txt unavailable ({error.reason}); host skipped this round"
        parser.parse(response.body.decode("utf-8", errors="replace").splitlines())
        delay = parser.crawl_delay(USER_AGENT)
        if delay:
            self.gate.crawl_delay[host_of(base)] = min(float(delay), 60.0)
        return parser
