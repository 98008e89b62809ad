"""A text field value that was analysed already: what the field's `index()` would have yielded.

`articles.search.sync.preanalysis` analyses article text in worker processes (and caches the
result); the writer then adds documents whose text fields hold `PreAnalysed` values, and
`NewsText.index` replays their items instead of analysing again, so the index receives the same
terms, frequencies, weights and encoded positions/offsets byte for byte. The original text goes
beside it as `_stored_<field>` for the stored copy.
"""

from __future__ import annotations

import pickle

# (term bytes, frequency, weight, encoded positions and character offsets)
Item = tuple[bytes, int, float, bytes]


class PreAnalysed:
    """The items, or their pickle (`blob`: as cached, unpickled only where they are written)."""

    __slots__ = ("_blob", "_items")

    def __init__(self, items: list[Item] | None = None, *, blob: bytes | None = None) -> None:
        self._items = items
        self._blob = blob

    @property
    def items(self) -> list[Item]:
        if self._items is None:
            self._items = pickle.loads(self._blob)
        return self._items

    @property
    def blob(self) -> bytes:
        if self._blob is None:
            self._blob = pickle.dumps(self._items, protocol=5)
        return self._blob

    def __getstate__(self) -> bytes:
        return self.blob

    def __setstate__(self, blob: bytes) -> None:
        self._blob, self._items = blob, None

    def __repr__(self) -> str:
        return f"PreAnalysed({len(self.items)} terms)"
