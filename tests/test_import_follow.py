"""`import_articles` with the index following (the default): the loader applies the queue in
big batches, the index agrees with the database afterwards, and an import that dies midway
leaves its committed articles' tasks queued."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.ingest.load import ArticleLoader, LoadOptions
from articles.ingest.parse import iter_records
from articles.models import Article, IndexTask
from articles.search.engine import search_articles
from articles.search.sync import follow
from articles.search.sync.indexing import check
from articles.search.sync.worker import process_pending
from articles.search.types import SearchParams

EN_WORDS = ["wheat", "salang", "cotton", "saffron", "pomegranate", "glacier", "caravan"]
FA_WORDS = ["گندم", "سالنگ", "پنبه", "زعفران", "انار", "یخچال", "کاروان"]


def write_dump(path: Path) -> Path:
    records = []
    for n, (en, fa) in enumerate(zip(EN_WORDS, FA_WORDS, strict=True)):
        records.append(
            {
                "id": f"en-{n}",
                "lang": "en",
                "title": f"Markets report {en} prices",
                "body": f"Traders in town {n} said {en} prices rose by {n + 3} percent this week.",
                "published": f"2021-06-{n + 1:02d}",
                "source": "Balkh Wire",
            }  # fmt: skip
        )
        records.append(
            {
                "id": f"fa-{n}",
                "lang": "fa",
                "title": f"گزارش بازار {fa}",
                "body": f"بازرگانان شهر {n} گفتند قیمت {fa} در این هفته {n + 3} درصد بالا رفت.",
                "published": f"2021-06-{n + 1:02d}",
                "source": "Balkh Wire",
            }  # fmt: skip
        )
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n")
    return path


def titles(q: str) -> list[str]:
    found = search_articles(SearchParams(q=q, highlight=False, with_facets=False))
    return [hit.title for hit in found.hits]


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(follow, "EVERY", 4)  # applied several times during the import
    monkeypatch.setattr(follow, "BATCH", 3)


def test_an_import_with_the_index_following_leaves_the_index_agreeing_and_the_queue_empty(
    tmp_path, db, search_index, small_batches
):
    dump = write_dump(tmp_path / "dump.jsonl")
    call_command(
        "import_articles", str(dump), "--status", "published", "--batch-size", "3",
        verbosity=0, stdout=StringIO(),
    )  # fmt: skip
    assert Article.objects.published().count() == 14
    assert not IndexTask.objects.exists()
    assert check(deep=True).drift == 0
    assert titles("saffron") == ["Markets report saffron prices"]
    assert titles("زعفران") == ["گزارش بازار زعفران"]


def test_an_import_that_dies_midway_leaves_its_committed_articles_queued(
    tmp_path, db, search_index, monkeypatch
):
    monkeypatch.setattr(follow, "EVERY", 100)  # dies before the first application
    dump = write_dump(tmp_path / "dump.jsonl")

    def dies_after_eight():
        for n, record in enumerate(iter_records(str(dump))):
            if n == 8:
                raise KeyboardInterrupt  # the process is stopped: nothing runs after this
            yield record

    loader = ArticleLoader(LoadOptions(status="published", batch_size=3, workers=1))
    with pytest.raises(KeyboardInterrupt), follow.following() as loader.follower:
        loader.run(dies_after_eight())
    published = Article.objects.published().count()
    assert published == 6  # two batches of three were committed
    queued = set(IndexTask.objects.values_list("object_id", flat=True))
    ids = {str(pk) for pk in Article.objects.published().values_list("pk", flat=True)}
    assert queued == ids
    assert len(check().missing) == 6
    process_pending()
    assert not IndexTask.objects.exists()
    assert check(deep=True).drift == 0
