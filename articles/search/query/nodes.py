"""The query objects the parser builds and the engine bounds, whatever backend runs them.

Each backend translates them into its own queries (`articles.search.whoosh.translate`,
`articles.search.solr.translate`); the engine's prefix bounding and cost budget
(`articles.search.engine`, `articles.search.budget`) read and rebuild them.

Leaves: `Term`, `Phrase` (words in order, each within `slop` positions of the previous),
`Prefix`, `DateRange`, `Every` (every document), `Nothing`. Compounds: `And`, `Or` (with a
coordination `scale` for ranking, and `min_match` for "at least so many of them"), `Sequence`
(sub-queries at consecutive positions), `AndMaybe` (the first, ranked higher by the second),
`AndNot` (the first without the second), `Require` (documents of both, scored by the first).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime


class Node:
    boost: float = 1.0

    def children(self) -> list[Node]:
        return []

    def is_leaf(self) -> bool:
        return True

    def rebuilt(self, fn: Callable[[Node], Node]) -> Node:
        """This node with `fn` applied to each child, keeping its kind, children and boost
        only (see `Compound.rebuilt`)."""
        return self


@dataclass
class Term(Node):
    field: str
    text: str
    boost: float = 1.0


@dataclass
class Phrase(Node):
    field: str
    words: list[str]
    slop: int = 1
    boost: float = 1.0


@dataclass
class Prefix(Node):
    field: str
    text: str
    boost: float = 1.0


@dataclass
class DateRange(Node):
    field: str
    start: datetime | None
    end: datetime | None
    boost: float = 1.0


@dataclass
class Every(Node):
    boost: float = 1.0


@dataclass
class Nothing(Node):
    boost: float = 1.0


class Compound(Node):
    def is_leaf(self) -> bool:
        return False


@dataclass
class And(Compound):
    subqueries: list[Node]
    boost: float = 1.0

    def children(self) -> list[Node]:
        return list(self.subqueries)

    def rebuilt(self, fn: Callable[[Node], Node]) -> Node:
        return And([fn(child) for child in self.subqueries], boost=self.boost)


@dataclass
class Or(Compound):
    subqueries: list[Node]
    boost: float = 1.0
    scale: float | None = None  # coordination bonus for holding more of the sub-queries
    min_match: int = 0  # documents hold at least this many of the sub-queries (0: any)

    def children(self) -> list[Node]:
        return list(self.subqueries)

    def rebuilt(self, fn: Callable[[Node], Node]) -> Node:
        """Without `scale`: the bounded query the engine runs has never carried the
        coordination bonus, and the measured relevance figures are with that."""
        return Or([fn(child) for child in self.subqueries], boost=self.boost,
                  min_match=self.min_match)  # fmt: skip


@dataclass
class Sequence(Compound):
    subqueries: list[Node]
    slop: int = 1
    boost: float = 1.0

    def children(self) -> list[Node]:
        return list(self.subqueries)

    def rebuilt(self, fn: Callable[[Node], Node]) -> Node:
        """At slop 1, as the engine has always run a bounded sequence (measured so)."""
        return Sequence([fn(child) for child in self.subqueries], boost=self.boost)


@dataclass
class _Binary(Compound):
    a: Node
    b: Node

    def children(self) -> list[Node]:
        return [self.a, self.b]

    def rebuilt(self, fn: Callable[[Node], Node]) -> Node:
        return type(self)(fn(self.a), fn(self.b))


@dataclass
class AndMaybe(_Binary):
    """Documents of `a`, ranked higher where `b` matches too."""


@dataclass
class AndNot(_Binary):
    """Documents of `a` without those of `b`."""


@dataclass
class Require(_Binary):
    """Documents of both `a` and `b`, scored by `a` alone."""


@dataclass
class Not(Compound):
    query: Node
    boost: float = 1.0

    def children(self) -> list[Node]:
        return [self.query]

    def rebuilt(self, fn: Callable[[Node], Node]) -> Node:
        return Not(fn(self.query))


def any_of(queries: list[Node], **options) -> Node:
    """The one query, or an `Or` of several."""
    return queries[0] if len(queries) == 1 else Or(queries, **options)


def all_of(queries: list[Node]) -> Node:
    """The one query, or an `And` of several."""
    return queries[0] if len(queries) == 1 else And(queries)


def walk(node: Node) -> Iterator[Node]:
    """`node` and every node under it, parents first."""
    yield node
    for child in node.children():
        yield from walk(child)


@dataclass
class Part:
    """A query as the parser read part of the typed text."""

    query: Node
    text: str  # how this part was read, in the query syntax
    restriction: bool = False  # lang:/date:/source:/entity: limit the results (required)
