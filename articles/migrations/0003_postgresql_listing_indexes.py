"""Indexes the archive's pages want on PostgreSQL at scale (see docs/postgresql.md).

Lists are ordered `published_at DESC NULLS LAST, id DESC` (Article.Meta.ordering). A B-tree on
`published_at` ascending, read backwards, gives `DESC NULLS FIRST`, so PostgreSQL could not use
the model's indexes for that order and sorted the whole table for every "latest" list. These
indexes match the order exactly. SQLite cannot declare NULLS LAST in an index (and its own
order already puts NULLs last on DESC), so the operation does nothing there; the model state
is unchanged, so no model or `makemigrations` change follows from this file.

Built CONCURRENTLY so that a live archive keeps answering while they are created.
"""

from django.db import migrations

NEWEST = "published_at DESC NULLS LAST, id DESC"
INDEXES = {
    # Home page and feeds: latest published per language.
    "article_pub_lang_newest": f"(status, language, {NEWEST})",
    # Latest published in both languages; check_index's id/updated_at scan and the home
    # counts read it without touching the table.
    "article_pub_newest": f"({NEWEST}, status) INCLUDE (language, updated_at)",
    # Source page, its counts and date span, and source feeds.
    "article_source_newest": f"(source_id, status, {NEWEST}) INCLUDE (language)",
    # Entity pages join tags to articles by id and need status, language and date only.
    "article_id_listing": "(id) INCLUDE (status, language, published_at)",
}


class PostgreSQLIndexes(migrations.RunSQL):
    """CREATE INDEX CONCURRENTLY on PostgreSQL; nothing elsewhere."""

    def __init__(self, indexes: dict[str, str]):
        forwards = [
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON articles_article {columns}"
            for name, columns in indexes.items()
        ]
        backwards = [f"DROP INDEX CONCURRENTLY IF EXISTS {name}" for name in indexes]
        super().__init__(forwards, backwards, elidable=False)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self) -> str:
        return "Create listing indexes on PostgreSQL (nothing on other databases)"


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [
        ("articles", "0002_article_counterpart_ref"),
    ]

    operations = [PostgreSQLIndexes(INDEXES)]
