"""Faults, with real processes on a real SQLite file and Whoosh index (soak/ has the long runs):
`kill -9` during an import, a rebuild and a save loop leaves no half-written article, the
archive serves, and `check_index --repair` restores agreement; a stale lock left by a dead
process does not block the next writer; four concurrent writers lose no write."""

from __future__ import annotations

import shutil

import pytest

from soak import crash
from soak.common import manage, new_data_dir
from soak.concurrency import run_concurrency


@pytest.fixture(scope="module")
def archive_dir():
    data_dir = new_data_dir("test-crash")
    manage(data_dir, "migrate", "--noinput")
    yield data_dir
    shutil.rmtree(data_dir, ignore_errors=True)


def assert_recovered(result: dict) -> None:
    assert result["killed"], "the process finished before it could be killed"
    assert result["half_written"] == []
    assert result["integrity"] == "ok" and result["dangling_foreign_keys"] == 0
    assert result["negative_tag_counts"] == 0
    assert set(result["statuses"].values()) == {200}, result["statuses"]
    assert result["repair_exit"] == 0
    assert result["drift_after_repair"] == 0 and result["check_after_repair_exit"] == 0


@pytest.mark.slow
def test_kill_during_import_then_reimport_completes(archive_dir):
    result = crash.crash_import(archive_dir, records=1500, log=lambda _m: None)
    assert_recovered(result)
    assert 0 < result["articles_at_kill"] < 1500
    assert result["articles_after_reimport"] == 1500  # nothing doubled, nothing missing
    assert result["drift_after_reimport"] == 0


@pytest.mark.slow
def test_kill_during_rebuild_keeps_the_previous_index(archive_dir):
    result = crash.crash_rebuild(archive_dir, log=lambda _m: None)
    assert_recovered(result)
    assert result["lock_holder_was_killed"]  # the dead rebuild held the lock: it was freed
    assert result["drift_before_repair"] == 0  # the old index kept serving, complete


@pytest.mark.slow
def test_kill_during_save_loop(archive_dir):
    assert_recovered(crash.crash_save_loop(archive_dir, log=lambda _m: None))


@pytest.mark.slow
def test_stale_locks_of_a_dead_process_are_detected_and_do_not_block(archive_dir):
    result = crash.stale_lock(archive_dir)
    assert result["reported_holder"] == result["dead_pid"]  # detected (for diagnostics)
    assert result["cleared"], result
    assert result["holder_now"] == result["me"]


@pytest.mark.slow
def test_concurrent_writers_lose_no_write_and_leave_no_drift(tmp_path):
    result = run_concurrency(seconds=8, readers=1, data_dir=tmp_path, log=lambda _m: None)
    print(
        f"\nconcurrency: {result['writes_made']} writes made, {result['writes_found']} found, "
        f"{result['searches']} searches, check_index exit {result['check_index_exit']}"
    )
    assert result["writes_made"] > 0 and result["writes_lost"] == 0, result["lost"]
    assert result["writer_errors"] == 0, result["writer_error_sample"]
    assert result["search_errors"] == 0, result["search_error_sample"]
    assert result["check_index_exit"] == 0, result["check_index"]
    assert result["index_title_mismatch"] == [] and result["pending_tasks"] == 0


def test_production_starts_with_gunicorns_lower_case_log_level(tmp_path):
    # gunicorn.conf.py lower-cases NEWSARCHIVE_LOG_LEVEL; Django's logging needs upper case.
    # With "warning" the production settings used to fail at start-up (found by the load run).
    import subprocess
    import sys

    from soak.common import ROOT, environment

    env = environment(
        tmp_path, "newsarchive.settings.prod", NEWSARCHIVE_LOG_LEVEL="warning",
        DJANGO_SECRET_KEY="k" * 50, DJANGO_STATIC_ROOT=str(tmp_path / "static"),
    )  # fmt: skip
    started = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('ok')"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert started.returncode == 0 and "ok" in started.stdout, started.stderr[-2000:]


@pytest.mark.django_db
def test_health_reads_the_index_count_without_a_match_all_query(client, search_index):
    # Haystack's SearchQuerySet().count() took 21 s on the 100k-article load archive, longer
    # than a load balancer waits; the Whoosh document count is immediate.
    from articles.search.sync import indexing
    from tests.factories import make_article

    for n in range(3):
        make_article(language="fa" if n % 2 else "en")
    indexing.rebuild()
    body = client.get("/healthz").json()
    assert body == {"database": "ok", "search": "ok", "indexed": 3}


@pytest.mark.django_db
def test_import_leaves_planner_statistics_so_article_pages_use_the_selective_index(tmp_path):
    # Found by the load run: without statistics, an article page's near-duplicate query
    # walked every published article (0.25 s at 100k articles).
    import json

    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's planner statistics; PostgreSQL's autovacuum analyses by itself")
    dump = tmp_path / "few.jsonl"
    dump.write_text(
        "".join(
            json.dumps(
                {
                    "id": f"p{n}",
                    "lang": "en",
                    "title": f"Planner {n}",
                    "source": "Wire",
                    "body": f"Text number {n} about the planner.",
                }
            )
            + "\n"
            for n in range(5)
        )  # fmt: skip
    )
    call_command("import_articles", str(dump), status="published", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'articles_article'")
        assert cursor.fetchone()[0] > 0
        cursor.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM articles_article "
            "WHERE status = 'published' AND duplicate_of_id IN (1)"
        )
        assert "duplicate_of" in " ".join(str(row) for row in cursor.fetchall())
