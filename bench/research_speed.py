"""Speed of the research views: attention, top terms, concordance, co-mentions, compare.

    python -m bench.research_speed [--size 100000] [--queries 60] [--data-dir DIR]

Builds an archive of `--size` articles like `bench.search_speed` (a seeded sample of the corpus,
or beyond 62,838 the whole corpus plus shuffled copies), tags it with entities (the test
gazetteer plus one entity per frequent title word, so co-mentions have work to do) and indexes
it with `rebuild_index`; then a fresh process times each research service on a query set (a
third each of Persian title words, English title words and single frequent words) and prints
p50/p95 wall and CPU milliseconds. `--data-dir DIR` keeps (or reuses, when it already holds an
index) the archive in DIR; `--build-only` stops after building.

Targets (shared/TARGETS.md): attention, top terms, concordance, co-mentions p95 ≤ 300 ms at
100k; compare with 5 queries ≤ 1 s.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from bench.common import ROOT, django_setup, load_corpus, log, percentile, print_table
from bench.search_speed import SEED, build_set

SYNTHETIC_ENTITIES = 200
_WORD = re.compile(r"[^\W\d_]{4,}")


def _synthetic_gazetteer(docs) -> list[dict]:
    """One entity per frequent title word (English capitalised, Persian any), seeded."""
    from articles.text.english import EN_STOPWORDS
    from articles.text.persian import FA_STOPWORDS

    counts: Counter[tuple[str, str]] = Counter()
    for doc in docs[:30_000]:
        for word in set(_WORD.findall(doc.title)):
            if doc.lang == "en" and word[0].isupper() and word.lower() not in EN_STOPWORDS:
                counts[("en", word)] += 1
            elif doc.lang == "fa" and word not in FA_STOPWORDS:
                counts[("fa", word)] += 1
    rows = []
    for (lang, word), _n in counts.most_common(SYNTHETIC_ENTITIES):
        name = {"name_en": word} if lang == "en" else {"name_fa": word}
        rows.append({"kind": "other", **name, "slug": f"w-{len(rows)}"})
    return rows


def build(size: int, data_dir: Path) -> None:
    os.environ["NEWSARCHIVE_DATA_DIR"] = str(data_dir)
    django_setup()
    from bench.engines import load_articles

    docs = build_set(load_corpus(), size)
    fa = sum(doc.lang == "fa" for doc in docs)
    log(f"{size} articles ({fa} fa, {len(docs) - fa} en) into {data_dir}")
    start = time.perf_counter()
    load_articles(docs)
    log(f"  database load {time.perf_counter() - start:.0f}s")
    from articles.curation.gazetteer import import_entities
    from articles.curation.tagging import tag_articles
    from articles.models import Article

    gazetteer = data_dir / "gazetteer.jsonl"
    lines = (ROOT / "tests/fixtures/gazetteer/afghanistan.jsonl").read_text(encoding="utf-8")
    extra = "\n".join(json.dumps(row, ensure_ascii=False) for row in _synthetic_gazetteer(docs))
    gazetteer.write_text(lines.rstrip("\n") + "\n" + extra + "\n", encoding="utf-8")
    import_entities(str(gazetteer))
    start = time.perf_counter()
    report = tag_articles(Article.objects.all(), enqueue=False, batch_size=2000)
    log(f"  tagged in {time.perf_counter() - start:.0f}s: {report}")
    env = {**os.environ, "NEWSARCHIVE_DATA_DIR": str(data_dir)}
    start = time.perf_counter()
    command = [sys.executable, "manage.py", "rebuild_index", "--noinput", "--no-progress"]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"rebuild_index failed: {done.stderr[-2000:]}")
    log(f"  indexed in {time.perf_counter() - start:.0f}s: {done.stdout.strip()}")
    (data_dir / "built.json").write_text(json.dumps({"size": size, "fa": fa}), encoding="utf-8")


def _queries(count: int) -> list[tuple[str, str]]:
    """(query, language) pairs: title words of indexed articles and frequent words."""
    from articles.models import Article

    rng = random.Random(SEED)
    titles = {
        language: list(
            Article.objects.filter(language=language).values_list("title", flat=True)[:20_000]
        )
        for language in ("fa", "en")
    }
    out: list[tuple[str, str]] = []
    for language in ("fa", "en"):
        for title in rng.sample(titles[language], count // 3):
            words = [w for w in _WORD.findall(title)][:2]
            if words:
                out.append((" ".join(words), language))
    single = ["taliban", "Kabul", "oil", "government", "طالبان", "ایران", "تهران", "president"]
    out += [(rng.choice(single), "") for _ in range(count // 3)]
    rng.shuffle(out)
    return out


def measure(queries: int) -> dict:
    django_setup(migrate=False)
    from articles.research import attention, comentions, compare, kwic, terms
    from articles.search.types import SearchParams

    pairs = _queries(queries)

    def params(q: str) -> SearchParams:
        return SearchParams(q=q, highlight=False, with_facets=False)

    views = {
        "attention": lambda q: attention.attention_for(params(q), calendar="gregorian"),
        "attention (Solar Hijri)": lambda q: attention.attention_for(params(q), calendar="jalali"),
        "top terms": lambda q: terms.top_terms(params(q)),
        "concordance": lambda q: kwic.concordance(params(q), page=1),
        "co-mentions": lambda q: comentions.co_mentions(params(q)),
    }
    for func in views.values():  # opens the index, fills the column and background caches
        func(pairs[0][0])
    out: dict = {}
    for name, func in views.items():
        wall, cpu = [], []
        for q, _language in pairs:
            start, start_cpu = time.perf_counter(), time.process_time()
            func(q)
            cpu.append((time.process_time() - start_cpu) * 1000)
            wall.append((time.perf_counter() - start) * 1000)
        out[name] = (wall, cpu)
    wall, cpu = [], []
    for index in range(0, len(pairs) - 4, 5):
        group = [q for q, _l in pairs[index : index + 5]]
        start, start_cpu = time.perf_counter(), time.process_time()
        compare.compare([compare.QuerySpec(q) for q in group], base=params(""))
        cpu.append((time.process_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start) * 1000)
    out["compare (5 queries)"] = (wall, cpu)
    out["_samples"] = {"terms": terms.SAMPLE_SIZE, "kwic_docs": kwic.MAX_DOCS}
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--data-dir", help="keep (or reuse) the archive here")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.queries)))
        return
    import tempfile

    data_dir = Path(args.data_dir or tempfile.mkdtemp(prefix="newsarchive-research-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    if not (data_dir / "built.json").exists():
        build(args.size, data_dir)
    if args.build_only:
        return
    built = json.loads((data_dir / "built.json").read_text(encoding="utf-8"))
    env = {**os.environ, "NEWSARCHIVE_DATA_DIR": str(data_dir)}
    command = [sys.executable, "-m", "bench.research_speed", "--measure"]
    done = subprocess.run(
        [*command, "--queries", str(args.queries)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    timings = json.loads(done.stdout.strip().splitlines()[-1])
    samples = timings.pop("_samples")
    rows = [
        (
            name,
            len(wall),
            f"{percentile(wall, 50):.0f} / {percentile(cpu, 50):.0f}",
            f"{percentile(wall, 95):.0f} / {percentile(cpu, 95):.0f}",
        )
        for name, (wall, cpu) in timings.items()
    ]
    print(f"\n### research views at {built['size']} articles ({built['fa']} fa)\n")
    print_table(["view", "requests", "p50 ms wall / CPU", "p95 ms wall / CPU"], rows)
    print(
        f"\ntop terms sample: {samples['terms']} articles; concordance reads at most "
        f"{samples['kwic_docs']} articles per page. targets: p95 ≤ 300 ms; compare ≤ 1 s"
    )


if __name__ == "__main__":
    main()
