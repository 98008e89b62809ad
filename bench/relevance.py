"""Relevance: MAP@10, MAP@100 and nDCG@10 of each engine on the shared qrels sets.

    python -m bench.relevance [--sets time1963,persianqa] [--engines fts5,haystack,ours,ours-nostem]

Sets:
- `time1963`: English, 423 TIME articles, 79 judged queries (`qrels.txt`).
- `persianqa`: Persian, the 93 PersianQA passages plus every Persian article of the corpus
  (6,390) as distractors, 651 queries.

Engines (see `bench.engines`): SQLite FTS5 BM25 (the baseline, built in the same run),
haystack's default Whoosh analysis, ours through `search_articles` on a real index built by
the project's bulk indexer, and ours with the Persian stemmer switched off. Prints one table
per set and the ratios ours / FTS5 against the targets of TARGETS.md.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from bench.common import (
    CORPUS,
    QRELS,
    Doc,
    Scores,
    Skip,
    django_setup,
    evaluate,
    load_corpus,
    log,
    print_table,
    ratio,
    read_jsonl,
    read_qrels,
    read_queries,
    require_corpus,
    run_queries,
    temporary_data_dir,
)
from bench.engines import FTS5Engine, HaystackDefaultEngine, ProjectEngine

# Target: our MAP@10 at least this multiple of FTS5's (TARGETS.md).
TARGETS = {"time1963": 1.10, "persianqa": 1.00}


def set_documents(name: str) -> list[Doc]:
    if name == "time1963":
        return list(read_jsonl(CORPUS / "en_time1963.jsonl.gz"))
    if name == "persianqa":
        return list(read_jsonl(QRELS / "persianqa" / "passages.jsonl.gz")) + load_corpus("fa_")
    raise ValueError(f"unknown set {name!r}: use time1963 or persianqa")


ENGINES: dict[str, Callable[[], object]] = {
    "fts5": FTS5Engine,
    "haystack": HaystackDefaultEngine,
    "ours": lambda: ProjectEngine(),
    "ours-or": lambda: ProjectEngine(op="or", label="ours, op=or (any of the words)"),
    "ours-nostem": lambda: ProjectEngine(stem_fa=False),
}


def measure(
    engine_key: str, docs: list[Doc], queries: dict[str, str], qrels: dict[str, set[str]]
) -> tuple[str, Scores, float, float, dict[str, list[str]]]:
    """(engine name, scores, build seconds, mean query ms, run) of one engine on one set."""
    engine = ENGINES[engine_key]()
    try:
        start = time.perf_counter()
        engine.build(docs)
        built = time.perf_counter() - start
        start = time.perf_counter()
        run = run_queries(engine, queries, k=100)
        per_query = (time.perf_counter() - start) / max(1, len(queries)) * 1000
        name = engine.name + (f" ({engine.via})" if hasattr(engine, "via") else "")
        return name, evaluate(run, qrels), built, per_query, run
    finally:
        engine.close()


def relevance(sets: list[str], engines: list[str]) -> dict[str, dict[str, Scores]]:
    results: dict[str, dict[str, Scores]] = {}
    with temporary_data_dir():
        if any(key.startswith("ours") for key in engines):
            django_setup()
        for set_name in sets:
            docs = set_documents(set_name)
            queries, qrels = read_queries(set_name), read_qrels(set_name)
            log(f"{set_name}: {len(docs)} documents, {len(qrels)} judged queries")
            rows, scores = [], {}
            for key in engines:
                try:
                    name, score, built, per_query, _run = measure(key, docs, queries, qrels)
                except Skip as reason:
                    print(f"{set_name}: {key} skipped: {reason}")
                    continue
                log(f"  {name}: built in {built:.1f}s, {per_query:.1f} ms/query")
                scores[key] = score
                base = scores.get("fts5")
                rows.append(
                    (
                        name,
                        score.map10,
                        score.map100,
                        score.ndcg10,
                        ratio(score.map10, base.map10) if base else "n/a",
                        f"{built:.1f}",
                        f"{per_query:.1f}",
                    )
                )
            print(f"\n### {set_name} ({len(docs)} documents, {len(qrels)} judged queries)\n")
            print_table(
                ["engine", "MAP@10", "MAP@100", "nDCG@10", "MAP@10 / FTS5", "build s", "ms/query"],
                rows,
            )
            results[set_name] = scores
            verdict(set_name, scores)
    return results


def verdict(set_name: str, scores: dict[str, Scores]) -> None:
    base, ours = scores.get("fts5"), scores.get("ours")
    if not (base and ours):
        return
    target = TARGETS[set_name] * base.map10
    status = "meets" if ours.map10 >= target else "below"
    gap = ours.map10 - target
    print(
        f"\n{set_name}: ours MAP@10 {ours.map10:.3f} vs target {target:.3f} "
        f"({TARGETS[set_name]:.2f} × FTS5 {base.map10:.3f}): {status} ({gap:+.3f})"
    )
    if "ours-nostem" in scores:
        delta = ours.map10 - scores["ours-nostem"].map10
        print(f"{set_name}: the Persian stemmer changes ours' MAP@10 by {delta:+.3f}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="time1963,persianqa")
    parser.add_argument("--engines", default=",".join(ENGINES))
    args = parser.parse_args(argv)
    require_corpus("qrels")
    engines = [key for key in args.engines.split(",") if key]
    unknown = [key for key in engines if key not in ENGINES]
    if unknown:
        parser.error(f"unknown engine(s) {unknown}; choose from {sorted(ENGINES)}")
    sets = [name for name in args.sets.split(",") if name]
    if "fts5" in engines:
        engines.remove("fts5")
    relevance(sets, ["fts5", *engines])


if __name__ == "__main__":
    main()
