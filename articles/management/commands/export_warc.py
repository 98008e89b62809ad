"""Write one source's WARC records for a date range into a single .warc.gz file."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from articles.harvest.warc import day_files, export
from articles.models import Source


class Command(BaseCommand):
    help = "Export a source's WARC files (what the harvester fetched) for days FROM..TO."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--source", required=True, help="source slug")
        parser.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="last day, YYYY-MM-DD")
        parser.add_argument("--output", required=True, help="file to write (.warc.gz)")

    def handle(self, *args, **options) -> None:
        source = Source.objects.filter(slug=options["source"]).first()
        if source is None:
            raise CommandError(f"No source with the slug {options['source']!r}.")
        try:
            start, end = date.fromisoformat(options["start"]), date.fromisoformat(options["end"])
        except ValueError as error:
            raise CommandError(f"Dates are YYYY-MM-DD: {error}") from error
        if end < start:
            raise CommandError("--to is before --from.")
        files = day_files(source.pk, start=start, end=end)
        with open(options["output"], "wb") as output:
            written = export(files, output)
        self.stdout.write(f"{len(files)} WARC files, {written} bytes -> {options['output']}")
