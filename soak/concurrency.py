"""Concurrent writers: four processes edit (services), tag and import while readers search
and the index worker runs, all on one SQLite database and one Whoosh index in a fresh data
directory. Every writer records what it wrote; afterwards every write must be found in the
database (and the index must agree: `check_index` reports zero drift, titles match)."""

from __future__ import annotations

import json
import time
from pathlib import Path

from soak.common import manage, new_data_dir, script, spawn

SEED = """
import json
from articles import services
from articles.models import Article, Entity, EntityAlias, Source
from articles.search.sync import indexing
wire = Source.objects.create(slug="wire", name_en="Wire", name_fa="خبرگزاری")
for slug, en, fa in (("kabul", "Kabul", "کابل"), ("herat", "Herat", "هرات"),
                     ("taliban", "Taliban", "طالبان"), ("un", "United Nations", "سازمان ملل")):
    entity = Entity.objects.create(slug=slug, name_en=en, name_fa=fa, kind="place")
    services.entity_ensure_name_aliases(entity)
for n in range(200):
    language = "fa" if n % 2 else "en"
    body = ("گزارش تازه از کابل و هرات درباره کتاب " if n % 2 else
            "A new report from Kabul and Herat about books ") * 8
    article = Article(source=wire, language=language, title=f"seed {n}", status="published")
    services.article_prepare(article, body_text=body)
    services.article_save(article)
indexing.rebuild()
print(json.dumps({"articles": Article.objects.count()}))
"""

# Every writer: argv = role, number, seconds, stop file; prints one JSON line of what it wrote.
WRITER = """
import json, random, sys, time, traceback
from pathlib import Path
from articles import services
from articles.models import Article, Entity
role, number, seconds, stop = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), Path(sys.argv[4])
rng = random.Random(number)
deadline = time.monotonic() + seconds
ids = sorted(Article.objects.filter(title__startswith="seed ").values_list("pk", flat=True))
mine = [pk for pk in ids if pk % 2 == number % 2]   # two editors: disjoint halves
entities = list(Entity.objects.all())
writes, errors, last = 0, [], {}
n = 0
while time.monotonic() < deadline and not stop.exists():
    n += 1
    try:
        if role == "editor":
            pk = rng.choice(mine)
            article = Article.objects.get(pk=pk)
            token = f"e{number}n{n}"
            article.title = f"seed {pk} {token}"
            services.article_save(article)
            if number == 1 and n % 5 == 0:   # also hide and publish again: index removals
                services.articles_hide(Article.objects.filter(pk=pk))
                services.articles_publish(Article.objects.filter(pk=pk))
            last[str(pk)] = article.title
        elif role == "tagger":
            article = Article.objects.get(pk=rng.choice(ids))
            entity = rng.choice(entities)
            services.article_tag(article=article, entity=entity, mentions=n)
            last[f"{article.pk}:{entity.pk}"] = n
        elif role == "importer":
            from articles.ingest.load import LoadOptions, import_targets
            folder = Path(sys.argv[5])
            path = folder / f"batch{number}-{n}.jsonl"
            records = [{"id": f"soak-{number}-{n}-{k}", "lang": "fa" if k % 2 else "en",
                        "title": f"imported {number}-{n}-{k} Kabul کابل",
                        "body": f"Imported report {n} {k} from Kabul about books. " * 5,
                        "source": "Soak Wire", "published": "2024-01-02"} for k in range(5)]
            path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\\n" for r in records))
            report = import_targets([str(path)], options=LoadOptions(status="published"))
            if report.failed:
                raise RuntimeError(f"import failed: {report.render()}")
            for record in records:
                last[record["id"]] = record["title"]
        writes += 1
    except Exception as error:
        errors.append(f"{type(error).__name__}: {error}"[:300])
        traceback.print_exc()
print(json.dumps({"role": role, "number": number, "writes": writes, "errors": errors,
                  "last": last}))
"""

READER = """
import json, random, sys, time
from pathlib import Path
from django.test import Client
from articles.search.engine import params_from_query, search_articles
stop, rng = Path(sys.argv[1]), random.Random(int(sys.argv[2]))
queries = ["Kabul", "کابل", "books OR کتاب", "seed", "imported", '"new report"', "هرات", "e1*"]
client, searches, errors, slow = Client(HTTP_HOST="localhost"), 0, [], 0.0
while not stop.exists():
    q = rng.choice(queries)
    started = time.perf_counter()
    try:
        if searches % 4 == 0:
            status = client.get("/en/search/", {"q": q}).status_code
            if status != 200:
                errors.append(f"search page {status}")
        else:
            params, _ = params_from_query({"q": q, "sort": rng.choice(["relevance", "newest"])},
                                          ui_language="en")
            search_articles(params)
    except Exception as error:
        errors.append(f"{type(error).__name__}: {error}"[:300])
    slow = max(slow, time.perf_counter() - started)
    searches += 1
print(json.dumps({"searches": searches, "errors": errors, "slowest": round(slow, 3)}))
"""

VERIFY = """
import json, sys
from articles.models import Article, ArticleEntity, IndexTask
from articles.search.contract import get_backend
from articles.search.sync.worker import process_pending
writers = json.loads(open(sys.argv[1]).read())
process_pending()
made = found = 0
lost = []
titles = dict(Article.objects.values_list("pk", "title"))
by_external = dict(Article.objects.exclude(external_id="").values_list("external_id", "title"))
tags = {f"{a}:{e}": m for a, e, m in ArticleEntity.objects.values_list(
    "article_id", "entity_id", "mentions")}
for writer in writers:
    for key, value in writer["last"].items():
        made += 1
        if writer["role"] == "editor":
            ok = titles.get(int(key)) == value
        elif writer["role"] == "tagger":
            ok = tags.get(key) is not None and tags[key] >= value
        else:
            ok = by_external.get(key) == value
        found += ok
        if not ok:
            lost.append((writer["role"], key, value))
backend = get_backend()
indexed_titles = {}
with backend.searcher() as searcher:
    for fields in searcher.all_stored_fields():
        indexed_titles[fields["article_id"]] = fields.get("title")
published = dict(Article.objects.published().values_list("pk", "title"))
title_mismatch = [pk for pk, title in published.items() if indexed_titles.get(pk) != title]
print(json.dumps({"writes_made": made, "writes_found": found, "lost": lost[:20],
                  "articles": len(titles), "published": len(published),
                  "indexed": len(indexed_titles), "index_title_mismatch": title_mismatch[:20],
                  "pending_tasks": IndexTask.objects.count()}))
"""

# As deployed, writers only queue index updates and the worker applies them
# (NEWSARCHIVE_INDEX_SYNC=false); one editor applies its own after each commit, as a
# development server or a management command does, so both paths meet the same lock.
ROLES = (("editor", "false"), ("editor", "true"), ("tagger", "false"), ("importer", "false"))


def run_concurrency(
    *, seconds: float = 60, readers: int = 2, data_dir: Path | None = None, log=print
) -> dict:
    data_dir = data_dir or new_data_dir("concurrency")
    manage(data_dir, "migrate", "--noinput")
    seeded = script(data_dir, SEED)
    log(f"seeded {seeded['articles']} articles in {data_dir}")
    stop = data_dir / "stop"
    imports = data_dir / "imports"
    imports.mkdir(exist_ok=True)
    worker = spawn(data_dir, _WORKER, log=data_dir / "worker.log")
    # One address for every reader: the per-client rate limit would answer 429 (by design).
    reader_procs = [spawn(data_dir, READER, str(stop), str(n), NEWSARCHIVE_RATELIMIT="false")
                    for n in range(readers)]  # fmt: skip
    started = time.monotonic()
    writer_procs = [
        spawn(
            data_dir,
            WRITER,
            role,
            str(n),
            str(seconds),
            str(stop),
            str(imports),
            log=data_dir / f"writer{n}.log",
            NEWSARCHIVE_INDEX_SYNC=sync,
        )  # fmt: skip
        for n, (role, sync) in enumerate(ROLES)
    ]
    for proc in writer_procs:
        proc.wait(timeout=seconds + 600)
    elapsed = time.monotonic() - started
    stop.touch()
    reads = [json.loads(proc.communicate(timeout=300)[0].strip().splitlines()[-1])
             for proc in reader_procs]  # fmt: skip
    worker.terminate()
    worker.wait(timeout=120)
    writers = [_last_json(data_dir / f"writer{n}.log") for n in range(len(ROLES))]
    (data_dir / "writers.json").write_text(json.dumps(writers))
    verify = script(data_dir, VERIFY, str(data_dir / "writers.json"), timeout=900)
    check = manage(data_dir, "check_index", check=False)
    result = {
        "seconds": round(elapsed, 1),
        "writers": {f"{w['role']}{w['number']}": w["writes"] for w in writers},
        "write_operations": sum(w["writes"] for w in writers),
        "writer_errors": sum(len(w["errors"]) for w in writers),
        "searches": sum(r["searches"] for r in reads),
        "search_errors": sum(len(r["errors"]) for r in reads),
        "search_error_sample": [e for r in reads for e in r["errors"]][:5],
        "writer_error_sample": [e for w in writers for e in w["errors"]][:5],
        "slowest_search_s": max(r["slowest"] for r in reads),
        "check_index_exit": check.returncode,
        "check_index": check.stdout.strip().splitlines(),
        **verify,
        "data_dir": str(data_dir),
    }
    result["writes_lost"] = result["writes_made"] - result["writes_found"]
    return result


_WORKER = """
from django.core.management import call_command
call_command("run_index_worker", interval=0.5)
"""


def _last_json(path: Path) -> dict:
    lines = [line for line in path.read_text().splitlines() if line.startswith("{")]
    return json.loads(lines[-1])
