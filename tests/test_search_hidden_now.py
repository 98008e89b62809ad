"""Hidden means hidden now: from the commit of a hide, the article is on no search surface
(results, counts, facets, chart, suggestions, snippets, feeds, exports), in either language,
while another process holds the index writer; the curator's action does not wait for the
writer; and the index catches up by itself once the writer is free."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from articles.models import Article, IndexTask
from articles.search.contract import get_backend
from articles.search.sync import indexing
from tests.factories import make_article, make_source

ROOT = Path(__file__).resolve().parents[1]

HOLDER = """
import sys
from articles.search.sync.lock import index_write_lock
with index_write_lock(sys.argv[1], timeout=5):
    print("held", flush=True)
    sys.stdin.readline()
"""


@pytest.fixture
def archive(search_index):
    wire = make_source(slug="wire", name_en="Wire", name_fa="خبرگزاری")
    other = make_source(slug="other", name_en="Other", name_fa="دیگر")
    articles = {
        "en_secret": make_article(
            language="en", source=wire, title="Zanzibar ledger",
            body="Kabul zanzibar ledger."),
        "fa_secret": make_article(
            language="fa", source=wire, title="دفتر زنگبار",
            body="کابل زنگبار دفتر نارنجستان."),
        "en_public": make_article(language="en", source=other, body="Kabul market report."),
        "fa_public": make_article(language="fa", source=other, body="کابل بازار گزارش."),
    }  # fmt: skip
    indexing.rebuild()
    return articles


@pytest.fixture
def writer_held_elsewhere(archive):
    """Another real process holds the index writer lock until the test lets it go."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, get_backend().path],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert holder.stdout.readline().strip() == "held"
    yield holder
    if holder.poll() is None:
        holder.kill()
    holder.wait(timeout=10)


def release(holder) -> None:
    holder.stdin.write("\n")
    holder.stdin.flush()
    holder.wait(timeout=10)


def search_json(client, language: str, **params) -> dict:
    response = client.get(f"/{language}/search/", {**params, "format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def surfaces(client, language: str, q: str) -> str:
    """Everything a visitor can get for `q`: page, JSON, feeds and exports, as one text."""
    texts = []
    for path in ("search/", "feeds/search/rss/", "feeds/search/atom/", "exports/search.csv",
                 "exports/search.jsonl", "exports/search.ris"):  # fmt: skip
        response = client.get(f"/{language}/{path}", {"q": q})
        assert response.status_code == 200, path
        body = b"".join(response.streaming_content) if response.streaming else response.content
        texts.append(body.decode())
    texts.append(json.dumps(search_json(client, language, q=q), ensure_ascii=False))
    return "\n".join(texts)


def counts(client, language: str, q: str) -> tuple[int, dict]:
    data = search_json(client, language, q=q)
    sources = {v["value"]: v["count"] for v in data["facets"].get("source", [])}
    return data["count"], sources


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("sync", [True, False], ids=["index-sync", "worker"])
def test_a_hide_leaves_every_search_surface_at_once_while_another_process_writes(
    client, archive, writer_held_elsewhere, settings, sync
):
    settings.NEWSARCHIVE_INDEX_SYNC = sync
    secret_words = (
        "Zanzibar ledger", "دفتر زنگبار", "نارنجستان",
        *(f"/articles/{archive[key].pk}/" for key in ("en_secret", "fa_secret")),
    )  # fmt: skip
    for language, q in (("en", "zanzibar"), ("fa", "زنگبار"), ("en", "کابل OR kabul")):
        text = surfaces(client, language, q)
        assert any(word in text for word in secret_words), (language, q)
    assert counts(client, "en", "kabul OR کابل") == (4, {"wire": 2, "other": 2})
    assert search_json(client, "en", q="ledgr")["suggestion"] == "ledger"
    assert search_json(client, "fa", q="نارنجستن")["suggestion"] == "نارنجستان"

    user = get_user_model().objects.create_superuser("curator", "c@example.org", "pw-123-x")
    client.force_login(user)
    with translation.override("fa"):
        url = reverse("admin:articles_article_changelist")
    hidden = [archive["en_secret"].pk, archive["fa_secret"].pk]
    started = time.perf_counter()
    response = client.post(url, {"action": "hide", "_selected_action": hidden})
    took = time.perf_counter() - started
    assert response.status_code == 302
    assert took < 1.0, f"the curator waited {took:.1f}s for the index writer"
    client.logout()

    # The index still holds both articles (the writer is busy): the search leaves them out.
    assert set(hidden) <= set(get_backend().stored_versions())
    assert IndexTask.objects.filter(action="delete").count() == 2
    absent = time.perf_counter()
    for language, q in (("en", "zanzibar"), ("fa", "زنگبار"), ("en", "کابل OR kabul"),
                        ("fa", "kabul OR کابل"), ("en", "ledger"), ("fa", "دفتر")):  # fmt: skip
        text = surfaces(client, language, q)
        assert not any(word in text for word in secret_words), (language, q)
    assert time.perf_counter() - absent < 10  # six queries over six surfaces each
    assert counts(client, "en", "kabul OR کابل") == (2, {"other": 2})
    assert counts(client, "fa", "") == (2, {"other": 2})
    timeline = search_json(client, "en", q="kabul OR کابل")
    assert search_json(client, "en", q="zanzibar")["count"] == 0 == timeline["count"] - 2
    assert search_json(client, "en", q="ledgr")["suggestion"] == ""
    assert search_json(client, "fa", q="نارنجستن")["suggestion"] == ""

    release(writer_held_elsewhere)
    if not sync:  # the deployment with a worker: it applies the queue on its next poll
        from django.core.management import call_command

        call_command("run_index_worker", "--once")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and (
        IndexTask.objects.exists() or set(hidden) & set(get_backend().stored_versions())
    ):
        time.sleep(0.1)
    assert not IndexTask.objects.exists(), "the queue was not applied after the writer freed"
    assert not set(hidden) & set(get_backend().stored_versions())
    assert Article.objects.published().count() == 2


@pytest.mark.django_db
def test_check_index_repair_leaves_an_empty_queue(archive, capsys):
    from django.core.management import call_command

    from articles.search.sync.queue import enqueue_articles

    en, fa = archive["en_public"], archive["fa_public"]
    Article.objects.filter(pk=en.pk).update(title="Kabul market report, revised")
    enqueue_articles([en.pk, fa.pk, en.pk])
    IndexTask.objects.create(model_label="articles.article", object_id=str(fa.pk),
                             action="update", attempts=5, last_error="gave up")  # fmt: skip
    IndexTask.objects.create(model_label="articles.article", object_id="999999", action="delete")
    call_command("check_index", "--repair")
    out = capsys.readouterr().out
    assert "The index agrees with the database." in out
    assert not IndexTask.objects.exists(), list(IndexTask.objects.values())
    assert get_backend().stored_versions()[en.pk] is not None
    result = search_json_direct("revised")
    assert result == [en.pk]


def search_json_direct(q: str) -> list[int]:
    from articles.search.engine import search_articles
    from articles.search.types import SearchParams

    return [hit.article_id for hit in search_articles(SearchParams(q=q)).hits]
