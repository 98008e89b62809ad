"""Freshness: how soon a saved article is found, and search speed while an import runs.

    python -m bench.freshness --archive /var/tmp/growth/100000 [--trials 10] [--import 10000]

Works on a copy of `--archive` (a data directory built by `bench.growth`, or any archive with
a database and a Whoosh index), made beside it and removed afterwards, so the archive itself
is left as it was. Three runs, each against a separate search process that keeps its searcher
open between queries, as a web worker does:

- default deployment (`NEWSARCHIVE_INDEX_SYNC` on): an article is saved through
  `services.article_save` (what the admin's save runs), which applies its index task right
  after the commit; the search process polls a word only that article holds (every 50 ms)
  until it is found: seconds from the start of the save (target: 2 s);
- index worker (`NEWSARCHIVE_INDEX_SYNC` off, `manage.py run_index_worker` running with its
  default 2 s poll): the same (target: 10 s);
- import: the growth query set is answered once on the idle archive, then again, round after
  round, while `manage.py import_articles` (index following, the default) loads `--import`
  new articles (paragraph-shuffled copies of corpus articles under new ids, written to a
  temporary file); p95 during the import over p95 idle (target: at most 2x), wall and CPU.

Persian and English articles alternate between trials.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.common import ROOT, load_corpus, log, percentile, print_table, require_corpus
from bench.growth import loadavg
from bench.search_speed import shuffled_copy

POLL = 0.05
FA_LETTERS = "بپتثجچحخدذرزژسشصضطظعغفقلمنهی"
EN_LETTERS = "bcdfghjklmnpqrstvwxz"


def probe_word(rng: random.Random, lang: str) -> str:
    """A made-up word no article holds (consonants only: no real English or Persian word)."""
    letters = FA_LETTERS if lang == "fa" else EN_LETTERS
    return "".join(rng.choice(letters) for _ in range(9))


# --- the search process: polls for a word, or answers the query set until told to stop --------


def searcher(spec_path: Path, stop_file: Path) -> None:
    from bench.common import django_setup

    django_setup(migrate=False)
    from articles.search.engine import search_articles
    from articles.search.types import SearchParams

    search_articles(SearchParams(q="news"))  # opens the index, as a warm web worker has it
    print("ready", flush=True)
    for line in sys.stdin:
        command = json.loads(line)
        if command["do"] == "find":
            started = time.time()
            while time.time() - started < command["timeout"]:
                result = search_articles(SearchParams(q=command["word"]))
                if result.hits:
                    break
                time.sleep(POLL)
            found = time.time()
            print(json.dumps({"found": bool(result.hits), "at": found}), flush=True)
        elif command["do"] == "queries":
            queries = json.loads(spec_path.read_text(encoding="utf-8"))["queries"]
            wall: list[float] = []
            cpu: list[float] = []
            rounds = 0
            while True:
                for query in queries:
                    if command.get("until_stop") and stop_file.exists():
                        break
                    start, start_cpu = time.perf_counter(), time.process_time()
                    search_articles(SearchParams(q=query, highlight=True, with_facets=True))
                    cpu.append((time.process_time() - start_cpu) * 1000)
                    wall.append((time.perf_counter() - start) * 1000)
                rounds += 1
                if not command.get("until_stop") or stop_file.exists():
                    break
            print(json.dumps({"wall": wall, "cpu": cpu, "rounds": rounds}), flush=True)
        elif command["do"] == "quit":
            return


class Searcher:
    def __init__(self, archive: Path, spec: Path, stop_file: Path) -> None:
        env = {**os.environ, "NEWSARCHIVE_DATA_DIR": str(archive)}
        command = [sys.executable, "-m", "bench.freshness", "--phase", "searcher"]
        command += ["--spec", str(spec), "--stop-file", str(stop_file)]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self.process.stdout.readline().strip() == "ready"

    def ask(self, **command: object) -> dict:
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def close(self) -> None:
        self.process.stdin.write(json.dumps({"do": "quit"}) + "\n")
        self.process.stdin.close()
        self.process.wait(timeout=60)


# --- saving and timing ---------------------------------------------------------------------------


def save_trials(search: Searcher, trials: int, *, sync: bool, timeout: float) -> list[dict]:
    """Save `trials` articles (this process: Django on the archive copy) and time each until the
    search process finds it."""
    from django.conf import settings

    from articles import services
    from articles.models import Article, Source

    settings.NEWSARCHIVE_INDEX_SYNC = sync
    rng = random.Random(f"{trials} {sync}")  # new words in each run
    source = Source.objects.order_by("pk").first()
    rows = []
    for trial in range(trials):
        lang = "fa" if trial % 2 else "en"
        word = probe_word(rng, lang)
        article = Article(
            source=source,
            language=lang,
            title=f"{word} {'خبر تازه' if lang == 'fa' else 'fresh report'} {trial}",
            body_text=f"{word} " + ("متن خبر. " if lang == "fa" else "The report's text. ") * 20,
            status=Article.Status.PUBLISHED,
            published_at=datetime.now(UTC),
        )
        services.article_prepare(article, body_text=article.body_text)
        started = time.time()
        services.article_save(article)
        saved = time.time()
        answer = search.ask(do="find", word=word, timeout=timeout)
        rows.append(
            {
                "lang": lang,
                "save_s": round(saved - started, 3),
                "found": answer["found"],
                "searchable_s": round(answer["at"] - started, 3),
            }
        )
        log(f"  {'sync' if sync else 'worker'} {trial + 1}/{trials} {lang}: {rows[-1]}")
    return rows


def write_import_file(path: Path, count: int) -> None:
    corpus = load_corpus()
    rng = random.Random(1016)
    with gzip.open(path, "wt", encoding="utf-8") as out:
        for n in range(count):
            doc = shuffled_copy(rng.choice(corpus), n, rng)
            record = {"id": f"fresh-{doc.id}", "lang": doc.lang, "title": doc.title}
            record.update(body=doc.body, source=doc.source, published=doc.published)
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def import_beside_searches(search: Searcher, archive: Path, count: int, stop: Path) -> dict:
    import_file = archive / "freshness-import.jsonl.gz"
    write_import_file(import_file, count)
    search.ask(do="queries")  # warm: the rounds during the import reuse what this one read
    log(f"  idle: the query set once more, warm (load {loadavg()})")
    idle = search.ask(do="queries")
    idle_load = loadavg()
    env = {**os.environ, "NEWSARCHIVE_DATA_DIR": str(archive)}
    command = [sys.executable, "manage.py", "import_articles", str(import_file)]
    command += ["--status", "published", "-v", "0"]
    log(f"  importing {count} articles, index following, searches beside it")
    started = time.perf_counter()
    importer = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    threading_watch(importer, stop)
    busy = search.ask(do="queries", until_stop=True)
    importer.wait()
    seconds = time.perf_counter() - started
    busy_load = loadavg()
    return {"idle": idle, "busy": busy, "import_s": round(seconds, 1),
            "import_exit": importer.returncode, "load": [idle_load, busy_load]}  # fmt: skip


def threading_watch(process: subprocess.Popen, stop: Path) -> None:
    import threading

    def watch() -> None:
        process.wait()
        stop.touch()

    threading.Thread(target=watch, daemon=True).start()


# --- driver ------------------------------------------------------------------------------------


def summary(rows: list[dict]) -> tuple:
    times = [row["searchable_s"] for row in rows]
    saves = [row["save_s"] for row in rows]
    found = sum(row["found"] for row in rows)
    return (
        f"{found} / {len(rows)}",
        f"{percentile(saves, 50):.2f}",
        f"{percentile(times, 50):.2f}",
        f"{percentile(times, 95):.2f}",
        f"{max(times):.2f}",
    )


def wall_cpu(t: dict, pct: int) -> str:
    return f"{percentile(t['wall'], pct):.1f} / {percentile(t['cpu'], pct):.1f}"


def run(args: argparse.Namespace) -> None:
    source = args.archive.resolve()
    if not (source / "db.sqlite3").exists():
        raise SystemExit(f"{source} holds no archive (db.sqlite3): build one with bench.growth")
    spec = args.spec or source.parent / "queries.json"
    work = Path(tempfile.mkdtemp(prefix="freshness-", dir=source.parent))
    archive = work / "archive"
    log(f"copying {source} to {archive}")
    shutil.copytree(source, archive, ignore=shutil.ignore_patterns("search-*.json", "*.log"))
    os.environ["NEWSARCHIVE_DATA_DIR"] = str(archive)
    from bench.common import django_setup

    django_setup(migrate=False)
    stop = work / "stop"
    search = Searcher(archive, spec, stop)
    results: dict = {"archive": str(source), "started_load": loadavg()}
    try:
        if args.trials:
            trial_runs(search, archive, args, results)
        if args.import_count:
            results["import"] = import_beside_searches(search, archive, args.import_count, stop)
    finally:
        search.close()
        if not os.environ.get("NEWSARCHIVE_BENCH_KEEP"):
            shutil.rmtree(work, ignore_errors=True)
    report(results, args)


def trial_runs(search: Searcher, archive: Path, args: argparse.Namespace, results: dict) -> None:
    worker = None
    try:
        log(f"default deployment: {args.trials} saves (load {loadavg()})")
        results["sync"] = save_trials(search, args.trials, sync=True, timeout=args.timeout)
        env = {**os.environ, "NEWSARCHIVE_DATA_DIR": str(archive)}
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "run_index_worker"], cwd=ROOT, env=env,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        time.sleep(3)
        log(f"index worker: {args.trials} saves (load {loadavg()})")
        results["worker"] = save_trials(search, args.trials, sync=False, timeout=args.timeout)
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=120)


def report(results: dict, args: argparse.Namespace) -> None:
    if args.trials:
        print(f"\n### Freshness ({args.archive})\n")
        headers = ["deployment", "found", "save s p50", "searchable s p50", "p95", "max", "target"]
        print_table(headers, [
            ("default (`NEWSARCHIVE_INDEX_SYNC` on)", *summary(results["sync"]), "2 s"),
            ("index worker (`run_index_worker`, 2 s poll)", *summary(results["worker"]), "10 s"),
        ])  # fmt: skip
    imported = results.get("import")
    if imported:
        idle, busy = imported["idle"], imported["busy"]
        print(f"\n### Searches beside an import of {args.import_count:,} articles\n")
        rows = [
            (name, len(t["wall"]), wall_cpu(t, 50), wall_cpu(t, 95), load)
            for name, t, load in (
                ("idle", idle, imported["load"][0]),
                ("during the import", busy, imported["load"][1]),
            )
        ]
        headers = ["searches", "queries", "p50 ms wall / CPU", "p95 ms wall / CPU", "load avg"]
        print_table(headers, rows)
        for key, what in (("wall", "wall"), ("cpu", "CPU")):
            ratio = percentile(busy[key], 95) / percentile(idle[key], 95)
            print(f"\n{what} p95 during / idle = {ratio:.2f}x (target: at most 2x)")
        print(f"\nimport: {imported['import_s']} s wall, exit {imported['import_exit']}, "
              f"{args.import_count / imported['import_s']:.0f} articles/s")  # fmt: skip
    if args.out:
        args.out.write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, help="a data directory built by bench.growth")
    parser.add_argument("--spec", type=Path, help="queries JSON (default: beside the archive)")
    parser.add_argument("--trials", type=int, default=10)
    parser.add_argument("--import", dest="import_count", type=int, default=10_000)
    parser.add_argument("--timeout", type=float, default=60, help="seconds to wait per save")
    parser.add_argument("--out", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--phase", choices=["searcher"], help=argparse.SUPPRESS)
    parser.add_argument("--stop-file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase == "searcher":
        searcher(args.spec, args.stop_file)
        return
    require_corpus()
    if not args.archive:
        parser.error("--archive DIR is needed (python -m bench.growth builds one)")
    run(args)


if __name__ == "__main__":
    main()
