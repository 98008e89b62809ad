"""Corrections to Whoosh 2.7.4 that the index relies on (`articles.search.whoosh.backend` applies
the first when it is imported, `articles.search.whoosh.translate` the second)."""

from __future__ import annotations

from whoosh import matching
from whoosh.codec import whoosh3
from whoosh.query import compound


def cache_missing_length_columns() -> None:
    """Whoosh 2.7.4 looks for a field-length column file on every posting of an unscored
    field (IDs, keywords, numbers) because it caches only the columns it finds: a `stat()`
    per posting at commit time, a third of a rebuild. Remember the misses too (segments are
    immutable, so a column that is absent stays absent), and load the lengths that exist into
    memory, since scoring reads one per matching document."""
    reader_class = whoosh3.W3PerDocReader
    if getattr(reader_class, "_newsarchive_patched", False):
        return
    original = reader_class._cached_reader

    def _cached_reader(self, fieldname, column):
        if fieldname not in self._readers:
            reader = original(self, fieldname, column)
            # One byte per document: held in memory, BM25 reads it without a file access.
            if reader is not None and column is whoosh3.LENGTHS_COLUMN:
                reader = reader.load()
            self._readers[fieldname] = reader
        return self._readers[fieldname]

    reader_class._cached_reader = _cached_reader
    reader_class._newsarchive_patched = True


def require_matches_both() -> None:
    """Whoosh 2.7.4's `Require(a, b)` builds an `AndNotMatcher`: documents of `a` *without*
    `b`, the opposite of what it documents. The set rule of plain words
    (`articles.search.query.units`) narrows the ranking query with a `Require`, so give it the
    matcher its documentation promises (`RequireMatcher`: both, scored by `a`)."""
    if getattr(compound.Require, "_newsarchive_patched", False):
        return

    def matcher(self, searcher, context=None):
        scored = self.a.matcher(searcher, context)
        required = self.b.matcher(searcher, searcher.boolean_context())
        return matching.RequireMatcher(scored, required)

    compound.Require.matcher = matcher
    compound.Require._newsarchive_patched = True
