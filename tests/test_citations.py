"""Citations: BibTeX and RIS records, the one-line APA/Chicago reference, the download views."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, date, datetime

import pytest
from django.urls import reverse
from django.utils import translation

from articles.models import Article
from articles.outputs.citations import (
    bibtex_entry,
    bibtex_escape,
    citation_key,
    citation_line,
    ris_record,
)
from tests.test_feeds import make_article, make_source

ACCESSED = date(2026, 11, 29)
URL = "https://archive.example/fa/articles/7/x/"


@pytest.fixture
def persian(db) -> Article:
    source = make_source()
    return make_article(
        source,
        "گفت‌وگوی «صلح» در کابل: ۵۰٪ موافق",
        language="fa",
        byline="به قلم مریم احمدی",
        published_at=datetime(2021, 1, 4, 20, 0, tzinfo=UTC),  # 5 January in Kabul
    )


@pytest.fixture
def english(db) -> Article:
    source = make_source("bbc", name_en="BBC News", name_fa="بی‌بی‌سی")
    return make_article(source, r"Prices up 50% at A&B_Co {#1} $3 ~ ^ \ ok", byline="By Jane Roe")


def bibtex_fields(entry: str) -> dict[str, str]:
    return dict(re.findall(r"^  (\w+) = \{?(.*?)\}?,$", entry, flags=re.MULTILINE))


def test_bibtex_escapes_every_special_character():
    assert bibtex_escape(r"50% A&B_C {x} #1 $2 ~ ^ \ ") == (
        r"50\% A\&B\_C \{x\} \#1 \$2 \textasciitilde{} \textasciicircum{} \textbackslash{}"
    )


def test_bibtex_entry_of_a_persian_article(persian):
    entry = bibtex_entry(persian, url=URL, accessed=ACCESSED)
    assert entry.startswith(f"@article{{tolo2021_{persian.pk},\n")
    assert entry.count("{") == entry.count("}")
    fields = bibtex_fields(entry)
    assert fields["title"] == r"گفت‌وگوی «صلح» در کابل: ۵۰٪ موافق"
    assert fields["author"] == "مریم احمدی"
    assert fields["journal"] == fields["publisher"] == "طلوع‌نیوز"
    assert (fields["year"], fields["month"], fields["day"]) == ("2021", "jan", "5")
    assert fields["url"] == URL and fields["urldate"] == "2026-11-29"
    assert fields["language"] == "persian"


def test_bibtex_entry_escapes_an_english_title_and_leaves_braces_balanced(english):
    entry = bibtex_entry(english, url=URL + "{odd}", accessed=ACCESSED)
    assert entry.count("{") - entry.count(r"\{") == entry.count("}") - entry.count(r"\}")
    fields = bibtex_fields(entry)
    assert fields["title"] == (
        r"Prices up 50\% at A\&B\_Co \{\#1\} \$3 \textasciitilde{} \textasciicircum{} "
        r"\textbackslash{} ok"
    )
    assert fields["author"] == "Jane Roe" and fields["journal"] == "BBC News"
    assert "%7Bodd%7D" in fields["url"]
    assert citation_key(english).isascii()


def test_ris_record_of_a_news_article(persian):
    record = ris_record(persian, url=URL, accessed=ACCESSED)
    lines = record.split("\r\n")
    assert lines[0] == "TY  - NEWS" and lines[-2] == "ER  - " and lines[-1] == ""
    fields = dict(line.split("  - ", 1) for line in lines[1:-2])
    assert fields["T1"] == "گفت‌وگوی «صلح» در کابل: ۵۰٪ موافق"
    assert fields["AU"] == "مریم احمدی"
    assert fields["JO"] == fields["PB"] == "طلوع‌نیوز"
    assert (fields["DA"], fields["PY"]) == ("2021/01/05", "2021")
    assert fields["UR"] == URL and fields["Y2"] == "2026/11/29" and fields["LA"] == "Persian"


def test_records_without_byline_or_date_leave_those_fields_out(db):
    article = make_article(make_source(), "Line one\nline two", byline="", published_at=None)
    record = ris_record(article, url=URL, accessed=ACCESSED)
    assert "AU  -" not in record and "DA  -" not in record
    assert "T1  - Line one line two\r\n" in record
    entry = bibtex_entry(article, url=URL, accessed=ACCESSED)
    assert "author" not in entry and "year" not in entry
    assert citation_key(article) == f"tolo_{article.pk}"


def test_citation_lines_in_apa_and_chicago(english, persian):
    assert citation_line(english, "apa", ACCESSED, url=URL) == (
        r"Jane Roe. (2021, January 4). Prices up 50% at A&B_Co {#1} $3 ~ ^ \ ok. BBC News. "
        f"Retrieved November 29, 2026, from {URL}"
    )
    assert citation_line(persian, "chicago", ACCESSED, url=URL) == (
        "مریم احمدی. “گفت‌وگوی «صلح» در کابل: ۵۰٪ موافق.” طلوع‌نیوز, January 5, 2021. "
        f"Accessed November 29, 2026. {URL}."
    )


def test_citation_line_without_a_date_gives_the_access_date(db):
    article = make_article(make_source(), "Why now?", published_at=None)
    assert citation_line(article, "apa", ACCESSED, url=URL) == (
        f"Why now? (n.d.). TOLOnews. Retrieved November 29, 2026, from {URL}"
    )
    assert citation_line(article, "chicago", ACCESSED, url=URL).startswith(
        "“Why now?” TOLOnews, n.d."
    )
    with pytest.raises(ValueError, match="apa, chicago"):
        citation_line(article, "mla", ACCESSED)


@pytest.mark.parametrize(("name", "extension"), [("article_bibtex", "bib"), ("article_ris", "ris")])
def test_one_article_citation_downloads(client, persian, name, extension):
    with translation.override("fa"):
        path = reverse(f"articles:{name}", kwargs={"pk": persian.pk})
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="tolo2021_{persian.pk}.{extension}"'
    )
    text = response.content.decode("utf-8")
    assert "گفت‌وگوی «صلح»" in text
    assert f"http://testserver/fa/articles/{persian.pk}/" in text
    Article.objects.filter(pk=persian.pk).update(status=Article.Status.HIDDEN)
    assert client.get(path).status_code == 404
    assert client.get(path.replace(str(persian.pk), "999999")).status_code == 404


ORIGINAL = "https://www.bbc.com/news/world-asia-123"


@pytest.fixture
def original(db) -> Article:
    source = make_source("bbc2", name_en="BBC News", name_fa="بی‌بی‌سی")
    return make_article(
        source, "Kabul library reopens", byline="By Jane Roe", original_url=ORIGINAL,
        published_at=datetime(2010, 8, 13, tzinfo=UTC), published_precision="day",
    )  # fmt: skip


def test_every_citation_names_the_original_publication_then_the_archived_copy(original):
    apa = citation_line(original, "apa", ACCESSED, url=URL)
    assert apa == (
        "Jane Roe. (2010, August 13). Kabul library reopens. BBC News. "
        f"{ORIGINAL} Retrieved November 29, 2026, from {URL}"
    )
    chicago = citation_line(original, "chicago", ACCESSED, url=URL)
    assert chicago == (
        "Jane Roe. “Kabul library reopens.” BBC News, August 13, 2010. "
        f"{ORIGINAL}. Accessed November 29, 2026. {URL}."
    )
    fields = bibtex_fields(bibtex_entry(original, url=URL, accessed=ACCESSED))
    assert fields["url"] == ORIGINAL and fields["urldate"] == "2026-11-29"
    assert URL in fields["note"] and "2026-11-29" in fields["note"]
    assert (fields["journal"], fields["author"], fields["date"]) == (
        "BBC News", "Jane Roe", "2010-08-13",
    )  # fmt: skip
    ris = ris_record(original, url=URL, accessed=ACCESSED)
    assert f"UR  - {ORIGINAL}\r\nUR  - {URL}\r\n" in ris
    assert "Y2  - 2026/11/29" in ris and "DA  - 2010/08/13\r\n" in ris and "AU  - Jane Roe" in ris


@pytest.mark.parametrize(
    ("precision", "apa", "chicago", "bib_date", "ris_date"),
    [
        ("day", "(2010, August 13)", "August 13, 2010", "2010-08-13", "2010/08/13"),
        ("month", "(2010, August)", "August 2010", "2010-08", "2010/08/"),
        ("year", "(2010)", "2010", "2010", "2010/"),
    ],
)
def test_citations_give_a_date_no_more_precisely_than_the_source(
    original, precision, apa, chicago, bib_date, ris_date
):
    Article.objects.filter(pk=original.pk).update(published_precision=precision)
    original.refresh_from_db()
    assert f"Jane Roe. {apa}. Kabul" in citation_line(original, "apa", ACCESSED, url=URL)
    assert f"BBC News, {chicago}. " in citation_line(original, "chicago", ACCESSED, url=URL)
    fields = bibtex_fields(bibtex_entry(original, url=URL, accessed=ACCESSED))
    assert fields["date"] == bib_date
    assert ("day" in fields) is (precision == "day")
    assert ("month" in fields) is (precision != "year")
    assert f"DA  - {ris_date}\r\n" in ris_record(original, url=URL, accessed=ACCESSED)


@pytest.mark.parametrize("language", ["en", "fa"])
def test_the_article_page_shows_the_original_to_everyone_and_cites_it(client, original, language):
    html = client.get(f"/{language}/articles/{original.pk}/-/", follow=True).content.decode()
    assert f'<a href="{ORIGINAL}" rel="noopener noreferrer nofollow" dir="ltr">' in html
    cite = html[html.index('class="cite-line"') :].split("</p>")[0]
    assert "BBC News" in cite and "Jane Roe" in cite and "2010, August 13" in cite
    assert ORIGINAL in cite and f"/articles/{original.pk}/" in cite and "Retrieved" in cite


def test_exports_carry_the_original_publication_and_the_archived_copy(
    client, original, search_index
):
    from django.utils import timezone

    from articles.search.sync import indexing

    indexing.rebuild()

    rows = list(
        csv.DictReader(
            io.StringIO(
                b"".join(client.get("/en/exports/search.csv").streaming_content).decode("utf-8-sig")
            )
        )
    )
    (row,) = [row for row in rows if row["id"] == str(original.pk)]
    assert (row["source"], row["byline"], row["published_at"]) == (
        "BBC News", "By Jane Roe", "2010-08-13",
    )  # fmt: skip
    assert row["original_url"] == ORIGINAL and row["date_precision"] == "day"
    assert row["permalink"].endswith(original.get_absolute_url())
    assert row["accessed"] == timezone.localdate().isoformat()
    lines = b"".join(client.get("/en/exports/search.jsonl").streaming_content).decode()
    (record,) = [r for r in map(json.loads, lines.splitlines()) if r["id"] == original.pk]
    assert record["original_url"] == ORIGINAL and record["accessed"] == row["accessed"]
    bib = b"".join(client.get("/en/exports/search.bib").streaming_content).decode()
    assert f"url = {{{ORIGINAL}}}" in bib and "Archived copy" in bib
