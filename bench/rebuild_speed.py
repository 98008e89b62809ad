"""Rebuild speed: `rebuild_index` as its own process, beside SQLite FTS5 built in the same run.

    python -m bench.rebuild_speed [--size 20000] [--procs 2] [--runs cold,warm]
        [--data-dir DIR] [--profile FILE]

The articles (the seeded set of `bench.search_speed` for that size) go into a temporary
archive database; then for each run `python manage.py rebuild_index --noinput --procs N` is
timed as its own process (wall time, and CPU time of it and its analysing processes):
- `cold`: the analysis cache emptied first (a first rebuild, or one after the analysis
  changed);
- `warm`: the cache left as the previous run filled it (a rebuild after a code change that
  does not touch the analysis);
- `serial`: `--procs 1 --no-analysis-cache`, the single-process path.
FTS5 is built from the same articles in this process. The load average is printed beside
each figure: wall times on a shared machine depend on it, CPU times do not.
`--data-dir` keeps (or reuses) the archive database there instead of a throw-away one;
`--profile FILE` runs the first rebuild under cProfile and prints its top lines.
"""

from __future__ import annotations

import argparse
import os
import pstats
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.common import (
    ROOT,
    data_dir,
    dir_size_mb,
    django_setup,
    load_corpus,
    log,
    print_table,
    require_corpus,
)
from bench.search_speed import build_set

TARGET = 500  # articles per wall second on 2 cores


def load_average() -> str:
    return "/".join(f"{value:.1f}" for value in os.getloadavg())


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def rebuild(data_dir: Path, procs: int, extra: list[str], profile: Path | None) -> dict:
    env = {**os.environ, "NEWSARCHIVE_DATA_DIR": str(data_dir)}
    command = [sys.executable]
    if profile:
        command += ["-m", "cProfile", "-o", str(profile)]
    command += ["manage.py", "rebuild_index", "--noinput", "--no-progress", "--procs", str(procs)]
    load = load_average()
    start, before = time.perf_counter(), children_cpu()
    done = subprocess.run(command + extra, cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    cpu = children_cpu() - before
    if done.returncode:
        raise RuntimeError(f"rebuild_index failed: {done.stderr[-3000:]}")
    log(f"  {done.stdout.strip()} (wall {wall:.1f}s, CPU {cpu:.1f}s, load {load})")
    return {"wall": wall, "cpu": cpu, "load": f"{load} → {load_average()}"}


def prepare(data_dir: Path, size: int) -> list:
    """The article set of this size, loaded into `data_dir`'s database unless it is already."""
    django_setup()
    from articles.models import Article

    docs = build_set(load_corpus(), size)
    if Article.objects.count() != size:
        from bench.engines import load_articles

        start = time.perf_counter()
        load_articles(docs)
        log(f"  database load {time.perf_counter() - start:.0f}s")
    return docs


def run(args: argparse.Namespace, data_dir: Path) -> None:
    from bench.engines import FTS5Engine

    docs = prepare(data_dir, args.size)
    fa = sum(doc.lang == "fa" for doc in docs)
    log(f"{args.size} articles ({fa} fa, {args.size - fa} en), load {load_average()}")
    fts5_path = data_dir / "fts5-rebuild.sqlite3"
    fts5_path.unlink(missing_ok=True)
    engine = FTS5Engine(fts5_path)
    load = load_average()
    start, start_cpu = time.perf_counter(), time.process_time()
    engine.build(docs)
    fts5 = {"wall": time.perf_counter() - start, "cpu": time.process_time() - start_cpu}
    fts5["load"] = f"{load} → {load_average()}"
    engine.close()
    log(f"  fts5: {fts5['wall']:.1f}s wall, {fts5['cpu']:.1f}s CPU")

    rows = [
        (
            "FTS5",
            f"{args.size / fts5['wall']:.0f}",
            f"{args.size / fts5['cpu']:.0f}",
            "1.00",
            fts5["load"],
            f"{dir_size_mb(fts5_path):.0f}",
        )
    ]
    cache = data_dir / "analysis_cache"
    for number, kind in enumerate(args.runs.split(",")):
        profile = Path(args.profile) if args.profile and number == 0 else None
        procs, extra = args.procs, []
        if kind == "cold":
            shutil.rmtree(cache, ignore_errors=True)
        elif kind == "serial":
            procs, extra = 1, ["--no-analysis-cache"]
        elif kind != "warm":
            raise SystemExit(f"unknown run {kind!r}: cold, warm or serial")
        log(f"  ours ({kind}, --procs {procs})")
        t = rebuild(data_dir, procs, extra, profile)
        rate = args.size / t["wall"]
        rows.append(
            (
                f"ours, {kind} (--procs {procs})",
                f"{rate:.0f}",
                f"{args.size / t['cpu']:.0f}",
                f"{(args.size / t['cpu']) / (args.size / fts5['cpu']):.3f}",
                t["load"],
                f"{dir_size_mb(data_dir / 'whoosh_index'):.0f}",
            )
        )
        if profile:
            stats = pstats.Stats(str(profile))
            stats.sort_stats("cumulative").print_stats(25)
            stats.sort_stats("tottime").print_stats(25)
    print(f"\n### rebuild, {args.size} articles\n")
    print_table(
        ["engine", "art/s wall", "art/s CPU", "CPU rate / FTS5", "load 1/5/15 min", "index MB"],
        rows,
    )
    print(f"\ntarget: ours ≥ {TARGET} articles per wall second on 2 cores")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--runs", default="cold,warm")
    parser.add_argument("--data-dir", help="keep (or reuse) the archive here")
    parser.add_argument("--profile", help="cProfile the first rebuild into this file")
    args = parser.parse_args(argv)
    require_corpus()
    with data_dir(args.data_dir) as path:
        run(args, path)


if __name__ == "__main__":
    main()
