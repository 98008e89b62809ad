"""A text field value that was analysed already: what the field's `index()` would have yielded.

`articles.search.sync.preanalysis` analyses article text in worker processes (and caches the
result); the writer then adds documents whose text fields hold `PreAnalysed` values, and
`NewsText.index` replays their items instead of analysing again, so the index receives the same
terms, frequencies, weights and encoded positions/offsets byte for byte. The original text goes
beside it as `_stored_<field>` for the stored copy.
"""

from __future__ import annotations

# (term bytes, frequency, weight, encoded positions and character offsets)
Item = tuple[bytes, int, float, bytes]


class PreAnalysed:
    __slots__ = ("items",)

    def __init__(self, items: list[Item]) -> None:
        self.items = items

    def __getstate__(self) -> list[Item]:
        return self.items

    def __setstate__(self, items: list[Item]) -> None:
        self.items = items

    def __repr__(self) -> str:
        return f"PreAnalysed({len(self.items)} terms)"
