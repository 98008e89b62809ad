"""Shared fixtures. Every test run gets its own data directory (database and search index)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"

_RUN_DATA = Path(tempfile.mkdtemp(prefix="newsarchive-test-"))
os.environ["NEWSARCHIVE_DATA_DIR"] = str(_RUN_DATA)


def pytest_sessionfinish(session, exitstatus) -> None:
    shutil.rmtree(_RUN_DATA, ignore_errors=True)


def needs_shared(*parts: str) -> pytest.MarkDecorator:
    path = SHARED.joinpath(*parts)
    return pytest.mark.skipif(not path.exists(), reason=f"{path} is absent")


@pytest.fixture
def search_index(settings, tmp_path):
    """A real, empty Whoosh index in a temporary folder, used by the app for this test."""
    from haystack import connections

    settings.HAYSTACK_CONNECTIONS = {
        "default": {
            "ENGINE": settings.HAYSTACK_CONNECTIONS["default"]["ENGINE"],
            "PATH": str(tmp_path / "whoosh_index"),
        }
    }
    connections.connections_info = settings.HAYSTACK_CONNECTIONS
    for alias in list(connections.connections_info):
        try:
            del connections[alias]
        except (KeyError, AttributeError, TypeError):  # the handler has no item deletion
            pass
    connections.reload("default")
    yield connections["default"]
    connections.reload("default")


@pytest.fixture(autouse=True)
def default_language():
    """Requests activate their URL's language in the test thread; start every test from the
    default language so no test depends on the one before it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def background_work_ends_with_its_test():
    """A test's background threads (index catch-up, re-tagging) finish before the next test
    starts, so none of them writes into the next test's database."""
    yield
    from tests.factories import background_work_done

    background_work_done()


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached aggregations and rate-limit counters never leak from one test to the next."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def staff_client(client):
    """The test client logged in as a superuser (a curator in the admin)."""
    user = get_user_model().objects.create_superuser("curator", "c@example.org", "pw-secret-123")
    client.force_login(user)
    return client
