"""Whoosh's BM25F ranking computed with numpy, for the top of a result list.

Whoosh scores each matching document through a tree of Python matcher objects; a plain
three-word query over 100k articles touches tens of thousands of documents that way. Here the
same arithmetic runs over whole postings arrays: a term's scores come from its postings block
weights and the in-memory field lengths, `Or` adds (with Whoosh's coordination bonus when the
query has a `scale`), `And` intersects and adds, `AndMaybe`/`AndNot` as Whoosh's matchers do.
A sub-query of another kind (phrases, proximity, ranges) is scored by Whoosh's own matcher for
that part alone, so rankings equal Whoosh's (tests compare them).

One exception, for speed: the phrase clauses the query parser adds as a proximity bonus to a
query of several words (`articles.search.query.terms`) are checked only for the best few hundred
documents by their score without the bonus (`CANDIDATES`); a pair of common words ("united
nations") is held by tens of thousands of documents at 100k articles.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length

from articles.search.whoosh.docsets import matching_docnums, postings_arrays
from articles.search.whoosh.phrases import phrase_in

# The phrase bonus is checked only among the documents with the best scores without it:
# at least CANDIDATES, or CANDIDATES_PER_RESULT per result asked for (page × page length).
CANDIDATES = 200
CANDIDATES_PER_RESULT = 5

LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


@dataclass
class Scored:
    ids: np.ndarray  # sorted segment document numbers
    scores: np.ndarray
    matching: np.ndarray  # how many term matchers match each document (for coordination)
    termcount: int  # how many term matchers the sub-tree has


# A union counts into one slot per document when its postings are at least 1/DENSE_UNION of
# the documents up to its highest number; below that, sorting the few postings is cheaper.
DENSE_UNION = 8


def _empty(termcount: int = 0) -> Scored:
    return Scored(np.zeros(0, np.int64), np.zeros(0), np.zeros(0, np.int64), termcount)


def score_all(
    query: wq.Query, searcher, *, allowed: np.ndarray | None = None, limit: int | None = None
) -> tuple[np.ndarray, np.ndarray] | None:
    """(global docnums, scores) of every document matching `query`, deleted ones included;
    None where this module cannot reproduce Whoosh's weighting (then let Whoosh search).

    With `allowed` (a global mask) and `limit`, positional bonus clauses are checked only where
    they could change the top of the list, among the best candidates without them (see
    `_or_with_bonus_phrases`): the scores are exact there and lower bounds elsewhere.
    """
    if type(searcher.weighting) is not BM25F:
        return None
    if isinstance(query, wq.Require):
        return _required(query, searcher, allowed, limit)
    if allowed is not None and limit and isinstance(query, wq.Or):
        try:
            fast = _or_with_bonus_phrases(query, searcher, allowed, limit)
        except NotImplementedError:
            fast = None
        if fast is not None:
            return fast
    ids_parts, score_parts = [], []
    try:
        for leaf, offset in searcher.subsearchers or [(searcher, 0)]:
            scored = _score(query, leaf, searcher)
            if len(scored.ids):
                ids_parts.append(scored.ids + offset)
                score_parts.append(scored.scores)
    except NotImplementedError:
        return None
    if not ids_parts:
        return np.zeros(0, np.int64), np.zeros(0)
    return np.concatenate(ids_parts), np.concatenate(score_parts)


def _required(query: wq.Require, searcher, allowed: np.ndarray | None, limit: int | None):
    """`query.a`'s scores for the documents `query.b` matches (the set rule of
    `articles.search.query.units`): `b` narrows the candidates before `a` is ranked."""
    needed = np.zeros(searcher.doc_count_all(), dtype=bool)
    needed[matching_docnums(query.b, searcher)] = True
    inner = score_all(query.a, searcher, allowed=None if allowed is None else allowed & needed,
                      limit=limit)  # fmt: skip
    if inner is None:
        return None
    ids, scores = inner
    keep = needed[ids]
    return ids[keep], scores[keep]


def best(ids: np.ndarray, scores: np.ndarray, limit: int) -> tuple[np.ndarray, np.ndarray]:
    """The `limit` best (docnum, score) pairs, best first, ties by document number."""
    if len(ids) > limit:
        cut = np.argpartition(-scores, limit - 1)[:limit]
        chosen = scores >= scores[cut].min()  # keep ties at the edge, then order exactly
        ids, scores = ids[chosen], scores[chosen]
    order = np.lexsort((ids, -scores))[:limit]
    return ids[order], scores[order]


def _term(query: wq.Term, leaf, top) -> Scored:
    field = leaf.schema[query.fieldname] if query.fieldname in leaf.schema else None
    if field is None:
        return _empty(0)
    try:
        text = field.to_bytes(query.text)
    except ValueError:
        return _empty(0)
    reader = leaf.reader()
    if (query.fieldname, text) not in reader:
        return _empty(0)
    doc_ids, tf = postings_arrays(reader, query.fieldname, text)
    if not len(doc_ids):
        return _empty(1)
    if field.scorable:
        weighting = top.weighting
        b = weighting._field_B.get(query.fieldname, weighting.B)
        k1 = weighting.K1
        idf = top.idf(query.fieldname, text)
        avgfl = top.avg_field_length(query.fieldname) or 1
        lengths = _lengths(reader, query.fieldname)[doc_ids]
        scores = idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * lengths / avgfl)))
    else:
        scores = tf
    if query.boost != 1.0:
        scores = scores * query.boost
    return Scored(doc_ids, scores, np.ones(len(doc_ids), np.int64), 1)


def _lengths(reader, fieldname: str) -> np.ndarray:
    cache = reader.__dict__.setdefault("_newsarchive_lengths", {})
    if fieldname not in cache:
        count = reader.doc_count_all()
        raw = np.zeros(count, dtype=np.uint8)
        column = reader._perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
        if column is not None:
            raw[:] = np.frombuffer(bytes(column), dtype=np.uint8)[:count]
        values = LENGTHS[raw]
        values[raw == 0] = 1  # Whoosh's doc_field_length default when a length is zero
        cache[fieldname] = values
    return cache[fieldname]


def _coordinated(scores, matching, query: wq.Or, termcount: int):
    if query.boost != 1.0:
        scores = scores * query.boost
    if query.scale and termcount:
        scale = query.scale
        scores = (scores + (matching - 1) / (termcount - scale) ** 2) * (
            (termcount - 1) / termcount
        )
    return scores


def _or_with_bonus_phrases(query: wq.Or, searcher, allowed: np.ndarray, limit: int):
    """An `Or` of words plus phrase clauses over those words (a proximity bonus).

    The phrases cannot add matches (each phrase document holds its words, already in the
    `Or`), only score. So every document is scored without them (a lower bound) and with
    every phrase it could match (an upper bound: the phrase's words are all there). A phrase
    is checked (`phrase_in`, Whoosh's rule) only for documents among the
    max(CANDIDATES, CANDIDATES_PER_RESULT × `limit`) best lower bounds whose upper bound
    reaches the `limit`-th best score known so far; the others keep their lower bound.
    Returns None when the query is not of this shape.
    """
    phrases = [c for c in query.subqueries if isinstance(c, wq.Phrase)]
    others = [c for c in query.subqueries if not isinstance(c, wq.Phrase)]
    if not phrases or not others or isinstance(query, wq.DisjunctionMax):
        return None
    segments = []
    for leaf, offset in searcher.subsearchers or [(searcher, 0)]:
        parts = [_score(child, leaf, searcher) for child in others]
        found = []  # (phrase, candidate ids, bonus scores, words)
        for phrase in phrases:
            terms = [wq.Term(phrase.fieldname, word) for word in phrase.words]
            scored = [_term(term, leaf, searcher) for term in terms]
            if any(part.termcount == 0 for part in scored):
                continue  # Whoosh's phrase matcher is empty when a word is absent
            ids = scored[0].ids
            for part in scored[1:]:
                ids = np.intersect1d(ids, part.ids, assume_unique=True)
            bonus = sum(_select(part, ids)[0] for part in scored) * phrase.boost
            found.append((phrase, ids, bonus, len(terms)))
        termcount = sum(p.termcount for p in parts) + sum(n for *_rest, n in found)
        base = _union(parts, termcount)
        high_scores, high_matching = base.scores.copy(), base.matching.copy()
        for _phrase, ids, bonus, words in found:
            if not np.isin(ids, base.ids, assume_unique=True).all():
                return None  # the phrase would add documents: not a bonus clause
            where = np.searchsorted(base.ids, ids)
            high_scores[where] += bonus
            high_matching[where] += words
        segments.append((leaf, offset, base, found, termcount, high_scores, high_matching))

    ids = [base.ids + offset for _l, offset, base, *_rest in segments]
    low = [
        _coordinated(base.scores, base.matching, query, t) for _l, _o, base, _f, t, *_r in segments
    ]
    high = [_coordinated(hs, hm, query, t) for _l, _o, _b, _f, t, hs, hm in segments]
    if not ids:
        return np.zeros(0, np.int64), np.zeros(0)
    all_ids, low_all, high_all = np.concatenate(ids), np.concatenate(low), np.concatenate(high)
    allowed_here = allowed[all_ids]
    allowed_positions = np.flatnonzero(allowed_here)
    exact = low_all.copy()  # exact where no phrase can match; a lower bound elsewhere
    pending = np.flatnonzero(allowed_here & (high_all > low_all))
    candidates = max(CANDIDATES, CANDIDATES_PER_RESULT * limit)
    if len(allowed_positions) > candidates and len(pending):
        values = low_all[allowed_positions]
        edge = np.partition(values, len(values) - candidates)[len(values) - candidates]
        pending = pending[low_all[pending] >= edge]  # only the BM25 stage's best candidates
    pending = pending[np.argsort(-high_all[pending], kind="stable")]
    bounds = np.cumsum([0] + [len(base.ids) for _l, _o, base, *_rest in segments])
    done, batch = 0, 32
    while done < len(pending):
        values = exact[allowed_positions]
        if len(values) > limit:
            threshold = np.partition(values, len(values) - limit)[len(values) - limit]
            if high_all[pending[done]] < threshold:
                break  # no unchecked document can reach the top any more
        chunk = np.sort(pending[done : done + batch])
        done, batch = done + batch, min(batch * 2, 2048)
        for number, (leaf, _offset, base, found, termcount, *_rest) in enumerate(segments):
            inside = chunk[(chunk >= bounds[number]) & (chunk < bounds[number + 1])]
            if len(inside):
                local = inside - bounds[number]
                exact[inside] = _exact(leaf, base, found, termcount, local, query)
    return all_ids, exact


def _exact(leaf, base: Scored, found: list, termcount: int, local: np.ndarray, query: wq.Or):
    """Exact scores of the documents at positions `local` of `base` (ascending), checking
    each phrase in those documents alone (`phrase_in`)."""
    scores = base.scores[local].copy()
    matching = base.matching[local].copy()
    docs = base.ids[local]
    reader = leaf.reader()
    for phrase, ids, bonus, words in found:
        if not len(ids):
            continue
        position = np.minimum(np.searchsorted(ids, docs), len(ids) - 1)
        holding = np.flatnonzero(ids[position] == docs)  # the documents with every word
        if not len(holding):
            continue
        where = holding[phrase_in(reader, phrase, docs[holding])]
        scores[where] += bonus[position[where]]
        matching[where] += words
    return _coordinated(scores, matching, query, termcount)


def _union(parts: list[Scored], termcount: int) -> Scored:
    parts = [p for p in parts if len(p.ids)]
    if not parts:
        return _empty(termcount)
    ids = np.concatenate([p.ids for p in parts])
    weights = np.concatenate([p.scores for p in parts])
    counts = np.concatenate([p.matching for p in parts])
    size = int(ids.max()) + 1
    if len(ids) * DENSE_UNION >= size:
        # Many postings over the segment: count into one slot per document (linear, no sort).
        # Each slot adds its postings in the same order as the sorting path, so the sums are
        # the same to the last bit.
        unique = np.flatnonzero(np.bincount(ids, minlength=size))
        scores = np.bincount(ids, weights=weights, minlength=size)[unique]
        matching = np.bincount(ids, weights=counts, minlength=size)[unique]
    else:
        unique, inverse = np.unique(ids, return_inverse=True)
        scores = np.bincount(inverse, weights=weights)
        matching = np.bincount(inverse, weights=counts)
    return Scored(unique, scores, matching.astype(np.int64), termcount)


def _select(part: Scored, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`part`'s scores and matching counts at `ids` (0 where `part` does not match)."""
    index = np.searchsorted(part.ids, ids)
    index = np.clip(index, 0, max(len(part.ids) - 1, 0))
    hit = (part.ids[index] == ids) if len(part.ids) else np.zeros(len(ids), bool)
    return np.where(hit, part.scores[index] if len(part.ids) else 0, 0.0), np.where(
        hit, part.matching[index] if len(part.ids) else 0, 0
    )


def _score(query: wq.Query, leaf, top) -> Scored:
    if isinstance(query, wq.Term):
        return _term(query, leaf, top)
    if isinstance(query, wq.Or) and not isinstance(query, wq.DisjunctionMax):
        if len(query.subqueries) == 1:
            return _score(query.subqueries[0], leaf, top)
        parts = [_score(child, leaf, top) for child in query.subqueries]
        result = _union(parts, sum(p.termcount for p in parts))
        if query.boost != 1.0:
            result.scores = result.scores * query.boost
        if query.scale and result.termcount:
            count, scale = result.termcount, query.scale
            result.scores = (result.scores + (result.matching - 1) / (count - scale) ** 2) * (
                (count - 1) / count
            )
        return result
    if isinstance(query, wq.And) and not any(isinstance(c, wq.Not) for c in query.subqueries):
        if len(query.subqueries) == 1:
            return _score(query.subqueries[0], leaf, top)
        parts = [_score(child, leaf, top) for child in query.subqueries]
        termcount = sum(p.termcount for p in parts)
        ids = parts[0].ids
        for part in parts[1:]:
            ids = np.intersect1d(ids, part.ids, assume_unique=True)
        scores = np.zeros(len(ids))
        matching = np.zeros(len(ids), np.int64)
        for part in parts:
            part_scores, part_matching = _select(part, ids)
            scores += part_scores
            matching += part_matching
        if query.boost != 1.0:
            scores = scores * query.boost
        return Scored(ids, scores, matching, termcount)
    if isinstance(query, wq.AndMaybe):
        a, b = _score(query.a, leaf, top), _score(query.b, leaf, top)
        b_scores, b_matching = _select(b, a.ids)
        return Scored(
            a.ids, a.scores + b_scores, a.matching + b_matching, a.termcount + b.termcount
        )
    if isinstance(query, wq.Require):
        a = _score(query.a, leaf, top)
        needed = matching_docnums(query.b, leaf)
        keep = np.isin(a.ids, needed, assume_unique=True)
        return Scored(a.ids[keep], a.scores[keep], a.matching[keep], a.termcount)
    if isinstance(query, wq.AndNot):
        a, b = _score(query.a, leaf, top), _score(query.b, leaf, top)
        keep = ~np.isin(a.ids, b.ids, assume_unique=True)
        return Scored(a.ids[keep], a.scores[keep], a.matching[keep], a.termcount + b.termcount)
    return _by_whoosh(query, leaf)


def _by_whoosh(query: wq.Query, leaf) -> Scored:
    """Score one sub-query with Whoosh's own matcher (phrases, ranges, anything else)."""
    context = leaf.context(needs_current=True, weighting=leaf.weighting)
    matcher = query.matcher(leaf, context)
    termcount = len(list(matcher.term_matchers()))
    ids, scores, matching = [], [], []
    while matcher.is_active():
        docnum = matcher.id()
        ids.append(docnum)
        scores.append(matcher.score())
        matching.append(sum(1 for _ in matcher.matching_terms(docnum)))
        matcher.next()
    return Scored(
        np.array(ids, np.int64), np.array(scores, np.float64), np.array(matching, np.int64),
        termcount,
    )  # fmt: skip
