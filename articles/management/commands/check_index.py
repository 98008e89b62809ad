"""Report (and with --repair fix) drift between the database and the search index."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from articles.search.sync import indexing
from articles.search.sync.lock import IndexLockTimeout


def _sample(ids: list[int], limit: int) -> str:
    shown = ", ".join(str(pk) for pk in ids[:limit])
    return shown + (f", … (+{len(ids) - limit})" if len(ids) > limit else "")


class Command(BaseCommand):
    help = (
        "Compare published articles with the search index: missing, extra and stale "
        "documents. Exits with status 1 on drift unless --repair fixed it."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--repair", action="store_true", help="Fix the drift found.")
        parser.add_argument(
            "--deep",
            action="store_true",
            help="Also rebuild each document in memory and compare its content signature "
            "(finds tag, entity and source changes; slower).",
        )
        parser.add_argument("--show", type=int, default=10, help="Ids shown per kind of drift.")

    def handle(self, *args, **options) -> None:
        try:
            report = indexing.check(repair=options["repair"], deep=options["deep"])
        except IndexLockTimeout as error:
            raise CommandError(str(error)) from error
        write = self.stdout.write
        write(f"Published articles: {report.published}; indexed documents: {report.indexed}")
        for label, ids in (
            ("missing from the index", report.missing),
            ("in the index but not published", report.extra),
            ("stale (indexed from an older version)", report.stale),
        ):
            write(f"  {label}: {len(ids)}" + (f" [{_sample(ids, options['show'])}]" if ids else ""))
        if report.pending_tasks:
            write(f"  queued index tasks not yet applied: {report.pending_tasks}")
        if report.repaired:
            write(self.style.SUCCESS(f"Repaired {report.repaired} documents."))
        if report.tasks_cleared:
            write(f"  queued index tasks made redundant by the repair, removed: "
                  f"{report.tasks_cleared}")  # fmt: skip
        if report.drift:
            raise CommandError(
                f"The index differs from the database in {report.drift} documents; run "
                "`python manage.py check_index --repair` (or rebuild_index).",
                returncode=1,
            )
        write(self.style.SUCCESS("The index agrees with the database."))
