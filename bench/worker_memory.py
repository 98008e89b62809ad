"""Memory of the `make serve` deployment: USS, PSS and RSS of each gunicorn worker after searches.

    python -m bench.worker_memory [--size 20000] [--workers 5] [--queries 200] [--rounds 2]
        [--data-dir DIR]

An archive of `--size` articles (the seeded set of `bench.search_speed`) is loaded and indexed
(`rebuild_index`), or `--data-dir` names one that holds them already. Then gunicorn starts with
the project's `gunicorn.conf.py` and production settings (`--workers` processes, loopback port
chosen by the system), every worker is warmed up by the query set (`/en/search/?q=...`, sent
`--rounds` times from as many threads as there are workers, so that each worker answers a
share of every family), and `psutil.Process.memory_full_info()` is read for each worker:
- USS, memory private to the worker (what one more worker costs; target ≤ 200 MB at 100k);
- PSS, the worker's share of every page counting shared pages divided among their users
  (the sum over workers is what the deployment uses);
- RSS, which counts shared pages (the mapped index files) in full in every worker.
The load average is printed beside the figures.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.common import ROOT, data_dir, log, print_table, require_corpus
from bench.rebuild_speed import load_average, prepare
from bench.search_speed import query_sets

MB = 1024 * 1024


def start_gunicorn(data_dir: Path, workers: int) -> tuple[subprocess.Popen, int]:
    env = {
        **os.environ,
        "NEWSARCHIVE_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "newsarchive.settings.prod",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_STATIC_ROOT": str(data_dir / "static"),
        "NEWSARCHIVE_BIND": "127.0.0.1:0",
        "NEWSARCHIVE_WORKERS": str(workers),
        "NEWSARCHIVE_RATELIMIT": "false",
        "NEWSARCHIVE_LOG_LEVEL": "warning",
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run(
        [*manage, "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "-c", "gunicorn.conf.py", "--log-level", "info"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    lines = []
    for line in server.stderr:
        lines.append(line)
        found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", line)
        if found:
            threading.Thread(target=server.stderr.read, daemon=True).start()  # keep draining
            return server, int(found.group(1))
        if time.monotonic() > deadline:
            break
    server.kill()
    raise RuntimeError("gunicorn did not start:\n" + "".join(lines[-20:]))


def worker_processes(server: subprocess.Popen, workers: int):
    import psutil

    master = psutil.Process(server.pid)
    deadline = time.monotonic() + 60
    while len(master.children()) < workers and time.monotonic() < deadline:
        time.sleep(0.2)
    return master, master.children()


def warm_up(port: int, queries: list[str], workers: int, rounds: int) -> tuple[int, int]:
    ok = failed = 0

    def get(query: str) -> bool:
        url = f"http://127.0.0.1:{port}/en/search/?" + urllib.parse.urlencode({"q": query})
        try:
            with urllib.request.urlopen(url, timeout=120) as response:
                response.read()
                return response.status == 200
        except OSError:
            return False

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for _ in range(rounds):
            for result in pool.map(get, queries):
                ok, failed = ok + result, failed + (not result)
    return ok, failed


def measure(args: argparse.Namespace, data_dir: Path) -> None:
    docs = prepare(data_dir, args.size)
    if not (data_dir / "whoosh_index").exists() or args.rebuild:
        log("  rebuild_index")
        env = {**os.environ, "NEWSARCHIVE_DATA_DIR": str(data_dir)}
        subprocess.run(
            [sys.executable, "manage.py", "rebuild_index", "--noinput", "--no-progress"],
            cwd=ROOT,
            env=env,
            check=True,
        )
    queries, _ranged = query_sets(docs, args.queries)
    server, port = start_gunicorn(data_dir, args.workers)
    try:
        master, workers = worker_processes(server, args.workers)
        load = load_average()
        start = time.perf_counter()
        ok, failed = warm_up(port, queries, args.workers, args.rounds)
        log(f"  {ok} searches answered, {failed} failed, {time.perf_counter() - start:.0f}s")
        rows = []
        totals = {"uss": 0.0, "pss": 0.0, "rss": 0.0}
        for number, process in enumerate([master, *workers]):
            info = process.memory_full_info()
            name = "master" if number == 0 else f"worker {number}"
            rows.append(
                (
                    name,
                    f"{info.uss / MB:.0f}",
                    f"{info.pss / MB:.0f}",
                    f"{info.rss / MB:.0f}",
                    f"{info.shared / MB:.0f}",
                )
            )
            if number:
                for key in totals:
                    totals[key] += getattr(info, key) / MB
        count = len(workers)
        rows.append(
            (
                "workers, mean",
                f"{totals['uss'] / count:.0f}",
                f"{totals['pss'] / count:.0f}",
                f"{totals['rss'] / count:.0f}",
                "",
            )
        )
        rows.append(
            (
                f"{count} workers, sum",
                f"{totals['uss']:.0f}",
                f"{totals['pss']:.0f}",
                f"{totals['rss']:.0f}",
                "",
            )
        )
    finally:
        server.terminate()
        server.wait(30)
    index_mb = sum(p.stat().st_size for p in (data_dir / "whoosh_index").iterdir()) / MB
    print(
        f"\n### {args.size} articles, {args.workers} gunicorn workers "
        f"({ok} searches, load {load} → {load_average()}, index {index_mb:.0f} MB)\n"
    )
    print_table(["process", "USS MB", "PSS MB", "RSS MB", "shared MB"], rows)
    print("\ntarget: USS ≤ 200 MB per worker at 100k articles")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--data-dir", help="keep (or reuse) the archive and its index here")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the index even if present")
    args = parser.parse_args(argv)
    require_corpus()
    with data_dir(args.data_dir) as path:
        measure(args, path)


if __name__ == "__main__":
    main()
