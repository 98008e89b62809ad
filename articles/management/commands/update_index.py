"""Index articles changed recently (or all of them) without clearing the index."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date, parse_datetime

from articles.management.commands.rebuild_index import tqdm_progress
from articles.search.sync import indexing
from articles.search.sync.lock import IndexLockTimeout


def parse_start(value: str) -> datetime:
    parsed = parse_datetime(value)
    if parsed is None:
        day = parse_date(value)
        if day is None:
            raise CommandError(f"--start {value!r}: give a date (2024-03-01) or an ISO datetime.")
        parsed = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class Command(BaseCommand):
    help = "Index published articles changed in the last --age hours or since --start."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--age", type=float, help="Only articles changed in the last N hours.")
        parser.add_argument("--start", help="Only articles changed since this date/datetime.")
        parser.add_argument(
            "--remove", action="store_true", help="Also delete documents no longer published."
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options) -> None:
        since = None
        if options["age"] is not None:
            if options["age"] <= 0:
                raise CommandError("--age must be a positive number of hours.")
            since = datetime.now(UTC) - timedelta(hours=options["age"])
        if options["start"]:
            since = parse_start(options["start"])
        try:
            report = indexing.update(
                since=since,
                remove=options["remove"],
                progress=tqdm_progress(not options["no_progress"]),
            )
        except IndexLockTimeout as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Updated: {report}"))
