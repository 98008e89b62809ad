"""A rebuild analyses text in worker processes, caches the analysis, and writes the same index
as a writer that analyses the text itself."""

from __future__ import annotations

import pytest
from whoosh import index as whoosh_index

from articles.search.sync import indexing
from articles.search.sync.preanalysis import AnalysisCache, analysis_version
from articles.search_indexes import ArticleIndex, indexable_articles
from tests.factories import make_article, make_entity, tag

FA_BODY = (
    "گفت‌وگوهای صلح در دوحه ادامه دارد. نمایندگان می‌خواهند کتاب‌ها را ببینند؛ "
    "دانش‌آموزان و دانشجویان در کابل، ۱۴۰۲ و 2023، گفت و گو کردند."
)
EN_BODY = (
    "Peace talks in Doha continue. Al-Qaeda's U.S. envoys met the Taliban's negotiators "
    "on 12 March 2021; the being of talks, covid19 and O'Neill's report."
)


@pytest.fixture
def backend(search_index, db):
    return search_index.get_backend()


@pytest.fixture
def archive(db):
    kabul = make_entity(name_en="Kabul", name_fa="کابل", aliases={"fa": ["کابل"], "en": ["Kabol"]})
    articles = []
    for n in range(6):
        articles.append(
            make_article(language="fa", title=f"گفت‌وگوی صلح {n} در کابل", body=f"{FA_BODY} {n}")
        )
        articles.append(make_article(title=f"Peace talks, round {n}", body=f"{EN_BODY} {n}"))
    tag(articles[0], kabul)
    tag(articles[1], kabul)
    return articles


def snapshot(backend) -> dict:
    """Every posting (article id, weight, encoded positions and offsets), every field length
    and every stored field, by article id."""
    ix = whoosh_index.open_dir(backend.path)
    with ix.searcher() as searcher:
        reader = searcher.reader()
        ids = {docnum: fields["article_id"] for docnum, fields in reader.iter_docs()}
        postings = {}
        for fieldname, btext in reader.all_terms():
            matcher = reader.postings(fieldname, btext)
            items = []
            while matcher.is_active():
                items.append((ids[matcher.id()], matcher.weight(), matcher.value()))
                matcher.next()
            postings[fieldname, btext] = sorted(items)
        # A segment without any value of a field has no length column: None there means 0.
        lengths = {
            (ids[docnum], name): reader.doc_field_length(docnum, name) or 0
            for docnum in ids
            for name in ("text", "title", "entity_names")
        }
        stored = {ids[docnum]: fields for docnum, fields in reader.iter_docs()}
    return {"postings": postings, "lengths": lengths, "stored": stored}


def analysed_by_the_writer(backend) -> dict:
    """The index a writer builds analysing each document itself (the single-update path)."""
    backend.clear()
    backend.apply(ArticleIndex().full_prepare(article) for article in indexable_articles())
    return snapshot(backend)


@pytest.mark.parametrize("writers", [1, 2])
def test_a_rebuild_from_worker_analysis_writes_the_same_postings_as_an_analysing_writer(
    backend, archive, writers
):
    expected = analysed_by_the_writer(backend)
    assert any(field == "text" and term == "صلح".encode() for field, term in expected["postings"])
    assert any(term.startswith("کابل".encode()) for _f, term in expected["postings"])

    report = indexing.rebuild(procs=2, backend=backend, writers=writers)

    assert report.indexed == len(archive)
    assert len(whoosh_index.open_dir(backend.path)._segments()) == writers
    assert report.cache_misses > 0
    rebuilt = snapshot(backend)
    assert rebuilt["postings"].keys() == expected["postings"].keys()
    assert rebuilt["postings"] == expected["postings"]
    assert rebuilt["lengths"] == expected["lengths"]
    assert rebuilt["stored"] == expected["stored"]


@pytest.mark.parametrize("writers", [1, 2])
def test_a_second_rebuild_takes_every_analysis_from_the_cache_and_writes_the_same_index(
    backend, archive, writers
):
    first = indexing.rebuild(procs=2, backend=backend, writers=writers)
    before = snapshot(backend)
    second = indexing.rebuild(procs=2, backend=backend, writers=writers)

    assert first.cache_misses > 0 and first.cache_hits == 0
    assert second.cache_misses == 0 and second.cache_hits == first.cache_misses
    assert snapshot(backend) == before
    assert (indexing.analysis_cache_folder(backend) / f"{analysis_version()}.sqlite3").exists()


def test_an_edited_article_is_analysed_again_and_found_by_its_new_words(backend, archive):
    indexing.rebuild(procs=2, backend=backend)
    article = archive[0]
    article.body_text = "متن تازه‌ای دربارهٔ انتخابات هرات"
    article.save()

    report = indexing.rebuild(procs=2, backend=backend)

    assert report.cache_misses == 1  # the body of one article, nothing else
    assert snapshot(backend) == analysed_by_the_writer(backend)
    query = backend.parser_for("text").parse("هرات")
    assert [hit.fields["article_id"] for hit in backend.raw_search(query).hits] == [article.pk]


def test_a_rebuild_without_the_cache_or_workers_writes_the_same_index(backend, archive):
    expected = analysed_by_the_writer(backend)
    report = indexing.rebuild(procs=1, backend=backend, analysis_cache=False)
    assert report.cache_hits is None
    assert snapshot(backend) == expected
    assert not indexing.analysis_cache_folder(backend).exists()


def test_a_new_analysis_version_starts_an_empty_cache_and_removes_the_old_one(tmp_path):
    old = AnalysisCache(tmp_path, version="old")
    old.put_many([(b"k" * 16, b"items")])
    assert old.get_many([b"k" * 16]) == {b"k" * 16: b"items"}
    old.close()

    new = AnalysisCache(tmp_path, version="new")

    assert new.get_many([b"k" * 16]) == {}
    assert sorted(path.name for path in tmp_path.glob("*.sqlite3")) == ["new.sqlite3"]
    new.close()


def test_an_update_replaces_edited_articles_with_cached_analysis_and_writes_the_same_index(
    backend, archive
):
    indexing.rebuild(procs=2, backend=backend)
    article = archive[1]
    article.title = "Ceasefire in Herat"
    article.save()

    report = indexing.update(backend=backend)

    assert report.indexed == len(archive)
    assert report.cache_misses == 2  # its title and its text (title + body); the rest cached
    query = backend.parser_for("title").parse("herat")
    assert [hit.fields["article_id"] for hit in backend.raw_search(query).hits] == [article.pk]
    updated = snapshot(backend)
    assert updated == analysed_by_the_writer(backend)
