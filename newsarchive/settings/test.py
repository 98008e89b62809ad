"""Tests: fast hashing, locmem cache, a temporary data directory per run (set in conftest)."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
NEWSARCHIVE_INDEX_SYNC = True
# Static files come from the finders; no collectstatic folder is needed in tests.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Rate limits are switched on by the tests that check them.
RATELIMIT_ENABLE = False
