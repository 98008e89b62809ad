"""gunicorn settings for newsarchive (production: `make serve`).

The application, the URL configuration (every view module) and the search backend's modules
are loaded once in the master process before it forks the workers (`preload_app`), and the
master's heap is then frozen out of the garbage collector's reach (`gc.freeze()`), so the
workers share those pages instead of each holding a private copy. The search index needs no
preloading: its segment files are memory-mapped and read in place by every worker
(`articles.search.whoosh.mapped`). `NEWSARCHIVE_PRELOAD=false` loads the app in each worker.
"""

import multiprocessing
import os

bind = os.environ.get("NEWSARCHIVE_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("NEWSARCHIVE_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("NEWSARCHIVE_THREADS", "2"))
worker_class = "gthread"
preload_app = os.environ.get("NEWSARCHIVE_PRELOAD", "true").lower() not in {"0", "false", "no"}
timeout = int(os.environ.get("NEWSARCHIVE_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("NEWSARCHIVE_LOG_LEVEL", "info").lower()
wsgi_app = "newsarchive.wsgi:application"
settings_module = os.environ.get("DJANGO_SETTINGS_MODULE", "newsarchive.settings.prod")
raw_env = [f"DJANGO_SETTINGS_MODULE={settings_module}"]


def when_ready(server) -> None:
    """In the master, before the first fork: load what every worker loads on its first
    request, then freeze the heap so that the workers' collections leave its pages shared."""
    if not preload_app:
        return
    import gc

    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports every view module)
    import articles.search.whoosh.backend  # noqa: F401

    gc.collect()
    gc.freeze()
