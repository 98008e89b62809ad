"""gunicorn settings for newsarchive (production: `make serve`)."""

import multiprocessing
import os

bind = os.environ.get("NEWSARCHIVE_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("NEWSARCHIVE_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("NEWSARCHIVE_THREADS", "2"))
worker_class = "gthread"
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
