"""Curators' tools beyond plain model editing: the counterpart picker, entity merges with
their redirects, and re-tagging after gazetteer edits."""
