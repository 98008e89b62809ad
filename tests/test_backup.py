"""Backup and restore (articles/curation/backup.py): an archive with Persian and English articles is
backed up in both formats, restored into fresh data directories, its index rebuilt, and the same
searches return the same ids. Real processes, real SQLite files, real Whoosh indexes."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ["کتاب", "کابل", "books", "election OR Kabul", '"peace talks"', "طالبان"]

SEARCH = """
def search_ids():
    from articles.search.engine import params_from_query, search_articles
    out = {}
    for q in QUERIES:
        params, _messages = params_from_query({"q": q, "sort": "newest"}, ui_language="en")
        out[q] = [hit.article_id for hit in search_articles(params).hits]
    return out
"""

SEED = f"""
import json, sys
import django; django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from articles import services
from articles.models import Article, Entity, Source, ArticleEntity
from articles.search.sync import indexing
QUERIES = json.loads(sys.argv[1])
{SEARCH}
source = Source.objects.create(slug="wire", name_en="Wire", name_fa="خبرگزاری")
kabul = Entity.objects.create(slug="kabul", name_en="Kabul", name_fa="کابل", kind="place")
texts = [
    ("fa", "کتاب‌های تازه در کابل", "نمایشگاه کتاب در کابل باز شد و طالبان حضور داشتند."),
    ("fa", "گفتگوهای صلح", "دور تازه گفتگوهای صلح در دوحه."),
    ("en", "New books in Kabul", "A book fair opened in Kabul; peace talks went on."),
    ("en", "Election day", "Voters in Kabul went to the polls in the election."),
    ("en", "Draft about books", "Never published books."),
]
for n, (language, title, body) in enumerate(texts * 3):
    article = Article(source=source, language=language, title=f"{{title}} {{n}}",
                      status="draft" if "Draft" in title else "published")
    services.article_prepare(article, body_text=body)
    services.article_save(article)
    if n % 2 == 0:
        services.article_tag(article=article, entity=kabul, mentions=2)
indexing.rebuild()
ids = search_ids()
assert sum(map(len, ids.values())) > 10, ids
call_command("backup_archive", sys.argv[2], verbosity=0)
call_command("backup_archive", sys.argv[3], fmt="json", verbosity=0)
tags = sorted(ArticleEntity.objects.values_list("article_id", "entity__slug", "mentions"))
print(json.dumps({{"ids": ids, "articles": Article.objects.count(), "tags": tags}}))
"""

RESTORE = f"""
import json, sys
import django; django.setup()
from django.core.management import call_command
from articles.models import Article, ArticleEntity
QUERIES = json.loads(sys.argv[1])
{SEARCH}
call_command("restore_archive", sys.argv[2], verbosity=0)
tags = sorted(ArticleEntity.objects.values_list("article_id", "entity__slug", "mentions"))
print(json.dumps({{"ids": search_ids(), "articles": Article.objects.count(), "tags": tags}}))
"""


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "NEWSARCHIVE_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "newsarchive.settings.test",
    }
    env.pop("DATABASE_URL", None)  # the backed-up archive is SQLite in data_dir
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )


def last_json(completed: subprocess.CompletedProcess) -> dict:
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads(completed.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_backup_restore_answers_the_same_searches_in_both_formats(tmp_path):
    queries = json.dumps(QUERIES, ensure_ascii=False)
    sqlite_backup, json_backup = tmp_path / "archive.sqlite3.gz", tmp_path / "archive.json.gz"
    before = last_json(
        run(tmp_path / "live", "-c", SEED, queries, str(sqlite_backup), str(json_backup))
    )
    with gzip.open(sqlite_backup, "rb") as handle:
        assert handle.read(16) == b"SQLite format 3\x00"
    with gzip.open(json_backup, "rt", encoding="utf-8") as handle:
        assert "کتاب" in handle.read()  # Persian kept as text, not escapes

    for backup in (sqlite_backup, json_backup):
        fresh = tmp_path / f"restored-{backup.name}"
        after = last_json(run(fresh, "-c", RESTORE, queries, str(backup)))
        assert after == before, backup.name
        assert (fresh / "whoosh_index").exists() or any(fresh.iterdir())

    # Restoring over an archive that has articles is refused, with the fix in the message.
    refused = run(tmp_path / "live", "manage.py", "restore_archive", str(sqlite_backup))
    assert refused.returncode != 0
    assert "already holds" in refused.stderr and "--force" in refused.stderr


def test_restore_explains_a_missing_or_foreign_file(tmp_path):
    not_gzip = tmp_path / "notes.txt"
    not_gzip.write_text("hello")
    with pytest.raises(CommandError, match="No backup at"):
        call_command("restore_archive", str(tmp_path / "nope.gz"))
    with pytest.raises(CommandError, match="not a gzip backup"):
        call_command("restore_archive", str(not_gzip))
    with pytest.raises(CommandError, match="Unknown backup format|invalid choice"):
        call_command("backup_archive", str(tmp_path / "x.gz"), fmt="tar")
