"""The growth, freshness and tail-profile benchmarks run end to end on a tiny archive."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench import growth
from tests.conftest import needs_shared

ROOT = Path(__file__).resolve().parents[1]


def run_module(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600
    )


def test_the_growth_harness_refuses_to_build_inside_the_project():
    args = argparse.Namespace(dir=ROOT / "growth-data", sizes="200", queries=4, only="", fts5=True)
    with pytest.raises(SystemExit, match="inside the project"):
        growth.run(args)
    assert not (ROOT / "growth-data").exists()


def test_memory_of_this_process_has_private_pages_within_its_resident_set():
    memory = growth.memory_now()
    assert 0 < memory["uss"] <= memory["pss"] <= memory["rss"] <= memory["rss_peak"] + 1


@pytest.mark.slow
@needs_shared("corpus")
def test_the_growth_curve_builds_searches_and_tabulates_two_tiny_sizes(tmp_path):
    done = run_module(
        "bench.growth", "--sizes", "150,300", "--dir", str(tmp_path), "--queries", "8"
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "| 150 | " in done.stdout and "| 300 | " in done.stdout
    assert "p95 at 300 / p95 at 150" in done.stdout
    for size in (150, 300):
        build = json.loads((tmp_path / str(size) / "build.json").read_text())
        assert build["size"] == size and build["rebuild_cpu"] > 0 and build["index_mb"] > 0
        ours = json.loads((tmp_path / str(size) / "search-ours.json").read_text())
        assert len(ours["plain"]) == 8 and ours["memory"]["uss"] > 0
    # Done steps are skipped: a second run only prints the table again.
    again = run_module("bench.growth", "--sizes", "150,300", "--dir", str(tmp_path))
    assert again.returncode == 0 and "build 1 of" not in again.stderr

    fresh = run_module(
        "bench.freshness", "--archive", str(tmp_path / "300"), "--trials", "2", "--import", "40"
    )
    assert fresh.returncode == 0, fresh.stderr[-2000:]
    assert "| default (`NEWSARCHIVE_INDEX_SYNC` on) | 2 / 2 |" in fresh.stdout
    assert "| index worker (`run_index_worker`, 2 s poll) | 2 / 2 |" in fresh.stdout
    assert "import: " in fresh.stdout and "exit 0" in fresh.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["150", "300", "queries.json"]

    profile = run_module("bench.tail_profile", "--archive", str(tmp_path / "300"), "--slowest", "3")
    assert profile.returncode == 0, profile.stderr[-2000:]
    assert "sorted by cumulative" in profile.stdout and "search_articles" in profile.stdout
