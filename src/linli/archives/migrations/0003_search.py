"""The archive's full-text index (archives.search): one row per item, its title's and its text's words as jieba cut
them (archives/search/words.py), in the database's own full-text engine.

- SQLite: an FTS5 virtual table (rowid = the item's id; columns title and body; unicode61 tokens; ranked by bm25).
- PostgreSQL: a table with a stored tsvector over the same words in the 'simple' configuration (title weighted A,
  body D) and a GIN index; ranked by ts_rank.

No foreign key: the index is kept by the search services (a deleted item's row is dropped after commit, and a row
without its item is never shown: searches join the items a user may see), and the test databases' flushes and the
demo's reset truncate the items without knowing this table.
"""

from django.db import migrations

SQLITE = ["CREATE VIRTUAL TABLE archives_search USING fts5(title, body, tokenize = 'unicode61')"]
SQLITE_DROP = ["DROP TABLE IF EXISTS archives_search"]
POSTGRES = [
    """CREATE TABLE archives_search (
        item_id bigint PRIMARY KEY,
        title text NOT NULL DEFAULT '',
        body text NOT NULL DEFAULT '',
        vector tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', body), 'D')
        ) STORED
    )""",
    "CREATE INDEX archives_search_vector ON archives_search USING gin (vector)",
]
POSTGRES_DROP = ["DROP TABLE IF EXISTS archives_search"]


def _run(statements: dict):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in statements:
            raise RuntimeError(f"archives.search: full-text search needs SQLite (FTS5) or PostgreSQL, not {vendor}")
        for sql in statements[vendor]:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("archives", "0002_evidence")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
