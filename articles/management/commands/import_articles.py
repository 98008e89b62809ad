"""Import articles from files, folders or URLs: text pages, HTML, feeds, JSONL dumps."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from tqdm import tqdm

from articles.ingest.load import LoadOptions, import_targets
from articles.ingest.parse import FORMATS, LANGUAGES


def refresh_planner_statistics() -> None:
    """Let SQLite's query planner learn the table sizes after a bulk load (a few ms).

    Without statistics SQLite picks the `status` index for "published near-duplicates of
    this article" and scans every published row: 0.25 s per article page at 100k articles,
    under a millisecond once the planner knows `duplicate_of` is the selective index.
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # A bounded sample per index keeps this to milliseconds on any size of archive
            # (`PRAGMA optimize` alone skips tables the connection did not read from).
            cursor.execute("PRAGMA analysis_limit=1000")
            cursor.execute("ANALYZE")


class Command(BaseCommand):
    help = (
        "Import articles from files, folders (walked) or http(s) URLs. Re-running an import "
        "creates nothing new; changed articles are updated, their curation kept."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("targets", nargs="+", metavar="PATH_OR_URL")
        parser.add_argument("--format", choices=FORMATS, default="auto", dest="fmt")
        parser.add_argument(
            "--source", default="", help="source name or slug for every article (created if new)"
        )
        parser.add_argument("--language", choices=LANGUAGES, default="auto")
        parser.add_argument(
            "--status",
            choices=["draft", "published"],
            default="draft",
            help="status of new articles (existing ones keep theirs)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="parse and report, write nothing"
        )
        parser.add_argument("--no-tag", action="store_true", help="skip automatic entity tags")
        parser.add_argument(
            "--no-index",
            action="store_true",
            help="do not queue search index updates (run update_index/rebuild_index later)",
        )
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--workers",
            type=int,
            default=0,
            help="processes preparing big imports (sanitiser, signatures, tags); "
            "0 picks up to 2, 1 keeps everything in this process",
        )

    def handle(self, *args, **options) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        if options["workers"] < 0:
            raise CommandError("--workers must be 0 (automatic) or more.")
        load_options = LoadOptions(
            source=options["source"].strip(),
            status=options["status"],
            dry_run=options["dry_run"],
            tag=not options["no_tag"],
            index=not options["no_index"],
            batch_size=options["batch_size"],
            workers=options["workers"],
        )
        with tqdm(
            unit=" records",
            file=sys.stderr,
            disable=options["verbosity"] == 0,
            mininterval=0.5,
            desc="import",
        ) as bar:
            report = import_targets(
                options["targets"],
                fmt=options["fmt"],
                language=options["language"],
                options=load_options,
                progress=bar.update,
            )
        if not load_options.dry_run:
            refresh_planner_statistics()
        summary = report.render()
        if report.failed:
            raise CommandError(
                f"{summary}\n{report.failed} input(s) failed; the others were imported."
            )
        self.stdout.write(summary)
