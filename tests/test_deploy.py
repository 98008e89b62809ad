"""Production settings pass Django's deployment checks and set the security headers."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECRET = "x" * 20 + "production-secret-key-for-the-deploy-check-only-0123456789"


def prod_env(tmp_path: Path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="newsarchive.settings.prod",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS="archive.example",
        NEWSARCHIVE_DATA_DIR=str(tmp_path),
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
    )
    return env


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=prod_env(tmp_path), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_sets_security_headers(tmp_path):
    code = """
import django
django.setup()
from django.test import Client
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
response = Client().get("/en/", secure=True, HTTP_HOST="archive.example")
for name in ("Strict-Transport-Security", "Content-Security-Policy", "X-Content-Type-Options",
             "Referrer-Policy", "X-Frame-Options"):
    print(name, "=", response.get(name))
print("status", response.status_code)
print("insecure", Client().get("/en/", HTTP_HOST="archive.example").status_code)
"""
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=prod_env(tmp_path), capture_output=True,
        text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    out = dict(line.split(" = ", 1) for line in result.stdout.splitlines() if " = " in line)
    assert "max-age=31536000" in out["Strict-Transport-Security"]
    assert "script-src 'self'" in out["Content-Security-Policy"]
    assert out["X-Content-Type-Options"] == "nosniff"
    assert out["X-Frame-Options"] == "DENY"
    assert "status 200" in result.stdout
    assert "insecure 301" in result.stdout  # plain HTTP is redirected to HTTPS
