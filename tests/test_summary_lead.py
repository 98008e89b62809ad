"""A summary that the body already opens with is not shown a second time."""

from __future__ import annotations

import gzip
import json

import pytest

from articles.text.lead import repeats_lead
from tests.conftest import CORPUS, needs_shared
from tests.factories import make_article

LEAD_FA = "سنگ‌های گرده ترسبات یا ته‌نشین شدگی‌های مرکب از منرال‌ها و نمک‌هایی است."
LEAD_EN = "Kabul's mayor opened the new library on Monday, officials said."


@pytest.mark.parametrize(
    ("summary", "body", "expected"),
    [
        (LEAD_FA, LEAD_FA + "\n\nبند دوم.", True),
        (LEAD_FA[:60], LEAD_FA, True),  # cut inside a word
        (LEAD_FA.replace("ی", "ي").replace("\u200c", " "), LEAD_FA, True),  # spelling variants
        (LEAD_EN + "..", LEAD_EN + "\n\nMore.", True),
        (LEAD_EN[:40] + "…", LEAD_EN, True),
        ("The library opened on Monday.", LEAD_EN, False),  # a real summary
        ("اپلکیشن رایگان است.", LEAD_FA, False),
        ("", LEAD_EN, False),
        (LEAD_EN + " And more words than the body has.", LEAD_EN, False),
    ],
)
def test_repeats_lead_reads_the_opening_words(summary, body, expected):
    assert repeats_lead(summary, body) is expected


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "lead"), [("fa", LEAD_FA), ("en", LEAD_EN)])
def test_the_article_page_does_not_repeat_the_lead_as_summary(client, language, lead):
    repeated = make_article(language=language, summary=lead[:50], body=lead + "\n\nMore text.")
    page = client.get(repeated.get_absolute_url()).content.decode()
    shown = page[page.index("<article") :]  # the <head> has it once more, as the description
    assert 'class="summary"' not in shown and shown.count(lead[:30]) == 1
    distinct = make_article(language=language, summary="A summary of its own.", body=lead)
    assert (
        '<p class="summary">A summary of its own.</p>'
        in client.get(distinct.get_absolute_url()).content.decode()
    )


@needs_shared("corpus", "fa_voa_dari.jsonl.gz")
def test_voa_dari_summaries_that_repeat_the_lead_are_recognised():
    with gzip.open(CORPUS / "fa_voa_dari.jsonl.gz", "rt", encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines]
    repeated = sum(repeats_lead(r.get("summary") or "", r.get("body") or "") for r in records)
    assert repeated >= 59, repeated
