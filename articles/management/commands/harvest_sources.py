"""Fetch the sources' feeds: one round (--once, the default) or rounds forever (--loop)."""

from __future__ import annotations

import fcntl
import signal
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from articles.harvest.harvester import harvest
from articles.models import Source


class Command(BaseCommand):
    help = (
        "Harvest the feeds of active sources that are due (all feeds of --source now). "
        "Re-running creates nothing new."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--source", default="", help="slug of one source: fetch its feeds now")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--once", action="store_true", help="one round, then exit (default)")
        mode.add_argument("--loop", action="store_true", help="a round every --interval seconds")
        parser.add_argument("--interval", type=float, default=60.0, help="seconds between rounds")
        parser.add_argument("--all", action="store_true", help="fetch every feed, due or not")

    def handle(self, *args, **options) -> None:
        slug = options["source"].strip()
        if slug and not Source.objects.filter(slug=slug).exists():
            raise CommandError(f"No source with the slug {slug!r}; see the admin's source list.")
        if options["interval"] <= 0:
            raise CommandError("--interval must be positive.")
        lock = (Path(settings.DATA_DIR) / "harvest.lock").open("w")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            lock.close()
            raise CommandError(
                f"Another harvester is running (it holds {lock.name}); run one at a time: the "
                "loop service or the timer, not both."
            ) from error
        try:
            self._run(slug, options)
        finally:
            lock.close()

    def _run(self, slug: str, options: dict) -> None:
        self._stop = False
        if options["loop"]:
            signal.signal(signal.SIGTERM, self._request_stop)
            signal.signal(signal.SIGINT, self._request_stop)
        while True:
            if options["loop"]:  # a long-running loop drops connections the database closed
                close_old_connections()
            report = harvest(source=slug, force=options["all"])
            if report.feeds or not options["loop"]:
                self.stdout.write("\n".join(report.lines()))
            if not options["loop"] or self._stop:
                return
            deadline = time.monotonic() + options["interval"]
            while not self._stop and time.monotonic() < deadline:
                time.sleep(0.2)
            if self._stop:
                return

    def _request_stop(self, signum, frame) -> None:
        self._stop = True
