"""Helpers shared by the soak runs: a data directory, Django commands and scripts in it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def environment(data_dir: Path, settings: str = "newsarchive.settings.dev", **extra: str) -> dict:
    env = {
        **os.environ,
        "NEWSARCHIVE_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": settings,
        "DJANGO_DEBUG": "false",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DATABASE_URL", None)  # each run is its own SQLite archive in data_dir
    env.update(extra)
    return env


def new_data_dir(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"newsarchive-soak-{prefix}-"))


def manage(data_dir: Path, *args: str, timeout: float = 3600, check: bool = True, **env: str):
    completed = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=environment(data_dir, **env),
        capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip
    if check and completed.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{completed.stderr[-3000:]}")
    return completed


def script(data_dir: Path, code: str, *args: str, timeout: float = 600, **env: str) -> dict:
    """Run `code` (which prints one JSON line last) with Django set up in `data_dir`."""
    completed = subprocess.run(
        [PYTHON, "-c", "import django; django.setup()\n" + code, *args], cwd=ROOT,
        env=environment(data_dir, **env), capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip
    if completed.returncode != 0:
        raise RuntimeError(f"script failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def spawn(data_dir: Path, code: str, *args: str, log: Path | None = None, **env: str):
    """Start `code` in a process of its own (the caller waits, kills or reads it)."""
    out = open(log, "w") if log else subprocess.PIPE  # noqa: SIM115 - closed with the process
    return subprocess.Popen(
        [PYTHON, "-c", "import django; django.setup()\n" + code, *args], cwd=ROOT,
        env=environment(data_dir, **env), stdout=out, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
