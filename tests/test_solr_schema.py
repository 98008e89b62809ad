"""The Solr configset generated from `ArticleIndex`: structure, analysis, stopword lists."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from django.core.management import call_command

from articles.search.solr.schema import TERMS_SUFFIX, lucene_normal, write_configset
from articles.search_indexes import ArticleIndex
from articles.text import EN_STOPWORDS, FA_STOPWORDS

ROOT = Path(__file__).resolve().parents[1]
EXPECTED_TYPES = {"text": "text_fa_en", "exact": "string", "keyword": "string",
                  "stored": "string", "datetime": "pdate", "integer": "plong"}  # fmt: skip


@pytest.fixture(scope="module")
def conf(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("solr") / "conf"
    call_command("build_search_schema", "--engine", "solr", "--out", str(out))
    return out


@pytest.fixture(scope="module")
def schema(conf) -> ET.Element:
    return ET.parse(conf / "schema.xml").getroot()


def fields_of(schema: ET.Element) -> dict[str, dict[str, str]]:
    return {field.get("name"): field.attrib for field in schema.iter("field")}


def test_every_index_field_has_the_type_its_kind_asks_for(schema):
    fields = fields_of(schema)
    for name, field in ArticleIndex.fields.items():
        kind = field.whoosh_kind
        assert fields[name]["type"] == EXPECTED_TYPES[kind], name
        assert fields[name]["stored"] == ("true" if field.stored else "false"), name
        if kind == "keyword":
            assert fields[name]["multiValued"] == "true"
        if kind in ("exact", "keyword", "datetime", "integer"):
            assert fields[name]["docValues"] == "true", name
        if kind == "stored":
            assert fields[name]["indexed"] == "false"
        if kind == "text":
            assert fields[name + TERMS_SUFFIX]["type"] == "news_terms"


def test_haystack_fields_and_unique_key(schema):
    fields = fields_of(schema)
    assert {"id", "django_ct", "django_id", "_version_"} <= set(fields)
    assert fields["id"]["required"] == "true"
    assert schema.findtext("uniqueKey") == "id"


def test_text_analysis_has_persian_and_english_chain_in_order(schema):
    text_type = next(t for t in schema.iter("fieldType") if t.get("name") == "text_fa_en")
    assert text_type.get("storeOffsetsWithPositions") == "true"
    analyzer = text_type.find("analyzer")
    chain = [element.get("class") for element in analyzer]
    assert chain == [
        "solr.PersianCharFilterFactory",
        "solr.StandardTokenizerFactory",
        "solr.DecimalDigitFilterFactory",
        "solr.LowerCaseFilterFactory",
        "solr.ArabicNormalizationFilterFactory",
        "solr.PersianNormalizationFilterFactory",
        "solr.ASCIIFoldingFilterFactory",
        "solr.StopFilterFactory",
        "solr.PersianStemFilterFactory",
        "solr.SnowballPorterFilterFactory",
    ]
    stop = analyzer.find("filter[@class='solr.StopFilterFactory']")
    assert stop.get("words") == "lang/stopwords_fa.txt,lang/stopwords_en.txt"


def test_pre_analysed_twin_takes_queries_split_on_spaces_only(schema):
    terms_type = next(t for t in schema.iter("fieldType") if t.get("name") == "news_terms")
    assert terms_type.get("class") == "solr.PreAnalyzedField"
    assert terms_type.get("parserImpl") == "json"
    query = terms_type.find("analyzer[@type='query']")
    assert [e.get("class") for e in query] == ["solr.WhitespaceTokenizerFactory"]


def read_words(path: Path) -> set[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {line for line in lines if line and not line.startswith("#")}


def test_stopword_files_are_the_project_lists_in_lucene_letter_forms(conf):
    fa = read_words(conf / "lang" / "stopwords_fa.txt")
    en = read_words(conf / "lang" / "stopwords_en.txt")
    assert fa == {lucene_normal(word) for word in FA_STOPWORDS}
    assert en == {lucene_normal(word) for word in EN_STOPWORDS} == set(EN_STOPWORDS)
    # Persian forms as Lucene's normalisers leave them: Arabic yeh and kaf.
    assert lucene_normal("یک") == "\u064a\u0643"
    assert lucene_normal("آنها") == "انها"


def test_solrconfig_reads_the_classic_schema_and_offers_select_and_terms(conf):
    config = ET.parse(conf / "solrconfig.xml").getroot()
    assert config.findtext("luceneMatchVersion").startswith("9.")
    assert config.find("schemaFactory").get("class") == "ClassicIndexSchemaFactory"
    handlers = {h.get("name") for h in config.iter("requestHandler")}
    assert {"/select", "/terms"} <= handlers
    assert config.find("updateHandler/updateLog") is not None


def test_committed_configset_is_up_to_date(tmp_path):
    written = write_configset(tmp_path)
    committed = ROOT / "deploy" / "solr" / "conf"
    for path in written:
        relative = path.relative_to(tmp_path)
        assert (committed / relative).read_text(encoding="utf-8") == path.read_text(
            encoding="utf-8"
        ), f"deploy/solr/conf/{relative} is stale: run `manage.py build_search_schema`"


def test_unwritable_output_is_a_clear_error(tmp_path):
    from django.core.management.base import CommandError

    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(CommandError, match="Cannot write the configset"):
        call_command("build_search_schema", "--out", str(blocker / "conf"))
