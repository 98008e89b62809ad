"""Settings shared by every environment, read from the environment with safe defaults.

`DJANGO_*` variables configure Django itself, `NEWSARCHIVE_*` the archive. `.env.example`
lists every one of them.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEVELOPMENT_SECRET_KEY = "django-insecure-newsarchive-development-key-do-not-use-in-production"

# One folder holds the SQLite database, the Whoosh index and the index queue, so two
# archives can live side by side by pointing this at two folders.
DATA_DIR = Path(os.environ.get("NEWSARCHIVE_DATA_DIR") or BASE_DIR / "data").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or DEVELOPMENT_SECRET_KEY
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Before haystack, so our rebuild_index/update_index/clear_index commands take precedence.
    "articles",
    "haystack",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "articles.web.middleware.RateLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

# Content Security Policy: no inline or third-party script anywhere (imported article HTML is
# untrusted); images of article bodies may come from any https/http host.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "https:", "http:", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Per-client limits on the expensive endpoints (articles/web/middleware.py), counted in the cache.
RATELIMIT_ENABLE = env_bool("NEWSARCHIVE_RATELIMIT", True)
NEWSARCHIVE_RATE_LIMITS = {
    "search": os.environ.get("NEWSARCHIVE_RATE_SEARCH", "120/m"),
    "feeds": os.environ.get("NEWSARCHIVE_RATE_FEEDS", "120/m"),
    "exports": os.environ.get("NEWSARCHIVE_RATE_EXPORTS", "20/m"),
}

# Behind a reverse proxy: how many proxies append to X-Forwarded-For (articles/throttle/
# address.py); 0 trusts no header and keys on the connection's address.
NEWSARCHIVE_TRUSTED_PROXIES = int(os.environ.get("NEWSARCHIVE_TRUSTED_PROXIES", "0"))
RATELIMIT_IP_META_KEY = "articles.throttle.address.client_address"
RATELIMIT_USE_CACHE = "counters"
# Admin sign-in lockout (articles/throttle/login.py): failures allowed per account and per
# client address within the lockout period, after which sign-in is refused until it ends.
NEWSARCHIVE_LOGIN_ACCOUNT_ATTEMPTS = int(os.environ.get("NEWSARCHIVE_LOGIN_ACCOUNT_ATTEMPTS", "5"))
NEWSARCHIVE_LOGIN_CLIENT_ATTEMPTS = int(os.environ.get("NEWSARCHIVE_LOGIN_CLIENT_ATTEMPTS", "20"))
NEWSARCHIVE_LOGIN_LOCKOUT_SECONDS = int(os.environ.get("NEWSARCHIVE_LOGIN_LOCKOUT_SECONDS", "900"))

ROOT_URLCONF = "newsarchive.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "newsarchive.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{DATA_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "0")),
    )
}
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env_bool("DJANGO_CONN_HEALTH_CHECKS", True)
# Behind pgbouncer in transaction mode, server-side cursors (QuerySet.iterator()) break.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool(
    "DJANGO_DISABLE_SERVER_SIDE_CURSORS", False
)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while an import writes; the timeout rides out short write locks.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("fa", "فارسی"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("NEWSARCHIVE_TIME_ZONE", "Asia/Kabul")
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

from articles.throttle.config import counter_cache  # noqa: E402

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "newsarchive",
    },
    # Rate-limit and login-lockout counters: atomic across processes (see the config module).
    "counters": counter_cache(
        os.environ.get("NEWSARCHIVE_RATELIMIT_CACHE_URL", ""), data_dir=DATA_DIR
    ),
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# Search. The embedded default is Whoosh under DATA_DIR with our own Persian/English analysis;
# NEWSARCHIVE_SEARCH_URL switches to a distributed engine (see articles/search/connections.py).
WHOOSH_INDEX_PATH = DATA_DIR / "whoosh_index"
from articles.search.connections import haystack_connections  # noqa: E402

HAYSTACK_CONNECTIONS = haystack_connections(
    os.environ.get("NEWSARCHIVE_SEARCH_URL", ""), whoosh_path=WHOOSH_INDEX_PATH
)
HAYSTACK_LIMIT_TO_REGISTERED_MODELS = False
HAYSTACK_SIGNAL_PROCESSOR = "articles.search.sync.signals.QueuedSignalProcessor"
HAYSTACK_SEARCH_RESULTS_PER_PAGE = 20
# The queue of pending index updates lives in the database; one worker applies them.
NEWSARCHIVE_INDEX_SYNC = env_bool("NEWSARCHIVE_INDEX_SYNC", True)

# Harvesting (docs/harvesting.md): politeness, caps, alerts and the WARC evidence.
NEWSARCHIVE_HARVEST = {
    "delay": float(os.environ.get("NEWSARCHIVE_HARVEST_DELAY", "2")),
    "workers": int(os.environ.get("NEWSARCHIVE_HARVEST_WORKERS", "8")),
}
NEWSARCHIVE_HARVEST_SILENT_DAYS = int(os.environ.get("NEWSARCHIVE_HARVEST_SILENT_DAYS", "3"))
NEWSARCHIVE_HARVEST_NEARDUP_DAYS = int(os.environ.get("NEWSARCHIVE_HARVEST_NEARDUP_DAYS", "30"))
NEWSARCHIVE_WARC_DIR = Path(os.environ.get("NEWSARCHIVE_WARC_DIR") or DATA_DIR / "warc")
NEWSARCHIVE_WARC_MAX_BYTES = int(float(os.environ.get("NEWSARCHIVE_WARC_MAX_GB", "50")) * 1024**3)
NEWSARCHIVE_ALERTS_FEED_KEY = os.environ.get("NEWSARCHIVE_ALERTS_FEED_KEY", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("NEWSARCHIVE_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

LANGUAGE_NAMES = {"fa": _("Persian"), "en": _("English")}
