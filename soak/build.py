"""A large archive for the load run: the shared corpus imported, then copies of its articles
(new titles, so new content hashes) until the archive holds `target` articles, then the index
rebuilt. Each step is skipped when already done, so an interrupted build can be resumed."""

from __future__ import annotations

import glob
import time
from pathlib import Path

from soak.common import manage, script

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"

COPY = """
import json, sys
from django.db import transaction
from articles.models import Article
from articles.text import content_hash
target = int(sys.argv[1])
have = Article.objects.count()
originals = list(Article.objects.order_by("pk").values_list("pk", flat=True))
fields = [f.attname for f in Article._meta.concrete_fields if f.attname not in ("id",)]
copy, made = 1, 0
while have + made < target:
    for start in range(0, len(originals), 2000):
        if have + made >= target:
            break
        chunk = Article.objects.filter(pk__in=originals[start:start + 2000]).order_by("pk")
        batch = []
        for article in chunk[: target - have - made]:
            values = {name: getattr(article, name) for name in fields}
            values["title"] = f"{article.title} ({copy + 1})"
            values["original_url"] = ""
            values["canonical_url"] = ""
            external = article.external_id
            values["external_id"] = f"{external}#copy{copy}" if external else ""
            values["counterpart_id"] = None
            values["duplicate_of_id"] = None
            values["content_hash"] = content_hash(values["title"] + "\\n" + article.body_text)
            batch.append(Article(**values))
        with transaction.atomic():
            Article.objects.bulk_create(batch, batch_size=500)
        made += len(batch)
    copy += 1
from articles.management.commands.import_articles import refresh_planner_statistics
refresh_planner_statistics()
print(json.dumps({"before": have, "copied": made, "total": Article.objects.count()}))
"""


def build_archive(data_dir: Path, *, target: int = 100_000, log=print) -> dict:
    data_dir.mkdir(parents=True, exist_ok=True)
    manage(data_dir, "migrate", "--noinput")
    count = script(data_dir, COUNT)["articles"]
    if count == 0:
        files = sorted(glob.glob(str(CORPUS / "*.jsonl.gz")))
        if not files:
            raise SystemExit(f"No corpus at {CORPUS}: pass an archive that has articles.")
        started = time.perf_counter()
        manage(data_dir, "import_articles", *files, "--status", "published", "--no-index",
               "--no-tag", "-v", "0")  # fmt: skip
        log(f"imported the corpus in {time.perf_counter() - started:.0f}s")
    copied = script(data_dir, COPY, str(target), timeout=7200)
    log(f"copies: {copied}")
    info = script(data_dir, COUNT)
    if info["indexed"] != info["published"]:
        started = time.perf_counter()
        done = manage(data_dir, "rebuild_index", "--noinput", "--no-progress", timeout=14400)
        log(done.stdout.strip() + f" ({time.perf_counter() - started:.0f}s)")
        info = script(data_dir, COUNT)
    return info


COUNT = """
import json
from articles.models import Article
from articles.search.contract import get_backend
try:
    indexed = len(get_backend().stored_versions())
except Exception:
    indexed = 0
print(json.dumps({"articles": Article.objects.count(),
                  "published": Article.objects.published().count(), "indexed": indexed}))
"""
