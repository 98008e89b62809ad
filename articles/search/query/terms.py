"""From typed words to term queries (`articles.search.query.nodes`), through the index's own
analysers.

`TermBuilder` is the half of the query parser that knows the schema: which fields exist,
how each analyses text, the title boost, the cross-language entity expansion; it gives the
parser `Part`s (a query and how it was read).
"""

from __future__ import annotations

import re
from datetime import datetime, time

from django.utils.translation import gettext as _

from articles.search import dimensions
from articles.search.query import nodes
from articles.search.query.dates import read_date
from articles.search.query.nodes import Part
from articles.search.query.sources import source_part
from articles.search.query.tokens import PHRASE, Token
from articles.search.query.units import (
    OP_AND,
    OPS,
    Rule,
    query_units,
    unit_query,
)
from articles.text import normalize as archive_normalize

TEXT, TITLE = "text", "title"
# Ranking of plain words, measured on the shared relevance sets (time1963, persianqa with the
# Persian news as distractors): BM25F over `text` (title + summary + body), plus the title
# field at 0.3 (2.0 cost 20% MAP@10: the text already holds the title), plus a small bonus
# for neighbouring query words standing close (+3% MAP@10 on time1963, -0.5% on persianqa).
TITLE_BOOST = 0.3
COORDINATION = 0.9  # bonus for holding more of the words (Whoosh's CoordMatcher scale)
PROXIMITY_BOOST = 0.3  # plain words: a bonus where neighbouring query words stand close
PROXIMITY_SLOP = 6
PROXIMITY_PAIRS = 8  # positional queries cost the most: a few pairs carry the benefit
MAX_PHRASES = 10
# The joined form of a chain (alqaeda for al-Qaeda) ranks a document written that way; the
# parts rank it too where it is written apart or hyphenated.
WHOLE_BOOST = 0.1
EXPANSION_BOOST = 1.0
USER_FIELDS = {"title", "source", "entity", "lang", "language", "date"}
LANGUAGE_WORDS = {
    "fa": "fa", "fas": "fa", "per": "fa", "persian": "fa", "farsi": "fa", "dari": "fa",
    "فارسی": "fa", "پارسی": "fa", "دری": "fa",
    "en": "en", "eng": "en", "english": "en", "انگلیسی": "en",
}  # fmt: skip


def normalize(text: str) -> str:
    """The archive's normalisation (the same as `EntityAlias.normalized`)."""
    return archive_normalize(text)


class TermBuilder:
    def __init__(
        self, schema, messages: list[str], aliases: dict, *, expand: bool = True, op: str = OP_AND
    ):
        self.schema = schema
        self.op = op if op in OPS else OP_AND
        self.rule: Rule | None = None
        self.messages = messages
        self.aliases = aliases
        self.expand = expand
        self.ignored = False
        self.explained: list[dict] = []
        self.fields_used: set[str] = set()
        self.highlight_terms: set[str] = set()
        self.highlight_prefixes: set[str] = set()
        self.words: list[str] = []
        self.expansions: list[dict] = []
        self.phrases = 0

    def note(self, message: str) -> None:
        if message not in self.messages:
            self.messages.append(message)

    # -- analysis ---------------------------------------------------------------------------
    def has(self, fieldname: str) -> bool:
        return fieldname in self.schema.names()

    def analyze(
        self, fieldname: str, text: str, *, keepstops: bool = False
    ) -> list[tuple[int, list[str]]]:
        """Analysed terms grouped by position: [(pos, [term, …]), …] (common words kept, at
        their positions, with `keepstops`)."""
        if not self.has(fieldname):
            return []
        fieldobj = self.schema[fieldname]
        analyzer = getattr(fieldobj, "analyzer", None)
        groups: list[tuple[int, list[str]]] = []
        if analyzer is None:
            return [(0, [t]) for t in fieldobj.process_text(text, mode="query")]
        for token in analyzer(text, positions=True, mode="query", keepstops=keepstops):
            word, pos = token.text, token.pos
            if not word:
                continue
            if groups and groups[-1][0] == pos:
                if word not in groups[-1][1]:
                    groups[-1][1].append(word)
            else:
                groups.append((pos, [word]))
        return groups

    def exact_terms(self, fieldname: str, value: str) -> list[str]:
        if not self.has(fieldname):
            return []
        try:
            return [t for t in self.schema[fieldname].process_text(value, mode="query") if t]
        except Exception:  # noqa: BLE001 - a value the field cannot hold matches nothing
            return []

    # -- building ---------------------------------------------------------------------------
    def any_of(self, fieldname: str, terms: list[str], boost: float = 1.0) -> nodes.Node:
        queries = [nodes.Term(fieldname, t, boost=boost) for t in terms]
        return queries[0] if len(queries) == 1 else nodes.Or(queries)

    def sequence(self, fieldname: str, groups, slop: int, boost: float = 1.0) -> nodes.Node:
        if len(groups) == 1:
            return self.any_of(fieldname, groups[0][1], boost)
        gaps = [b[0] - a[0] for a, b in zip(groups, groups[1:], strict=False)]
        slop = max(slop, *gaps, 1)
        if all(len(terms) == 1 for _pos, terms in groups):
            return nodes.Phrase(
                fieldname, [terms[0] for _pos, terms in groups], slop=slop, boost=boost
            )
        subqueries = [self.any_of(fieldname, terms) for _pos, terms in groups]
        return nodes.Sequence(subqueries, slop=slop, boost=boost)

    def in_fields(self, text: str, fields: tuple[str, ...], *, slop: int = 1, as_words=False):
        """The words of `text` in each field (title boosted), in sequence unless `as_words`
        (then all of them anywhere); (query, groups) or None."""
        queries, groups_seen = [], []
        for fieldname in fields:
            groups = self.analyze(fieldname, text, keepstops=not as_words)
            if not groups:
                continue
            boost = TITLE_BOOST if fieldname == TITLE and len(fields) > 1 else 1.0
            if as_words and len(groups) > 1:
                queries.append(nodes.And([self.any_of(fieldname, ts, boost) for _p, ts in groups]))
            else:
                queries.append(self.sequence(fieldname, groups, slop, boost))
            groups_seen = groups_seen or groups
            self.fields_used.add(fieldname)
        if not queries:
            return None
        return (queries[0] if len(queries) == 1 else nodes.Or(queries)), groups_seen

    def word_query(self, text: str, fields: tuple[str, ...]):
        """One typed word of a structured query: its units (a chain: parts in sequence or
        joined), all of them; (query, groups) or None."""
        if not fields:
            return None
        # A common word alone between operators is dropped, as in plain words.
        units = [u for u in query_units(self.schema[fields[0]].analyzer, text) if not u.stop]
        if not units:
            return None
        queries = []
        for fieldname in fields:
            boost = TITLE_BOOST if fieldname == TITLE and len(fields) > 1 else 1.0
            parts = [unit_query(unit, fieldname, boost, WHOLE_BOOST) for unit in units]
            queries.append(parts[0] if len(parts) == 1 else nodes.And(parts))
            self.fields_used.add(fieldname)
        groups = [(pos, [*terms]) for unit in units for pos, terms in unit.groups]
        wholes = [unit.whole for unit in units if unit.whole]
        if wholes:
            groups.append((-1, wholes))
        return (queries[0] if len(queries) == 1 else nodes.Or(queries)), groups

    def default_fields(self) -> tuple[str, ...]:
        # The text field holds the title too: the title field only adds a boost.
        wanted = (TEXT, TITLE) if TITLE_BOOST > 0 else (TEXT,)
        return tuple(f for f in wanted if self.has(f))

    def near(self, first: str, second: str) -> nodes.Node:
        """A bonus for `first` followed by `second` within PROXIMITY_SLOP words (measured on
        the relevance sets: either order scored lower than this order)."""
        return nodes.Phrase(TEXT, [first, second], slop=PROXIMITY_SLOP, boost=PROXIMITY_BOOST)

    def plain_expansions(self, text: str):
        """[(entity query, label, (start, end) of the words it stands for in `text`)]."""
        if not (self.expand and self.aliases and self.has("entities")):
            return []
        matches = list(re.finditer(r"\S+", text))
        words = [normalize(m.group()) for m in matches]
        found, used = [], set()
        for size in range(min(4, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                span = set(range(start, start + size))
                if span & used:
                    continue
                key = " ".join(words[start : start + size])
                chars = (matches[start].start(), matches[start + size - 1].end())
                for entity in self.aliases.get(key, []):
                    used |= span
                    extra = self.expansion(entity)
                    if extra:
                        found.append((*extra, chars))
        return found

    def expansion(self, entity: dict):
        if any(e["slug"] == entity["slug"] for e in self.expansions):
            return None
        self.expansions.append(entity)
        self.fields_used.add("entities")
        query = nodes.Term("entities", entity["slug"], boost=EXPANSION_BOOST)
        return query, f"entity:{entity['slug']}"

    def leaf(self, tok: Token, *, negated: bool):
        """One word, phrase or `field:value` of a structured query (a Part or None)."""
        field = tok.field
        if field == "language":
            field = "lang"
        # A dimension declared since (`articles.search.dimensions`): `prefix:value` restricts.
        dim = dimensions.by_prefix(field) if field and field not in USER_FIELDS else None
        if field and field not in USER_FIELDS and dim is None:
            self.messages.append(
                _("There is no field “%(field)s”; “%(text)s” was searched as plain words.")
                % {"field": field, "text": f"{field}:{tok.text}"}
            )
            tok = Token(PHRASE, text=f"{field} {tok.text}", slop=None)
            field = ""
        entry = {"text": tok.text, "normalized": normalize(tok.text), "terms": [],
                 "field": field, "kind": "prefix" if tok.prefix else tok.kind,
                 "op": "not" if negated else "should"}  # fmt: skip
        self.explained.append(entry)
        if field == "lang":
            return self._language(tok, entry)
        if field == "date":
            return self._date(tok, entry)
        if field == "source":
            return source_part(self, tok, entry)
        if field == "entity":
            return self._entity(tok, entry)
        if dim is not None:
            return self._exact(dim.field, dim.field, tok, entry)
        fields = (TITLE,) if field == "title" else self.default_fields()
        if tok.prefix:
            return self._prefix(tok, fields, entry, negated)
        slop = tok.slop if tok.slop is not None else 1
        as_words = False
        if tok.kind == PHRASE:
            self.phrases += 1
            as_words = self.phrases > MAX_PHRASES
            if as_words:
                self.note(
                    _("Only the first %(n)d phrases were searched as phrases; the others as "
                      "words.") % {"n": MAX_PHRASES}
                )  # fmt: skip
        if tok.kind == PHRASE:
            built = self.in_fields(tok.text, fields, slop=slop, as_words=as_words)
        else:
            built = self.word_query(tok.text, fields)
        if built is None:
            self.ignored = True
            return None
        query, groups = built
        entry["terms"] = [t for _p, ts in groups for t in ts]
        if not negated:
            self.highlight_terms.update(entry["terms"])
            if tok.kind != PHRASE:
                self.words.append(tok.text)
        shown = f'"{" ".join(entry["terms"])}"' if tok.kind == PHRASE else " ".join(entry["terms"])
        if tok.slop is not None:
            shown += f"~{tok.slop}"
        if field:
            shown = f"{field}:{shown}"
        if self.expand and not field and not negated and self.has("entities"):
            for entity in self.aliases.get(entry["normalized"], []):
                extra = self.expansion(entity)
                if extra:
                    query = nodes.Or([query, extra[0]])
                    shown = f"({shown} OR {extra[1]})"
        return Part(query, shown)

    def _prefix(self, tok: Token, fields, entry: dict, negated: bool):
        stem = normalize(tok.text).replace(" ", "")
        if not stem:
            self.ignored = True
            return None
        entry["terms"] = [stem + "*"]
        boosted = len(fields) > 1
        queries = [nodes.Prefix(f, stem, boost=TITLE_BOOST if f == TITLE and boosted else 1.0)
                   for f in fields]  # fmt: skip
        self.fields_used.update(fields)
        if not negated:
            self.highlight_prefixes.add(stem)
        if not queries:
            return None
        shown = f"{'title:' if fields == (TITLE,) else ''}{stem}*"
        return Part(queries[0] if len(queries) == 1 else nodes.Or(queries), shown)

    def _language(self, tok: Token, entry: dict):
        code = LANGUAGE_WORDS.get(normalize(tok.text).strip())
        if code is None or not self.has("language"):
            self.messages.append(
                _(
                    "“lang:%(value)s” is not a language of the archive (use fa or en); "
                    "it was ignored."
                )
                % {"value": tok.text}
            )
            return None
        entry["terms"] = [code]
        self.fields_used.add("language")
        return Part(
            self.any_of("language", self.exact_terms("language", code) or [code]),
            f"lang:{code}",
            restriction=True,
        )

    def _date(self, tok: Token, entry: dict):
        low_text, sep, high_text = tok.text.partition("..")
        low = read_date(low_text) if low_text.strip() else None
        high = read_date(high_text if sep else low_text) if (high_text.strip() or not sep) else None
        bad = (low_text.strip() and low is None) or (
            (high_text.strip() or not sep) and high is None
        )
        if bad or (low is None and high is None) or not self.has("published"):
            self.messages.append(
                _("“date:%(value)s” is not a date or range (try date:2020-01-01..2020-12-31 or "
                  "date:1399); it was ignored.") % {"value": tok.text}
            )  # fmt: skip
            return None
        if low and high and low.start > high.end:  # date:1399..1398, as the form's from/to
            low, high = high, low
            self.messages.append(_("The dates were in the wrong order; they were swapped."))
        start = datetime.combine(low.start, time.min) if low else None
        end = datetime.combine(high.end, time.max) if high else None
        for reading in {low, high} - {None}:
            self.messages.append(reading.how)
        entry["terms"] = [f"{start.date() if start else ''}..{end.date() if end else ''}"]
        self.fields_used.add("published")
        return Part(
            nodes.DateRange("published", start, end), f"date:{entry['terms'][0]}", restriction=True
        )

    def _exact(self, fieldname: str, names_field: str, tok: Token, entry: dict):
        value = tok.text.strip()
        candidates = {value, value.lower(), value.lower().replace(" ", "-")}
        queries = []
        for candidate in sorted(candidates):
            terms = self.exact_terms(fieldname, candidate)
            if terms:
                queries.append(self.any_of(fieldname, terms))
        if self.has(names_field) and getattr(self.schema[names_field], "scorable", False):
            built = self.in_fields(value, (names_field,))
            if built:
                queries.append(built[0])
        entry["terms"] = sorted(candidates)
        self.fields_used.add(fieldname)
        if not queries:
            return None
        query = queries[0] if len(queries) == 1 else nodes.Or(queries)
        return Part(query, f"{tok.field}:{value}", restriction=True)

    def _entity(self, tok: Token, entry: dict):
        part = self._exact("entities", "entity_names", tok, entry)
        queries = [part.query] if part else []
        for entity in self.aliases.get(entry["normalized"], []):
            queries.append(nodes.Term("entities", entity["slug"]))
            entry["terms"].append(entity["slug"])
        if not queries:
            return None
        query = queries[0] if len(queries) == 1 else nodes.Or(queries)
        return Part(query, f"entity:{tok.text.strip()}", restriction=True)
