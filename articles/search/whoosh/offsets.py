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
