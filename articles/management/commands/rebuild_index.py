"""Rebuild the search index from every published article (replaces Haystack's command)."""

from __future__ import annotations

import os
import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.search.sync import indexing
from articles.search.sync.lock import IndexLockTimeout

DEFAULT_PROCS = max(1, min(2, os.cpu_count() or 1))


def tqdm_progress(enabled: bool):
    def wrap(items, total):
        return tqdm(items, total=total, unit="art", disable=not enabled, file=sys.stderr)

    return wrap


class Command(BaseCommand):
    help = "Rebuild the search index from every published article, through one writer."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--noinput", "--no-input", action="store_true", dest="noinput")
        parser.add_argument(
            "--procs",
            type=int,
            default=DEFAULT_PROCS,
            help=f"Analysing processes (default {DEFAULT_PROCS}; 1: analyse in this process).",
        )
        parser.add_argument(
            "--limitmb",
            type=int,
            default=1024,
            help="Memory of the writers' posting buffers, in MB, shared among the writers.",
        )
        parser.add_argument(
            "--writers",
            type=int,
            default=1,
            help=(
                "Writing processes, one index segment each (default 1: documents numbered in "
                "article order, so equal scores rank alike from one rebuild to the next)."
            ),
        )
        parser.add_argument(
            "--no-analysis-cache",
            action="store_true",
            help="Analyse every article again and leave the analysis cache alone.",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, **options) -> None:
        if options["procs"] < 1 or options["writers"] < 1 or options["limitmb"] < 16:
            raise CommandError(
                "--procs and --writers must be at least 1 and --limitmb at least 16."
            )
        if not options["noinput"] and sys.stdin.isatty():
            answer = input("This replaces the whole search index. Continue? [y/N] ")
            if answer.strip().lower() not in {"y", "yes"}:
                raise CommandError("Rebuild cancelled.")
        try:
            report = indexing.rebuild(
                procs=options["procs"],
                limitmb=options["limitmb"],
                analysis_cache=not options["no_analysis_cache"],
                writers=options["writers"],
                progress=tqdm_progress(not options["no_progress"]),
            )
        except IndexLockTimeout as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Rebuilt: {report}"))
