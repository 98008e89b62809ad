"""The parser's query objects (`articles.search.query.nodes`) as Whoosh queries.

One Whoosh query per node, field for field: `Or` with `min_match` becomes `AtLeast` (Whoosh's
own `Or` stores `minmatch` but ignores it), `Require` gets the matcher Whoosh documents
(`articles.search.whoosh.fixes.require_matches_both`, applied here).
"""

from __future__ import annotations

from whoosh import query as wq
from whoosh.matching import ListMatcher, NullMatcher

from articles.search.query import nodes
from articles.search.whoosh.docsets import leaf_matching_docnums
from articles.search.whoosh.fixes import require_matches_both

require_matches_both()


class AtLeast(wq.Or):
    """An `Or` whose documents hold at least `minmatch` of its sub-queries
    (`articles.search.whoosh.docsets` applies it; it only narrows a `Require`, unscored)."""

    def __init__(self, subqueries, boost: float = 1.0, minmatch: int = 0, scale=None):
        super().__init__(subqueries, boost=boost, minmatch=minmatch, scale=scale)

    def normalize(self) -> wq.Query:
        return AtLeast([child.normalize() for child in self.subqueries], self.boost, self.minmatch)

    def apply(self, fn) -> wq.Query:
        return AtLeast([fn(child) for child in self.subqueries], self.boost, self.minmatch)

    def matcher(self, searcher, context=None):
        """Whoosh's own search path: the documents holding `minmatch` sub-queries, unscored."""
        found = leaf_matching_docnums(self, searcher)
        return ListMatcher(found.tolist(), all_weights=1.0) if len(found) else NullMatcher()


def to_whoosh_query(node: nodes.Node | wq.Query | None) -> wq.Query | None:
    """The Whoosh query of `node` (None stays None: every document; a Whoosh query, as the
    backend's `parser_for` makes them for tests and benchmarks, is taken as it is)."""
    if node is None or isinstance(node, wq.Query):
        return node
    return _translate(node)


def _translate(node: nodes.Node) -> wq.Query:
    if isinstance(node, nodes.Term):
        return wq.Term(node.field, node.text, boost=node.boost)
    if isinstance(node, nodes.Phrase):
        return wq.Phrase(node.field, list(node.words), slop=node.slop, boost=node.boost)
    if isinstance(node, nodes.Prefix):
        return wq.Prefix(node.field, node.text, boost=node.boost)
    if isinstance(node, nodes.DateRange):
        return wq.DateRange(node.field, node.start, node.end, boost=node.boost)
    if isinstance(node, nodes.Every):
        return wq.Every()
    if isinstance(node, nodes.Nothing):
        return wq.NullQuery
    if isinstance(node, nodes.And):
        return wq.And([_translate(child) for child in node.subqueries], boost=node.boost)
    if isinstance(node, nodes.Or):
        children = [_translate(child) for child in node.subqueries]
        if node.min_match:
            return AtLeast(children, boost=node.boost, minmatch=node.min_match)
        return wq.Or(children, boost=node.boost, scale=node.scale)
    if isinstance(node, nodes.Sequence):
        children = [_translate(child) for child in node.subqueries]
        return wq.Sequence(children, slop=node.slop, boost=node.boost)
    if isinstance(node, nodes.Require):
        return wq.Require(_translate(node.a), _translate(node.b))
    if isinstance(node, nodes.AndNot):
        return wq.AndNot(_translate(node.a), _translate(node.b))
    if isinstance(node, nodes.AndMaybe):
        return wq.AndMaybe(_translate(node.a), _translate(node.b))
    if isinstance(node, nodes.Not):
        return wq.Not(_translate(node.query), boost=node.boost)
    raise TypeError(f"No Whoosh query for {type(node).__name__}")
