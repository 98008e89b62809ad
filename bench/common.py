"""What every benchmark shares: the shared corpus, the qrels, the metrics, a throw-away archive.

The corpus lives in ../shared/corpus (read-only, never copied into the project). A benchmark
calls `require_corpus()` first: where the corpus is absent it prints why and exits cleanly.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import math
import os
import resource
import shutil
import statistics
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSARCHIVE_SHARED") or ROOT.parent / "shared")
CORPUS = SHARED / "corpus"
QRELS = CORPUS / "qrels"


@dataclass
class Doc:
    id: str
    lang: str
    title: str
    body: str
    source: str = ""
    published: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return f"{self.title}\n\n{self.body}"


class Engine(Protocol):
    """A search engine under test: index documents once, then answer ranked queries."""

    name: str

    def build(self, docs: Sequence[Doc]) -> None: ...

    def search(self, query: str, k: int) -> list[str]: ...

    def close(self) -> None: ...


class Skip(Exception):
    """A benchmark (or one engine of it) cannot run here; the message says why."""


def require_corpus(*parts: str) -> Path:
    path = CORPUS.joinpath(*parts)
    if not path.exists():
        print(f"skipped: {path} is absent (the shared corpus is needed for this benchmark)")
        raise SystemExit(0)
    return path


# --- corpus and qrels -------------------------------------------------------------------------


def read_jsonl(path: Path) -> Iterator[Doc]:
    core = {"id", "lang", "title", "body", "source", "published"}
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            record = json.loads(line)
            yield Doc(
                id=record["id"],
                lang=record["lang"],
                title=record.get("title") or "",
                body=record.get("body") or "",
                source=record.get("source") or "",
                published=record.get("published"),
                extra={key: value for key, value in record.items() if key not in core},
            )


def corpus_files(prefix: str = "") -> list[Path]:
    return sorted(CORPUS.glob(f"{prefix}*.jsonl.gz"))


def load_corpus(prefix: str = "") -> list[Doc]:
    """Every article of the corpus files whose name starts with `prefix` ("fa_", "en_", "")."""
    return [doc for path in corpus_files(prefix) for doc in read_jsonl(path)]


def read_queries(name: str) -> dict[str, str]:
    queries: dict[str, str] = {}
    with open(QRELS / name / "queries.tsv", encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            qid, _, text = line.rstrip("\n").partition("\t")
            if qid and text:
                queries[qid] = text
    return queries


def read_qrels(name: str, filename: str = "qrels.txt") -> dict[str, set[str]]:
    qrels: dict[str, set[str]] = {}
    with open(QRELS / name / filename, encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) >= 4 and int(parts[3]) > 0:
                qrels.setdefault(parts[0], set()).add(parts[2])
    return qrels


# --- metrics ----------------------------------------------------------------------------------


def average_precision(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    """AP cut at rank k, divided by the most relevant documents k ranks can hold, min(R, k).

    This is the convention of the anchors in TARGETS.md (MAP@100 equals trec_eval's map_cut_100
    on both sets; MAP@10 differs from map_cut_10 only for queries with more than 10 relevant).
    """
    if not relevant:
        return 0.0
    hits = 0
    total = 0.0
    for rank, doc_id in enumerate(ranked[:k], start=1):
        if doc_id in relevant:
            hits += 1
            total += hits / rank
    return total / min(len(relevant), k)


def ndcg(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    """Binary-gain nDCG at rank k with the log2(rank + 1) discount."""
    if not relevant:
        return 0.0
    dcg = sum(
        1.0 / math.log2(rank + 1)
        for rank, doc_id in enumerate(ranked[:k], start=1)
        if doc_id in relevant
    )
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(len(relevant), k) + 1))
    return dcg / ideal


@dataclass
class Scores:
    map10: float
    map100: float
    ndcg10: float
    queries: int


def evaluate(run: dict[str, list[str]], qrels: dict[str, set[str]]) -> Scores:
    """Mean scores over the judged queries; a judged query missing from `run` scores 0."""
    judged = [qid for qid in qrels if qrels[qid]]
    if not judged:
        return Scores(0.0, 0.0, 0.0, 0)
    ap10 = [average_precision(run.get(qid, []), qrels[qid], 10) for qid in judged]
    ap100 = [average_precision(run.get(qid, []), qrels[qid], 100) for qid in judged]
    nd10 = [ndcg(run.get(qid, []), qrels[qid], 10) for qid in judged]
    return Scores(
        map10=statistics.fmean(ap10),
        map100=statistics.fmean(ap100),
        ndcg10=statistics.fmean(nd10),
        queries=len(judged),
    )


def run_queries(engine: Engine, queries: dict[str, str], k: int = 100) -> dict[str, list[str]]:
    return {qid: engine.search(text, k) for qid, text in queries.items()}


# --- timing, memory, output -------------------------------------------------------------------


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (pct in 0..100)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def peak_rss_mb() -> float:
    """Peak resident memory of this process image so far, in MB.

    Linux's VmHWM starts afresh at exec; `ru_maxrss` would carry over the peak of the parent
    that forked this process, so it is only the fallback.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def dir_size_mb(path: Path) -> float:
    path = Path(path)
    if path.is_file():
        return path.stat().st_size / 1e6
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def ratio(value: float, baseline: float) -> str:
    if not baseline or math.isnan(baseline) or math.isnan(value):
        return "n/a"
    return f"{value / baseline:.2f}×"


def print_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """Print (and return) a Markdown table; floats get three decimals."""

    def cell(value: object) -> str:
        if isinstance(value, float):
            return "n/a" if math.isnan(value) else f"{value:.3f}"
        return str(value)

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in rows]
    text = "\n".join(lines)
    print(text, flush=True)
    return text


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- a throw-away archive (database + search index) -------------------------------------------


@contextlib.contextmanager
def temporary_data_dir(prefix: str = "newsarchive-bench-") -> Iterator[Path]:
    """A data directory of its own for this process: its own SQLite database and Whoosh index.

    Settings read NEWSARCHIVE_DATA_DIR when Django starts, so this must run before the first
    `django_setup()` of the process.
    """
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=os.environ.get("NEWSARCHIVE_BENCH_TMP")))
    previous = os.environ.get("NEWSARCHIVE_DATA_DIR")
    os.environ["NEWSARCHIVE_DATA_DIR"] = str(path)
    try:
        yield path
    finally:
        if previous is None:
            os.environ.pop("NEWSARCHIVE_DATA_DIR", None)
        else:
            os.environ["NEWSARCHIVE_DATA_DIR"] = previous
        if not os.environ.get("NEWSARCHIVE_BENCH_KEEP"):
            shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def data_dir(path: str | None) -> Iterator[Path]:
    """The data directory named by `--data-dir` (kept, created if missing), or a temporary one."""
    if not path:
        with temporary_data_dir() as temporary:
            yield temporary
        return
    kept = Path(path).resolve()
    kept.mkdir(parents=True, exist_ok=True)
    os.environ["NEWSARCHIVE_DATA_DIR"] = str(kept)
    yield kept


_django_ready = False


def django_setup(migrate: bool = True) -> None:
    """Start Django once per process (test settings: fast, quiet) and create the tables."""
    global _django_ready
    if _django_ready:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings.test")
    os.environ.setdefault("NEWSARCHIVE_LOG_LEVEL", "WARNING")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    # Articles are loaded in bulk and indexed by the bulk indexer; nothing should be applied
    # one change at a time behind the benchmark's back.
    settings.NEWSARCHIVE_INDEX_SYNC = False
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
    _django_ready = True


def timed(func: Callable[[], object]) -> tuple[object, float]:
    import time

    start = time.perf_counter()
    value = func()
    return value, time.perf_counter() - start
