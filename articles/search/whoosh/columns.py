"""Column caches for fast filters, facets and date sorting over a Whoosh searcher.

Whoosh's own faceting (`groupedby`) calls Python once per matching document per facet, and its
range filters expand into many terms; at 100k articles both cost hundreds of milliseconds. Here
each segment's column values are read once into numpy arrays (segments are immutable, so the
arrays stay valid until the segment is merged away; deletions are applied per searcher), and
filters, counts and date ordering become vectorised array operations over document numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

import numpy as np
from whoosh.fields import DATETIME, KEYWORD, NUMERIC
from whoosh.util.times import datetime_to_long

MISSING = -1  # the code of "no value"
NO_NUMBER = (1 << 64) - 1  # what a numeric column holds for a document without a value


class Vocabulary:
    """Grow-only mapping of values to small integer codes, shared by every segment."""

    def __init__(self) -> None:
        self.codes: dict[object, int] = {}
        self.values: list[object] = []

    def code(self, value: object) -> int:
        if value is None or value == "":
            return MISSING
        code = self.codes.get(value)
        if code is None:
            code = self.codes[value] = len(self.values)
            self.values.append(value)
        return code


class SegmentColumns:
    """The per-field arrays of one segment (document numbers local to the segment)."""

    def __init__(self, reader) -> None:
        self.reader = reader
        self.doc_count_all = reader.doc_count_all()
        self.single: dict[str, np.ndarray] = {}
        self.multi: dict[str, tuple[np.ndarray, np.ndarray]] = {}


class ColumnCache:
    """Arrays for a searcher's whole index, rebuilt cheaply when the searcher changes."""

    def __init__(self, schema, index_key: str = "") -> None:
        self.schema = schema
        self.index_key = index_key  # the index folder: segment ids are unique only within it
        self.vocab: dict[str, Vocabulary] = {}
        self._segments: dict[str, SegmentColumns] = {}
        self._generation: object = None
        self._offsets: list[tuple[SegmentColumns, int]] = []
        self._single: dict[str, np.ndarray] = {}
        self._multi: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.live: np.ndarray = np.zeros(0, dtype=bool)

    # -- building -------------------------------------------------------------------------
    def bind(self, searcher) -> None:
        """Point the cache at `searcher`'s readers (cheap when nothing changed)."""
        reader = searcher.reader()
        key = (reader.generation(), id(reader))
        if key == self._generation:
            return
        leaves = reader.leaf_readers()
        segments: dict[str, SegmentColumns] = {}
        offsets = []
        live_parts = []
        for leaf, offset in leaves:
            segid = leaf.segment().segment_id() if leaf.segment() else str(id(leaf))
            # Lets the postings cache (articles.search.whoosh.docsets) recognise this segment.
            leaf._newsarchive_key = (self.index_key, segid, leaf.doc_count_all())
            seg = self._segments.get(segid)
            if seg is None or seg.doc_count_all != leaf.doc_count_all():
                seg = SegmentColumns(leaf)
            seg.reader = leaf
            segments[segid] = seg
            offsets.append((seg, offset))
            live = np.ones(leaf.doc_count_all(), dtype=bool)
            if leaf.has_deletions():
                live[np.fromiter(_deleted_docs(leaf), dtype=np.int64)] = False
            live_parts.append(live)
        self._segments = segments
        self._offsets = offsets
        self._single = {}
        self._multi = {}
        self.live = np.concatenate(live_parts) if live_parts else np.zeros(0, dtype=bool)
        self._generation = key

    def _vocab(self, field: str) -> Vocabulary:
        return self.vocab.setdefault(field, Vocabulary())

    def _encode(self, field: str, value: object) -> int:
        fieldobj = self.schema[field]
        if isinstance(fieldobj, DATETIME):
            return datetime_to_long(value) if isinstance(value, datetime) else MISSING
        if isinstance(fieldobj, NUMERIC):
            return int(value) if value is not None else MISSING
        return self._vocab(field).code(value)

    def _segment_single(self, seg: SegmentColumns, field: str) -> np.ndarray:
        array = seg.single.get(field)
        if array is None:
            fieldobj = self.schema[field]
            if seg.reader.has_column(field) and isinstance(fieldobj, NUMERIC):
                raw = np.fromiter(
                    seg.reader.column_reader(field, translate=False),
                    dtype=np.uint64,
                    count=seg.doc_count_all,
                )
                missing = raw == np.uint64(NO_NUMBER)
                if getattr(fieldobj, "signed", False) and not isinstance(fieldobj, DATETIME):
                    raw = raw ^ np.uint64(1 << 63)  # Whoosh stores signed numbers offset
                array = raw.view(np.int64)
                array[missing] = MISSING
            elif seg.reader.has_column(field):
                values = seg.reader.column_reader(field, translate=True)
                vocab = self._vocab(field)
                array = np.fromiter(
                    (vocab.code(v) for v in values), dtype=np.int64, count=seg.doc_count_all
                )
            else:
                array = np.full(seg.doc_count_all, MISSING, dtype=np.int64)
            seg.single[field] = array
        return array

    def _segment_multi(self, seg: SegmentColumns, field: str) -> tuple[np.ndarray, np.ndarray]:
        pairs = seg.multi.get(field)
        if pairs is None:
            docs: list[np.ndarray] = []
            codes: list[np.ndarray] = []
            fieldobj = self.schema[field]
            vocab = self._vocab(field)
            if field in seg.reader.indexed_field_names():
                for btext in seg.reader.lexicon(field):
                    ids = np.fromiter(seg.reader.postings(field, btext).all_ids(), dtype=np.int64)
                    docs.append(ids)
                    codes.append(np.full(len(ids), vocab.code(fieldobj.from_bytes(btext))))
            pairs = (
                np.concatenate(docs) if docs else np.zeros(0, dtype=np.int64),
                np.concatenate(codes) if codes else np.zeros(0, dtype=np.int64),
            )
            seg.multi[field] = pairs
        return pairs

    def single(self, field: str) -> np.ndarray:
        """One code per global document number (MISSING where the document has none)."""
        array = self._single.get(field)
        if array is None:
            parts = [self._segment_single(seg, field) for seg, _offset in self._offsets]
            array = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
            self._single[field] = array
        return array

    def multi(self, field: str) -> tuple[np.ndarray, np.ndarray]:
        """(global document numbers, value codes): one pair per value of each document."""
        pairs = self._multi.get(field)
        if pairs is None:
            docs, codes = [], []
            for seg, offset in self._offsets:
                seg_docs, seg_codes = self._segment_multi(seg, field)
                docs.append(seg_docs + offset)
                codes.append(seg_codes)
            pairs = (
                np.concatenate(docs) if docs else np.zeros(0, dtype=np.int64),
                np.concatenate(codes) if codes else np.zeros(0, dtype=np.int64),
            )
            self._multi[field] = pairs
        return pairs

    def is_multi(self, field: str) -> bool:
        return isinstance(self.schema[field], KEYWORD)

    # -- using ----------------------------------------------------------------------------
    def mask_for(self, field: str, values: Iterable[object]) -> np.ndarray:
        """Documents holding any of `values` in `field`."""
        codes = [self._encode(field, value) for value in values]
        codes = np.array([code for code in codes if code != MISSING], dtype=np.int64)
        if self.is_multi(field):
            docs, doc_codes = self.multi(field)
            mask = np.zeros(len(self.live), dtype=bool)
            mask[docs[np.isin(doc_codes, codes)]] = True
            return mask
        return np.isin(self.single(field), codes)

    def range_mask(self, field: str, start: object = None, end: object = None) -> np.ndarray:
        """Documents whose value lies in [start, end] (either bound may be None)."""
        array = self.single(field)
        mask = array != MISSING
        if start is not None:
            mask &= array >= self._encode(field, start)
        if end is not None:
            mask &= array <= self._encode(field, end)
        return mask

    def counts(self, field: str, docnums: np.ndarray, limit: int | None = None) -> list:
        """[(value, count)] over `docnums`, most frequent first (ties by value)."""
        if self.is_multi(field):
            docs, codes = self.multi(field)
            selected = np.zeros(len(self.live), dtype=bool)
            selected[docnums] = True
            values = codes[selected[docs]]
        else:
            values = self.single(field)[docnums]
        values = values[values != MISSING]
        if not len(values):
            return []
        unique, counts = np.unique(values, return_counts=True)
        pairs = zip(unique.tolist(), counts.tolist(), strict=True)
        decoded = [(self._decode(field, code), n) for code, n in pairs]
        decoded.sort(key=lambda item: (-item[1], str(item[0])))
        return decoded[:limit] if limit else decoded

    def pivot(self, first: str, second: str, docnums: np.ndarray) -> dict:
        """{first value: {second value: count}} over `docnums` (single-valued fields)."""
        a = self.single(first)[docnums]
        b = self.single(second)[docnums]
        keep = (a != MISSING) & (b != MISSING)
        pairs, counts = np.unique(np.stack([a[keep], b[keep]]), axis=1, return_counts=True)
        table: dict = {}
        for (code_a, code_b), n in zip(pairs.T.tolist(), counts.tolist(), strict=True):
            row = table.setdefault(self._decode(first, code_a), {})
            row[self._decode(second, code_b)] = n
        return table

    def order(self, field: str, docnums: np.ndarray, *, reverse: bool) -> np.ndarray:
        """`docnums` sorted by `field`; documents without a value come last either way."""
        values = self.single(field)[docnums]
        missing = values == MISSING
        key = -values if reverse else values
        # lexsort sorts by the last key first: missing last, then value, then docnum.
        tiebreak = -docnums if reverse else docnums
        return docnums[np.lexsort((tiebreak, key, missing))]

    def _decode(self, field: str, code: int) -> object:
        fieldobj = self.schema[field]
        if isinstance(fieldobj, NUMERIC | DATETIME):
            return code
        return self.vocab[field].values[code]


def _deleted_docs(reader):
    perdoc = getattr(reader, "_perdoc", None)
    if perdoc is not None:
        return perdoc.deleted_docs()
    return (d for d in range(reader.doc_count_all()) if reader.is_deleted(d))


def docnums_array(docnums: Sequence[int] | Iterable[int]) -> np.ndarray:
    return np.fromiter(docnums, dtype=np.int64)
