"""Load: gunicorn with the production settings on loopback, serving a large archive, and
locust (headless, a fixed number of users for a fixed time, then it stops by itself) mixing
searches, article pages and feeds. Rate limits are raised for the run (one client address)."""

from __future__ import annotations

import csv
import os
import resource
import secrets
import socket
import subprocess
import time
import urllib.request
from collections.abc import Sequence
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
    data_dir: Path, *, users: int | Sequence[int] = 50, seconds: int = 60, workers: int = 4,
    port: int = 0, log=print,
) -> dict:  # fmt: skip
    """One locust run per number of `users` (10,25,50: a sweep against the same server), each
    for `seconds`. Returns the figures of the last run, with every run under "steps"."""
    counts = [users] if isinstance(users, int) else list(users)
    settings = "newsarchive.settings.prod"
    extra = _env(data_dir)
    manage(data_dir, "migrate", "--noinput", settings=settings, **extra)
    manage(data_dir, "collectstatic", "--noinput", "-v", "0", settings=settings, **extra)
    ids = script(data_dir, IDS, settings=settings, **extra)
    log(f"archive: {ids['count']} published articles")
    port = port or _free_port()
    env = environment(data_dir, settings, NEWSARCHIVE_BIND=f"127.0.0.1:{port}",
                      NEWSARCHIVE_WORKERS=str(workers), **extra)  # fmt: skip
    gunicorn = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "-c", "gunicorn.conf.py"], cwd=ROOT, env=env,
        stdout=open(data_dir / "gunicorn.log", "w"), stderr=subprocess.STDOUT,  # noqa: SIM115
    )  # fmt: skip
    host = f"http://127.0.0.1:{port}"
    steps = []
    try:
        _wait_for(f"{host}/healthz", timeout=120)
        for path in ("/en/search/?q=Kabul", "/fa/search/?q=%DA%A9%D8%A7%D8%A8%D9%84"):
            for _ in range(workers * 2):  # warm the searchers of every worker
                urllib.request.urlopen(host + path, timeout=120).read()
        paths_file = data_dir / "article_paths.txt"
        paths_file.write_text("\n".join(ids["paths"]))
        for count in counts:
            before = workers_cpu(gunicorn.pid)
            steps.append(_locust(data_dir, host, paths_file, count, seconds))
            after = workers_cpu(gunicorn.pid)
            server_cpu = sum(after[pid] - before[pid] for pid in after if pid in before)
            steps[-1]["server_cpu_s"] = round(server_cpu, 1)
            steps[-1]["memory"] = worker_memory(gunicorn.pid)
            steps[-1].update({"gunicorn_workers": workers, "archive_articles": ids["count"]})
            total = steps[-1]["total"]
            log(f"{count} users: {total.get('rps')} req/s, p50 {total.get('p50_ms')} ms, "
                f"p95 {total.get('p95_ms')} ms, {total.get('failures')} failures, "
                f"load {steps[-1]['load']}")  # fmt: skip
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=60)
    return {**steps[-1], "steps": steps}


def _locust(data_dir: Path, host: str, paths_file: Path, users: int, seconds: int) -> dict:
    prefix = data_dir / f"locust-{users}"
    locust_env = {**os.environ, "SOAK_ARTICLE_PATHS": str(paths_file)}
    started, cpu = time.monotonic(), _children_cpu()
    subprocess.run(
        [str(Path(PYTHON).parent / "locust"), "-f", str(ROOT / "soak" / "locustfile.py"),
         "--headless", "-u", str(users), "-r", str(max(1, users // 5)), "-t", f"{seconds}s",
         "--host", host, "--csv", str(prefix), "--only-summary", "--stop-timeout", "10"],
        env=locust_env, cwd=ROOT, capture_output=True, text=True, timeout=seconds + 300,
    )  # fmt: skip
    stats = _stats(Path(f"{prefix}_stats.csv"))
    wall = round(time.monotonic() - started, 1)
    stats.update({"users": users, "seconds": seconds, "wall_s": wall,
                  "locust_cpu_s": round(_children_cpu() - cpu, 1),
                  "load": round(os.getloadavg()[0], 1)})  # fmt: skip
    return stats


def _workers(master: int) -> list[str]:
    try:
        return Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return []


def workers_cpu(master: int) -> dict[str, float]:
    """CPU seconds so far of each gunicorn worker (a worker recycled after `max_requests`
    drops out of the step's sum: the figure is then a floor)."""
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = {}
    for pid in _workers(master):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        cpu[pid] = (int(fields[11]) + int(fields[12])) / ticks
    return cpu


def worker_memory(master: int) -> dict:
    """RSS, PSS and USS (private) in MB of each gunicorn worker (the master's children): the
    index files mapped by every worker count once in PSS, and not at all in USS."""
    workers = []
    for pid in _workers(master):
        values: dict[str, float] = {}
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                parts = line.split()
                if len(parts) >= 2 and parts[1].isdigit():
                    values[parts[0].rstrip(":")] = int(parts[1]) / 1024
        except OSError:
            continue
        private = values.get("Private_Clean", 0.0) + values.get("Private_Dirty", 0.0)
        workers.append({"rss": round(values.get("Rss", 0.0)), "pss": round(values.get("Pss", 0.0)),
                        "uss": round(private)})  # fmt: skip
    return {
        "workers": workers,
        "uss_max": max((w["uss"] for w in workers), default=0),
        "pss_sum": sum(w["pss"] for w in workers),
        "rss_sum": sum(w["rss"] for w in workers),
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


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
