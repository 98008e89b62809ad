"""Peak memory of the CSV export: streamed by chunks versus built whole, in the same run.

Fills a throw-away database with synthetic articles (half Persian, half English, two entity
tags each), then measures with tracemalloc:

- streamed: ids read with `iterator(chunk_size=…)`, articles fetched `CHUNK_SIZE` at a time by
  `published_articles_in_order`, CSV produced by `csv_chunks` and each piece dropped once
  "sent" (what `StreamingHttpResponse` does with the export view's generator);
- the same streamed export of a fifth of the rows, to show the peak does not grow with them;
- baseline: every article loaded into a list with the same query shape, every record built,
  then the whole CSV joined into one string.

    .venv/bin/python -m bench.export_memory [--rows 50000]
"""

from __future__ import annotations

import argparse
import random
import time
import tracemalloc
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from bench.common import django_setup, log, print_table, ratio, temporary_data_dir

BASE_URL = "https://archive.example"
FA_WORDS = "کابل هرات صلح گفت‌وگو دولت مردم خبر امروز اقتصاد بازار دانشگاه زنان کودکان".split()
EN_WORDS = "Kabul Herat peace talks government people news today economy market women".split()


def fill(rows: int) -> None:
    from articles.models import Article, ArticleEntity, Entity, Source

    rng = random.Random(7)
    source = Source.objects.create(slug="synthetic", name_en="Synthetic", name_fa="ساختگی")
    entities = Entity.objects.bulk_create(
        Entity(slug=f"entity-{n}", name_en=f"Entity {n}", name_fa=f"موجودیت {n}") for n in range(50)
    )
    start = datetime(2020, 1, 1, tzinfo=UTC)
    batch = 2000
    for offset in range(0, rows, batch):
        articles = []
        for n in range(offset, min(rows, offset + batch)):
            language = "fa" if n % 2 else "en"
            words = FA_WORDS if language == "fa" else EN_WORDS
            body = " ".join(rng.choice(words) for _ in range(300))
            articles.append(
                Article(
                    source=source,
                    language=language,
                    title=" ".join(rng.choice(words) for _ in range(8)) + f" {n}",
                    slug=f"article-{n}",
                    body_text=body,
                    body_html=f"<p>{body}</p>",
                    status=Article.Status.PUBLISHED,
                    published_at=start + timedelta(minutes=17 * n),
                    original_url=f"https://example.org/{n}",
                )
            )
        created = Article.objects.bulk_create(articles)
        ArticleEntity.objects.bulk_create(
            ArticleEntity(article=article, entity=entity, mentions=rng.randint(1, 5))
            for article in created
            for entity in rng.sample(entities, 2)
        )
        log(f"filled {min(rows, offset + batch)}/{rows}")


def measure(run: Callable[[], int]) -> tuple[int, float, float]:
    """(bytes produced, peak traced MB, seconds) of one run."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    started = time.perf_counter()
    produced = run()
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return produced, peak / 1e6, seconds


def streamed(rows: int) -> int:
    from articles.models import Article
    from articles.outputs.exports import csv_chunks, export_record, published_articles_in_order

    ids = (
        Article.objects.published()
        .newest_first()
        .values_list("pk", flat=True)[:rows]
        .iterator(chunk_size=2000)
    )
    records = (
        export_record(article, base_url=BASE_URL, language="fa")
        for article in published_articles_in_order(ids)
    )
    sent = 0
    for piece in csv_chunks(records):
        sent += len(piece.encode("utf-8"))  # the piece goes to the client and is dropped
    return sent


def built_whole(rows: int) -> int:
    from articles.models import Article
    from articles.outputs.exports import (
        articles_for_output,
        csv_chunks,
        export_record,
        with_entities,
    )

    articles = with_entities(
        list(articles_for_output(Article.objects.published()).newest_first()[:rows])
    )
    records: Iterable[dict] = [
        export_record(article, base_url=BASE_URL, language="fa") for article in articles
    ]
    document = "".join(csv_chunks(records)).encode("utf-8")
    return len(document)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    options = parser.parse_args()
    with temporary_data_dir():
        django_setup()
        from django.utils import translation

        started = time.perf_counter()
        fill(options.rows)
        log(f"filled in {time.perf_counter() - started:.1f}s")
        with translation.override("fa"):
            # Imports, URL resolvers and translations load once, outside both measurements.
            streamed(20)
            built_whole(20)
            fifth = max(1, options.rows // 5)
            _bytes, fifth_peak, fifth_seconds = measure(lambda: streamed(fifth))
            stream_bytes, stream_peak, stream_seconds = measure(lambda: streamed(options.rows))
            whole_bytes, whole_peak, whole_seconds = measure(lambda: built_whole(options.rows))
        assert stream_bytes == whole_bytes, (stream_bytes, whole_bytes)
        print(f"CSV export of {options.rows} articles ({stream_bytes / 1e6:.1f} MB of CSV)")
        print_table(
            ["mode", "peak traced MB", "seconds", "peak vs baseline"],
            [
                [f"streamed, first {fifth} rows", fifth_peak, fifth_seconds, "–"],
                [
                    "streamed (chunks of ids)",
                    stream_peak,
                    stream_seconds,
                    ratio(stream_peak, whole_peak),
                ],
                ["baseline (whole list)", whole_peak, whole_seconds, "1.00×"],
            ],
        )


if __name__ == "__main__":
    main()
