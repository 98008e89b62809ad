"""Result sets a researcher can cite: joined names, Persian compounds, the default operator.

    python -m bench.trust [--data DIR] [--sizes] [--limit 100000]

On the whole corpus (62,838 articles) indexed by the project's bulk indexer:

1. For every entry of `bench/trust_names.tsv` (hyphenated, slashed or apostrophe names, and
   Persian compounds with their ZWNJ, space and joined spellings), each spelling is searched
   (`search_articles`, the default rule). Precision: the share of the results whose title or
   text holds the name in any spelling (its parts joined by a hyphen, slash, apostrophe, ZWNJ,
   space, a middle و, or nothing; the last part by its stem, as the search finds it). The
   corpus articles carry no entity tags, so "tagged with its entity" cannot count here: the
   figure is a lower bound.
   Agreement: the Jaccard index of the result sets of every pair of spellings (the lowest
   pair per entry). Targets (shared/TARGETS.md): precision >= 0.95, agreement >= 0.9.
2. Result counts under the default rule (`op=and`) and under `op=or`, for the names, two-word
   queries and the TIME 1963 and PersianQA queries: what the rule removes from the sets.

`--data DIR` keeps the database and index in DIR and reuses them on the next run (the
index must be rebuilt after the analysis changes: delete DIR). MAP@10 under both rules comes
from `python -m bench.relevance --engines ours,ours-or`.
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import statistics
import time
from pathlib import Path

from bench.common import (
    ROOT,
    Doc,
    django_setup,
    load_corpus,
    log,
    print_table,
    read_queries,
    require_corpus,
    temporary_data_dir,
)

NAMES_TSV = ROOT / "bench" / "trust_names.tsv"
ZWNJ = "\u200c"
_SPLIT = re.compile(rf"[-/'\u2019{ZWNJ} ]+")
TWO_WORDS = [
    "oil prices", "nuclear talks", "Tehran stock", "Saudi Arabia", "football league",
    "قیمت نفت", "مذاکرات هسته‌ای", "لیگ برتر", "بورس تهران", "تیم ملی",
]  # fmt: skip


def read_names(path: Path = NAMES_TSV) -> list[tuple[str, str, list[str]]]:
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, language, spellings = line.split("\t")
        entries.append((name, language, [s.strip() for s in spellings.split("|")]))
    return entries


def pattern_for(spellings: list[str]) -> re.Pattern[str]:
    """Any spelling of the name (normalised text), as precision counts it: its parts (from
    the spelling with the most of them) joined by a hyphen, slash, apostrophe, ZWNJ, space,
    a middle و or nothing, each part by its stem (the search stems words: "self-sufficient"
    is found by "self-sufficiency", دانش‌آموز by دانش‌آموزان)."""
    from articles.text import normalize, stem_en, stem_fa

    split = [[p for p in _SPLIT.split(normalize(s)) if p] for s in spellings]
    parts = max(split, key=len)
    glue = rf"[-/'\s{ZWNJ}]*"

    def stem(part: str) -> str:
        found = stem_fa(part) if "\u0600" <= part[-1] <= "\u06ff" else stem_en(part)
        return re.escape(found if part.startswith(found) else part) + r"\w*"

    if len(parts) == 3 and parts[1] == "و":
        body = re.escape(parts[0]) + glue + "و?" + glue + stem(parts[2])
    else:
        body = glue.join([re.escape(part) for part in parts[:-1]] + [stem(parts[-1])])
    return re.compile(rf"(?<![^\W_]){body}")


def build(docs: list[Doc], data: Path) -> dict[int, str]:
    """Load and index `docs` into `data`, or reuse what an earlier run left there."""
    from articles.models import Article
    from articles.search.sync import indexing
    from bench.engines import load_articles, use_index_path

    index = data / "trust-index"
    marker = data / "trust-built"
    use_index_path(index)
    if marker.exists() and Article.objects.count() == len(docs):
        log(f"reusing the archive and index in {data}")
        return dict(Article.objects.values_list("pk", "external_id"))
    start = time.perf_counter()
    ids = load_articles(docs)
    log(f"loaded {len(docs)} articles in {time.perf_counter() - start:.0f}s; indexing…")
    start = time.perf_counter()
    report = indexing.rebuild(procs=2)
    log(f"indexed {report.indexed} in {time.perf_counter() - start:.0f}s")
    marker.write_text(str(len(docs)))
    return ids


def result_ids(q: str, op: str, limit: int) -> list[int]:
    from articles.search.engine import iter_article_ids
    from articles.search.types import SearchParams

    params = SearchParams(q=q, with_facets=False, highlight=False, expand_entities=False)
    params.op = op
    return list(iter_article_ids(params, limit))


def count(q: str, op: str) -> int:
    from articles.search.engine import search_articles
    from articles.search.types import SearchParams

    params = SearchParams(q=q, per_page=1, with_facets=False, highlight=False)
    params.op = op
    return search_articles(params).count


def names_report(texts: dict[int, str], limit: int) -> None:
    from articles.text import normalize

    rows, held_all, found_all, jaccards = [], 0, 0, []
    for name, language, spellings in read_names():
        pattern = pattern_for(spellings)
        sets = {s: set(result_ids(s, "and", limit)) for s in spellings}
        union = set().union(*sets.values())
        held = sum(1 for pk in union if pattern.search(normalize(texts.get(pk, ""))))
        held_all += held
        found_all += len(union)
        precision = held / len(union) if union else 1.0
        pairs = list(itertools.combinations(spellings, 2))
        agreement = min(
            (len(sets[a] & sets[b]) / len(sets[a] | sets[b]) if sets[a] | sets[b] else 1.0)
            for a, b in pairs
        ) if pairs else None  # fmt: skip
        if agreement is not None:
            jaccards.append(agreement)
        counts = " / ".join(f"{len(sets[s]):,}" for s in spellings)
        rows.append((name, language, counts, f"{precision:.3f}",
                     "" if agreement is None else f"{agreement:.3f}"))  # fmt: skip
    print("\n### Names and compounds (default rule)\n")
    print_table(["name", "lang", "results per spelling", "precision", "agreement"], rows)
    pooled = held_all / found_all if found_all else 1.0
    print(
        f"\n{len(rows)} entries, {found_all:,} results: pooled precision {pooled:.3f} "
        f"(target >= 0.95); lowest entry {min(float(r[3]) for r in rows):.3f}; agreement of "
        f"spellings (lowest pair per entry) mean {statistics.mean(jaccards):.3f}, lowest "
        f"{min(jaccards):.3f} over {len(jaccards)} entries with several spellings "
        "(target >= 0.9)"
    )


def counts_report(names: list[str]) -> None:
    sets = {
        "names and compounds": names,
        "two words": TWO_WORDS,
        "TIME 1963 queries": list(read_queries("time1963").values()),
        "PersianQA questions": list(read_queries("persianqa").values())[:200],
    }
    rows = []
    for label, queries in sets.items():
        pairs = [(count(q, "or"), count(q, "and")) for q in queries]
        any_total = sum(a for a, _b in pairs)
        all_total = sum(b for _a, b in pairs)
        rows.append((label, len(queries), f"{statistics.median(a for a, _b in pairs):,.0f}",
                     f"{statistics.median(b for _a, b in pairs):,.0f}",
                     f"{all_total / any_total:.3f}" if any_total else "n/a",
                     sum(1 for _a, b in pairs if b == 0)))  # fmt: skip
    print("\n### Result counts: op=or against the default rule (op=and)\n")
    print_table(
        ["queries", "n", "median op=or", "median op=and", "kept (sum and / sum or)",
         "empty under and"],
        rows,
    )  # fmt: skip
    print("\nTwo words, op=or -> op=and:")
    for q in TWO_WORDS:
        print(f"- {q}: {count(q, 'or'):,} -> {count(q, 'and'):,}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", help="keep (and reuse) the archive and index in this folder")
    parser.add_argument("--limit", type=int, default=100_000, help="results read per query")
    parser.add_argument("--skip-counts", action="store_true")
    args = parser.parse_args(argv)
    require_corpus()
    docs = load_corpus()
    texts_by_id = {doc.id: f"{doc.title}\n{doc.body}" for doc in docs}
    if args.data:
        data = Path(args.data).resolve()
        data.mkdir(parents=True, exist_ok=True)
        os.environ["NEWSARCHIVE_DATA_DIR"] = str(data)
        context = None
    else:
        context = temporary_data_dir()
        data = context.__enter__()
    try:
        django_setup()
        ids = build(docs, data)
        texts = {pk: texts_by_id.get(doc_id, "") for pk, doc_id in ids.items()}
        names_report(texts, args.limit)
        if not args.skip_counts:
            names = [s for _n, _l, spellings in read_names() for s in spellings]
            counts_report(names)
    finally:
        if context is not None:
            context.__exit__(None, None, None)


if __name__ == "__main__":
    main()
