"""Empty the search index."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from articles.search.sync import indexing
from articles.search.sync.lock import IndexLockTimeout


class Command(BaseCommand):
    help = "Remove every document from the search index (rebuild_index fills it again)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--noinput", "--no-input", action="store_true", dest="noinput")

    def handle(self, *args, **options) -> None:
        if not options["noinput"] and sys.stdin.isatty():
            answer = input("This empties the search index. Continue? [y/N] ")
            if answer.strip().lower() not in {"y", "yes"}:
                raise CommandError("Nothing cleared.")
        try:
            indexing.clear()
        except IndexLockTimeout as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS("The search index is empty."))
