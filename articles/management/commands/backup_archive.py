"""Back up the archive's database to one gzip file.

See articles/curation/backup.py and docs/backup.md.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.curation.backup import FORMATS, BackupError, backup_archive


class Command(BaseCommand):
    help = (
        "Write a consistent, gzip-compressed backup of the database to OUT: an SQLite "
        "snapshot (online backup API) on SQLite, a portable dumpdata JSON otherwise or with "
        "--format json. The search index is rebuilt from it on restore."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", metavar="OUT", help="file to write, e.g. archive.sqlite3.gz")
        parser.add_argument("--format", choices=FORMATS, default="auto", dest="fmt")

    def handle(self, *args, **options) -> None:
        try:
            report = backup_archive(Path(options["out"]), fmt=options["fmt"])
        except (BackupError, OSError) as error:
            raise CommandError(f"Backup failed: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Backed up: {report}"))
