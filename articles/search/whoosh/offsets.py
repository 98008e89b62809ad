"""Where query terms occur in hits, read from the Whoosh index's postings (the backend's
`term_offsets`; snippets are built from these by
`articles.search.present.highlight.snippet_from_hits`).

Text fields are indexed with character offsets (`TEXT(chars=True)`), so where a query term
occurs in a document is read from the postings of that term instead of re-analysing the whole
text for every hit. The offsets come from our own analyzer (`articles.search.whoosh.analysis`), so
highlighting follows the same folding as search (`كتاب` lights up `کِتاب`).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from articles.search.whoosh.docsets import POSTINGS, leaf_postings, postings_key


def postings_hits(
    searcher, docnums: Iterable[int], field: str, terms: Iterable[bytes]
) -> dict[int, list[tuple]]:
    """{global docnum: sorted [(position, start, end, term)]}: where each term occurs in each
    document, with the character offsets our analyzer recorded (no re-analysis)."""
    wanted = sorted(set(docnums))
    found: dict[int, list[tuple]] = {docnum: [] for docnum in wanted}
    if not wanted:
        return found
    terms = sorted(set(terms))
    for leaf, offset in searcher.reader().leaf_readers():
        local = [d - offset for d in wanted if offset <= d < offset + leaf.doc_count_all()]
        if not local:
            continue
        for term in terms:
            if (field, term) not in leaf:
                continue
            if _from_blocks(leaf, field, term, local, offset, found):
                continue
            matcher = leaf.postings(field, term)
            for docnum in local:
                if not matcher.is_active():
                    break
                if matcher.id() < docnum:
                    matcher.skip_to(docnum)
                    if not matcher.is_active():
                        break
                if matcher.id() == docnum:
                    found[docnum + offset].extend(
                        (pos, start, end, term)
                        for pos, start, end in matcher.value_as("characters")
                    )
    for hits in found.values():
        hits.sort()
    return found


def _from_blocks(leaf, field: str, term: bytes, local: list[int], offset: int, found) -> bool:
    """The offsets of `term` in the documents `local`, read from only the blocks that hold
    them, when the term's postings were decoded recently (scoring reads every query term):
    its document numbers say which documents hold it and its block table where their
    blocks are. False (nothing read) when they are not at hand."""
    btext = leaf.schema[field].to_bytes(term) if isinstance(term, str) else term
    key = postings_key(leaf, field, btext)  # scoring decodes (and keys) terms as bytes
    cached = POSTINGS.get(key) if key is not None else None
    if cached is None or cached[2] is None:
        return False
    ids, _weights, (starts, firsts) = cached
    matcher = leaf_postings(leaf, field, term)
    current = 0  # leaf_postings leaves the matcher on the first block
    for docnum in local:
        index = int(np.searchsorted(ids, docnum))
        if index >= len(ids) or ids[index] != docnum:
            continue
        block = int(np.searchsorted(firsts, index, side="right")) - 1
        if block != current:
            matcher._goto(int(starts[block]))
            current = block
        matcher._i = index - int(firsts[block])
        found[docnum + offset].extend(
            (pos, start, end, term) for pos, start, end in matcher.value_as("characters")
        )
    return True
