"""The search form's choices.

The engine (`articles.search.query.params.params_from_query`) decides what a query means and
says how each typed date was read (notices of kind "date", `articles.search.notices`); the
page shows those as they come.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

SORT_LABELS = [
    ("relevance", _("Relevance")),
    ("newest", _("Newest first")),
    ("oldest", _("Oldest first")),
    ("added", _("Newest added to the archive")),
]
