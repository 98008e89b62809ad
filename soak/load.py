"""Load: gunicorn with the production settings on loopback, serving a large archive, and
locust (headless, a fixed number of users for a fixed time, then it stops by itself) mixing
searches, article pages and feeds. Rate limits are raised for the run (one client address)."""

from __future__ import annotations

import csv
import os
import secrets
import subprocess
import time
import urllib.request
from pathlib import Path

from soak.common import PYTHON, ROOT, environment, manage, script

IDS = """
import json, random
from articles.models import Article
from django.utils.translation import override
ids = list(Article.objects.published().values_list("pk", flat=True))
sample = random.Random(1).sample(ids, min(2000, len(ids)))
with override("en"):
    paths = [a.get_absolute_url() for a in Article.objects.filter(pk__in=sample).only("slug")]
print(json.dumps({"count": len(ids), "paths": paths}))
"""


def _env(data_dir: Path) -> dict:
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
    return {
        "DJANGO_SECRET_KEY": key_file.read_text().strip(),
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_STATIC_ROOT": str(data_dir / "static"),
        "NEWSARCHIVE_RATE_SEARCH": "1000000/m",
        "NEWSARCHIVE_RATE_FEEDS": "1000000/m",
        "NEWSARCHIVE_RATE_EXPORTS": "1000000/m",
        "NEWSARCHIVE_LOG_LEVEL": "WARNING",
        "NEWSARCHIVE_INDEX_SYNC": "false",
    }


def run_load(
    data_dir: Path, *, users: int = 50, seconds: int = 60, workers: int = 4, port: int = 8765,
    log=print,
) -> dict:  # fmt: skip
    settings = "newsarchive.settings.prod"
    extra = _env(data_dir)
    manage(data_dir, "migrate", "--noinput", settings=settings, **extra)
    manage(data_dir, "collectstatic", "--noinput", "-v", "0", settings=settings, **extra)
    ids = script(data_dir, IDS, settings=settings, **extra)
    log(f"archive: {ids['count']} published articles")
    env = environment(data_dir, settings, NEWSARCHIVE_BIND=f"127.0.0.1:{port}",
                      NEWSARCHIVE_WORKERS=str(workers), **extra)  # fmt: skip
    gunicorn = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "-c", "gunicorn.conf.py"], cwd=ROOT, env=env,
        stdout=open(data_dir / "gunicorn.log", "w"), stderr=subprocess.STDOUT,  # noqa: SIM115
    )  # fmt: skip
    host = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{host}/healthz", timeout=120)
        for path in ("/en/search/?q=Kabul", "/fa/search/?q=%DA%A9%D8%A7%D8%A8%D9%84"):
            urllib.request.urlopen(host + path, timeout=120).read()  # warm the searchers
        prefix = data_dir / "locust"
        paths_file = data_dir / "article_paths.txt"
        paths_file.write_text("\n".join(ids["paths"]))
        locust_env = {**os.environ, "SOAK_ARTICLE_PATHS": str(paths_file)}
        started = time.monotonic()
        subprocess.run(
            [str(Path(PYTHON).parent / "locust"), "-f", str(ROOT / "soak" / "locustfile.py"),
             "--headless", "-u", str(users), "-r", str(max(1, users // 5)), "-t", f"{seconds}s",
             "--host", host, "--csv", str(prefix), "--only-summary", "--stop-timeout", "10"],
            env=locust_env, cwd=ROOT, capture_output=True, text=True, timeout=seconds + 300,
        )  # fmt: skip
        wall = time.monotonic() - started
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=60)
    stats = _stats(Path(f"{prefix}_stats.csv"))
    stats.update({"users": users, "seconds": seconds, "wall_s": round(wall, 1),
                  "gunicorn_workers": workers, "archive_articles": ids["count"]})  # fmt: skip
    return stats


def _wait_for(url: str, *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=10).read()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def _stats(path: Path) -> dict:
    rows = list(csv.DictReader(path.open()))
    by_name = {}
    for row in rows:
        by_name[row["Name"]] = {
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "p50_ms": float(row["50%"] or 0),
            "p95_ms": float(row["95%"] or 0),
            "rps": round(float(row["Requests/s"]), 1),
        }
    total = by_name.pop("Aggregated", {})
    return {"total": total, "endpoints": by_name}
