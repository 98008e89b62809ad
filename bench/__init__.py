"""Benchmarks of the archive's search, import and exports: `make bench` (see bench/README.md).

They are not tests: each prints figures and ratios against a baseline measured in the same run,
and skips with a message where the shared corpus (../shared/corpus) is absent.
"""
