"""The growth curve: the same searches at 10k, 100k and 300k articles, FTS5 beside ours.

    python -m bench.growth --sizes 10000,100000,300000 --dir /var/tmp/growth
    python -m bench.growth --sizes 300000 --dir /var/tmp/growth --only build   # start early
    python -m bench.growth --sizes 10000,100000,300000 --dir /var/tmp/growth --only table

Each size is an archive of its own under `--dir` (`<dir>/<size>/`: SQLite database, Whoosh
index, FTS5 file), built by the sets of `bench.search_speed` (a seeded sample of the corpus up
to its 62,838 articles; beyond, the whole corpus plus paragraph-shuffled copies), never inside
the project. A step already done (its JSON written) is skipped, so a long run can be resumed
and the archives reused by `bench.freshness`, `bench.tail_profile` and `python -m soak load`.

- build: the articles bulk-inserted, then `manage.py rebuild_index` timed as its own process
  (wall and CPU seconds, peak RSS), then FTS5 from the same articles;
- search: a fresh process per engine answers one fixed query set at every size (drawn from the
  smallest set, whose articles every larger set holds), top 20 with highlights and facets, then
  date-range searches; its memory is read from /proc: peak RSS, and at the end RSS, PSS and USS
  (private pages; mapped index files shared between workers count in PSS, not in USS);
- table: one Markdown table over the sizes, the per-family p50/p95, and p95 at the largest
  size over p95 at the smallest (target: at most 2x).

Wall times depend on the machine's load (printed as the load average beside each step); CPU
times, of the one-threaded search process and of the rebuild process, do not.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import (
    ROOT,
    dir_size_mb,
    load_corpus,
    log,
    peak_rss_mb,
    percentile,
    print_table,
    require_corpus,
)
from bench.search_speed import Budget, build_set, query_family, query_sets


def loadavg() -> float:
    return round(os.getloadavg()[0], 1)


def memory_now() -> dict[str, float]:
    """RSS, PSS and USS (private clean + dirty) of this process now, and its peak RSS, in MB."""
    values: dict[str, float] = {}
    try:
        with open("/proc/self/smaps_rollup", encoding="ascii") as rollup:
            for line in rollup:
                parts = line.split()
                if len(parts) >= 2 and parts[1].isdigit():
                    values[parts[0].rstrip(":")] = int(parts[1]) / 1024
    except OSError:
        return {"rss_peak": peak_rss_mb()}
    return {
        "rss": round(values.get("Rss", 0.0), 1),
        "pss": round(values.get("Pss", 0.0), 1),
        "uss": round(values.get("Private_Clean", 0.0) + values.get("Private_Dirty", 0.0), 1),
        "rss_peak": round(peak_rss_mb(), 1),
    }


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# --- build (a process per size: Django binds its database when it starts) ------------------------


def build_size(size: int, data: Path, procs: int) -> dict:
    from bench.common import django_setup
    from bench.engines import FTS5Engine, load_articles

    corpus = load_corpus()
    docs = build_set(corpus, size)
    del corpus
    fa = sum(doc.lang == "fa" for doc in docs)
    log(f"[{size}] {fa} fa, {len(docs) - fa} en; loading the database (load {loadavg()})")
    os.environ["NEWSARCHIVE_DATA_DIR"] = str(data)
    django_setup()
    started, cpu = time.perf_counter(), time.process_time()
    load_articles(docs)
    load_s, load_cpu = time.perf_counter() - started, time.process_time() - cpu
    log(f"[{size}] database loaded in {load_s:.0f}s; rebuild_index --procs {procs}")

    env = {**os.environ, "NEWSARCHIVE_DATA_DIR": str(data), "TQDM_MININTERVAL": "30"}
    command = [sys.executable, "manage.py", "rebuild_index", "--noinput", "--procs", str(procs)]
    load_before = loadavg()
    started, cpu = time.perf_counter(), children_cpu()
    done = subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    rebuild_s, rebuild_cpu = time.perf_counter() - started, children_cpu() - cpu
    if done.returncode:
        raise SystemExit(f"rebuild_index failed at {size} (exit {done.returncode})")
    rebuild_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    log(f"[{size}] {done.stdout.strip()} (wall {rebuild_s:.0f}s, CPU {rebuild_cpu:.0f}s)")

    engine = FTS5Engine(data / "fts5.sqlite3")
    started, cpu = time.perf_counter(), time.process_time()
    engine.build(docs)
    fts5_s, fts5_cpu = time.perf_counter() - started, time.process_time() - cpu
    engine.close()
    log(f"[{size}] FTS5 built in {fts5_s:.0f}s")
    return {
        "size": size,
        "fa": fa,
        "en": len(docs) - fa,
        "procs": procs,
        "db_load_s": round(load_s, 1),
        "db_load_cpu": round(load_cpu, 1),
        "rebuild_s": round(rebuild_s, 1),
        "rebuild_cpu": round(rebuild_cpu, 1),
        "rebuild_rss_peak": round(rebuild_rss, 1),
        "rebuild_load": [load_before, loadavg()],
        "rebuild_report": done.stdout.strip(),
        "fts5_s": round(fts5_s, 1),
        "fts5_cpu": round(fts5_cpu, 1),
        "index_mb": round(dir_size_mb(data / "whoosh_index"), 1),
        "fts5_mb": round(dir_size_mb(data / "fts5.sqlite3"), 1),
        "db_mb": round(dir_size_mb(data / "db.sqlite3"), 1),
        "finished": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


# --- search (a fresh process per engine, so its memory is its own) -------------------------------


def search_child(engine: str, spec_path: Path, budget: float) -> dict:
    from bench import search_speed

    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    if engine == "ours":
        timings = search_speed._search_ours(spec["queries"], spec["ranged"], Budget(budget))
    else:
        fts5 = Path(os.environ["NEWSARCHIVE_DATA_DIR"]) / "fts5.sqlite3"
        timings = search_speed._search_fts5(fts5, spec["queries"], spec["ranged"], Budget(budget))
    timings["memory"] = memory_now()
    return timings


def run_search(size: int, data: Path, spec: Path, engine: str, budget: float) -> dict:
    env = {**os.environ, "NEWSARCHIVE_DATA_DIR": str(data)}
    command = [sys.executable, "-m", "bench.growth", "--phase", f"search-{engine}"]
    command += ["--spec", str(spec), "--budget", str(budget)]
    load_before = loadavg()
    started = time.perf_counter()
    out = subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True)
    timings = json.loads(out.stdout.strip().splitlines()[-1])
    timings["load"] = [load_before, loadavg()]
    timings["seconds"] = round(time.perf_counter() - started, 1)
    timings["finished"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    log(
        f"[{size}] {engine}: {len(timings['plain'])} + {len(timings['dated'])} queries, "
        f"p50 {percentile(timings['plain'], 50):.1f} ms, p95 {percentile(timings['plain'], 95):.1f}"
        f" ms (load {load_before} -> {loadavg()})"
    )
    return timings


# --- the table ---------------------------------------------------------------------------------


def _ms(values: list[float]) -> str:
    return f"{percentile(values, 50):.1f} / {percentile(values, 95):.1f}"


def _pair(t: dict, key: str, pct: int) -> str:
    return f"{percentile(t[key], pct):.1f} / {percentile(t[f'{key}_cpu'], pct):.1f}"


def growth_rows(results: dict[int, dict]) -> list[tuple]:
    rows = []
    for size, r in sorted(results.items()):
        b, ours, fts5 = r.get("build", {}), r.get("ours"), r.get("fts5")
        rate = (
            f"{size / b['rebuild_s']:.0f} / {size / b['rebuild_cpu']:.0f}"
            if b.get("rebuild_s")
            else "–"
        )
        memory = (ours or {}).get("memory", {})
        rows.append(
            (
                f"{size:,}",
                rate,
                "/".join(str(x) for x in b.get("rebuild_load", [])) or "–",
                _pair(ours, "plain", 50) if ours else "–",
                _pair(ours, "plain", 95) if ours else "–",
                _ms(ours["dated_cpu"]) if ours else "–",
                "/".join(str(x) for x in ours["load"]) if ours else "–",
                _ms(fts5["plain_cpu"]) if fts5 else "–",
                f"{b['index_mb']:.0f} / {b['fts5_mb']:.0f}" if b else "–",
                f"{b['rebuild_rss_peak']:.0f}" if b else "–",
                (
                    f"{memory.get('rss_peak', 0):.0f} / {memory.get('pss', 0):.0f} / "
                    f"{memory.get('uss', 0):.0f}"
                    if memory
                    else "–"
                ),
            )
        )
    return rows


GROWTH_HEADERS = [
    "articles",
    "rebuild art/s wall / CPU",
    "load avg (rebuild)",
    "ours p50 ms wall / CPU",
    "ours p95 ms wall / CPU",
    "ours date-range p50 / p95 CPU",
    "load avg (search)",
    "FTS5 p50 / p95 CPU",
    "index MB ours / FTS5",
    "rebuild peak RSS MB",
    "search MB peak RSS / PSS / USS",
]


def family_rows(results: dict[int, dict], spec: dict) -> list[tuple]:
    rows = []
    families = spec["families"]
    for name in sorted(set(families)):
        row: list[object] = [name, families.count(name)]
        for _size, r in sorted(results.items()):
            for engine in ("ours", "fts5"):
                t = r.get(engine)
                plain = (t or {}).get("plain_cpu", [])
                times = [ms for f, ms in zip(families, plain, strict=False) if f == name]
                row.append(_ms(times) if times else "–")
        rows.append(tuple(row))
    return rows


def print_tables(results: dict[int, dict], spec: dict) -> None:
    print("\n### Growth: top 20 with highlights and facets (ms; rebuild `--procs` as built)\n")
    print_table(GROWTH_HEADERS, growth_rows(results))
    sizes = sorted(results)
    headers = ["family", "queries"]
    for size in sizes:
        headers += [f"ours {size // 1000}k p50 / p95", f"FTS5 {size // 1000}k p50 / p95"]
    print("\n### CPU ms by query family (the same queries at every size)\n")
    print_table(headers, family_rows(results, spec))
    measured = [s for s in sizes if results[s].get("ours")]
    if len(measured) > 1:
        low, high = results[measured[0]]["ours"], results[measured[-1]]["ours"]
        for key in ("plain", "plain_cpu"):
            growth = percentile(high[key], 95) / percentile(low[key], 95)
            p50 = percentile(high[key], 50) / percentile(low[key], 50)
            what = "CPU" if key.endswith("cpu") else "wall"
            print(
                f"\n{what}: p95 at {measured[-1]:,} / p95 at {measured[0]:,} = {growth:.2f}x, "
                f"p50 {p50:.2f}x (target: p95 at most 2x)"
            )


# --- driver ------------------------------------------------------------------------------------


def make_spec(path: Path, count: int, size: int) -> dict:
    """One query set for every size, drawn from the smallest set (up to the corpus's size a
    sample of it; every set beyond the corpus's size holds the whole corpus)."""
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    docs = build_set(load_corpus(), size)
    queries, ranged = query_sets(docs, count)
    spec = {"queries": queries, "ranged": ranged, "families": [query_family(q) for q in queries]}
    path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    return spec


def _read(path: Path) -> dict | None:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _write(path: Path, value: dict) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")


def run(args: argparse.Namespace) -> None:
    base = args.dir.resolve()
    if base == ROOT or ROOT in base.parents:
        raise SystemExit(f"--dir {base} is inside the project: choose a directory outside it")
    base.mkdir(parents=True, exist_ok=True)
    sizes = [int(value) for value in args.sizes.split(",") if value.strip()]
    spec_path = base / "queries.json"
    spec = make_spec(spec_path, args.queries, min(sizes))
    steps = set(args.only.split(",")) if args.only else {"build", "search", "table"}
    results: dict[int, dict] = {}
    for number, size in enumerate(sizes, start=1):
        data = base / str(size)
        data.mkdir(exist_ok=True)
        build_file = data / "build.json"
        if "build" in steps and not build_file.exists():
            log(f"[{size}] build {number} of {len(sizes)} in {data}")
            command = [sys.executable, "-m", "bench.growth", "--phase", "build"]
            command += ["--size", str(size), "--dir", str(data), "--procs", str(args.procs)]
            subprocess.run(command, cwd=ROOT, check=True)
        results[size] = {"build": _read(build_file) or {}}
        for engine in ("ours", "fts5"):
            out = data / f"search-{engine}.json"
            wanted = engine == "ours" or args.fts5
            if "search" in steps and wanted and build_file.exists() and not out.exists():
                _write(out, run_search(size, data, spec_path, engine, args.budget))
            results[size][engine] = _read(out)
    if "table" in steps:
        print_tables(results, spec)
    log(f"done: archives and figures kept in {base}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,300000")
    parser.add_argument(
        "--dir",
        type=Path,
        default=Path(os.environ.get("NEWSARCHIVE_BENCH_TMP") or tempfile.gettempdir())
        / "newsarchive-growth",
        help="where the archives are built and kept (outside the project)",
    )
    parser.add_argument("--only", default="", help="build,search,table (default: all three)")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--procs", type=int, default=1, help="rebuild_index --procs")
    parser.add_argument("--budget", type=float, default=900, help="seconds per search process")
    parser.add_argument("--no-fts5", dest="fts5", action="store_false")
    parser.add_argument("--phase", choices=["build", "search-ours", "search-fts5"])
    parser.add_argument("--spec", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase == "build":
        _write(args.dir / "build.json", build_size(args.size, args.dir, args.procs))
    elif args.phase:
        print(json.dumps(search_child(args.phase.split("-")[1], args.spec, args.budget)))
    else:
        require_corpus()
        run(args)


if __name__ == "__main__":
    main()
