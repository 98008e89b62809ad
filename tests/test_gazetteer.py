"""Loading gazetteers: JSONL and CSV, reloads update and never duplicate, bad rows reported."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.curation.gazetteer import import_entities
from articles.models import Entity, EntityAlias, IndexTask
from articles.text import normalize
from tests.factories import make_article, tag

FIXTURES = Path(__file__).parent / "fixtures" / "gazetteer"
SLUGS = {
    "al-qaeda", "taliban", "us-treasury", "haqqani-network", "aqis", "ttp",
    "ayman-al-zawahiri", "united-nations",
}  # fmt: skip


@pytest.fixture(autouse=True)
def _queue_only(settings):
    settings.NEWSARCHIVE_INDEX_SYNC = False


@pytest.mark.parametrize("name", ["afghanistan.jsonl", "afghanistan.csv"])
def test_gazetteer_loads_names_and_aliases_in_both_languages(db, name):
    report = import_entities(FIXTURES / name)
    assert (report.created, report.failed) == (8, 0)
    assert set(Entity.objects.values_list("slug", flat=True)) == SLUGS
    qaeda = Entity.objects.get(slug="al-qaeda")
    assert (qaeda.kind, qaeda.name_fa) == ("group", "القاعده")
    aliases = set(qaeda.aliases.values_list("alias", flat=True))
    assert {"al-Qaeda", "القاعده", "al Qaeda", "al-Qaida"} <= aliases  # names are aliases
    assert "القاعدة" not in aliases  # the same as القاعده once normalised
    un = Entity.objects.get(slug="united-nations")
    assert set(un.aliases.filter(language="fa").values_list("alias", flat=True)) == {
        "سازمان ملل متحد",
        "سازمان ملل",
    }


def test_reloading_in_either_format_updates_and_never_duplicates(db):
    import_entities(FIXTURES / "afghanistan.jsonl")
    counts = (Entity.objects.count(), EntityAlias.objects.count())
    report = import_entities(FIXTURES / "afghanistan.csv")
    assert (report.created, report.updated, report.unchanged) == (0, 0, 8)
    assert (Entity.objects.count(), EntityAlias.objects.count()) == counts


def test_rows_without_slug_match_by_a_normalised_name_or_alias(db, tmp_path):
    import_entities(FIXTURES / "afghanistan.jsonl")
    article = make_article(body="The Taliban")
    tag(article, Entity.objects.get(slug="taliban"))
    update = {"kind": "group", "name_en": "Taleban", "name_fa": "طالبان", "aliases_en": [],
              "aliases_fa": ["طالبان افغانستان"], "description": "Updated."}  # fmt: skip
    path = tmp_path / "update.jsonl"
    path.write_text(json.dumps(update, ensure_ascii=False) + "\n", encoding="utf-8")
    report = import_entities(path)
    assert (report.created, report.updated, report.aliases_added) == (0, 1, 2)
    taliban = Entity.objects.get(slug="taliban")
    assert taliban.name_en == "Taleban" and taliban.description == "Updated."
    assert taliban.aliases.filter(normalized=normalize("طالبان افغانستان")).exists()
    assert report.articles_requeued == 1  # the tagged article shows the entity's names
    assert IndexTask.objects.filter(object_id=str(article.pk)).exists()


def test_persian_spelling_variant_finds_the_same_entity(db, tmp_path):
    import_entities(FIXTURES / "afghanistan.jsonl")
    path = tmp_path / "variant.csv"
    path.write_text("kind,name_fa,aliases_fa\ngroup,القاعدة,شبكه القاعده\n", encoding="utf-8")
    report = import_entities(path)
    assert report.created == 0 and report.failed == 0
    assert Entity.objects.count() == 8


def test_bad_rows_get_one_line_each_and_the_rest_loads(db, tmp_path):
    lines = [
        json.dumps({"kind": "person", "name_en": "Amrullah Saleh", "aliases_en": ["Saleh"]}),
        "[1, 2]",
        "{not json",
        json.dumps({"kind": "planet", "name_en": "Mars"}),
        json.dumps({"kind": "person", "aliases_en": ["nameless"]}),
        json.dumps({"kind": "person", "name_en": "X", "aliases_en": "a|b", "aliases_fa": 5}),
    ]
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="5 row"):
        call_command("import_entities", str(path), stdout=out, stderr=err)
    summary = err.getvalue()
    assert "created: 1" in summary
    assert "bad.jsonl:2: not a JSON object" in summary
    assert "bad.jsonl:3: not JSON" in summary
    assert "bad.jsonl:4: unknown kind 'planet'" in summary
    assert "bad.jsonl:5: missing name" in summary
    assert "bad.jsonl:6: aliases_fa must be a list" in summary
    assert Entity.objects.get().name_en == "Amrullah Saleh"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not a UTF-8 text file"),
        (b"kind,title\nperson,x\n", "CSV header needs name_en or name_fa"),
    ],
)
def test_unusable_files_are_refused_with_the_reason(db, tmp_path, content, reason):
    path = tmp_path / "gazetteer.csv"
    path.write_bytes(content)
    report = import_entities(path)
    assert report.failures and reason in report.failures[0].reason
    assert import_entities(tmp_path / "missing.csv").failures[0].reason == "no such file"


def test_command_prints_the_summary(db):
    out = StringIO()
    call_command("import_entities", str(FIXTURES / "afghanistan.csv"), stdout=out)
    assert "created: 8" in out.getvalue() and "tag_articles" in out.getvalue()
