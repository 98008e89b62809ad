"""Apply queued index updates: the one process that writes the index when
NEWSARCHIVE_INDEX_SYNC is false (web processes then only queue). Pending re-tagging after
gazetteer edits (articles.curation.retag) is drained first, its tag changes indexed after."""

from __future__ import annotations

import signal
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connection

from articles.curation.retag import drain as drain_retag
from articles.search.sync.worker import process_pending


class Command(BaseCommand):
    help = "Apply queued search-index updates, once (--once) or every --interval seconds."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="Apply what is queued, then exit.")
        parser.add_argument("--interval", type=float, default=2.0, help="Seconds between polls.")
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, **options) -> None:
        if options["interval"] <= 0 or options["batch_size"] < 1:
            raise CommandError("--interval must be positive and --batch-size at least 1.")
        self._stop = False
        if not options["once"]:
            signal.signal(signal.SIGTERM, self._request_stop)
            signal.signal(signal.SIGINT, self._request_stop)
        while True:
            if not connection.in_atomic_block:  # a caller's transaction is not ours to end
                close_old_connections()
            retagged = drain_retag()
            if retagged is not None:
                self.stdout.write("Re-tagged: " + "; ".join(retagged.lines()))
            report = process_pending(batch_size=options["batch_size"])
            if report.tasks or options["once"]:
                self.stdout.write(str(report))
            if options["once"] or self._stop:
                return
            if not report.tasks:
                self._sleep(options["interval"])
            if self._stop:
                return

    def _request_stop(self, signum, frame) -> None:
        self._stop = True

    def _sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self._stop and time.monotonic() < deadline:
            time.sleep(min(0.2, deadline - time.monotonic()))
