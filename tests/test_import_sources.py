"""Re-imports leave no empty sources, and two copies of one article in different formats stop
replacing each other (issue: VOA articles as JSON Lines and as saved HTML pages)."""

from __future__ import annotations

import json

import pytest

from articles.ingest.load import LoadOptions, import_targets
from articles.models import Article, Source

URL = "https://www.darivoa.com/a/kabul-wheat-prices/123.html"
BODY_FA = (
    "قیمت گندم در بازارهای کابل در هفته گذشته بالا رفت و دهقانان از خشکسالی شکایت دارند. "
    "مسئولان وزارت زراعت می‌گویند ذخیره‌های گندم برای زمستان کافی است."
)


def jsonl_file(tmp_path, body: str = BODY_FA):
    path = tmp_path / "voa.jsonl"
    record = {
        "id": "voa-123",
        "url": URL,
        "title": "بالا رفتن قیمت گندم در کابل",
        "body": body,
        "lang": "fa",
        "source": "VOA Dari",
        "published": "2021-01-04",
    }
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def html_file(tmp_path):
    paragraphs = "".join(f"<p>{p}</p>" for p in BODY_FA.split(". "))
    path = tmp_path / "voa.html"
    path.write_text(
        '<html lang="fa"><head><meta charset="utf-8"><title>بالا رفتن قیمت گندم در کابل</title>'
        '<meta property="og:site_name" content="صدای امریکا">'
        f'<link rel="canonical" href="{URL}"></head><body><article>'
        f"<h1>بالا رفتن قیمت گندم در کابل</h1>{paragraphs}"
        "<p>این گزارش را خبرنگار ما از کابل فرستاده است و جزئیات بیشتر به زودی منتشر می‌شود.</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    return path


@pytest.mark.django_db
def test_a_copy_under_another_source_name_leaves_no_empty_source(tmp_path):
    options = LoadOptions(index=False, neardup=False)
    import_targets([str(jsonl_file(tmp_path))], options=options)
    assert list(Source.objects.values_list("name_en", flat=True)) == ["VOA Dari"]
    report = import_targets([str(html_file(tmp_path))], options=LoadOptions(index=False))
    assert report.created == 0
    assert not Source.objects.filter(name_fa="صدای امریکا").exists()
    assert Source.objects.count() == 1 and Article.objects.count() == 1


@pytest.mark.django_db
def test_json_lines_and_html_copies_stop_overwriting_each_other(tmp_path):
    options = LoadOptions(index=False, neardup=False)
    targets = {"jsonl": str(jsonl_file(tmp_path)), "html": str(html_file(tmp_path))}
    import_targets([targets["html"]], options=options)
    first = import_targets([targets["jsonl"]], options=options)
    assert first.updated == 1  # the dump is trusted over the page: it replaces the text once
    for _round in range(2):
        for kind in ("html", "jsonl"):
            report = import_targets([targets[kind]], options=options)
            assert (report.created, report.updated, report.unchanged) == (0, 0, 1), kind
    assert Article.objects.get().provenance_format == "jsonl"
    changed = import_targets([str(jsonl_file(tmp_path, BODY_FA + " خبر تازه."))], options=options)
    assert changed.updated == 1  # the same kind of input still updates its article
