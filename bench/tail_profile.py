"""Where the p95 tail goes: the slowest queries of the growth query set, profiled.

    python -m bench.tail_profile --archive /var/tmp/growth/100000 [--slowest 20] [--lines 25]

On an archive built by `bench.growth` (its query set is read from beside it): the set is
answered once (top 20 with highlights and facets, as the growth and speed benchmarks do) to
time each query by CPU; then the `--slowest` queries are answered again under cProfile. It
prints the slowest queries with their family and CPU ms, then the profile's top functions by
cumulative and by own time. Read-only: the archive is not changed.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import time
from collections import Counter
from pathlib import Path

from bench.common import log, percentile, print_table


def profile(archive: Path, spec_path: Path, slowest: int, lines: int) -> None:
    os.environ["NEWSARCHIVE_DATA_DIR"] = str(archive)
    from bench.common import django_setup

    django_setup(migrate=False)
    from articles.search.engine import search_articles
    from articles.search.types import SearchParams

    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    queries, families = spec["queries"], spec["families"]

    def run(query: str) -> None:
        search_articles(SearchParams(q=query, highlight=True, with_facets=True))

    run(queries[0])
    cpu = []
    for query in queries:
        start = time.process_time()
        run(query)
        cpu.append((time.process_time() - start) * 1000)
    order = sorted(range(len(queries)), key=lambda i: cpu[i], reverse=True)[:slowest]
    p50, p95 = percentile(cpu, 50), percentile(cpu, 95)
    log(f"timed {len(queries)} queries: CPU p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    print(f"\n### The {len(order)} slowest queries (CPU ms, top 20 with highlights and facets)\n")
    print_table(
        ["CPU ms", "family", "query"],
        [(f"{cpu[i]:.0f}", families[i], queries[i][:90]) for i in order],
    )
    share = Counter(families[i] for i in order)
    print("\nby family: " + ", ".join(f"{name} {count}" for name, count in share.most_common()))
    profiler = cProfile.Profile()
    profiler.enable()
    for i in order:
        run(queries[i])
    profiler.disable()
    for key in ("cumulative", "tottime"):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(key)
        stats.print_stats(lines)
        text = out.getvalue()
        print(f"\n### cProfile of the {len(order)} slowest, sorted by {key}\n\n```")
        print(text[text.find("   ncalls") :].rstrip())
        print("```")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, required=True)
    parser.add_argument("--spec", type=Path, help="queries JSON (default: beside the archive)")
    parser.add_argument("--slowest", type=int, default=20)
    parser.add_argument("--lines", type=int, default=25)
    args = parser.parse_args(argv)
    archive = args.archive.resolve()
    profile(archive, args.spec or archive.parent / "queries.json", args.slowest, args.lines)


if __name__ == "__main__":
    main()
