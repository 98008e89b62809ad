"""When two names of an entity are one alias: the search's normalisation, with ZWNJ and
hyphens read as spaces. Tagging, the gazetteer, the admin and the models compare aliases so."""

from __future__ import annotations

from articles.text.chars import normalize

_FOLDS = str.maketrans({"\u200c": " ", "-": " ", "\u2010": " ", "\u2011": " ", "\u2013": " "})


def match_key(normalized: str) -> str:
    """The form aliases and text are compared in: normalised, then with ZWNJ and hyphens as
    spaces, so "حزب‌الله"/"حزب الله" and "al-Qaeda"/"al Qaeda" are the same alias."""
    return " ".join(normalized.translate(_FOLDS).split())


def alias_key(alias: str) -> str:
    """What makes two aliases one: the search's normalisation, with ZWNJ and hyphens as spaces
    ("احمدي نژاد" and "احمدی‌نژاد" are the same alias)."""
    return match_key(normalize(alias or ""))
