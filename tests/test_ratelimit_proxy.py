"""Rate limits behind a reverse proxy, and counters that stay exact under parallel requests."""

from __future__ import annotations

import multiprocessing
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.test import RequestFactory

from articles.throttle.address import client_address
from articles.throttle.counters import SQLiteCounterCache
from tests.test_deploy import ROOT, prod_env

PROXY = {"REMOTE_ADDR": "127.0.0.1"}


@pytest.fixture
def behind_proxy(settings):
    settings.RATELIMIT_ENABLE = True
    settings.NEWSARCHIVE_RATE_LIMITS = {"search": "3/m", "feeds": "2/m", "exports": "1/m"}
    settings.NEWSARCHIVE_TRUSTED_PROXIES = 1
    return settings


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fa"])
def test_behind_one_proxy_each_forwarded_client_has_its_own_bucket(client, behind_proxy, language):
    url = f"/{language}/search/?q={'kabul' if language == 'en' else 'کابل'}"
    for _ in range(3):
        assert client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.1", **PROXY).status_code == 200
    assert client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.1", **PROXY).status_code == 429
    # Another visitor through the same proxy is not locked out by the first one.
    assert client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.2", **PROXY).status_code == 200


@pytest.mark.django_db
def test_a_client_cannot_pick_its_bucket_by_sending_the_header_itself(client, behind_proxy):
    # nginx appends the address it saw; what the client sent stays to the left and is ignored.
    for forged in ("1.1.1.1", "2.2.2.2", "3.3.3.3"):
        forwarded = f"{forged}, 198.51.100.9"
        assert (
            client.get("/en/search/?q=x", HTTP_X_FORWARDED_FOR=forwarded, **PROXY).status_code
            == 200
        )
    forwarded = "4.4.4.4, 198.51.100.9"
    assert client.get("/en/search/?q=x", HTTP_X_FORWARDED_FOR=forwarded, **PROXY).status_code == 429


@pytest.mark.parametrize(
    ("trusted", "forwarded", "remote", "expected"),
    [
        (0, "203.0.113.5", "127.0.0.1", "127.0.0.1"),  # no proxy trusted: the header is ignored
        (1, "203.0.113.5", "127.0.0.1", "203.0.113.5"),
        (1, "10.9.9.9, 203.0.113.5", "127.0.0.1", "203.0.113.5"),
        (2, "10.9.9.9, 203.0.113.5, 10.0.0.2", "127.0.0.1", "203.0.113.5"),
        (2, "203.0.113.5", "127.0.0.1", "127.0.0.1"),  # fewer hops than proxies: not trusted
        (1, "not-an-address", "127.0.0.1", "127.0.0.1"),
        (1, "[2001:db8::7]:443", "::1", "2001:db8::7"),
        (1, "", "127.0.0.1", "127.0.0.1"),
    ],
)
def test_client_address_counts_trusted_proxies_from_the_right(
    settings, trusted, forwarded, remote, expected
):
    settings.NEWSARCHIVE_TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=remote)
    assert client_address(request) == expected


def _count_in_process(path: str, rounds: int) -> None:
    cache = SQLiteCounterCache(path, {})
    for _ in range(rounds):
        if not cache.add("hits", 1, 60):
            cache.incr("hits")


def test_counter_cache_loses_no_increment_across_threads_and_processes(tmp_path):
    path = str(tmp_path / "counters.sqlite3")
    threads = [threading.Thread(target=_count_in_process, args=(path, 100)) for _ in range(8)]
    processes = [
        multiprocessing.get_context("fork").Process(target=_count_in_process, args=(path, 100))
        for _ in range(4)
    ]
    for worker in [*processes, *threads]:  # fork before any thread holds a connection
        worker.start()
    for worker in [*threads, *processes]:
        worker.join(60)
    assert SQLiteCounterCache(path, {}).get("hits") == 1200


def test_counter_cache_expires_and_keeps_values(tmp_path):
    cache = SQLiteCounterCache(str(tmp_path / "c.sqlite3"), {})
    assert cache.add("k", 1, 60) and not cache.add("k", 5, 60)
    assert cache.incr("k", 4) == 5
    cache.set("gone", 3, 0)
    assert cache.get("gone") is None and cache.add("gone", 1, 60)
    cache.set("text", {"فارسی": [1, 2]})
    assert cache.get("text") == {"فارسی": [1, 2]}
    with pytest.raises(ValueError):
        cache.incr("missing")
    assert cache.delete("k") and not cache.has_key("k")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback, no proxy


def _get(url: str, forwarded: str) -> int:
    request = urllib.request.Request(url, headers={"X-Forwarded-For": forwarded})
    try:
        with _DIRECT.open(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except urllib.error.URLError:  # not listening yet
        return 0


@pytest.mark.slow
def test_parallel_clients_behind_a_proxy_get_exactly_the_limit_under_gunicorn(tmp_path: Path):
    """Production settings, three gunicorn workers, 20 parallel clients: the limit holds."""
    env = prod_env(tmp_path)
    env.update(
        DJANGO_ALLOWED_HOSTS="127.0.0.1", DJANGO_SECURE_SSL_REDIRECT="false",
        NEWSARCHIVE_RATE_FEEDS="40/h", NEWSARCHIVE_TRUSTED_PROXIES="1",
        NEWSARCHIVE_INDEX_SYNC="false", NEWSARCHIVE_WORKERS="3", NEWSARCHIVE_THREADS="4",
    )  # fmt: skip
    for command in (["migrate"], ["collectstatic", "--no-input"]):
        subprocess.run(
            [sys.executable, "manage.py", *command, "-v0"], cwd=ROOT, env=env, check=True,
            timeout=300,
        )  # fmt: skip
    port = _free_port()
    env["NEWSARCHIVE_BIND"] = f"127.0.0.1:{port}"
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "-c", "gunicorn.conf.py"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while _get(f"{base}/healthz", "192.0.2.1") not in (200, 503):
            assert time.monotonic() < deadline and server.poll() is None, "gunicorn did not start"
            time.sleep(0.5)
        url = f"{base}/en/feeds/latest/rss/"
        # One visitor (one forwarded address) on 20 parallel connections, 100 requests.
        with ThreadPoolExecutor(20) as pool:
            statuses = list(pool.map(lambda _n: _get(url, "203.0.113.50"), range(100)))
        assert statuses.count(200) == 40, statuses
        assert statuses.count(429) == 60
        # Another visitor behind the same proxy still gets in.
        assert _get(url, "203.0.113.51") == 200
    finally:
        server.terminate()
        server.wait(30)
