"""Restore a backup made by backup_archive, then rebuild the search index from it."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.curation.backup import BackupError, restore_archive
from articles.search.sync import indexing
from articles.search.sync.lock import IndexLockTimeout


class Command(BaseCommand):
    help = (
        "Restore the database from IN (made by backup_archive; the format is detected) into "
        "an empty data directory, migrate it, and rebuild the search index."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", metavar="IN")
        parser.add_argument(
            "--force", action="store_true", help="replace a database that already has articles"
        )
        parser.add_argument(
            "--no-index", action="store_true", help="skip the index rebuild (run it later)"
        )

    def handle(self, *args, **options) -> None:
        try:
            report = restore_archive(Path(options["backup"]), force=options["force"])
        except (BackupError, OSError) as error:
            raise CommandError(f"Restore failed: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Restored: {report}"))
        if options["no_index"]:
            self.stdout.write("Search index not rebuilt: run `python manage.py rebuild_index`.")
            return
        try:
            rebuilt = indexing.rebuild()
        except IndexLockTimeout as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Rebuilt the search index: {rebuilt}"))
