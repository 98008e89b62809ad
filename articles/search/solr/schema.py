"""The Solr schema and configuration, generated from `ArticleIndex` (`build_search_schema`).

Every `ArticleIndex` field becomes a Solr field of the type its `whoosh_kind` asks for (the
search dimensions' fields among them, as `articles.search.dimensions` declares them):

    text     -> `text_fa_en` (Solr's own Persian/English chain, offsets for highlighting)
                plus `<name>_terms` (`news_terms`: our analyser's tokens, pre-analysed)
    exact    -> `string` with docValues (filters, facets)
    keyword  -> multiValued `string` with docValues
    stored   -> `string`, stored only
    datetime -> `pdate`        integer -> `plong`

The `<name>_terms` twin holds exactly the tokens (text, position, offsets) our Whoosh analyser
produces, sent in Solr's JSON pre-analysed format; queries built by our parser are run against
it, so matching is the same as on the embedded index. The `text_fa_en` field is what Solr's
highlighter and anyone querying Solr directly use. docs/scale-out.md says what differs.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from xml.etree import ElementTree as ET

from articles.search_indexes import ArticleIndex
from articles.text import EN_STOPWORDS, FA_STOPWORDS

SOLR_LUCENE_VERSION = "9.8"
TERMS_SUFFIX = "_terms"
TEXT_TYPE = "text_fa_en"
TERMS_TYPE = "news_terms"
STOPWORDS_FA = "lang/stopwords_fa.txt"
STOPWORDS_EN = "lang/stopwords_en.txt"

# Solr's analysis for text fields, in order (the closest Solr allows to `articles.text`).
CHAR_FILTERS = ("solr.PersianCharFilterFactory",)
TOKENIZER = "solr.StandardTokenizerFactory"
FILTERS: tuple[tuple[str, dict[str, str]], ...] = (
    ("solr.DecimalDigitFilterFactory", {}),
    ("solr.LowerCaseFilterFactory", {}),
    ("solr.ArabicNormalizationFilterFactory", {}),
    ("solr.PersianNormalizationFilterFactory", {}),
    ("solr.ASCIIFoldingFilterFactory", {"preserveOriginal": "false"}),
    (
        "solr.StopFilterFactory",
        {"words": f"{STOPWORDS_FA},{STOPWORDS_EN}", "ignoreCase": "true"},
    ),
    ("solr.PersianStemFilterFactory", {}),
    ("solr.SnowballPorterFilterFactory", {"language": "English"}),
)

# Lucene's ArabicNormalizer and PersianNormalizer, as character maps: the stopword file must
# hold words as they are when the stop filter sees them (after both normalisers).
_HARAKAT = {chr(c) for c in range(0x064B, 0x0653)} | {"\u0670", "\u0654", "\u0655", "\u0640"}
_LUCENE_FOLDS = {
    "\u0622": "\u0627", "\u0623": "\u0627", "\u0625": "\u0627",  # alef with madda/hamza
    "\u0649": "\u064a",  # alef maksura -> yeh
    "\u0629": "\u0647",  # teh marbuta -> heh
    "\u06cc": "\u064a",  # Farsi yeh -> Arabic yeh
    "\u06d2": "\u064a",  # yeh barree -> yeh
    "\u06a9": "\u0643",  # keheh -> kaf
    "\u06c0": "\u0647", "\u06c1": "\u0647", "\u06d5": "\u0647",  # heh forms -> heh
}  # fmt: skip


def lucene_normal(word: str) -> str:
    """A word as Solr's chain has it before the stop filter (lower case, Lucene's letter forms)."""
    word = unicodedata.normalize("NFC", word).lower()
    return "".join(_LUCENE_FOLDS.get(ch, ch) for ch in word if ch not in _HARAKAT)


def stopword_lists() -> dict[str, list[str]]:
    """{relative path: words} written from the project's own lists."""
    return {
        STOPWORDS_FA: sorted({lucene_normal(w) for w in FA_STOPWORDS if w.strip()}),
        STOPWORDS_EN: sorted({lucene_normal(w) for w in EN_STOPWORDS if w.strip()}),
    }


def field_specs() -> list[dict[str, str]]:
    """One dict of Solr field attributes per index field (Haystack's three first)."""
    specs = [
        {"name": "id", "type": "string", "indexed": "true", "stored": "true",
         "required": "true", "multiValued": "false"},
        {"name": "django_ct", "type": "string", "indexed": "true", "stored": "true",
         "multiValued": "false", "docValues": "true"},
        {"name": "django_id", "type": "string", "indexed": "true", "stored": "true",
         "multiValued": "false"},
    ]  # fmt: skip
    for name, field in ArticleIndex.fields.items():
        kind = getattr(field, "whoosh_kind", "text")
        stored = "true" if field.stored else "false"
        if kind == "text":
            specs.append({"name": name, "type": TEXT_TYPE, "indexed": "true", "stored": stored,
                          "multiValued": "false"})  # fmt: skip
            specs.append({"name": name + TERMS_SUFFIX, "type": TERMS_TYPE, "indexed": "true",
                          "stored": "false", "multiValued": "false"})  # fmt: skip
        elif kind == "exact":
            specs.append({"name": name, "type": "string", "indexed": "true", "stored": stored,
                          "docValues": "true", "multiValued": "false"})  # fmt: skip
        elif kind == "keyword":
            specs.append({"name": name, "type": "string", "indexed": "true", "stored": stored,
                          "docValues": "true", "multiValued": "true"})  # fmt: skip
        elif kind == "stored":
            specs.append({"name": name, "type": "string", "indexed": "false", "stored": "true",
                          "docValues": "false", "multiValued": "false"})  # fmt: skip
        elif kind in ("datetime", "integer"):
            specs.append({"name": name, "type": "pdate" if kind == "datetime" else "plong",
                          "indexed": "true", "stored": stored, "docValues": "true",
                          "multiValued": "false"})  # fmt: skip
        else:
            raise ValueError(f"ArticleIndex.{name}: unknown whoosh_kind {kind!r}")
    # When a document was written: a rebuild deletes what it did not rewrite.
    specs.append({"name": "indexed_at", "type": "pdate", "indexed": "true", "stored": "false",
                  "docValues": "true", "multiValued": "false"})  # fmt: skip
    # The article's updated_at to the microsecond (pdate keeps milliseconds), for check_index.
    specs.append({"name": "updated_us", "type": "plong", "indexed": "false", "stored": "true",
                  "docValues": "true", "multiValued": "false"})  # fmt: skip
    specs.append({"name": "_version_", "type": "plong", "indexed": "false", "stored": "false",
                  "docValues": "true"})  # fmt: skip
    return specs


def _text_type(schema: ET.Element) -> None:
    field_type = ET.SubElement(
        schema, "fieldType", name=TEXT_TYPE, **{"class": "solr.TextField"},
        positionIncrementGap="100", storeOffsetsWithPositions="true", omitNorms="false",
    )  # fmt: skip
    analyzer = ET.SubElement(field_type, "analyzer")
    for char_filter in CHAR_FILTERS:
        ET.SubElement(analyzer, "charFilter", **{"class": char_filter})
    ET.SubElement(analyzer, "tokenizer", **{"class": TOKENIZER})
    for filter_class, attributes in FILTERS:
        ET.SubElement(analyzer, "filter", **{"class": filter_class}, **attributes)


def _terms_type(schema: ET.Element) -> None:
    field_type = ET.SubElement(
        schema, "fieldType", name=TERMS_TYPE, **{"class": "solr.PreAnalyzedField"},
        parserImpl="json", positionIncrementGap="100", omitNorms="false",
    )  # fmt: skip
    # Query terms come from our parser, already analysed: split on spaces and nothing more.
    analyzer = ET.SubElement(field_type, "analyzer", type="query")
    ET.SubElement(analyzer, "tokenizer", **{"class": "solr.WhitespaceTokenizerFactory"})


def schema_xml() -> ET.ElementTree:
    schema = ET.Element("schema", name="newsarchive", version="1.6")
    for spec in field_specs():
        ET.SubElement(schema, "field", **spec)
    ET.SubElement(schema, "uniqueKey").text = "id"
    ET.SubElement(schema, "fieldType", name="string", sortMissingLast="true",
                  **{"class": "solr.StrField"})  # fmt: skip
    ET.SubElement(schema, "fieldType", name="plong", **{"class": "solr.LongPointField"},
                  docValues="true", sortMissingLast="true")  # fmt: skip
    ET.SubElement(schema, "fieldType", name="pdate", **{"class": "solr.DatePointField"},
                  docValues="true", sortMissingLast="true")  # fmt: skip
    _text_type(schema)
    _terms_type(schema)
    ET.SubElement(schema, "similarity", **{"class": "solr.BM25SimilarityFactory"})
    return ET.ElementTree(schema)


def solrconfig_xml() -> ET.ElementTree:
    config = ET.Element("config")
    ET.SubElement(config, "luceneMatchVersion").text = SOLR_LUCENE_VERSION
    ET.SubElement(config, "dataDir").text = "${solr.data.dir:}"
    directory = "${solr.directoryFactory:solr.NRTCachingDirectoryFactory}"
    ET.SubElement(config, "directoryFactory", name="DirectoryFactory", **{"class": directory})
    ET.SubElement(config, "schemaFactory", **{"class": "ClassicIndexSchemaFactory"})
    update = ET.SubElement(config, "updateHandler", **{"class": "solr.DirectUpdateHandler2"})
    ET.SubElement(ET.SubElement(update, "updateLog"), "str", name="dir").text = "${solr.ulog.dir:}"
    auto = ET.SubElement(update, "autoCommit")
    ET.SubElement(auto, "maxTime").text = "${solr.autoCommit.maxTime:15000}"
    ET.SubElement(auto, "openSearcher").text = "false"
    soft = ET.SubElement(update, "autoSoftCommit")
    ET.SubElement(soft, "maxTime").text = "${solr.autoSoftCommit.maxTime:2000}"
    select = ET.SubElement(config, "requestHandler", name="/select",
                           **{"class": "solr.SearchHandler"})  # fmt: skip
    defaults = ET.SubElement(select, "lst", name="defaults")
    for key, value in (("echoParams", "explicit"), ("wt", "json"), ("df", "text"),
                       ("rows", "20"), ("q.op", "OR")):  # fmt: skip
        ET.SubElement(defaults, "str", name=key).text = value
    ET.SubElement(config, "searchComponent", name="terms",
                  **{"class": "solr.TermsComponent"})  # fmt: skip
    terms = ET.SubElement(config, "requestHandler", name="/terms",
                          **{"class": "solr.SearchHandler", "startup": "lazy"})  # fmt: skip
    terms_defaults = ET.SubElement(terms, "lst", name="defaults")
    ET.SubElement(terms_defaults, "bool", name="terms").text = "true"
    ET.SubElement(terms_defaults, "bool", name="distrib").text = "true"
    # In SolrCloud the shards must be asked through this handler too.
    ET.SubElement(terms_defaults, "str", name="shards.qt").text = "/terms"
    ET.SubElement(terms_defaults, "str", name="wt").text = "json"
    components = ET.SubElement(terms, "arr", name="components")
    ET.SubElement(components, "str").text = "terms"
    return ET.ElementTree(config)


def write_configset(out: Path) -> list[Path]:
    """Write schema.xml, solrconfig.xml and the stopword files into `out`; return the paths."""
    out = Path(out)
    (out / "lang").mkdir(parents=True, exist_ok=True)
    written = []
    for name, tree in (("schema.xml", schema_xml()), ("solrconfig.xml", solrconfig_xml())):
        ET.indent(tree, space="  ")
        path = out / name
        comment = "<!-- Generated by manage.py build_search_schema from ArticleIndex. -->\n"
        body = ET.tostring(tree.getroot(), encoding="unicode")
        path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n' + comment + body + "\n",
                        encoding="utf-8")  # fmt: skip
        written.append(path)
    for relative, words in stopword_lists().items():
        path = out / relative
        header = "# Generated from articles.text stopwords (Lucene letter forms); do not edit.\n"
        path.write_text(header + "\n".join(words) + "\n", encoding="utf-8")
        written.append(path)
    return written
