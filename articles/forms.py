"""The search form's choices, and how dates typed in either calendar were read.

The engine (`articles.search.params.params_from_query`) decides what a query means; this
module only says, in the interface's language and calendar, how each typed date was read.
"""

from __future__ import annotations

from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

SORT_LABELS = [
    ("relevance", _("Relevance")),
    ("newest", _("Newest first")),
    ("oldest", _("Oldest first")),
    ("added", _("Newest added to the archive")),
]


def date_reading_note(text: str) -> tuple[str, str]:
    """How the engine read a typed date, in the interface's language and calendar.

    Returns `(note, engine_note)`: the engine's own (untranslated) wording is returned too, so
    the page can show this note in its place. Unreadable dates give no note here: the engine
    already says, translated, that it ignored them.
    """
    from articles.search.dates import read_date
    from articles.text.calendar import gregorian_text, jalali_text

    reading = read_date(text) if (text or "").strip() else None
    if reading is None:
        return "", ""
    language = get_language() or "en"

    def isolated(text: str) -> str:
        # Each date in its own bidi isolate, so a Persian date in an English sentence (or the
        # reverse) cannot pull the digits beside it into its own direction.
        return f"\u2068{text}\u2069"

    def both(day) -> str:
        gregorian = isolated(gregorian_text(day, language))
        try:
            solar = jalali_text(day)
        except (ValueError, OverflowError):  # past the Solar Hijri calendar's last year (9377)
            return gregorian
        return f"{isolated(solar)} = {gregorian}"

    span = both(reading.start)
    if reading.end != reading.start:
        span = gettext("%(start)s to %(end)s") % {"start": span, "end": both(reading.end)}
    calendar = gettext("Solar Hijri") if reading.calendar == "jalali" else gettext("Gregorian")
    note = gettext("“%(text)s” was read as a %(calendar)s date: %(span)s.") % {
        "text": str(text).strip()[:40],
        "calendar": calendar,
        "span": span,
    }
    return note, reading.how
