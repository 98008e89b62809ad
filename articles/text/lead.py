"""Whether a summary only repeats the start of the body (feeds and dumps often fill the summary
with the lead paragraph, or its first characters, sometimes lightly edited): such a summary is
not shown twice."""

from __future__ import annotations

from difflib import SequenceMatcher

from articles.text.chars import normalize

# On the 65 VOA Dari articles, summaries cut from the lead score 0.96-1.0 (a typo or a word
# changed), real summaries below 0.85.
SAME_LEAD = 0.9


def _letters(text: str) -> str:
    # Spelling variants folded, then only letters and digits: spaces, ZWNJ, punctuation and a
    # trailing "…" differ between a summary and the lead it was cut from.
    return "".join(char for char in normalize(text) if char.isalnum())


def repeats_lead(summary: str, body: str) -> bool:
    """True when the body opens with (nearly) the summary's letters, in order; a summary cut
    inside a word still counts."""
    said = _letters(summary or "")
    if not said:
        return False
    opening = _letters((body or "")[: len(summary) * 2 + 200])[: len(said)]
    if opening == said:
        return True
    if len(opening) < len(said) * SAME_LEAD:
        return False
    return SequenceMatcher(None, said, opening, autojunk=False).ratio() >= SAME_LEAD
