"""Search speed at 10k and 100k articles, ours beside SQLite FTS5 in the same run.

    python -m bench.search_speed [--sizes 10000,100000] [--procs 1] [--queries 200]

For each size: the articles go into a temporary archive database (bulk insert), then
- ours: `python manage.py rebuild_index --noinput` (the project's bulk indexer) is timed as
  its own process: articles/s (target ≥ 500/s); FTS5 is built from the same articles;
- a fresh search process per engine answers a fixed query set, top 20 with highlights and
  facets (ours: `search_articles(SearchParams(q, highlight=True, with_facets=True))`; FTS5:
  `highlight()`/`snippet()` plus language and source counts), then a date-range set; it
  reports p50/p95 in ms (target at 100k: p50 ≤ 25 ms, p95 ≤ 100 ms) and its peak RSS;
- index size on disk.

The sets: up to 62,838 articles, a seeded random sample of the corpus; beyond that, the whole
corpus plus copies of randomly chosen articles (seeded) with their paragraphs shuffled (a
one-paragraph article gets its sentences shuffled) under new ids, until the size is reached.
The query set (seeded): a quarter each of Persian titles, English titles (2–4 leading words of
articles in the set), PersianQA questions and TIME 1963 queries; the date-range set adds a
range (a year or a few months around a dated article of the set) to title words.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from bench.common import (
    ROOT,
    Doc,
    dir_size_mb,
    django_setup,
    load_corpus,
    log,
    peak_rss_mb,
    percentile,
    print_table,
    read_queries,
    require_corpus,
    temporary_data_dir,
)

SEED = 20260101
CORPUS_SIZE = 62_838
_SENTENCE = re.compile(r"(?<=[.!?؟])\s+")


def shuffled_copy(doc: Doc, copy: int, rng: random.Random) -> Doc:
    paragraphs = doc.body.split("\n\n")
    if len(paragraphs) > 1:
        rng.shuffle(paragraphs)
        body = "\n\n".join(paragraphs)
    else:
        sentences = _SENTENCE.split(doc.body)
        rng.shuffle(sentences)
        body = " ".join(sentences)
    return Doc(f"{doc.id}~{copy}", doc.lang, doc.title, body, doc.source, doc.published)


def build_set(corpus: list[Doc], size: int) -> list[Doc]:
    rng = random.Random(SEED + size)
    if size <= len(corpus):
        return rng.sample(corpus, size)
    docs = list(corpus)
    for copy in range(size - len(corpus)):
        docs.append(shuffled_copy(rng.choice(corpus), copy, rng))
    return docs


def _lead_words(title: str, rng: random.Random) -> str:
    words = [w for w in re.findall(r"[^\W_]+", title) if len(w) > 2]
    return " ".join(words[: rng.randint(2, 4)])


def query_family(query: str) -> str:
    if query in _QRELS_QUERIES.get("persianqa", ()):
        return "PersianQA question"
    if query in _QRELS_QUERIES.get("time1963", ()):
        return "TIME 1963 query"
    return "fa title words" if re.search("[\u0600-\u06ff]", query) else "en title words"


_QRELS_QUERIES: dict[str, set[str]] = {}


def by_family(queries: list[str], results: dict[str, dict]) -> list[tuple]:
    """p50/p95 wall ms per query family and engine (the queries each engine got to run)."""
    rows = []
    families = sorted({query_family(q) for q in queries})
    for family in families:
        row: list[object] = [family, sum(query_family(q) == family for q in queries)]
        for t in results.values():
            times = [
                ms for q, ms in zip(queries, t["plain"], strict=False) if query_family(q) == family
            ]
            row += [percentile(times, 50), percentile(times, 95)]
        rows.append(tuple(row))
    return rows


def query_sets(docs: list[Doc], count: int) -> tuple[list[str], list[dict]]:
    rng = random.Random(SEED)
    quarter = count // 4
    fa = [d for d in docs if d.lang == "fa"]
    en = [d for d in docs if d.lang == "en"]
    queries: list[str] = []
    for pool in (fa, en):
        for doc in rng.sample(pool, min(quarter, len(pool))):
            lead = _lead_words(doc.title, rng)
            if lead:
                queries.append(lead)
    for name in ("persianqa", "time1963"):
        texts = sorted(read_queries(name).values())
        _QRELS_QUERIES[name] = set(texts)
        queries += rng.sample(texts, min(quarter, len(texts)))
    rng.shuffle(queries)
    dated = [d for d in docs if d.published and len(d.published) >= 10]
    ranged = []
    for doc in rng.sample(dated, min(count // 4, len(dated))):
        day = date.fromisoformat(doc.published[:10])
        if rng.random() < 0.5:
            start, end = date(day.year, 1, 1), date(day.year, 12, 31)
        else:
            start = date(day.year, max(1, day.month - 2), 1)
            end = date(day.year, min(12, day.month + 2), 28)
        ranged.append(
            {"q": _lead_words(doc.title, rng) or doc.title[:20], "from": str(start), "to": str(end)}
        )
    return queries, ranged


# --- the search process (one per engine and size, so its peak memory is its own) -------------


class Budget:
    """Stops a query set once `seconds` have gone by; the report says how many were run."""

    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds

    def over(self) -> bool:
        return time.monotonic() > self.deadline


def _timed_all(func, items, budget: Budget) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds per item. The CPU time of this one-threaded process is what
    the search costs whatever else the machine is doing; the wall time is what a user waits."""
    wall, cpu = [], []
    for item in items:
        if budget.over():
            break
        start, start_cpu = time.perf_counter(), time.process_time()
        func(item)
        cpu.append((time.process_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start) * 1000)
    return wall, cpu


def _timings(**sets: tuple[list[float], list[float]]) -> dict:
    out: dict = {}
    for name, (wall, cpu) in sets.items():
        out[name], out[f"{name}_cpu"] = wall, cpu
    return out


def _search_ours(queries: list[str], ranged: list[dict], budget: Budget) -> dict:
    django_setup(migrate=False)
    from articles.search.engine import search_articles
    from articles.search.types import SearchParams

    def dated(r: dict) -> SearchParams:
        start, end = date.fromisoformat(r["from"]), date.fromisoformat(r["to"])
        return SearchParams(q=r["q"], date_from=start, date_to=end)

    search_articles(SearchParams(q=queries[0]))  # opens the index and warms the caches
    rss_open = peak_rss_mb()
    timings = _timings(
        plain=_timed_all(
            lambda q: search_articles(SearchParams(q=q, highlight=True, with_facets=True)),
            queries,
            budget,
        ),
        dated=_timed_all(lambda r: search_articles(dated(r)), ranged, budget),
    )
    timings["rss_open"] = rss_open
    return timings


def _search_fts5(path: Path, queries: list[str], ranged: list[dict], budget: Budget) -> dict:
    from bench.engines import FTS5Engine

    engine = FTS5Engine.open(path)
    engine.search_page(queries[0])
    rss_open = peak_rss_mb()
    timings = _timings(
        plain=_timed_all(lambda q: engine.search_page(q, 20), queries, budget),
        bare=_timed_all(lambda q: engine.search_page(q, 20, with_facets=False), queries, budget),
        dated=_timed_all(
            lambda r: engine.search_page(r["q"], 20, r["from"], r["to"] + "T99"), ranged, budget
        ),
    )
    timings["rss_open"] = rss_open
    return timings


def search_phase(args: argparse.Namespace) -> None:
    spec = json.loads(Path(args.spec).read_text(encoding="utf-8"))
    budget = Budget(args.budget)
    if args.phase == "search-ours":
        timings = _search_ours(spec["queries"], spec["ranged"], budget)
    else:
        timings = _search_fts5(Path(spec["fts5"]), spec["queries"], spec["ranged"], budget)
    timings["rss_peak"] = peak_rss_mb()
    print(json.dumps(timings))


def _child(phase: str, spec: Path, data_dir: Path, budget: float) -> dict:
    env = {**os.environ, "NEWSARCHIVE_DATA_DIR": str(data_dir)}
    command = [sys.executable, "-m", "bench.search_speed", "--phase", phase, "--spec", str(spec)]
    out = subprocess.run(
        [*command, "--budget", str(budget)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- one size ---------------------------------------------------------------------------------


def run_size(corpus: list[Doc], size: int, count: int, procs: int, budget: float) -> list[tuple]:
    from bench.engines import FTS5Engine, load_articles

    docs = build_set(corpus, size)
    fa = sum(doc.lang == "fa" for doc in docs)
    log(f"\n{size} articles ({fa} fa, {len(docs) - fa} en)")
    queries, ranged = query_sets(docs, count)
    rows = []
    with temporary_data_dir() as data_dir:
        django_setup()
        start = time.perf_counter()
        load_articles(docs)
        log(f"  database load {time.perf_counter() - start:.0f}s")

        env = {**os.environ, "NEWSARCHIVE_DATA_DIR": str(data_dir)}
        command = [sys.executable, "manage.py", "rebuild_index", "--noinput", "--no-progress"]
        command += ["--procs", str(procs)]
        start, before = time.perf_counter(), _children_cpu()
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        index_seconds = time.perf_counter() - start
        index_cpu = _children_cpu() - before
        if done.returncode:
            raise RuntimeError(f"rebuild_index failed: {done.stderr[-2000:]}")
        log(f"  ours: {done.stdout.strip()} (wall {index_seconds:.0f}s, CPU {index_cpu:.0f}s)")

        fts5_path = data_dir / "fts5.sqlite3"
        engine = FTS5Engine(fts5_path)
        start, start_cpu = time.perf_counter(), time.process_time()
        engine.build(docs)
        fts5_seconds = time.perf_counter() - start
        fts5_cpu = time.process_time() - start_cpu
        engine.close()
        log(f"  fts5: built in {fts5_seconds:.1f}s")

        spec = data_dir / "spec.json"
        spec.write_text(
            json.dumps({"queries": queries, "ranged": ranged, "fts5": str(fts5_path)}),
            encoding="utf-8",
        )
        sizes = {"ours": dir_size_mb(data_dir / "whoosh_index"), "fts5": dir_size_mb(fts5_path)}
        seconds = {"ours": index_seconds, "fts5": fts5_seconds}
        cpu_seconds = {"ours": index_cpu, "fts5": fts5_cpu}
        results = {}
        for key, phase in (("fts5", "search-fts5"), ("ours", "search-ours")):
            t = results[key] = _child(phase, spec, data_dir, budget)
            log(f"  {key}: searched {len(t['plain'])} + {len(t['dated'])} queries")
            label = "ours (search_articles)" if key == "ours" else "FTS5"
            variants = [(label, "plain")]
            if "bare" in t:
                variants.append(("FTS5 without facets", "bare"))
            for name, key_set in variants:
                wall, cpu = t[key_set], t[f"{key_set}_cpu"]
                rows.append(
                    (
                        size,
                        name,
                        f"{size / seconds[key]:.0f} / {size / cpu_seconds[key]:.0f}",
                        len(wall),
                        f"{percentile(wall, 50):.1f} / {percentile(cpu, 50):.1f}",
                        f"{percentile(wall, 95):.1f} / {percentile(cpu, 95):.1f}",
                        f"{percentile(t['dated'], 50):.1f} / {percentile(t['dated_cpu'], 50):.1f}",
                        f"{percentile(t['dated'], 95):.1f} / {percentile(t['dated_cpu'], 95):.1f}",
                        f"{sizes[key]:.0f}",
                        f"{t['rss_peak']:.0f}",
                    )
                )
    print(f"\n### {size} articles: wall ms by query family (with highlights and facets)\n")
    print_table(
        ["family", "queries", "FTS5 p50", "FTS5 p95", "ours p50", "ours p95"],
        by_family(queries, results),
    )
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--procs", type=int, default=1)
    parser.add_argument("--phase", choices=["search-ours", "search-fts5"], help=argparse.SUPPRESS)
    parser.add_argument("--spec", help=argparse.SUPPRESS)
    parser.add_argument(
        "--budget", type=float, default=900, help="seconds per engine's query sets (default 900)"
    )
    args = parser.parse_args(argv)
    if args.phase:
        search_phase(args)
        return
    require_corpus()
    sizes = [int(value) for value in args.sizes.split(",") if value.strip()]
    if len(sizes) > 1:
        # Django starts once per process and binds its database then: one process per size.
        options = ["--queries", str(args.queries), "--procs", str(args.procs)]
        options += ["--budget", str(args.budget)]
        for size in sizes:
            command = [sys.executable, "-m", "bench.search_speed", "--sizes", str(size)]
            subprocess.run(command + options, cwd=ROOT, check=True)
        return
    corpus = load_corpus()
    log(f"corpus: {len(corpus)} articles")
    headers = [
        "articles",
        "engine",
        "index art/s wall / CPU",
        "queries",
        "p50 ms wall / CPU",
        "p95 ms wall / CPU",
        "date p50 wall / CPU",
        "date p95 wall / CPU",
        "index MB",
        "search RSS MB",
    ]
    rows = []
    for size in sizes:
        rows += run_size(corpus, size, args.queries, args.procs, args.budget)
        print(f"\n### search speed, up to {size} articles\n")
        print_table(headers, rows)
    print(
        "\ntargets: ours index ≥ 500 articles/s; at 100k, p50 ≤ 25 ms and p95 ≤ 100 ms "
        "(top 20 with highlights and facets)"
    )


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main()
