"""Load a gazetteer (JSONL or CSV) of entities with English and Persian names and aliases."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.curation.gazetteer import import_entities


class Command(BaseCommand):
    help = (
        "Load entities from a JSONL or CSV gazetteer (kind, name_en, name_fa, aliases_en, "
        "aliases_fa, slug, description). Loading again updates, never duplicates."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE")

    def handle(self, *args, **options) -> None:
        failed = 0
        for path in options["files"]:
            report = import_entities(path)
            failed += report.failed
            summary = "\n".join([f"{path}:", *report.lines()])
            if report.failed:
                self.stderr.write(summary)
            else:
                self.stdout.write(summary)
        if failed:
            raise CommandError(f"{failed} row(s) failed; the others were loaded.")
