"""Spelling variants: does a query typed another way find the same articles?

    python -m bench.variants [--engines fts5,haystack,ours] [--rewrite-engines fts5,ours]
                             [--skip-table] [--skip-rewrites]

1. The variant table (`tests/fixtures/persian_variants.tsv`: canonical, variant, fold): on the
   Persian index (the PersianQA passages and every Persian corpus article), the variant query
   must return exactly the canonical query's hits (the same top 100, in the same order).
   Prints the share of identical rows per engine and per fold, and the rows that differ.
2. The PersianQA queries rewritten into spelling variants (Arabic ي/ك, ZWNJ removed or made a
   space, harakat added, digits swapped between Persian and ASCII, tatweel, all at once):
   MAP@10 per rewrite and engine. Target: ours unchanged; FTS5 is expected to drop.
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter, defaultdict
from collections.abc import Callable

from bench.common import (
    ROOT,
    Skip,
    django_setup,
    evaluate,
    log,
    print_table,
    read_qrels,
    read_queries,
    require_corpus,
    run_queries,
    temporary_data_dir,
)
from bench.engines import FTS5Engine, HaystackDefaultEngine, ProjectEngine
from bench.relevance import set_documents

VARIANTS_TSV = ROOT / "tests" / "fixtures" / "persian_variants.tsv"
ZWNJ = "\u200c"
TATWEEL = "\u0640"
KASRA, FATHA = "\u0650", "\u064e"
FA_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
# Letters that do not join the next one: a tatweel after them would be a stray mark.
NON_JOINING = set("اآأإدذرزژوؤۀةء")
PERSIAN_LETTERS = {chr(code) for code in range(0x0620, 0x064B)} | set("پچژکگی")


def _per_word(text: str, change: Callable[[str], str]) -> str:
    return " ".join(change(word) for word in text.split(" "))


def _harakat(word: str) -> str:
    letters = [i for i, ch in enumerate(word) if ch in PERSIAN_LETTERS]
    if len(letters) < 3:
        return word
    first, second = letters[0], letters[1]
    return word[: first + 1] + FATHA + word[first + 1 : second + 1] + KASRA + word[second + 1 :]


def _tatweel(word: str) -> str:
    if len(word) < 4:
        return word
    first = word[0]
    if first in PERSIAN_LETTERS and first not in NON_JOINING and word[1] in PERSIAN_LETTERS:
        return first + TATWEEL + word[1:]
    return word


def _swap_digits(text: str) -> str:
    table = {ord(a): f for a, f in zip("0123456789", FA_DIGITS, strict=True)}
    table.update({ord(f): a for a, f in zip("0123456789", FA_DIGITS, strict=True)})
    return text.translate(table)


REWRITES: dict[str, Callable[[str], str]] = {
    "arabic ي ك": lambda q: q.replace("ی", "ي").replace("ک", "ك"),
    "ZWNJ removed": lambda q: q.replace(ZWNJ, ""),
    "ZWNJ → space": lambda q: q.replace(ZWNJ, " "),
    "harakat added": lambda q: _per_word(q, _harakat),
    "digits fa↔ascii": _swap_digits,
    "tatweel": lambda q: _per_word(q, _tatweel),
}
REWRITES["all at once"] = lambda q: REWRITES["tatweel"](
    REWRITES["harakat added"](_swap_digits(REWRITES["arabic ي ك"](q.replace(ZWNJ, " "))))
)

ENGINES: dict[str, Callable[[], object]] = {
    "fts5": FTS5Engine,
    "haystack": HaystackDefaultEngine,
    "ours": lambda: ProjectEngine(),
}


def read_variant_rows() -> list[tuple[str, str, str]]:
    with open(VARIANTS_TSV, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader, None)
        return [(row[0], row[1], row[2]) for row in reader if len(row) >= 3 and row[0]]


def variant_table(engines: dict[str, object]) -> None:
    if not VARIANTS_TSV.exists():
        print(f"variant table skipped: {VARIANTS_TSV} is absent")
        return
    rows = read_variant_rows()
    summary, differing = [], []
    per_fold: dict[str, Counter] = defaultdict(Counter)
    for key, engine in engines.items():
        same = found = 0
        for canonical, variant, fold in rows:
            expected, got = engine.search(canonical, 100), engine.search(variant, 100)
            identical = expected == got
            same += identical
            # Two empty lists are identical too: count the rows whose canonical query finds.
            found += identical and bool(expected)
            per_fold[fold][key] += identical
            per_fold[fold]["rows"] += key == next(iter(engines))
            if not identical and key == "ours":
                differing.append((fold, canonical, variant, len(expected), len(got)))
        share = f"{100 * same / max(1, len(rows)):.1f}%"
        summary.append((engine.name, len(rows), same, share, found))
    print(f"\n### variant table ({VARIANTS_TSV.name}, {len(rows)} rows)\n")
    print_table(["engine", "rows", "identical hits", "share", "identical and not empty"], summary)
    print("\nper fold (identical rows / rows):\n")
    keys = list(engines)
    print_table(
        ["fold", "rows", *keys],
        [(fold, c["rows"], *(c[k] for k in keys)) for fold, c in sorted(per_fold.items())],
    )
    if differing:
        print("\nrows where ours differs (fold, canonical, variant, hits canonical, hits variant):")
        for row in differing:
            print("  " + " | ".join(str(value) for value in row))


def rewritten_queries(engines: dict[str, object]) -> None:
    queries, qrels = read_queries("persianqa"), read_qrels("persianqa")
    typed = {key: run_queries(engine, queries) for key, engine in engines.items()}
    baseline = {key: evaluate(typed[key], qrels) for key in engines}
    rows = [("as typed", len(queries), *(baseline[k].map10 for k in engines))]
    for name, rewrite in REWRITES.items():
        changed = {qid: rewrite(text) for qid, text in queries.items() if rewrite(text) != text}
        log(f"  rewrite {name}: {len(changed)} queries changed")
        scores = []
        for key, engine in engines.items():
            # Queries the rewrite leaves alone keep their results.
            run = {**typed[key], **run_queries(engine, changed)}
            scores.append(evaluate(run, qrels).map10)
        rows.append((name, len(changed), *scores))
    names = [engines[k].name for k in engines]
    print("\n### PersianQA + distractors, queries rewritten (MAP@10)\n")
    print_table(["queries typed", "changed", *names], rows)
    if "fts5" in engines and "ours" in engines:
        worst = min(rows[1:], key=lambda row: row[1 + 1 + list(engines).index("ours")])
        ours_index = 2 + list(engines).index("ours")
        print(
            f"\nours as typed {baseline['ours'].map10:.3f}; lowest under a rewrite "
            f"{worst[ours_index]:.3f} ({worst[0]})"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default="fts5,haystack,ours")
    parser.add_argument(
        "--rewrite-engines",
        default="fts5,ours",
        help="engines for the rewritten PersianQA queries (slow engines make this long)",
    )
    parser.add_argument("--skip-table", action="store_true")
    parser.add_argument("--skip-rewrites", action="store_true")
    args = parser.parse_args(argv)
    require_corpus("qrels", "persianqa")
    keys = [key for key in args.engines.split(",") if key in ENGINES]
    with temporary_data_dir():
        if "ours" in keys:
            django_setup()
        docs = set_documents("persianqa")
        engines: dict[str, object] = {}
        try:
            for key in keys:
                try:
                    engine = ENGINES[key]()
                except Skip as reason:
                    print(f"{key} skipped: {reason}")
                    continue
                engine.build(docs)
                engines[key] = engine
                log(f"built {engine.name} on {len(docs)} documents")
            if not args.skip_table:
                variant_table(engines)
            if not args.skip_rewrites:
                chosen = args.rewrite_engines.split(",")
                rewritten_queries({k: e for k, e in engines.items() if k in chosen})
        finally:
            for engine in engines.values():
                engine.close()


if __name__ == "__main__":
    main()
