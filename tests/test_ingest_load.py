"""The load stage: identity, idempotence, per-article safety, duplicate and pair links."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection

from articles import services
from articles.ingest.errors import ParseError
from articles.ingest.load import ArticleLoader, LoadOptions
from articles.ingest.records import ParsedArticle
from articles.models import Article, ArticleEntity, IndexTask, Source
from tests.factories import make_entity

STORY = (
    "Heavy snow closed the Salang pass on Tuesday, stranding hundreds of travellers on both "
    "sides of the tunnel for most of the day. Officials of the public works ministry said "
    "snow ploughs worked through the night to clear the road, which links Kabul with the "
    "northern provinces. Travellers complained of the cold and of a lack of food, and asked "
    "the government to prepare better for the winter. The weather office expects more snow "
    "in the coming days and asked drivers to travel with care."
)
EDITED = STORY.replace("Tuesday", "Wednesday") + " The road reopened late in the evening."
OTHER = (
    "Officials in Herat said on Monday that twelve new schools will open before the start of "
    "the school year, with places for more than six thousand pupils, and that teachers had "
    "been hired while textbooks were on their way from Kabul."
)


def record(title: str, body: str = STORY, **fields) -> ParsedArticle:
    fields.setdefault("language", "en")
    fields.setdefault("source_name", "Wire One")
    fields.setdefault("origin", f"test:{title}")
    fields.setdefault("format", "jsonl")
    return ParsedArticle(title=title, body_text=body, **fields)


def load(records, **options):
    options.setdefault("index", False)
    return ArticleLoader(LoadOptions(**options)).run(records)


@pytest.fixture(autouse=True)
def _queue_only(settings):
    settings.NEWSARCHIVE_INDEX_SYNC = False


@pytest.mark.parametrize(
    "identity",
    [
        {"url": "https://wire.example.org/salang"},
        {"identity": "wire-1"},
        {},  # neither: the content hash within the source
    ],
)
def test_reimport_matches_by_url_id_or_hash(db, identity):
    first = load([record("Snow closes Salang", **identity)])
    assert first.created == 1
    again = load([record("Snow closes Salang", **identity)])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert Article.objects.count() == 1


def test_changed_record_updates_in_place(db):
    published = datetime(2021, 1, 4, 8, tzinfo=UTC)
    load([record("Snow", identity="w-1", byline="A. Reporter")])
    report = load([record("Snow", EDITED, identity="w-1", published_at=published)])
    assert report.updated == 1
    article = Article.objects.get()
    assert article.body_text == EDITED and article.published_at == published
    assert article.byline == ""  # the record's current metadata wins


def test_url_and_id_prefer_the_existing_article_over_a_new_one(db):
    load([record("Snow", identity="w-1")])
    report = load([record("Snow", identity="w-1", url="https://wire.example.org/snow")])
    assert report.updated == 1 and Article.objects.count() == 1
    assert Article.objects.get().original_url == "https://wire.example.org/snow"


def test_a_record_repeated_in_one_batch_is_written_once(db):
    report = load([record("Snow", identity="w-1"), record("Snow", identity="w-1")])
    assert (report.created, report.unchanged) == (1, 1)
    assert Article.objects.count() == 1


def test_parse_errors_and_unusable_records_are_reported_not_raised(db):
    report = load(
        [
            ParseError("dump.jsonl:3", "not a JSON object but a list"),
            record("   ", origin="dump.jsonl:4"),
            record("Fine"),
            record("No language", language=None, source_name="", url="", origin="x.txt"),
        ]
    )
    assert report.created == 2  # a record without language takes its source's default
    assert [(f.origin, f.reason) for f in report.failures] == [
        ("dump.jsonl:3", "not a JSON object but a list"),
        ("dump.jsonl:4", "missing title"),
    ]


# A real database trigger that refuses one article, in each database's dialect.
POISON_TRIGGER = {
    "sqlite": [
        "CREATE TRIGGER poison BEFORE INSERT ON articles_article "
        "WHEN NEW.title = 'Poison' BEGIN SELECT RAISE(ABORT, 'rejected by the database'); END"
    ],
    "postgresql": [
        "CREATE FUNCTION poison() RETURNS trigger AS $$ BEGIN "
        "IF NEW.title = 'Poison' THEN RAISE EXCEPTION 'rejected by the database'; END IF; "
        "RETURN NEW; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER poison BEFORE INSERT ON articles_article "
        "FOR EACH ROW EXECUTE FUNCTION poison()",
    ],
}
POISON_DROP = {
    "sqlite": ["DROP TRIGGER poison"],
    "postgresql": ["DROP TRIGGER poison ON articles_article", "DROP FUNCTION poison()"],
}


def test_one_failing_article_does_not_stop_or_half_write_the_batch(db):
    make_entity(name_en="Salang")
    with connection.cursor() as cursor:
        for statement in POISON_TRIGGER[connection.vendor]:
            cursor.execute(statement)
    try:
        report = load(
            [record("First", identity="1"), record("Poison", identity="2"),
             record("Third", OTHER, identity="3")]
        )  # fmt: skip
    finally:
        with connection.cursor() as cursor:
            for statement in POISON_DROP[connection.vendor]:
                cursor.execute(statement)
    assert report.created == 2
    assert [f.origin for f in report.failures] == ["test:Poison"]
    assert "rejected by the database" in report.failures[0].reason
    assert sorted(Article.objects.values_list("title", flat=True)) == ["First", "Third"]
    assert ArticleEntity.objects.count() == 1  # First mentions Salang; nothing dangles
    assert report.tagged == 1


def test_new_articles_are_tagged_and_queued_for_the_index(db):
    make_entity(name_en="Salang")
    report = load([record("Snow")], index=True)
    article = Article.objects.get()
    assert report.tagged == 1 and article.tags.get().mentions == 1
    assert IndexTask.objects.filter(object_id=str(article.pk)).count() == 1
    load([record("Other", OTHER)], index=True, tag=False)
    assert not Article.objects.get(title="Other").tags.exists()


def test_near_duplicate_from_another_source_is_linked_and_can_be_undone(db):
    load([record("Snow closes Salang", identity="a-1")])
    report = load(
        [
            record("Salang pass shut by snow", EDITED, identity="b-1", source_name="Wire Two"),
            record("Herat schools", OTHER, identity="b-2", source_name="Wire Two"),
        ]
    )
    assert report.duplicates == 1
    original = Article.objects.get(external_id="a-1")
    copy = Article.objects.get(external_id="b-1")
    assert copy.duplicate_of == original and 0.5 <= copy.duplicate_score < 1
    assert Article.objects.get(external_id="b-2").duplicate_of is None

    services.article_unmark_duplicate(copy)
    load([record("Salang pass shut by snow", EDITED + " More.", identity="b-1",
                 source_name="Wire Two")])  # fmt: skip
    copy.refresh_from_db()
    assert copy.duplicate_of is None  # an update keeps the curator's decision


def test_same_text_from_the_same_source_is_not_a_duplicate(db):
    load([record("Snow", identity="a-1"), record("Snow again", EDITED, identity="a-2")])
    assert not Article.objects.exclude(duplicate_of=None).exists()


def test_exact_copy_from_another_source_links_with_full_score(db):
    load([record("Snow")])
    load([record("Snow", source_name="Wire Two")], batch_size=1)
    copy = Article.objects.get(source__slug="wire-two")
    assert copy.duplicate_score == 1.0 and copy.duplicate_of.source.slug == "wire-one"


def test_duplicates_are_found_across_batches_of_one_run(db):
    report = load(
        [record("Snow", identity="a-1"),
         record("Snow edited", EDITED, identity="b-1", source_name="Wire Two")],
        batch_size=1,
    )  # fmt: skip
    assert report.duplicates == 1


def test_counterparts_link_once_both_exist_even_across_runs(db):
    fa = record("برف سالنگ را بست", "برف سنگین شاهراه سالنگ را بست.", language="fa",
                identity="fa-1", counterpart_url="en-1")  # fmt: skip
    assert load([fa]).counterparts == 0
    report = load([record("Snow", identity="en-1")])
    assert report.counterparts == 1
    en = Article.objects.get(external_id="en-1")
    assert en.counterpart.external_id == "fa-1"

    services.article_unlink_counterpart(en)
    assert load([fa, record("Snow", identity="en-1")]).counterparts == 0  # curator's unlink


def test_counterpart_in_the_same_language_is_not_linked(db):
    report = load([record("Snow", identity="en-1", counterpart_url="en-2"),
                   record("Other", OTHER, identity="en-2")])  # fmt: skip
    assert report.counterparts == 0


def test_forced_source_and_dry_run(db):
    report = load([record("Snow")], source="Kabul Daily", dry_run=True)
    assert report.created == 1 and not Article.objects.exists() and not Source.objects.exists()
    load([record("Snow", identity="k-1")], source="Kabul Daily", status="published")
    article = Article.objects.get()
    assert (article.source.name_en, article.status) == ("Kabul Daily", "published")
    load([record("Snow", EDITED, identity="k-1")], source="kabul-daily", status="draft")
    assert Article.objects.get().status == "published"  # status is only set on create


def test_persian_source_names_and_provenance_are_kept(db):
    load([record("خبر", "متن خبر درباره سالنگ و برف.", language="fa", source_name="طلوع نیوز",
                 raw='{"raw": true}', removed_blocks=["اشتراک‌گذاری"])])  # fmt: skip
    article = Article.objects.get()
    assert article.source.name_fa == "طلوع نیوز" and article.source.default_language == "fa"
    assert article.raw_input == '{"raw": true}' and article.removed_blocks == ["اشتراک‌گذاری"]
    assert article.provenance_format == "jsonl" and article.imported_at is not None


def test_worker_processes_prepare_big_imports_with_the_same_result(db):
    make_entity(name_en="Salang")
    records = [record(f"Story {n}", f"{STORY} Number {n}.", identity=f"w-{n}") for n in range(5)]
    records.append(record("Copy", EDITED, identity="x-1", source_name="Wire Two"))
    report = load(records, batch_size=2, workers=2)
    assert (report.created, report.tagged, report.failed) == (6, 6, 0)
    assert report.duplicates == 1
    assert ArticleEntity.objects.count() == 6
    assert not Article.objects.filter(neardup_signature=None).exists()


@pytest.mark.parametrize("batch_size", [1, 10])
def test_two_dump_records_sharing_a_url_stay_two_stable_articles(db, batch_size):
    url = "https://wire.example.org/same"
    records = [
        record("One", identity="r-1", url=url),
        record("Two", OTHER, identity="r-2", url=url),
    ]
    first = load(records, batch_size=batch_size)
    assert (first.created, first.failed) == (2, 0)
    assert "already belongs to another article" in first.warning_lines[0].reason
    again = load(records, batch_size=batch_size)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert again.warnings == 0
    assert Article.objects.get(external_id="r-2").canonical_url == url


def test_metadata_only_change_keeps_tags_and_signature(db):
    make_entity(name_en="Salang")
    load([record("Snow", identity="w-1")])
    report = load([record("Snow", identity="w-1", byline="Staff")])
    assert report.updated == 1
    article = Article.objects.get()
    assert article.byline == "Staff" and article.neardup_signature is not None
    assert article.tags.get().entity.name_en == "Salang"
