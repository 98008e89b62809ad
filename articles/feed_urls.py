"""Feeds and exports (RSS/Atom, CSV/JSON Lines, citations)."""

urlpatterns: list = []
