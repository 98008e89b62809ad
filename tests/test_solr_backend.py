"""The Solr engine: request translation, response mapping, and the wiring end to end.

No Solr server runs here. The translation is tested purely (parsed queries in, exact request
parameters out; a hand-written response in Solr's documented JSON format in, `RawResults`
out). The wiring (settings -> engine -> pysolr -> HTTP -> back) runs against `SolrStandIn`, a
loopback HTTP server that answers `/select`, `/update` and `/terms` the way Solr shapes its
answers. It is a stand-in, not Solr: it stores what it is sent and matches a query's terms
against the pre-analysed tokens, with no scoring, phrases or Solr analysis.
"""

from __future__ import annotations

import json
import re
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree as ET

import pytest

from articles.search.connections import haystack_connections
from articles.search.contract import RawResults, SearchRequest
from articles.search.query import nodes as n
from articles.search.solr import translate
from articles.search.solr.backend import pre_analyzed, solr_document

FIXTURES = Path(__file__).parent / "fixtures" / "solr"
TEXT_FIELDS = ["text", "title", "entity_names"]


# -- pure translation -----------------------------------------------------------------------
def test_leaf_and_compound_queries_become_lucene_syntax():
    start = datetime(2020, 1, 1)  # noqa: DTZ001 - the parser gives naive UTC, as indexed
    cases = [
        (n.Term("text", "کتاب"), "text_terms:کتاب"),
        (n.Term("title", "kabul", boost=2.0), "title_terms:kabul^2"),
        (n.Term("source", "bbc-persian"), r"source:bbc\-persian"),
        (n.Term("text", "c++:x"), r"text_terms:c\+\+\:x"),
        (n.Term("text", "AND"), 'text_terms:"AND"'),
        (n.Phrase("text", ["وزارت", "خارجه"], slop=1), 'text_terms:"وزارت خارجه"'),
        (n.Phrase("text", ["a", "b", "c"], slop=3), 'text_terms:"a b c"~4'),
        (n.Prefix("title", "pres"), "title_terms:pres*"),
        (n.And([n.Term("text", "a"), n.Term("language", "fa")]),
         "(+text_terms:a +language:fa)"),
        (n.Or([n.Term("text", "a"), n.Term("text", "b")]), "(text_terms:a text_terms:b)"),
        (n.AndNot(n.Term("text", "a"), n.Term("text", "b")), "(+text_terms:a -text_terms:b)"),
        (n.AndMaybe(n.Term("text", "a"), n.Term("text", "b")), "(+text_terms:a text_terms:b)"),
        (n.Not(n.Term("entities", "kabul")), "(*:* -entities:kabul)"),
        (n.DateRange("published", start, None),
         "published:[2020-01-01T00:00:00.000Z TO *]"),
        (n.Or([n.Term("text", "a"), n.Term("text", "b"), n.Term("text", "c")], min_match=2),
         "(text_terms:a text_terms:b text_terms:c)~2"),
        (n.Require(n.Term("text", "a"), n.Term("text", "b")),
         "(+text_terms:a +text_terms:b^0)"),
        (n.Every(), "*:*"),
        (n.Nothing(), "(-*:*)"),
        (n.Sequence([n.Term("text", "a"), n.Or([n.Term("text", "b"), n.Term("text", "c")])],
                     slop=1),
         '(text_terms:"a b" text_terms:"a c")'),
    ]  # fmt: skip
    for query, expected in cases:
        assert translate.lucene(query, TEXT_FIELDS) == expected, query


def test_select_params_for_a_persian_search_with_filters_and_facets():
    query = n.Or([n.Term("text", "کتاب"), n.Term("title", "کتاب", boost=2.0)])
    request = SearchRequest(
        query,
        filters={"language": ["fa"], "source": ["bbc-persian", "tolo news"], "year": [],
                 "jyear": [1400]},
        date_range=(datetime(2021, 1, 1, tzinfo=UTC), None),
        sort="relevance", page=3, pagelen=10, facets=["source", "year"],
        pivots=[("month", "language")], withheld=[7, 9],
    )  # fmt: skip
    params = translate.select_params(request, text_fields=TEXT_FIELDS)
    assert params == {
        "q": "(text_terms:کتاب title_terms:کتاب^2)",
        "defType": "lucene",
        "q.op": "OR",
        "fl": "id,article_id,title,url,slug,language,source,source_name,source_name_fa,"
        "entities,published,updated,score",
        "start": 20,
        "rows": 10,
        "sort": "score desc,article_id desc",
        "wt": "json",
        "fq": [
            '{!tag=language}language:("fa")',
            '{!tag=source}source:("bbc-persian" OR "tolo news")',
            '{!tag=jyear}jyear:("1400")',
            "{!tag=published}published:[2021-01-01T00:00:00.000Z TO *]",
            "-article_id:(7 OR 9)",
        ],
        "facet": "true",
        "facet.mincount": 1,
        "facet.limit": -1,
        "facet.sort": "count",
        "facet.field": ["source", "year"],
        "facet.pivot": ["month,language"],
        "facet.pivot.mincount": 1,
    }


def test_browsing_sorts_by_date_and_asks_no_facets():
    params = translate.select_params(SearchRequest(None, sort="relevance"), text_fields=TEXT_FIELDS)
    assert params["q"] == "*:*" and params["sort"] == "published desc,article_id desc"
    assert "fq" not in params and "facet" not in params
    request = SearchRequest(n.Term("text", "a"), sort="oldest")
    oldest = translate.select_params(request, text_fields=TEXT_FIELDS)
    assert oldest["sort"] == "published asc,article_id asc"


def test_recorded_response_becomes_raw_results():
    response = json.loads((FIXTURES / "select_fa.json").read_text(encoding="utf-8"))
    raw = translate.raw_results(response, facets=["source", "year"],
                                pivots=[("month", "language")])  # fmt: skip
    assert isinstance(raw, RawResults) and raw.total == 2
    assert raw.facets == {"source": [("bbc-persian", 1), ("tolonews", 1)], "year": [(2021, 1)]}
    assert raw.pivots == {("month", "language"): {"2021-03": {"fa": 1}}}
    first, second = raw.hits
    assert first.docnum == 12 and first.score == pytest.approx(3.1416)
    assert first.fields["published"] == datetime(2021, 3, 4, 8, 30, tzinfo=UTC)
    assert first.fields["entities"] == ["kabul", "unesco"]
    assert second.fields["entities"] == ["kabul"] and second.fields["published"] is None


def test_document_carries_our_tokens_pre_analysed():
    text = "دانش‌آموزان به کتابخانه‌ها رفتند"
    tokens = json.loads(pre_analyzed(text))["tokens"]
    assert all(text[t["s"] : t["e"]] for t in tokens)
    assert tokens[0]["i"] == 1 and all(t["i"] in (0, 1, 2) for t in tokens)
    from articles.search.whoosh.analysis import NewsAnalyzer

    assert [t["t"] for t in tokens] == [t.text for t in NewsAnalyzer()(text)]
    stamp = datetime(2024, 5, 1, tzinfo=UTC)
    doc = solr_document({"id": "articles.article.1", "text": text, "entities": "a,b",
                         "published": datetime(2021, 1, 2, 3, 4, 5), "month": None},  # noqa: DTZ001
                        TEXT_FIELDS, stamp)  # fmt: skip
    assert doc["entities"] == ["a", "b"] and "month" not in doc
    assert doc["published"] == "2021-01-02T03:04:05.000Z"
    assert doc["indexed_at"] == "2024-05-01T00:00:00.000Z"
    assert json.loads(doc["text_terms"])["tokens"] == tokens


def test_spelling_variants_send_the_terms_the_document_holds(search_index):
    """The choice of terms: our analysed query terms go to the `_terms` twins, which hold our
    analyser's tokens of the document, so every spelling a reader types meets the document."""
    from articles.search.contract import get_backend
    from articles.search.query.parser import parse_query

    schema = get_backend().schema
    document = json.loads(pre_analyzed("کتاب‌ها و دانش‌آموزان در ۱۴۰۰ می‌روند"))
    held = {token["t"] for token in document["tokens"]}
    sent = set()
    for typed in ("کتابها", "كتاب ها", "دانشآموزان", "1400", "میروند", "می روند"):
        query = translate.lucene(parse_query(typed, schema).query, TEXT_FIELDS)
        terms = set(re.findall(r"text_terms:(\S+?)[)\s^]", query + " "))
        assert terms and terms <= held, (typed, query)
        sent |= terms
    assert {"کتاب", "دانشاموز", "1400", "میروند"} <= sent


# -- the wiring, against a loopback stand-in ------------------------------------------------
class SolrStandIn(ThreadingHTTPServer):
    """Answers like Solr's /select, /update and /terms; not Solr (see the module docstring)."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.docs: dict[str, dict] = {}
        self.requests: list[tuple[str, dict]] = []

    @property
    def url(self) -> str:
        return f"solr://127.0.0.1:{self.server_port}/solr/news"

    def tokens(self, doc: dict) -> set[tuple[str, str]]:
        found = set()
        for key, value in doc.items():
            if key.endswith("_terms"):
                found |= {(key, t["t"]) for t in json.loads(value)["tokens"]}
            elif isinstance(value, list):
                found |= {(key, str(v)) for v in value}
            else:
                found.add((key, str(value)))
        return found

    def matches(self, doc: dict, params: dict) -> bool:
        q = params.get("q", ["*:*"])[0]
        if q.startswith("article_id:("):
            return str(doc["article_id"]) in re.findall(r"\d+", q)
        wanted = {(f, t.replace("\\", "")) for sign, f, t in
                  re.findall(r'(^|[\s(+])(\w+):((?:\\.|[^\s()^"])+)', q)}  # fmt: skip
        if q != "*:*" and not (wanted & self.tokens(doc)):
            return False
        for fq in params.get("fq", []):
            match = re.fullmatch(r"\{!tag=\w+\}(\w+):\((.*)\)", fq)
            if match and match.group(1) != "published":
                values = set(re.findall(r'"([^"]*)"', match.group(2)))
                if not values & {v for f, v in self.tokens(doc) if f == match.group(1)}:
                    return False
        return True

    def select(self, params: dict) -> dict:
        matched = [d for d in self.docs.values() if self.matches(d, params)]
        matched.sort(key=lambda d: d.get("published", ""), reverse=True)
        start, rows = int(params.get("start", ["0"])[0]), int(params.get("rows", ["10"])[0])
        fl = re.split(r"[,\s]+", params.get("fl", ["*"])[0])
        docs = [{k: v for k, v in d.items() if "*" in fl or k in fl} | {"score": 1.0}
                for d in matched[start : start + rows]]  # fmt: skip
        answer = {"responseHeader": {"status": 0, "QTime": 1},
                  "response": {"numFound": len(matched), "start": start, "docs": docs}}  # fmt: skip
        if params.get("facet") == ["true"]:
            fields = {}
            for name in params.get("facet.field", []):
                counts: dict[str, int] = {}
                for doc in matched:
                    for value in self.tokens({name: doc[name]}) if name in doc else ():
                        counts[value[1]] = counts.get(value[1], 0) + 1
                fields[name] = [x for v, n in sorted(counts.items(), key=lambda i: -i[1])
                                for x in (v, n)]  # fmt: skip
            answer["facet_counts"] = {"facet_fields": fields, "facet_pivot": {}}
        if "cursorMark" in params:
            answer["nextCursorMark"] = params["cursorMark"][0]
        return answer

    def update(self, body: bytes) -> None:
        if body.lstrip().startswith(b"["):
            for doc in json.loads(body):
                self.docs[doc["id"]] = doc
            return
        root = ET.fromstring(body) if body.strip() else None
        if root is None or root.tag != "delete":
            return
        for element in root.iter("id"):
            self.docs.pop(element.text, None)
        for element in root.iter("query"):
            keep = re.fullmatch(r'\*:\* -indexed_at:"(.*)"', element.text or "")
            self.docs = {k: d for k, d in self.docs.items()
                         if keep and d.get("indexed_at") == keep.group(1)}  # fmt: skip


class _Handler(BaseHTTPRequestHandler):
    server: SolrStandIn

    def log_message(self, *args) -> None:
        pass

    def _answer(self, payload: dict) -> None:
        body = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _route(self, params: dict, body: bytes = b"") -> None:
        path = urlsplit(self.path).path.rstrip("/")
        self.server.requests.append((path, params))
        if path.endswith("/select"):
            return self._answer(self.server.select(params))
        if path.endswith("/update"):
            self.server.update(body)
            return self._answer({"responseHeader": {"status": 0, "QTime": 1}})
        if path.endswith("/terms"):
            field = params["terms.fl"][0]
            known = sorted({t for d in self.server.docs.values()
                            for f, t in self.server.tokens(d) if f == field})  # fmt: skip
            prefix = params.get("terms.prefix", [""])[0]
            listed = params.get("terms.list")
            terms = [t for t in known if t.startswith(prefix) and (not listed or t in listed)]
            return self._answer({"terms": {field: [x for t in terms for x in (t, 1)]}})
        self.send_error(404)

    def do_GET(self) -> None:  # noqa: N802
        self._route(parse_qs(urlsplit(self.path).query))

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        params = parse_qs(urlsplit(self.path).query)
        if self.headers.get("Content-Type", "").startswith("application/x-www-form"):
            params |= parse_qs(body.decode())
            body = b""
        self._route(params, body)


@pytest.fixture
def solr(settings, tmp_path):
    from haystack import connections

    server = SolrStandIn()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.HAYSTACK_CONNECTIONS = haystack_connections(
        server.url, whoosh_path=tmp_path / "whoosh_index"
    )
    connections.connections_info = settings.HAYSTACK_CONNECTIONS
    connections.reload("default")
    yield server
    server.shutdown()
    server.server_close()
    connections.reload("default")


@pytest.mark.django_db
def test_search_articles_runs_end_to_end_through_pysolr(solr, client):
    from articles.search.contract import get_backend
    from articles.search.engine import search_articles
    from articles.search.solr import NewsSolrBackend
    from articles.search.sync import indexing
    from articles.search.sync.worker import process_pending
    from articles.search.types import SearchParams
    from tests.factories import make_article, make_source

    assert isinstance(get_backend(), NewsSolrBackend)
    bbc = make_source(slug="bbc-persian", name_en="BBC Persian", name_fa="بی‌بی‌سی فارسی")
    fa = make_article(language="fa", source=bbc, title="نمایشگاه کتاب",
                      body="کتاب‌ها در نمایشگاه تهران فروخته شدند.")  # fmt: skip
    en = make_article(language="en", title="Book fair", body="Books were sold in Kabul.")
    report = indexing.rebuild()
    assert report.indexed == 2 and len(solr.docs) == 2

    result = search_articles(SearchParams(q="كتابها", language="fa"))  # Arabic kaf, no ZWNJ
    assert [hit.article_id for hit in result.hits] == [fa.pk]
    assert "<mark>" in result.hits[0].snippet_html
    assert result.hits[0].source_name_fa == "بی‌بی‌سی فارسی"
    select = [params for path, params in solr.requests
              if path.endswith("/select") and "fq" in params][0]  # fmt: skip
    assert select["fq"] == ['{!tag=language}language:("fa")']
    assert "text_terms:کتاب" in select["q"][0]
    english = search_articles(SearchParams(q="books", with_facets=True))
    assert [hit.article_id for hit in english.hits] == [en.pk]
    assert {f.value: f.count for f in english.facets["language"]} == {"en": 1}

    prefixed = search_articles(SearchParams(q="کتا*"))  # expanded through /terms
    assert [hit.article_id for hit in prefixed.hits] == [fa.pk]
    assert any(path.endswith("/terms") for path, _params in solr.requests)

    fa.title = "نمایشگاه بزرگ کتاب"
    fa.save()
    assert process_pending().tasks >= 1  # the queue worker writes through apply()
    assert solr.docs[f"articles.article.{fa.pk}"]["title"] == "نمایشگاه بزرگ کتاب"
    assert indexing.check().drift == 0  # stored_versions read with a cursor
    assert client.get("/healthz").json()["indexed"] == 2  # Haystack's own query path
    get_backend().apply([], [f"articles.article.{en.pk}"])
    assert set(solr.docs) == {f"articles.article.{fa.pk}"}
