"""`import_articles` as a user runs it, with and without the search index following.

    .venv/bin/python -m bench.import_following [--articles 20000] [--chunk 5000]
        [--start 0] [--modes index,no-index] [--code PATH]

The first `--articles` records of the corpus dumps (in file order, all languages; after
`--start` skipped ones) are cut into chunks of `--chunk` records; each chunk is imported by its own
`manage.py import_articles CHUNK --status published` process into one throw-away archive, so
the rate of the last chunk is the rate once the archive already holds the earlier ones. Mode
`index` is the default command (the index follows the import); `no-index` adds `--no-index`.
Wall and CPU time (of the import process and its workers) are printed per chunk, with the load
average. After the `index` mode, `check_index` must agree and the index queue must be empty.
`--code` runs another checkout's `manage.py` (for before/after comparisons).
"""

from __future__ import annotations

import argparse
import gzip
import os
import resource
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from bench.common import ROOT, corpus_files, log, print_table, require_corpus, temporary_data_dir


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def write_chunks(folder: Path, articles: int, chunk: int, start: int = 0) -> list[Path]:
    paths: list[Path] = []
    handle = None
    written = skipped = 0
    for path in corpus_files():
        with gzip.open(path, "rt", encoding="utf-8") as source:
            for line in source:
                if skipped < start:
                    skipped += 1
                    continue
                if written >= articles:
                    break
                if written % chunk == 0:
                    if handle:
                        handle.close()
                    paths.append(folder / f"chunk-{len(paths) + 1:03d}.jsonl")
                    handle = paths[-1].open("w", encoding="utf-8")
                handle.write(line)
                written += 1
    if handle:
        handle.close()
    return paths


def run_mode(code: Path, chunks: list[Path], mode: str, chunk: int) -> list[tuple]:
    rows = []
    with temporary_data_dir() as data_dir:
        env = {**os.environ, "NEWSARCHIVE_DATA_DIR": str(data_dir)}
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "-v", "0"], cwd=code, env=env, check=True)
        held = 0
        for path in chunks:
            command = [*manage, "import_articles", str(path), "--status", "published", "-v", "0"]
            if mode == "no-index":
                command.append("--no-index")
            load = os.getloadavg()[0]
            start, before = time.perf_counter(), _children_cpu()
            subprocess.run(command, cwd=code, env=env, check=True, capture_output=True)
            wall, cpu = time.perf_counter() - start, _children_cpu() - before
            count = sum(1 for _ in path.open(encoding="utf-8"))
            rows.append(
                (
                    mode,
                    f"{held:,}",
                    f"{count:,}",
                    f"{wall:.1f}",
                    f"{cpu:.1f}",
                    f"{count / wall:.0f}",
                    f"{count / cpu:.0f}",
                    f"{load:.1f}",
                )  # fmt: skip
            )
            log("  " + " | ".join(rows[-1]))
            held += count
        if mode == "index":
            done = subprocess.run(
                [*manage, "check_index"], cwd=code, env=env, capture_output=True, text=True
            )
            log(f"  check_index (exit {done.returncode}): {done.stdout.strip()[-300:]}")
            with sqlite3.connect(data_dir / "db.sqlite3") as db:
                queued = db.execute("select count(*) from articles_indextask").fetchone()[0]
            log(f"  index tasks left queued: {queued}")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--chunk", type=int, default=5000)
    parser.add_argument("--start", type=int, default=0, help="skip this many records first")
    parser.add_argument("--modes", default="no-index,index")
    parser.add_argument("--code", type=Path, default=ROOT, help="checkout whose manage.py runs")
    args = parser.parse_args()
    require_corpus()
    rows = []
    with temporary_data_dir("newsarchive-chunks-") as folder:
        chunks = write_chunks(folder, args.articles, args.chunk, args.start)
        for mode in args.modes.split(","):
            log(f"\n{mode}: {len(chunks)} chunks of {args.chunk} ({args.code})")
            rows += run_mode(args.code.resolve(), chunks, mode, args.chunk)
    headers = ("mode", "archive before", "articles", "wall s", "CPU s", "articles/s wall",
               "articles/CPU s", "load avg")  # fmt: skip
    print_table(headers, rows)


if __name__ == "__main__":
    main()
