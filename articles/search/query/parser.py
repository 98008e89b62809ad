"""The search syntax, parsed by hand into query objects (`articles.search.query.nodes`) that
each backend translates. Nothing a person types raises.

    words            all of them (a long query: most of them; `op=or`: any of them), ranked
                     higher where more of them stand, in the title or close together
    a AND b, a && b  both          a OR b   either          NOT a, -a   without     +a  required
    "a b"            phrase        "a b"~5  within 5 words  pres*       prefix (not stemmed)
    title:word  title:"a b"  source:slug  entity:slug-or-name  lang:fa|en
    date:2020-01-01..2020-12-31   date:1399   date:2021-03..   date:..1400-06-31
    ( … )            grouping

Every word goes through the analyser of the field it is searched in (the index's own, read
from the schema), so folding, stemming and the ZWNJ rules are the same on both sides.
Plain words (no operators) are ranked by BM25F as an OR of the words, so documents holding more
of them, in the title, or next to each other rank higher (see `articles.search.query.terms` for
the weights); which documents are in the set is the rule of `op` (`articles.search.query.units`):
every word of a short query, most words of a long one, or (`op=or`) any word. A word joined
by - / . ' (al-Qaeda, 9/11) is its parts in sequence or its joined form; common words count
only alone or in a phrase.
A field that does not exist is read as plain words; an unbalanced quote or bracket, a
dangling operator or an over-long query gets the literal reading and a message.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from articles.search.query import nodes
from articles.search.query.dates import read_date
from articles.search.query.nodes import Part
from articles.search.query.plainwords import plain_query
from articles.search.query.terms import COORDINATION, TermBuilder
from articles.search.query.tokens import (
    AND,
    LPAREN,
    MAX_TERMS,
    MINUS,
    NOT,
    OR,
    PHRASE,
    PLUS,
    RPAREN,
    Token,
    clean_query,
    tokenize_query,
)
from articles.search.query.units import OP_AND, OP_OR, Rule, required_count, requirement

MAX_DEPTH = 8
SHOULD, MUST, MUST_NOT = "should", "must", "not"


@dataclass
class ParsedQuery:
    query: nodes.Node | None  # None: no condition from the text (everything matches)
    read_as: str
    mode: str  # "empty" | "plain" | "structured"
    messages: list[str]
    tokens: list[dict]
    operators: list[str]
    fields: list[str]
    highlight_terms: set[str] = field(default_factory=set)
    highlight_prefixes: set[str] = field(default_factory=set)
    words: list[str] = field(default_factory=list)  # positive plain words, for suggestions
    expansions: list[dict] = field(default_factory=list)
    match: dict = field(default_factory=dict)  # the set rule that ran (`Rule.as_dict`)

    def explanation(self) -> dict:
        return {
            "match": self.match,
            "input": self.read_as if self.mode == "empty" else self.input,
            "read_as": self.read_as,
            "mode": self.mode,
            "tokens": self.tokens,
            "operators": self.operators,
            "fields": self.fields,
            "expansions": self.expansions,
        }

    input: str = ""


def parse_query(
    raw: object, schema, *, aliases: dict | None = None, expand: bool = True, op: str = OP_AND
) -> ParsedQuery:
    """Parse `raw` against the backend's schema (its fields and their analysers). `aliases` maps
    normalised alias text to entity descriptions (see `articles.search.query.expand`) for
    cross-language expansion; `op` ("and" or "or") is the rule for words written side by side."""
    messages: list[str] = []
    text = clean_query(raw, messages)
    terms = TermBuilder(schema, messages, aliases or {}, expand=expand, op=op)
    tokens = tokenize_query(text, messages)
    parsed = ParsedQuery(None, "", "empty", messages, [], [], [], input=text)
    if not text:
        return parsed
    plain = all(t.kind == "word" and not t.field and not t.prefix for t in tokens)
    if not tokens:
        part = None
    elif plain:
        part = plain_query(terms, " ".join(t.text for t in tokens))
        parsed.mode = "plain"
    else:
        parser = _Parser(tokens, terms)
        part = parser.parse()
        parsed.mode = "structured"
        parsed.operators = sorted(parser.operators)
    if part is None:
        if not messages or terms.ignored:
            messages.append(
                _("The query holds no searchable words (only very common words or symbols).")
            )
    else:
        parsed.query, parsed.read_as = part.query, part.text
    if terms.rule is not None:
        parsed.match = terms.rule.as_dict()
    parsed.tokens = terms.explained
    parsed.fields = sorted(terms.fields_used)
    parsed.highlight_terms = terms.highlight_terms
    parsed.highlight_prefixes = terms.highlight_prefixes
    parsed.words = terms.words
    parsed.expansions = terms.expansions
    return parsed


class _Parser:
    """expr := chain ((OR)? chain)* ; chain := unary (AND unary)* ;
    unary := NOT unary | + unary | - unary | ( expr ) | leaf"""

    def __init__(self, tokens: list[Token], terms: TermBuilder):
        self.tokens = tokens
        self.pos = 0
        self.terms = terms
        self.messages = terms.messages
        self.operators: set[str] = set()
        self.leaves = 0
        self.negations = 0

    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def parse(self) -> Part | None:
        return self.expr(0)

    def note(self, message: str) -> None:
        if message not in self.messages:
            self.messages.append(message)

    def expr(self, depth: int) -> Part | None:
        clauses: list[tuple[str, Part]] = []
        while (tok := self.peek()) is not None:
            start = self.pos
            if tok.kind == RPAREN:
                if depth > 0:
                    break
                self.pos += 1
                self.note(_("A closing bracket without an opening one was ignored."))
                continue
            if tok.kind in (OR, AND):
                self.operators.add(tok.kind)
                before = self.tokens[self.pos - 1] if self.pos else None
                self.pos += 1
                after = self.peek()
                if (
                    before is None
                    or before.kind in (OR, AND, NOT, LPAREN, PLUS, MINUS)
                    or after is None
                    or after.kind in (RPAREN, OR, AND)
                ):
                    self.note(
                        _("“%(op)s” needs words on both sides; it was ignored.") % {"op": tok.kind}
                    )
                continue
            clause = self.chain(depth)
            if clause is not None:
                clauses.append(clause)
            if self.pos == start:
                self.pos += 1
        if OR not in {t.kind for t in self.tokens}:
            # without an explicit OR, a field restriction narrows what the other words find
            limits = [p for o, p in clauses if o == SHOULD and p.restriction]
            rest = [(o, p) for o, p in clauses if not (o == SHOULD and p.restriction)]
            found = self.all_of(rest)
            if limits:
                queries = [p.query for p in limits] + ([found.query] if found else [])
                texts = [f"+{p.text}" for p in limits] + ([found.text] if found else [])
                query = queries[0] if len(queries) == 1 else nodes.And(queries)
                return Part(query, " ".join(texts))
            return found
        return combine(clauses)

    def all_of(self, clauses: list[tuple[str, Part]]) -> Part | None:
        """`clauses` side by side with no OR: under `op=and` the rule of plain words applies
        to them (all of a few, most of many: `required_count`), ranked as written, the set
        narrowed by a `Require`."""
        found = combine(clauses)
        shoulds = [p for o, p in clauses if o == SHOULD]
        if self.terms.op != OP_AND or len(shoulds) < 2 or found is None:
            if found is not None and len(shoulds) > 1:
                self.terms.rule = Rule(OP_OR, len(shoulds), 1)
            return found
        rule = Rule(OP_AND, len(shoulds), required_count(len(shoulds), OP_AND))
        self.terms.rule = rule
        narrowed = requirement([p.query for p in shoulds], rule.required)
        if narrowed is None:
            return found
        if rule.required < rule.units:
            return Part(nodes.Require(found.query, narrowed), f"({found.text})@{rule.required}")
        required = combine([(MUST if o == SHOULD else o, p) for o, p in clauses])
        return Part(nodes.Require(found.query, narrowed), required.text)

    def chain(self, depth: int) -> tuple[str, Part] | None:
        items = []
        first = self.unary(depth)
        if first is not None:
            items.append(first)
        while (tok := self.peek()) is not None and tok.kind == AND:
            self.operators.add(AND)
            self.pos += 1
            nxt = self.unary(depth)
            if nxt is None:
                self.note(_("“%(op)s” needs words on both sides; it was ignored.") % {"op": AND})
                break
            items.append(nxt)
        if not items:
            return None
        if len(items) == 1:
            return items[0]
        required = [(MUST if occur == SHOULD else occur, part) for occur, part in items]
        combined = combine(required)
        return (SHOULD, combined) if combined else None

    def unary(self, depth: int) -> tuple[str, Part] | None:
        tok = self.peek()
        if tok is None:
            return None
        if tok.kind in (NOT, MINUS, PLUS):
            self.pos += 1
            if tok.kind == NOT:
                self.operators.add(NOT)
            flips = tok.kind in (NOT, MINUS)
            self.negations += flips
            start = self.pos
            inner = self.unary(depth)
            self.negations -= flips
            if inner is None and self.pos == start:
                self.note(_("“%(op)s” had nothing to apply to; it was ignored.") % {"op": tok.kind})
            if inner is None:
                return None
            occur, part = inner
            if tok.kind == PLUS:
                return (MUST if occur != MUST_NOT else MUST_NOT, part)
            return (SHOULD if occur == MUST_NOT else MUST_NOT, part)
        if tok.kind == LPAREN:
            self.pos += 1
            if depth >= MAX_DEPTH:
                self.note(_("Brackets nested too deeply were read as plain grouping."))
                return self.unary(depth)
            inner = self.expr(depth + 1)
            nxt = self.peek()
            if nxt is not None and nxt.kind == RPAREN:
                self.pos += 1
            else:
                self.note(_("A closing bracket was missing; it was added at the end."))
            if inner is None:
                return None
            return (SHOULD, Part(inner.query, f"({inner.text})"))
        if tok.kind in ("word", PHRASE):
            self.pos += 1
            self.leaves += 1
            if self.leaves > MAX_TERMS:
                self.note(
                    _("Only the first %(limit)d words of the query were searched.")
                    % {"limit": MAX_TERMS}
                )
                return None
            part = self.terms.leaf(tok, negated=self.negations % 2 == 1)
            return (SHOULD, part) if part else None
        return None


def combine(clauses: list[tuple[str, Part]]) -> Part | None:
    musts = [p for occur, p in clauses if occur == MUST]
    shoulds = [p for occur, p in clauses if occur == SHOULD]
    nots = [p for occur, p in clauses if occur == MUST_NOT]
    if not clauses:
        return None
    text_parts = [f"+{p.text}" for p in musts] + [p.text for p in shoulds]
    if musts:
        base = musts[0].query if len(musts) == 1 else nodes.And([p.query for p in musts])
        if shoulds:
            base = nodes.AndMaybe(base, _or([p.query for p in shoulds]))
    elif shoulds:
        base = _or([p.query for p in shoulds])
    else:
        base = nodes.Every()
    if nots:
        base = nodes.AndNot(base, _or([p.query for p in nots], coord=False))
        text_parts += [f"-{p.text}" for p in nots]
    return Part(base, " ".join(text_parts))


def _or(queries: list[nodes.Node], *, coord: bool = True) -> nodes.Node:
    if len(queries) == 1:
        return queries[0]
    return nodes.Or(queries, scale=COORDINATION if coord else None)


def describe_date(text: str) -> str:
    reading = read_date(text)
    return reading.how if reading else text
