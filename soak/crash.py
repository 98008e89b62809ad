"""Crashes: `kill -9` during an import of a large JSON Lines dump, during `rebuild_index` and
during an admin-like save loop; then the archive must serve, hold no half-written article,
and `check_index --repair` must restore agreement. A stale lock left by a dead process is
detected and does not block the next writer."""

from __future__ import annotations

import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

from soak.common import PYTHON, ROOT, environment, manage, new_data_dir, script, spawn

WORDS_EN = ("Kabul Herat report books election peace talks water project council market "
            "minister farmers winter roads school hospital border trade").split()  # fmt: skip
WORDS_FA = "کابل هرات گزارش کتاب انتخابات صلح آب پروژه شورا بازار وزیر کشاورزان زمستان".split()

CONSISTENCY = """
import json
from django.db import connection
from django.test import Client
from articles.models import Article, ArticleEntity
from articles.text.sanitize import html_to_text
from articles.text import content_hash
half_written = []
for a in Article.objects.iterator(chunk_size=2000):
    if (not a.title or not a.body_text or not a.content_hash
            or html_to_text(a.body_html) != a.body_text
            or content_hash(f"{a.title}\\n{a.body_text}") != a.content_hash):
        half_written.append(a.pk)
with connection.cursor() as cursor:
    cursor.execute("PRAGMA integrity_check")
    integrity = cursor.fetchone()[0]
    cursor.execute("PRAGMA foreign_key_check")
    dangling = len(cursor.fetchall())
bad_tags = ArticleEntity.objects.filter(mentions__lt=0).count()
client = Client(HTTP_HOST="localhost")
first = Article.objects.published().order_by("pk").first()
pages = ["/healthz", "/en/", "/fa/search/?q=%DA%A9%D8%A7%D8%A8%D9%84", "/en/search/?q=Kabul",
         "/en/feeds/latest/rss/"] + ([first.get_absolute_url()] if first else [])
statuses = {url: client.get(url).status_code for url in pages}
print(json.dumps({"articles": Article.objects.count(), "half_written": half_written[:20],
                  "integrity": integrity, "dangling_foreign_keys": dangling,
                  "negative_tag_counts": bad_tags, "statuses": statuses}))
"""

SAVE_LOOP = """
import sys
from articles import services
from articles.models import Article
ids = list(Article.objects.order_by("pk").values_list("pk", flat=True)[:300])
n = 0
while True:
    article = Article.objects.get(pk=ids[n % len(ids)])
    article.title = f"saved {n} " + article.title.split(" ", 2)[-1][:200]
    article.body_html = f"<p>Edited {n} in Kabul.</p><p>" + article.body_text[:2000] + "</p>"
    services.article_save(article)
    n += 1
    print("saved", n, flush=True)
"""


def write_dump(path: Path, records: int, *, seed: int = 7) -> Path:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as handle:
        for n in range(records):
            fa = n % 3 == 0
            words = WORDS_FA if fa else WORDS_EN
            paragraphs = [" ".join(rng.choice(words) for _ in range(60)) for _ in range(4)]
            record = {
                "id": f"crash-{n}", "lang": "fa" if fa else "en",
                "title": f"{' '.join(rng.choice(words) for _ in range(6))} {n}",
                "body": "\n\n".join(paragraphs), "source": "Crash Wire",
                "published": f"20{10 + n % 14}-0{1 + n % 9}-1{n % 10}",
            }  # fmt: skip
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def _count(data_dir: Path) -> int:
    try:
        with sqlite3.connect(f"file:{data_dir / 'db.sqlite3'}?mode=ro", uri=True, timeout=5) as db:
            return db.execute("SELECT count(*) FROM articles_article").fetchone()[0]
    except sqlite3.Error:
        return 0


def _kill_when(proc: subprocess.Popen, ready, *, timeout: float = 600) -> bool:
    """kill -9 `proc` as soon as `ready()`; False if it finished first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        if ready():
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            return True
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    raise TimeoutError("the operation never reached the point to crash it")


def _manage_proc(data_dir: Path, *args: str, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=environment(data_dir, **env),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def _after_crash(data_dir: Path) -> dict:
    consistency = script(data_dir, CONSISTENCY, timeout=1800)
    # One run: it compares, repairs what differs, compares again and exits 0 only on agreement.
    repair = manage(data_dir, "check_index", "--repair", check=False, timeout=3600)
    repaired = re.search(r"Repaired (\d+) documents", repair.stdout)
    return {
        **consistency,
        "drift_before_repair": int(repaired.group(1)) if repaired else 0,
        "repair_exit": repair.returncode,
        "drift_after_repair": _drift(repair.stdout),
        "check_after_repair_exit": repair.returncode,
    }


def _drift(output: str) -> int:
    total = 0
    for line in output.splitlines():
        line = line.strip()
        if line.startswith(("missing", "in the index but", "stale")):
            total += int(line.split(":", 1)[1].split("[", 1)[0].strip() or 0)
    return total


def crash_import(data_dir: Path, *, records: int, log=print) -> dict:
    dump = write_dump(data_dir / "big.jsonl", records)
    proc = _manage_proc(data_dir, "import_articles", str(dump), "--status", "published",
                        "--batch-size", "200", "-v", "0")  # fmt: skip
    killed = _kill_when(proc, lambda: _count(data_dir) >= min(600, records // 4))
    at_kill = _count(data_dir)
    log(f"import killed={killed} with {at_kill} of {records} articles written")
    result = {"killed": killed, "articles_at_kill": at_kill, **_after_crash(data_dir)}
    manage(data_dir, "import_articles", str(dump), "--status", "published", "-v", "0")
    result["articles_after_reimport"] = _count(data_dir)
    result["drift_after_reimport"] = _drift(manage(data_dir, "check_index", check=False).stdout)
    return result


def crash_rebuild(data_dir: Path, *, log=print) -> dict:
    index = data_dir / "whoosh_index"
    start = time.time()

    def writing() -> bool:  # the new segment is being written
        return any(p.stat().st_mtime > start + 0.5 for p in index.glob("*") if p.is_file())

    proc = _manage_proc(data_dir, "rebuild_index", "--noinput", "--no-progress")
    killed = _kill_when(proc, writing)
    log(f"rebuild killed={killed}")
    holder = (data_dir / "whoosh_index.writer.lock").read_text().strip()
    result = {"killed": killed, "lock_file_pid": holder, "lock_holder_was_killed": holder == str(
        proc.pid)}  # fmt: skip
    result.update(_after_crash(data_dir))
    return result


def crash_save_loop(data_dir: Path, *, log=print) -> dict:
    proc = spawn(data_dir, SAVE_LOOP, NEWSARCHIVE_INDEX_SYNC="true")
    saved = []

    def enough() -> bool:
        line = proc.stdout.readline()
        if line.startswith("saved"):
            saved.append(int(line.split()[1]))
        return bool(saved) and saved[-1] >= 15

    killed = _kill_when(proc, enough)
    log(f"save loop killed={killed} after {saved[-1] if saved else 0} saves")
    return {"killed": killed, "saves_before_kill": saved[-1] if saved else 0,
            **_after_crash(data_dir)}  # fmt: skip


STALE_LOCK = """
import json, os, sys, time
from articles.search.contract import get_backend
from articles.search.sync.lock import index_write_lock, last_holder, lock_path_for
from articles.models import Article
from articles.search.sync.worker import process_pending
from articles.search.sync.queue import enqueue_articles
backend = get_backend()
dead = int(sys.argv[1])
lock_path_for(backend.path).write_text(str(dead))
from pathlib import Path
Path(backend.path, "MAIN_WRITELOCK").write_text(str(dead))   # Whoosh's own lock file
reported = last_holder(backend.path)
started = time.monotonic()
with index_write_lock(backend.path, timeout=5):
    waited = time.monotonic() - started
if not Article.objects.published().exists():  # an archive of its own: give it an article
    from articles import services
    from articles.models import Source
    source, _ = Source.objects.get_or_create(slug="lock-test", defaults={"name_en": "Lock"})
    article = Article(source=source, language="en", title="Lock test", status="published")
    services.article_prepare(article, body_text="Written after a stale lock.")
    services.article_save(article)
enqueue_articles(list(Article.objects.published().values_list("pk", flat=True)[:50]))
report = process_pending(lock_timeout=5)
print(json.dumps({"dead_pid": dead, "reported_holder": reported, "waited_s": round(waited, 3),
                  "applied_after_stale_lock": report.indexed, "lock_timeout": report.lock_timeout,
                  "holder_now": last_holder(backend.path), "me": os.getpid()}))
"""


def stale_lock(data_dir: Path) -> dict:
    dead = subprocess.Popen(["true"])
    dead.wait()
    result = script(data_dir, STALE_LOCK, str(dead.pid), NEWSARCHIVE_INDEX_SYNC="false")
    result["cleared"] = (
        result["reported_holder"] == dead.pid and result["waited_s"] < 1
        and result["applied_after_stale_lock"] > 0 and not result["lock_timeout"]
    )  # fmt: skip
    return result


def run_crashes(*, records: int = 5_000, data_dir: Path | None = None, log=print) -> dict:
    data_dir = data_dir or new_data_dir("crash")
    manage(data_dir, "migrate", "--noinput")
    results = {"data_dir": str(data_dir), "records": records}
    results["import"] = crash_import(data_dir, records=records, log=log)
    results["rebuild"] = crash_rebuild(data_dir, log=log)
    results["save_loop"] = crash_save_loop(data_dir, log=log)
    results["stale_lock"] = stale_lock(data_dir)
    return results
