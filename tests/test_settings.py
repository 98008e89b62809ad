import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.search.connections import SearchURLError, haystack_connections

ROOT = Path(__file__).resolve().parents[1]


def run_python(code: str, **env) -> subprocess.CompletedProcess:
    full_env = {
        k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"
    }
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_the_development_secret_key(tmp_path):
    result = run_python(
        "import django; django.setup()",
        DJANGO_SETTINGS_MODULE="newsarchive.settings.prod",
        NEWSARCHIVE_DATA_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_data_dir_holds_database_and_index(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['NAME']); "
        "print(settings.HAYSTACK_CONNECTIONS['default']['PATH'])"
    )
    result = run_python(
        code, DJANGO_SETTINGS_MODULE="newsarchive.settings.dev", NEWSARCHIVE_DATA_DIR=str(tmp_path)
    )
    assert result.returncode == 0, result.stderr
    db, index = result.stdout.split()
    assert db == str(tmp_path / "db.sqlite3") and index == str(tmp_path / "whoosh_index")


def test_database_url_switches_to_postgresql(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['ENGINE'])"
    )
    result = run_python(
        code,
        DJANGO_SETTINGS_MODULE="newsarchive.settings.dev",
        NEWSARCHIVE_DATA_DIR=str(tmp_path),
        DATABASE_URL="postgres://u:p@127.0.0.1:5432/db",
    )
    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_search_url_selects_the_engine(tmp_path):
    whoosh = haystack_connections("", whoosh_path=tmp_path)
    assert whoosh["default"]["ENGINE"].endswith("NewsWhooshEngine")
    solr = haystack_connections("solr://solr1:8983/solr/news", whoosh_path=tmp_path)
    assert solr["default"]["ENGINE"] == "articles.search.solr.NewsSolrEngine"
    assert solr["default"]["URL"] == "http://solr1:8983/solr/news"
    with pytest.raises(SearchURLError):
        haystack_connections("ftp://x", whoosh_path=tmp_path)


def test_languages_and_time_zone(settings):
    assert [code for code, _ in settings.LANGUAGES] == ["fa", "en"]
    assert settings.USE_TZ is True
    assert "django.middleware.locale.LocaleMiddleware" in settings.MIDDLEWARE


@pytest.mark.django_db
def test_no_pending_migrations():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_system_checks_are_clean():
    call_command("check", fail_level="WARNING")
