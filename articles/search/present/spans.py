"""Highlight spans from the index itself, and snippets built from them.

Text fields are indexed with character offsets (`TEXT(chars=True)`), so where a query term
occurs in a document is read from the postings of that term instead of re-analysing the whole
text for every hit. The offsets come from our own analyzer (`articles.search.whoosh.analysis`), so
highlighting follows the same folding as search (`كتاب` lights up `کِتاب`).
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

Span = tuple[int, int]


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


def term_spans(
    searcher, docnums: Iterable[int], field: str, terms: Iterable[bytes]
) -> dict[int, list[Span]]:
    """{global docnum: sorted character spans} of `terms` in `field` for each document."""
    return {
        docnum: sorted((start, end) for _pos, start, end, _term in hits)
        for docnum, hits in postings_hits(searcher, docnums, field, terms).items()
    }


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def mark(text: str, spans: list[Span], start: int = 0, end: int | None = None) -> str:
    """Escaped `text[start:end]` with `<mark>` around each span inside it."""
    end = len(text) if end is None else end
    out: list[str] = []
    cursor = start
    for span_start, span_end in _merge(spans):
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        out.append(escape(text[cursor:span_start]))
        out.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    out.append(escape(text[cursor:end]))
    return "".join(out)


def _best_window(spans: list[Span], size: int) -> int:
    """The start of the span that opens the window of `size` characters holding most hits."""
    best_start, best_score = spans[0][0], -1
    j = 0
    for i, (start, _end) in enumerate(spans):
        j = max(j, i)
        while j + 1 < len(spans) and spans[j + 1][1] <= start + size:
            j += 1
        score = j - i + 1
        if score > best_score:
            best_start, best_score = start, score
    return best_start


def snippet(text: str, spans: list[Span], *, size: int = 240, lead: int = 60) -> str:
    """An escaped extract of about `size` characters around the densest hits, `<mark>`ed.

    Cut at whitespace so no word (Persian or English) is broken; "…" shows a cut.
    """
    if not text:
        return ""
    if not spans:
        start, end = 0, min(len(text), size)
    else:
        first = _best_window(spans, size - lead)
        start = max(0, first - lead)
        end = min(len(text), start + size)
    if start > 0:
        space = text.find(" ", start, first if spans else start + lead)
        start = space + 1 if space != -1 else start
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    body = mark(text, spans, start, end).replace("\n", " ")
    return ("…" if start > 0 else "") + body + ("…" if end < len(text) else "")
