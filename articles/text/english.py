"""English stopwords and stemming (Porter2, cached).

The stemmer is `whoosh.lang.porter2`, a pure-Python Snowball English stemmer shipped with the
`whoosh` package: the one import of `whoosh` outside `articles/search/whoosh/`, kept on
purpose. The analysis is shared by both search backends (Solr receives the archive's own
pre-analysed tokens, `articles.search.indexterms`), and every indexed English term depends on
this exact stemmer; it needs the package only, never a Whoosh index.
"""

from __future__ import annotations

from functools import lru_cache

from whoosh.lang.porter2 import stem as _porter2

# Lucene's English stop set plus a few pronouns and auxiliaries; kept short because news
# queries lean on short words ("who", "war", "oil") more than web search does.
EN_STOPWORDS: frozenset[str] = frozenset(
    """
    a an and are as at be but by for if in into is it no not of on or such that the their
    then there these they this to was will with from has have had were been its his her he
    she we you i our your them than which who whom
    """.split()
)


@lru_cache(maxsize=100_000)
def stem_en(word: str) -> str:
    """Porter2 (English Snowball) stem of a lower-case word; possessive 's removed.

    Whoosh's ``whoosh.lang.porter`` stems "running" to "runn", so Porter2 is used instead.
    """
    if word.endswith(("'s", "'")):
        word = word[:-2] if word.endswith("'s") else word[:-1]
    if len(word) < 3 or not word.isascii():
        return word
    return _porter2(word)
