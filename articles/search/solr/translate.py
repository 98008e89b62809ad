"""Pure translation between our search API and Solr's: no I/O here, so it is tested alone.

- `lucene(query, text_fields)`: a parsed query (`articles.search.query.nodes`) as Solr's
  standard (lucene) query syntax. Terms of analysed fields go to their `<field>_terms` twin,
  which holds our own analyser's tokens (see `articles.search.solr.schema`), so a term means
  what it means on the embedded index.
- `select_params(request, text_fields=...)`: the `/select` parameters for one
  `SearchRequest` (`articles.search.contract`).
- `raw_results(response, ...)`: Solr's JSON response as `RawResults` of `RawHit`s.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from itertools import product
from typing import Any

from articles.search import dimensions
from articles.search.contract import RawHit, RawResults, SearchRequest
from articles.search.query import nodes
from articles.search.solr.schema import TERMS_SUFFIX

STORED_FIELDS = ("id", "article_id", "title", "url", "slug", "language", "source",
                 "source_name", "source_name_fa", "entities", "published", "updated")  # fmt: skip
MAX_SEQUENCE_PHRASES = 16  # a phrase with alternatives becomes at most this many phrases
_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/\s])')


class UntranslatableQuery(ValueError):
    pass


def escape_term(value: object) -> str:
    """One term for the lucene parser: every special character and space backslashed."""
    text = str(value)
    if text in ("AND", "OR", "NOT", "TO"):
        return f'"{text}"'
    return _SPECIAL.sub(r"\\\1", text)


def quote(value: object) -> str:
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def solr_date(value: datetime | None) -> str:
    if value is None:
        return "*"
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.strftime("%Y-%m-%dT%H:%M:%S") + f".{value.microsecond // 1000:03d}Z"


def parse_solr_date(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


def _boosted(text: str, boost: float) -> str:
    return text if boost in (None, 1, 1.0) else f"{text}^{boost:g}"


class Translator:
    def __init__(self, text_fields: Iterable[str]):
        self.text_fields = set(text_fields)

    def field(self, name: str) -> str:
        if name in self.text_fields:
            return name + TERMS_SUFFIX
        return name

    def __call__(self, query: nodes.Node) -> str:
        method = getattr(self, "_" + type(query).__name__.lower(), None)
        if method is None:
            raise UntranslatableQuery(f"No Solr translation for {type(query).__name__}")
        return method(query)

    # -- leaves -----------------------------------------------------------------------------
    def _term(self, q: nodes.Term) -> str:
        return _boosted(f"{self.field(q.field)}:{escape_term(q.text)}", q.boost)

    def _prefix(self, q: nodes.Prefix) -> str:
        return _boosted(f"{self.field(q.field)}:{escape_term(q.text)}*", q.boost)

    def _phrase(self, q: nodes.Phrase) -> str:
        return _boosted(self._phrase_text(q.field, list(q.words), q.slop), q.boost)

    def _phrase_text(self, fieldname: str, words: list[str], slop: int) -> str:
        # Our slop bounds each gap (1 = adjacent); Lucene's bounds the sum of moves.
        lucene_slop = max(0, int(slop or 1) - 1) * max(0, len(words) - 1)
        text = f"{self.field(fieldname)}:{quote(' '.join(words))}"
        return text + (f"~{lucene_slop}" if lucene_slop else "")

    def _sequence(self, q: nodes.Sequence) -> str:
        """A phrase whose positions hold alternatives: the phrases of the combinations."""
        positions: list[list[str]] = []
        fieldname = None
        for sub in q.subqueries:
            terms = [sub] if isinstance(sub, nodes.Term) else list(getattr(sub, "subqueries", []))
            if not terms or not all(isinstance(t, nodes.Term) for t in terms):
                raise UntranslatableQuery("A sequence of something other than terms")
            fieldname = fieldname or terms[0].field
            positions.append([t.text for t in terms])
        phrases = []
        for combination in product(*positions):
            phrases.append(self._phrase_text(fieldname, list(combination), q.slop))
            if len(phrases) >= MAX_SEQUENCE_PHRASES:
                break
        body = phrases[0] if len(phrases) == 1 else "(" + " ".join(phrases) + ")"
        return _boosted(body, q.boost)

    def _daterange(self, q: nodes.DateRange) -> str:
        return f"{q.field}:[{solr_date(q.start)} TO {solr_date(q.end)}]"

    def _every(self, q: nodes.Every) -> str:
        return "*:*"

    def _nothing(self, q: nodes.Nothing) -> str:
        return "(-*:*)"

    # -- compounds --------------------------------------------------------------------------
    def _group(self, parts: list[str], boost: float) -> str:
        return _boosted("(" + " ".join(parts) + ")", boost)

    def _and(self, q: nodes.And) -> str:
        return self._group(["+" + self(sub) for sub in q.subqueries], q.boost)

    def _or(self, q: nodes.Or) -> str:
        if not q.subqueries:
            return "(-*:*)"
        group = self._group([self(sub) for sub in q.subqueries], 1.0)
        if q.min_match > 1:  # Lucene's minimum-should-match syntax for a group
            group += f"~{q.min_match}"
        return _boosted(group, q.boost)

    def _not(self, q: nodes.Not) -> str:
        return _boosted(f"(*:* -{self(q.query)})", q.boost)

    def _andnot(self, q: nodes.AndNot) -> str:
        return self._group(["+" + self(q.a), "-" + self(q.b)], q.boost)

    def _andmaybe(self, q: nodes.AndMaybe) -> str:
        return self._group(["+" + self(q.a), self(q.b)], q.boost)

    def _require(self, q: nodes.Require) -> str:
        return self._group(["+" + self(q.a), "+" + self(q.b) + "^0"], q.boost)


def lucene(query: nodes.Node, text_fields: Iterable[str]) -> str:
    return Translator(text_fields)(query)


def filter_queries(filters: dict[str, Iterable[Any]] | None, date_range) -> list[str]:
    """One `fq` per filtered field (tagged, so a facet may exclude it), plus the date range."""
    fqs = []
    for name, values in (filters or {}).items():
        values = [value for value in values if value not in (None, "")]
        if values:
            joined = " OR ".join(quote(value) for value in values)
            fqs.append(f"{{!tag={name}}}{name}:({joined})")
    if date_range and any(bound is not None for bound in date_range):
        start, end = date_range
        fqs.append(f"{{!tag=published}}published:[{solr_date(start)} TO {solr_date(end)}]")
    return fqs


SORTS = {
    "relevance": "score desc,article_id desc",
    "newest": "published desc,article_id desc",
    "oldest": "published asc,article_id asc",
    "added": "article_id desc",
}


def select_params(request: SearchRequest, *, text_fields: Iterable[str]) -> dict[str, Any]:
    """The `/select` parameters (a dict; lists are repeated parameters)."""
    text_fields = list(text_fields)
    query, sort = request.query, request.sort
    browsing = query is None or isinstance(query, nodes.Every)
    if sort not in SORTS or (sort == "relevance" and browsing):
        sort = "newest" if sort not in SORTS or browsing else sort
    params: dict[str, Any] = {
        "q": "*:*" if browsing else lucene(query, text_fields),
        "defType": "lucene",
        "q.op": "OR",
        "fl": ",".join((*STORED_FIELDS, "score")),
        "start": request.first,
        "rows": request.page_length,
        "sort": SORTS[sort],
        "wt": "json",
    }
    fqs = filter_queries(request.filters, request.date_range)
    if request.filter_query is not None:
        fqs.append(lucene(request.filter_query, text_fields))
    if request.withheld:  # articles hidden since their last indexing (articles.search.sync.queue)
        fqs.append("-article_id:(" + " OR ".join(str(int(pk)) for pk in request.withheld) + ")")
    if fqs:
        params["fq"] = fqs
    if request.facets or request.pivots:
        limit = request.facet_limit or -1
        params.update({"facet": "true", "facet.mincount": 1, "facet.limit": limit,
                       "facet.sort": "count"})  # fmt: skip
        if request.facets:
            params["facet.field"] = list(request.facets)
        if request.pivots:
            params["facet.pivot"] = [",".join(pair) for pair in request.pivots]
            params["facet.pivot.mincount"] = 1
    return params


def _pairs(flat: list | dict) -> list[tuple[Any, int]]:
    """Solr's facet lists come flat (`[value, count, value, count]`) or as a map."""
    if isinstance(flat, dict):
        return list(flat.items())
    return list(zip(flat[::2], flat[1::2], strict=True))


def _typed(field: str, value: Any) -> Any:
    numeric = field == "article_id" or any(
        dim.field == field and dim.numeric for dim in dimensions.DIMENSIONS
    )
    return int(value) if numeric else value


def stored(doc: dict[str, Any]) -> dict[str, Any]:
    fields = {key: value for key, value in doc.items() if key not in ("score", "id")}
    for key in dimensions.multi_fields():
        if key in fields and not isinstance(fields[key], list):
            fields[key] = [fields[key]]
    for key in ("published", "updated"):
        fields[key] = parse_solr_date(fields.get(key))
    if "article_id" in fields:
        fields["article_id"] = int(fields["article_id"])
    return fields


def raw_results(
    response: dict[str, Any],
    *,
    facets: Sequence[str] = (),
    pivots: Sequence[tuple[str, str]] = (),
) -> RawResults:
    body = response.get("response") or {}
    result = RawResults(total=int(body.get("numFound") or 0), hits=[])
    counts = response.get("facet_counts") or {}
    for name in facets:
        pairs = _pairs((counts.get("facet_fields") or {}).get(name) or [])
        result.facets[name] = [(_typed(name, value), int(n)) for value, n in pairs if n]
    for first, second in pivots:
        table: dict = {}
        for row in (counts.get("facet_pivot") or {}).get(f"{first},{second}") or []:
            inner = table.setdefault(_typed(first, row["value"]), {})
            for cell in row.get("pivot") or []:
                inner[_typed(second, cell["value"])] = int(cell["count"])
        result.pivots[(first, second)] = table
    for doc in body.get("docs") or []:
        fields = stored(doc)
        score = float(doc.get("score") or 0.0)
        result.hits.append(
            RawHit(docnum=int(fields.get("article_id") or 0), score=score, fields=fields)
        )
    return result
