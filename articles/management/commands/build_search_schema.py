"""Write the distributed search engine's configuration, generated from `ArticleIndex` (with a
field for each search dimension declared in `articles.search.dimensions`)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.search.solr.schema import write_configset


class Command(BaseCommand):
    help = (
        "Generate the Solr configset (schema.xml, solrconfig.xml, stopword lists) from the "
        "search index definition and the search dimensions, for `bin/solr zk upconfig`."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--engine", choices=["solr"], default="solr")
        parser.add_argument(
            "--out", default="deploy/solr/conf", help="Folder to write (created if missing)."
        )

    def handle(self, *args, **options) -> None:
        out = Path(options["out"])
        try:
            written = write_configset(out)
        except OSError as error:
            raise CommandError(f"Cannot write the configset to {out}: {error}") from error
        for path in written:
            self.stdout.write(f"wrote {path}")
