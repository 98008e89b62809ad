"""Run the benchmarks: `python -m bench` (all of them) or `python -m bench relevance variants`.

Each benchmark runs as its own process (`python -m bench.<name>`), so a failure or a skip in
one does not stop the others, and each gets a fresh memory footprint. Extra arguments after
`--` go to every benchmark run (e.g. `python -m bench search_speed -- --sizes 10000`).
A summary table (status and wall time) closes the run.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from bench.common import CORPUS

HERE = Path(__file__).resolve().parent
# The order they run in: quick quality checks first, the long speed run last.
KNOWN = [
    "relevance",
    "variants",
    "trust",
    "neardup_eval",
    "import_bench",
    "export_memory",
    "harvest_bench",
    "hostile",
    "search_speed",
    "research_speed",
]


def available() -> list[str]:
    return [name for name in KNOWN if (HERE / f"{name}.py").exists()]


def main(argv: list[str]) -> int:
    names, extra = argv, []
    if "--" in argv:
        cut = argv.index("--")
        names, extra = argv[:cut], argv[cut + 1 :]
    if any(name in {"-h", "--help"} for name in names):
        print(__doc__)
        print("available:", ", ".join(available()))
        return 0
    chosen = names or available()
    missing = [name for name in chosen if not (HERE / f"{name}.py").exists()]
    if missing:
        print(f"no such benchmark: {', '.join(missing)} (available: {', '.join(available())})")
        return 2
    if not CORPUS.exists():
        print(f"note: {CORPUS} is absent; benchmarks that need it will skip")
    summary = []
    for name in chosen:
        print(f"\n## bench.{name}\n", flush=True)
        start = time.perf_counter()
        code = subprocess.call([sys.executable, "-m", f"bench.{name}", *extra], cwd=HERE.parent)
        seconds = time.perf_counter() - start
        summary.append((name, "ok" if code == 0 else f"exit {code}", f"{seconds:.0f}"))
    print("\n## summary\n")
    print("| benchmark | status | seconds |\n|---|---|---|")
    for row in summary:
        print("| " + " | ".join(row) + " |")
    return 0 if all(status == "ok" for _n, status, _s in summary) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
