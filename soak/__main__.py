"""`python -m soak [concurrency|crash|load|build|all]` (`make soak` runs `all`).

concurrency  4 writer processes (2 editors, a tagger, an importer) and 2 readers for
             --seconds (60); then check_index drift and writes made vs found.
crash        kill -9 during an import of a --records (5,000) line JSONL, during
             rebuild_index and during a save loop; then consistency, serving, repair;
             a stale lock left by a dead process.
load         gunicorn (production settings) + locust, --users (50; 10,25,50 runs each in
             turn against the same server) for --seconds (60) on --archive DIR (built from
             the shared corpus up to --target articles if empty; a `bench.growth` archive
             serves as it is); each run adds the workers' RSS/PSS/USS.
build        only build the --archive DIR up to --target (100,000) articles and index it.
all          concurrency and crash; load too when --archive is given.

Each run prints its figures as JSON and writes them to --out (test-artifacts/soak-results.json).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from soak.build import build_archive
from soak.concurrency import run_concurrency
from soak.crash import run_crashes
from soak.load import run_load


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m soak",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "run", nargs="?", default="all", choices=["concurrency", "crash", "load", "build", "all"]
    )
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--records", type=int, default=5_000)
    parser.add_argument(
        "--users", default="50", help="simulated users (10,25,50: one run each, same server)"
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (load)")
    parser.add_argument("--archive", type=Path, help="data directory of the load archive")
    parser.add_argument("--target", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=Path("test-artifacts/soak-results.json"))
    args = parser.parse_args(argv)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    results: dict = {}
    ok = True
    if args.run in ("concurrency", "all"):
        results["concurrency"] = run_concurrency(seconds=args.seconds, log=log)
        c = results["concurrency"]
        ok &= c["writes_lost"] == 0 and c["check_index_exit"] == 0 and not c["search_errors"]
        _show(results, args.out)
    if args.run in ("crash", "all"):
        results["crash"] = run_crashes(records=args.records, log=log)
        for name in ("import", "rebuild", "save_loop"):
            r = results["crash"][name]
            ok &= not r["half_written"] and r["drift_after_repair"] == 0
            ok &= set(r["statuses"].values()) == {200}
        ok &= results["crash"]["stale_lock"]["cleared"]
        _show(results, args.out)
    if args.run in ("build", "load") or (args.run == "all" and args.archive):
        if not args.archive:
            parser.error("--archive DIR is needed (it is built there if empty)")
        results["archive"] = build_archive(args.archive, target=args.target, log=log)
        if args.run != "build":
            users = [int(value) for value in args.users.split(",") if value.strip()]
            results["load"] = run_load(args.archive, users=users, seconds=args.seconds,
                                       workers=args.workers, log=log)  # fmt: skip
            for step in results["load"]["steps"]:
                ok &= step["total"].get("failures", 1) == 0
        _show(results, args.out)
    log("soak: " + ("all checks passed" if ok else "SOME CHECKS FAILED"))
    return 0 if ok else 1


def _show(results: dict, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(results, indent=1, ensure_ascii=False, default=str)
    out.write_text(text)
    print(text, flush=True)


if __name__ == "__main__":
    sys.exit(main())
