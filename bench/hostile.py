"""CPU per search for hostile query shapes (every query at most 500 characters).

    .venv/bin/python -m bench.hostile --size 62838 --data-dir /tmp/hostile-62k
    .venv/bin/python -m bench.hostile --data-dir /tmp/hostile-62k --search-only
    .venv/bin/python -m bench hostile        # with `make bench`: a throw-away archive

Builds (once: a `--data-dir` that already holds an index is reused) an archive of `--size`
articles drawn from the corpus as `search_speed` does, then runs each shape through
`search_articles(SearchParams(q, highlight=True, with_facets=True))` in a fresh process and
reports CPU and wall milliseconds per search, the hit count and whether the search budget
cut it short. `--code DIR` runs the searches with another checkout's code (the same index),
to compare with the code before the budget.
"""

from __future__ import annotations

import argparse
import json
import os
import string
import subprocess
import sys
import time
from pathlib import Path

from bench.common import (
    ROOT,
    django_setup,
    load_corpus,
    log,
    print_table,
    require_corpus,
    temporary_data_dir,
)

LIMIT = 500
FA_LETTERS = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"


def _fit(parts: list[str], joiner: str = " ") -> str:
    out = ""
    for part in parts:
        candidate = f"{out}{joiner}{part}" if out else part
        if len(candidate) > LIMIT:
            break
        out = candidate
    return out


EN_TEXT = (
    "the government said on monday that it would ask the parliament to approve a new budget "
    "for the coming year because prices of oil and wheat have risen while the economy of the "
    "country was still weak after the war and many people in the cities and villages have "
    "lost their jobs and the president told reporters in the capital that talks with the "
    "neighbours about water trade security and the border would continue next week and that "
    "he hoped for an agreement before the end of the month although the opposition parties"
)
FA_TEXT = (
    "دولت روز دوشنبه اعلام کرد که از مجلس خواهد خواست بودجه تازه‌ای را برای سال آینده تصویب "
    "کند زیرا قیمت نفت و گندم بالا رفته است و اقتصاد کشور پس از جنگ هنوز ضعیف است و بسیاری "
    "از مردم در شهرها و روستاها کار خود را از دست داده‌اند و رئیس‌جمهور به خبرنگاران در "
    "پایتخت گفت که گفت‌وگو با همسایگان درباره آب و تجارت و امنیت و مرز هفته آینده ادامه "
    "خواهد یافت و امیدوار است پیش از پایان ماه به توافق برسند هرچند احزاب مخالف می‌گویند "
    "که این برنامه به سود مردم نیست و باید دوباره بررسی شود"
)


def shapes() -> list[tuple[str, str]]:
    en_words = EN_TEXT.split()
    fa_words = FA_TEXT.split()
    pairs_en = [f'"{a} {b}"' for a, b in zip(en_words, en_words[1:], strict=False)]
    pairs_fa = [f'"{a} {b}"' for a, b in zip(fa_words, fa_words[1:], strict=False)]
    far_en = [f'"{a} {b}"~50' for a, b in zip(en_words, en_words[3:], strict=False)]
    far_fa = [f'"{a} {b}"~50' for a, b in zip(fa_words, fa_words[3:], strict=False)]
    nest = "(" * 20 + "kabul OR " + "(".join(f"{w} AND " for w in en_words[:18]) + "x" + ")" * 40
    return [
        ("50 one-letter prefixes (en)", " ".join(f"{c}*" for c in string.ascii_lowercase * 2)),
        ("one-letter prefixes (fa)", _fit([f"{c}*" for c in FA_LETTERS * 4])),
        ("two-letter prefixes (en)", _fit([f"{a}{b}*" for a in "bcdfghlmnprstw" for b in "aeiou"])),
        ("prefixes OR'd (en)", _fit([f"{c}*" for c in string.ascii_lowercase * 3], " OR ")),
        ("prefixes in title: (en)", _fit([f"title:{c}*" for c in string.ascii_lowercase * 2])),
        ("many phrases (en)", _fit(pairs_en)),
        ("many phrases (fa)", _fit(pairs_fa)),
        ("long proximity (en)", _fit(far_en)),
        ("long proximity (fa)", _fit(far_fa)),
        ("deep parentheses (en)", nest[:LIMIT]),
        ("many OR terms (en)", _fit(en_words, " OR ")),
        ("many OR terms (fa)", _fit(fa_words, " OR ")),
        ("500 characters of prose (en)", EN_TEXT[:LIMIT]),
        ("500 characters of prose (fa)", FA_TEXT[:LIMIT]),
        ("phrase of common words (en)", '"' + " ".join(en_words[:60])[: LIMIT - 2] + '"'),
        ("prefixes and NOT (en)", _fit([f"{c}* -{c}e*" for c in string.ascii_lowercase])),
    ]


def build(size: int, data_dir: Path) -> None:
    from bench.engines import load_articles
    from bench.search_speed import build_set

    docs = build_set(load_corpus(), size)
    fa = sum(doc.lang == "fa" for doc in docs)
    log(f"{size} articles ({fa} fa, {size - fa} en)")
    django_setup()
    start = time.perf_counter()
    load_articles(docs)
    log(f"  database load {time.perf_counter() - start:.0f}s")
    env = {**os.environ, "NEWSARCHIVE_DATA_DIR": str(data_dir)}
    command = [sys.executable, "manage.py", "rebuild_index", "--noinput", "--no-progress"]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"rebuild_index failed: {done.stderr[-2000:]}")
    log(f"  {done.stdout.strip()}")


def search_phase() -> None:
    """In a fresh process: each shape once to warm, then timed; one JSON line out."""
    django_setup(migrate=False)
    from articles.models import Article
    from articles.search.engine import search_articles
    from articles.search.types import SearchParams

    search_articles(SearchParams(q="kabul"))
    out = {"articles": Article.objects.count(), "shapes": []}
    for name, q in shapes():
        params = SearchParams(q=q, highlight=True, with_facets=True)
        cpu, wall = time.process_time(), time.perf_counter()
        result = search_articles(params)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        cut = any(getattr(m, "kind", "") == "budget" for m in result.messages)
        out["shapes"].append(
            {"name": name, "chars": len(q), "cpu_ms": cpu * 1000, "wall_ms": wall * 1000,
             "count": result.count, "cut": cut}
        )  # fmt: skip
    print(json.dumps(out))


def run_search(data_dir: Path, code: Path) -> dict:
    """The search phase in a fresh process running `code`'s articles package (this file is
    run by path, so an older checkout without it can be measured too)."""
    env = {**os.environ, "NEWSARCHIVE_DATA_DIR": str(data_dir), "PYTHONPATH": str(code)}
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--phase-search"],
        cwd=code, env=env, capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode:
        raise RuntimeError(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=62_838)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--search-only", action="store_true")
    parser.add_argument("--code", type=Path, action="append", help="checkout(s) to compare")
    parser.add_argument("--phase-search", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase_search:
        search_phase()
        return
    if args.data_dir is None:  # `python -m bench`: a throw-away archive
        require_corpus()
        with temporary_data_dir() as data_dir:
            report(args, data_dir)
        return
    data_dir = args.data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["NEWSARCHIVE_DATA_DIR"] = str(data_dir)
    report(args, data_dir)


def report(args: argparse.Namespace, data_dir: Path) -> None:
    if not args.search_only and not (data_dir / "whoosh_index").exists():
        require_corpus()
        build(args.size, data_dir)
    codes = args.code or [ROOT]
    results = {str(code): run_search(data_dir, code.resolve()) for code in codes}
    for code, result in results.items():
        print(f"\n### hostile shapes at {result['articles']} articles ({code})\n")
        rows = [
            (s["name"], s["chars"], f"{s['cpu_ms']:.0f}", f"{s['wall_ms']:.0f}", s["count"],
             "yes" if s["cut"] else "")
            for s in result["shapes"]
        ]  # fmt: skip
        print_table(["shape", "chars", "CPU ms", "wall ms", "hits", "budget cut"], rows)
        worst = max(s["cpu_ms"] for s in result["shapes"])
        print(f"\ncostliest: {worst:.0f} ms CPU (target ≤ 500 ms at 100k articles)")


if __name__ == "__main__":
    main()
