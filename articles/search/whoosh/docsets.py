"""All documents matching a query, as a sorted numpy array, without scoring them.

Counting results and facets needs every match, not just the top page. Whoosh's
`Searcher.docs_for_query` walks the matcher tree one document at a time in Python; here terms
are read a postings block at a time and Boolean structure becomes numpy set operations.
Queries that need positions (phrases, proximity) or that this module does not know fall back
to Whoosh's own matcher for that sub-query, so the answer is always Whoosh's answer.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import FilterMatcher

EMPTY = np.zeros(0, dtype=np.int64)
EMPTY_WEIGHTS = np.zeros(0, dtype=np.float64)


def matching_docnums(query: wq.Query, searcher) -> np.ndarray:
    """Global document numbers matching `query` (deleted documents included: mask them)."""
    parts = []
    subsearchers = searcher.subsearchers or [(searcher, 0)]
    for leaf_searcher, offset in subsearchers:
        found = _docs(query, leaf_searcher)
        if len(found):
            parts.append(found + offset)
    return np.concatenate(parts) if parts else EMPTY


def leaf_matching_docnums(query: wq.Query, leaf_searcher) -> np.ndarray:
    """Document numbers of one segment (a leaf searcher) matching `query`."""
    return _docs(query, leaf_searcher)


def leaf_postings(reader, fieldname: str, text: bytes):
    """The raw postings matcher of a term, without the wrapper that hides deleted documents
    (callers mask deleted documents themselves, with one array operation)."""
    matcher = reader.postings(fieldname, text)
    if isinstance(matcher, FilterMatcher):
        while isinstance(matcher, FilterMatcher):
            matcher = matcher.child
        matcher.reset()  # the wrapper may have moved it past deleted documents
    return matcher


# (document numbers, weights, block table: (block start offsets, index of each block's first
# posting) or None)
Entry = tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray] | None]


class PostingsCache:
    """Decoded postings of recently used terms, per segment: (document numbers, weights, block
    table). The block table says where each postings block starts in the postings file and the
    index of its first posting, so highlighting can go straight to the block that holds a
    document (`articles.search.whoosh.offsets`); None where the matcher is not Whoosh's own.

    Decoding a Whoosh postings block means unpickling (and unzipping) the ids, weights and
    positions of every posting; common words recur across searches, so their arrays are kept
    (segments never change, so an entry never goes stale), up to `budget` bytes.
    """

    def __init__(self, budget: int = 128 * 1024 * 1024) -> None:
        self.budget = budget
        self.used = 0
        self._entries: OrderedDict[tuple, Entry] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: tuple, entry: Entry) -> None:
        size = _nbytes(entry)
        if size > self.budget // 4:
            return
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = entry
            self.used += size
            while self.used > self.budget and self._entries:
                _key, evicted = self._entries.popitem(last=False)
                self.used -= _nbytes(evicted)


def _nbytes(entry: Entry) -> int:
    ids, weights, table = entry
    return ids.nbytes + weights.nbytes + (table[0].nbytes + table[1].nbytes if table else 0)


POSTINGS = PostingsCache()


def postings_key(reader, fieldname: str, text: bytes) -> tuple | None:
    segment_key = getattr(reader, "_newsarchive_key", None)  # set by ColumnCache.bind
    return (*segment_key, fieldname, text) if segment_key is not None else None


# Counting sets of document numbers goes through one slot per document when they hold at least
# 1/DENSE_COUNT of the numbers up to the highest; sparser sets are sorted instead.
DENSE_COUNT = 8


def postings_arrays(reader, fieldname: str, text: bytes) -> tuple[np.ndarray, np.ndarray]:
    """(document numbers, weights) of a term in one segment, deleted documents included."""
    key = postings_key(reader, fieldname, text)
    if key is not None:
        cached = POSTINGS.get(key)
        if cached is not None:
            return cached[0], cached[1]
    if (fieldname, text) not in reader:
        return EMPTY, EMPTY_WEIGHTS
    matcher = leaf_postings(reader, fieldname, text)
    if not isinstance(matcher, W3LeafMatcher):
        ids, weights = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
        entry = (np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64), None)
    else:
        id_blocks, weight_blocks, starts = [], [], []
        start = matcher._baseoffset  # leaf_postings reset the matcher to its first block
        while not matcher._atend:
            matcher._read_ids()
            matcher._read_weights()
            starts.append(start)
            id_blocks.append(np.asarray(matcher._ids, dtype=np.int64))
            weight_blocks.append(np.asarray(matcher._weights, dtype=np.float64))
            if matcher._lastblock:
                break
            start = matcher._nextoffset
            matcher._next_block()
        if not id_blocks:
            return EMPTY, EMPTY_WEIGHTS
        firsts = np.cumsum([0] + [len(block) for block in id_blocks[:-1]])
        table = (np.array(starts, dtype=np.int64), firsts)
        entry = (np.concatenate(id_blocks), np.concatenate(weight_blocks), table)
    if key is not None:
        POSTINGS.put(key, entry)
    return entry[0], entry[1]


def _term_ids(reader, fieldname: str, text) -> np.ndarray:
    return postings_arrays(reader, fieldname, text)[0]


def _held(arrays: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(document numbers, in how many of `arrays` each is): counted into one slot per
    document when the arrays are dense over the numbers they reach (linear, no sort)."""
    ids = np.concatenate(arrays)
    size = int(ids.max()) + 1
    if len(ids) * DENSE_COUNT >= size:
        held = np.bincount(ids, minlength=size)
        found = np.flatnonzero(held)
        return found, held[found]
    return np.unique(ids, return_counts=True)


def _union(arrays: list[np.ndarray]) -> np.ndarray:
    arrays = [a for a in arrays if len(a)]
    if not arrays:
        return EMPTY
    if len(arrays) == 1:
        return arrays[0]
    return _held(arrays)[0]


def _or_terms(query: wq.Query) -> Iterator[tuple[str, object]]:
    """(field, text) of the terms any document matching `query` holds one of (Or leaves)."""
    if isinstance(query, wq.Term):
        yield query.fieldname, query.text
    elif isinstance(query, (wq.Or, wq.DisjunctionMax)):
        for child in query.subqueries:
            yield from _or_terms(child)


def _covered_phrase(child: wq.Query, siblings) -> bool:
    """A phrase (a ranking bonus) adds no document to an Or holding each of its words as a
    term of the same field: its postings need not be read to know the matching set."""
    if not isinstance(child, wq.Phrase):
        return False
    terms = {pair for other in siblings if other is not child for pair in _or_terms(other)}
    return all((child.fieldname, word) in terms for word in child.words)


def _at_least(arrays: list[np.ndarray], count: int) -> np.ndarray:
    """Document numbers found in at least `count` of `arrays` (each sorted, unique)."""
    arrays = [a for a in arrays if len(a)]
    if len(arrays) < count:
        return EMPTY
    ids, held = _held(arrays)
    return ids[held >= count]


def _fallback(query: wq.Query, searcher) -> np.ndarray:
    return np.fromiter(query.docs(searcher), dtype=np.int64)


def _docs(query: wq.Query, searcher) -> np.ndarray:
    reader = searcher.reader()
    if isinstance(query, wq.Term):
        text = query.text
        if isinstance(text, str):
            try:
                text = searcher.schema[query.fieldname].to_bytes(text)
            except (KeyError, ValueError):
                return _fallback(query, searcher)
        return _term_ids(reader, query.fieldname, text)
    if query is wq.NullQuery or isinstance(query, type(wq.NullQuery)):
        return EMPTY
    if isinstance(query, (wq.Prefix, wq.Wildcard, wq.FuzzyTerm, wq.Variations)):
        try:
            btexts = list(query._btexts(reader))
        except Exception:
            return _fallback(query, searcher)
        return _union([_term_ids(reader, query.fieldname, t) for t in btexts])
    if isinstance(query, wq.Or) and getattr(query, "minmatch", 0) > 1:
        return _at_least([_docs(child, searcher) for child in query.subqueries], query.minmatch)
    if isinstance(query, (wq.Or, wq.DisjunctionMax)):
        children = [c for c in query.subqueries if not _covered_phrase(c, query.subqueries)]
        return _union([_docs(child, searcher) for child in children])
    if isinstance(query, wq.And):
        positives = [c for c in query.subqueries if not isinstance(c, wq.Not)]
        negatives = [c.query for c in query.subqueries if isinstance(c, wq.Not)]
        if not positives:
            return _fallback(query, searcher)
        result = None
        for child in positives:
            found = _docs(child, searcher)
            result = found if result is None else np.intersect1d(result, found, True)
            if not len(result):
                return EMPTY
        for child in negatives:
            result = np.setdiff1d(result, _docs(child, searcher), assume_unique=True)
        return result
    if isinstance(query, wq.AndNot):
        return np.setdiff1d(_docs(query.a, searcher), _docs(query.b, searcher), assume_unique=True)
    if isinstance(query, wq.AndMaybe):
        return _docs(query.a, searcher)
    if isinstance(query, wq.Require):
        return np.intersect1d(_docs(query.a, searcher), _docs(query.b, searcher), True)
    if isinstance(query, wq.ConstantScoreQuery | wq.WrappingQuery):
        return _docs(query.child, searcher)
    return _fallback(query, searcher)
