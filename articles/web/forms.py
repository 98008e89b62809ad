"""The search form's choices, and how dates typed in either calendar were read.

The engine (`articles.search.query.params.params_from_query`) decides what a query means; this
module only says, in the interface's language and calendar, how each typed date was read.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

SORT_LABELS = [
    ("relevance", _("Relevance")),
    ("newest", _("Newest first")),
    ("oldest", _("Oldest first")),
    ("added", _("Newest added to the archive")),
]


def date_reading_note(text: str) -> tuple[str, str]:
    """How the engine read a typed date, in the interface's language and calendar: the
    engine's own notice (`DateReading.how`), given twice for older callers. Unreadable dates
    give no note here: the engine already says, translated, that it ignored them."""
    from articles.search.query.dates import read_date

    reading = read_date(text) if (text or "").strip() else None
    if reading is None:
        return "", ""
    return reading.how, reading.how
