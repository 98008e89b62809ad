"""The search form as the page shows it, and reading dates typed in either calendar.

The engine (`articles.search.engine.params_from_query`) decides what a query means; this
module only fills the form back in and says, in words, how each typed date was read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import jdatetime
from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
SEPARATOR = r"\s*[-/.\u066b\u2044]\s*"
DATE_PATTERN = re.compile(rf"^\s*(\d{{1,4}}){SEPARATOR}(\d{{1,2}}){SEPARATOR}(\d{{1,4}})\s*$")
# Years below this are Solar Hijri (1300–1699 covers 1921–2321 CE); above it, Gregorian.
JALALI_YEAR_LIMIT = 1700
SORT_LABELS = [
    ("relevance", _("Relevance")),
    ("newest", _("Newest first")),
    ("oldest", _("Oldest first")),
]


@dataclass
class DateReading:
    value: date | None
    note: str  # how the text was read, or why it was not


def read_date(text: str) -> DateReading:
    """Read `1399/10/15`, `۱۳۹۹/۱۰/۱۵`, `1399-10-15` (Solar Hijri) or `2021-01-04` (Gregorian)."""
    from articles.templatetags.archive_tags import gregorian_text, jalali_text

    raw = (text or "").strip()
    if not raw:
        return DateReading(None, "")
    match = DATE_PATTERN.match(raw.translate(DIGITS))
    if not match:
        return DateReading(
            None,
            gettext("“%(text)s” is not a date we can read; write it as 1399/10/15 or 2021-01-04.")
            % {"text": raw[:40]},
        )
    first, month, last = (int(part) for part in match.groups())
    year, day = (first, last) if len(match.group(1)) >= 3 else (last, first)
    try:
        if year < JALALI_YEAR_LIMIT:
            value = jdatetime.date(year, month, day).togregorian()
            calendar = gettext("Solar Hijri")
        else:
            value = date(year, month, day)
            calendar = gettext("Gregorian")
    except ValueError:
        return DateReading(
            None, gettext("“%(text)s” is not a real date; it was ignored.") % {"text": raw[:40]}
        )
    return DateReading(
        value,
        gettext("“%(text)s” was read as a %(calendar)s date: %(jalali)s = %(gregorian)s.")
        % {
            "text": raw[:40],
            "calendar": calendar,
            "jalali": jalali_text(value),
            "gregorian": gregorian_text(value),
        },
    )


class SearchForm(forms.Form):
    """Only for rendering: labelled fields refilled from the query string."""

    q = forms.CharField(label=_("Search for"), required=False, max_length=500)
    lang = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Both languages")), ("fa", _("Persian")), ("en", _("English"))],
    )
    date_from = forms.CharField(
        label=_("From date"), required=False, help_text=_("e.g. 1399/10/15 or 2021-01-04")
    )
    date_to = forms.CharField(
        label=_("To date"), required=False, help_text=_("e.g. 1400/01/01 or 2021-03-21")
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_LABELS)
