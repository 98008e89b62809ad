"""Soak runs: concurrent writers, crashes and load against a real archive in a data directory
of its own. `python -m soak --help`; figures in soak/README.md."""
