"""Tag articles anew with the entities of the gazetteer (after it changed)."""

from __future__ import annotations

import sys
from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from tqdm import tqdm

from articles.curation.tagging import build_matcher, tag_articles
from articles.models import Article


class Command(BaseCommand):
    help = (
        "Re-tag articles by the aliases of all entities: automatic tags are added, updated "
        "or removed; manual tags are never touched."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument(
            "--since", metavar="DATE", help="articles imported or changed since DATE (YYYY-MM-DD)"
        )
        scope.add_argument("--all", action="store_true", help="every article (the default)")
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, **options) -> None:
        articles = Article.objects.all()
        if options["since"]:
            articles = articles.filter(updated_at__gte=_since(options["since"]))
        matcher = build_matcher()
        if not matcher:
            raise CommandError("No entities with aliases yet: load some with import_entities.")
        total = articles.count()
        with tqdm(
            total=total, unit=" articles", file=sys.stderr, disable=options["verbosity"] == 0
        ) as bar:
            report = tag_articles(
                articles,
                matcher=matcher,
                batch_size=max(1, options["batch_size"]),
                progress=bar.update,
            )
        self.stdout.write("\n".join([f"Aliases: {matcher.alias_count}", *report.lines()]))


def _since(value: str) -> datetime:
    moment = parse_datetime(value)
    if moment is None:
        try:
            day = parse_date(value)
        except ValueError:
            day = None
        if day is None:
            raise CommandError(f"--since {value!r} is not a date; use YYYY-MM-DD.")
        moment = datetime.combine(day, time.min)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment
