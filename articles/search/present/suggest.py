"""“Did you mean”: for a word the public archive hardly knows, the closest word it knows well.

This module holds the rules; the backend looks for candidates (`backend.did_you_mean`; on
Whoosh, `articles.search.whoosh.spelling`). Distances are edit distances on the index's own
terms (normalised and stemmed). Every count is taken over **live, public documents only**
(`public`: the searcher's live documents less the articles hidden since they were indexed),
so a word that survives only in deleted index documents or in hidden articles is never
offered. A candidate must be a real, uncommon-enough word: never a stopword, never held by
more than `COMMON_SHARE` of a sizeable archive (`covid` is not `could`), never the typed word
cut short (`خامنهای` is not `خام`), and two edits away only for long words. A stemmed term
is shown as a real word: the first public place it occurs is read back from its character
offsets, so `presid` is offered as `president`.

Only a query that finds few articles (fewer than `FEW`) is considered, and the engine offers
the suggestion only when it finds clearly more than the query did (`clearly_more`).
"""

from __future__ import annotations

from articles.search.query.terms import normalize
from articles.text import EN_STOPWORDS, FA_STOPWORDS

RARE = 2  # a word in fewer public articles than this may be a typing mistake
FEW = 5  # a query finding fewer articles than this is worth a suggestion
MAX_WORDS = 8
COMMON_SHARE = 0.1  # a word in more than this share of the articles is not a correction
COMMON_FROM = 200  # ... once the archive has this many articles
TWO_EDITS_FROM = 7  # letters a word needs before a two-letter correction is tried


def worth_suggesting(total: int) -> bool:
    """Whether a query that found `total` articles may get a "did you mean"."""
    return total < FEW


def clearly_more(found: int, total: int) -> bool:
    """Whether a suggestion finding `found` articles is worth offering over `total`."""
    return found > total and found >= 2 * total + 1


STOPWORDS = frozenset(normalize(word) for word in (*EN_STOPWORDS, *FA_STOPWORDS))


def acceptable(typed: str, surface: str) -> bool:
    """A correction, not the typed word cut short (`خام` does not correct `خامنهای`) nor a
    stopword."""
    shown = normalize(surface)
    if not shown or shown == typed or shown.isdigit() or typed.startswith(shown):
        return False
    return shown not in STOPWORDS
