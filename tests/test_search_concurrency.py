"""Several real processes write articles at once (each applying the index queue after its own
commits, NEWSARCHIVE_INDEX_SYNC) while another searches: afterwards no update is lost and
check_index finds no drift. The processes share a file database and index in a temporary
data directory, as web workers on one machine do."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WRITERS = 4
ROUNDS = 4

SETUP = """
import django; django.setup()
from articles.models import Source
Source.objects.create(slug="wire", name_en="Wire")
"""

WRITER = """
import sys
import django; django.setup()
from articles import services
from articles.models import Article, Source
n, rounds = int(sys.argv[1]), int(sys.argv[2])
source = Source.objects.get(slug="wire")
for r in range(rounds):
    article = Article(source=source, language="fa" if n % 2 else "en", title=f"w{n}r{r} first")
    services.article_prepare(article, body_text=f"Report w{n}r{r} about books کتاب")
    services.article_save(article)
    services.articles_publish(Article.objects.filter(pk=article.pk))
    article.refresh_from_db()
    article.title = f"w{n}r{r} final"
    services.article_save(article)
    if r % 2 == 0:
        services.articles_hide(Article.objects.filter(pk=article.pk))
print("wrote", rounds)
"""

SEARCHER = """
import sys, time
from pathlib import Path
import django; django.setup()
from articles.search.contract import get_backend
backend = get_backend()
query = backend.parser_for("text", "title").parse("books OR final")
stop, searches = Path(sys.argv[1]), 0
while not stop.exists():
    backend.raw_search(query, facets=["language", "source"])
    searches += 1
    time.sleep(0.01)
print("searched", searches)
"""

VERIFY = """
import django; django.setup()
from articles.models import Article, IndexTask
from articles.search.contract import get_backend
backend = get_backend()
result = backend.raw_search(None, pagelen=1000)
indexed = {hit.fields["article_id"]: hit.fields["title"] for hit in result.hits}
published = dict(Article.objects.published().values_list("pk", "title"))
assert indexed == published, (indexed, published)
assert all(title.endswith("final") for title in indexed.values())
assert not IndexTask.objects.exists(), list(IndexTask.objects.values())
print("verified", len(indexed))
"""


def run(env: dict, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=timeout,
    )  # fmt: skip


@pytest.mark.slow
def test_concurrent_writers_and_a_searcher_lose_no_update(tmp_path):
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "newsarchive.settings.test",
        "NEWSARCHIVE_DATA_DIR": str(tmp_path),
        "NEWSARCHIVE_INDEX_SYNC": "true",
        "NEWSARCHIVE_LOG_LEVEL": "ERROR",
    }
    env.pop("DATABASE_URL", None)
    assert run(env, "manage.py", "migrate", "-v0").returncode == 0
    assert run(env, "-c", SETUP).returncode == 0
    stop = tmp_path / "stop"
    popen = {"cwd": ROOT, "env": env, "stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    searcher = subprocess.Popen([sys.executable, "-c", SEARCHER, str(stop)], text=True, **popen)
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(n), str(ROUNDS)], text=True, **popen)
        for n in range(WRITERS)
    ]
    try:
        for writer in writers:
            out, err = writer.communicate(timeout=180)
            assert writer.returncode == 0, err
            assert out.strip() == f"wrote {ROUNDS}"
        stop.touch()
        out, err = searcher.communicate(timeout=60)
        assert searcher.returncode == 0, err
    finally:
        stop.touch()
        for process in [searcher, *writers]:
            if process.poll() is None:
                process.kill()
                process.wait()
    assert int(out.split()[-1]) > 0

    verified = run(env, "-c", VERIFY)
    assert verified.returncode == 0, verified.stderr
    expected = WRITERS * (ROUNDS // 2)  # the odd rounds stay published
    assert verified.stdout.strip() == f"verified {expected}"
    checked = run(env, "manage.py", "check_index")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "missing from the index: 0" in checked.stdout
