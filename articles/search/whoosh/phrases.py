"""Whether given documents match a phrase, read from the postings' positions of its words
alone: how the scoring checks its proximity bonus phrases (`articles.search.whoosh.scoring`)."""

from __future__ import annotations

from bisect import bisect_left

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher

from articles.search.whoosh.docsets import leaf_postings


def phrase_in(reader, phrase: wq.Phrase, docs: np.ndarray) -> np.ndarray:
    """Which of `docs` (ascending, each holding every word) match `phrase`, as Whoosh's
    phrase matcher decides (`SpanNear2`, ordered, `mindist=1`: each word 1 to `slop`
    positions after the previous one).

    Whoosh's matcher cannot be asked about one document: moved to it, it walks on through
    every later document holding the words until one matches, decoding positions all the
    way. Here each word's postings are moved to the wanted documents only.
    """
    field = reader.schema[phrase.fieldname]
    found = np.zeros(len(docs), dtype=bool)
    if not phrase.words:
        return found
    wanted = docs.tolist()
    per_word = []
    for word in phrase.words:
        matcher = leaf_postings(reader, phrase.fieldname, field.to_bytes(word))
        per_word.append(_positions_at(matcher, wanted))
    slop = phrase.slop
    for i in range(len(wanted)):
        ends = set(per_word[0][i])
        for positions in per_word[1:]:
            ends = {p for p in positions[i] if any(1 <= p - e <= slop for e in ends)}
            if not ends:
                break
        found[i] = bool(ends)
    return found


def _positions_at(matcher, docnums: list[int]) -> list:
    """The term's positions in each of `docnums` (ascending; () where it is absent).

    Whoosh's `skip_to` steps through a block one posting at a time; here whole blocks are
    skipped on their maximum id and the document is found in the block by bisection.
    """
    found: list = []
    blocks = isinstance(matcher, W3LeafMatcher)
    for docnum in docnums:
        if not matcher.is_active():
            found.append(())
            continue
        if blocks:
            if docnum > matcher._maxid:
                matcher._skip_to_block(lambda d=docnum: d > matcher._maxid)
                if not matcher.is_active():
                    found.append(())
                    continue
            if matcher._ids is None:
                matcher._read_ids()
            matcher._i = bisect_left(matcher._ids, docnum, matcher._i)
        elif matcher.id() < docnum:
            matcher.skip_to(docnum)
        if matcher.is_active() and matcher.id() == docnum:
            found.append(matcher.value_as("positions"))
        else:
            found.append(())
    return found
