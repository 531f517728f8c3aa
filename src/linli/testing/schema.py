"""The test database built from the models instead of by replaying the migrations.

Replaying the 136 migrations costs 33–46 s of CPU (Django re-renders the migration state's related models at nearly
every step), and every worker of a run waited for it before its first database test. `built_from_models()` makes the
same database in about 2 s: the tables from the models (as pytest-django's `--no-migrations` does, Django's
`migrate --run-syncdb`), then what the migrations add that the models do not say (`MIGRATIONS_BEYOND_THE_MODELS`:
the statistics' triggers, the archive's full-text table, the seeded tags and survey forms), and every migration
recorded as applied, so that `migrate` on a copy (the other workers, the benchmarks' smoke runs) finds nothing to do.

That this is the database the migrations make is itself a test: tests/test_migrations.py migrates an empty database
from zero, in a process of its own, and compares its tables, columns, constraints, indexes, triggers and rows with
the suite's (`describe`), on SQLite and on PostgreSQL. A new migration that adds something the models do not say
fails there until its step is added below.
"""

import datetime
import re
from contextlib import contextmanager
from importlib import import_module
from unittest import mock

from django.apps import apps as global_apps
from django.test import override_settings


class _NoMigrations:
    """MIGRATION_MODULES for which no app has migrations: `migrate` creates every table from its model."""

    def __contains__(self, app_label):
        return True

    def __getitem__(self, app_label):
        return None


def _migration(app_label, name):
    return import_module(f"linli.{app_label}.migrations.{name}")


def _tags(connection, schema_editor):
    _migration("people", "0002_seed_tags").seed(global_apps, schema_editor)


def _survey_forms(connection, schema_editor):
    _migration("surveys", "0002_default_forms").load(global_apps, schema_editor)


def _registry_triggers(connection, schema_editor):
    _migration("stats", "0002_triggers").create(global_apps, schema_editor)


def _case_triggers(connection, schema_editor):
    """0007's: they replaced 0005's and 0006's, which no database keeps."""
    _migration("stats", "0007_case_visit_counts").create(global_apps, schema_editor)


def _archive_search(connection, schema_editor):
    (operation,) = _migration("archives", "0003_search").Migration.operations
    operation.code(global_apps, schema_editor)


def _first_count(connection, schema_editor):
    """0007's first count of the registry and the cases (of an empty database: nothing, but as migrate does it)."""
    _migration("stats", "0007_case_visit_counts").count(global_apps, schema_editor)


def _group_permissions_bigint(connection, schema_editor):
    """django.contrib.auth's migrations make the groups' permissions table with a bigint id on PostgreSQL, its model
    an integer one (the table Django makes for the many-to-many field follows the app's AutoField): as migrated."""
    if connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE auth_group_permissions ALTER COLUMN id TYPE bigint")


# What the migrations make beyond the models' tables, in the order they make it. The other data migrations only
# change rows a database already has (backfills, renamed states): an empty database has none.
MIGRATIONS_BEYOND_THE_MODELS = [
    _group_permissions_bigint,
    _tags,
    _registry_triggers,
    _survey_forms,
    _case_triggers,
    _first_count,
    _archive_search,
]


@contextmanager
def built_from_models():
    """Inside it, `migrate` (as Django's `create_test_db` calls it) builds the database from the models, adds what
    the migrations add beyond them, and records every migration as applied."""
    from django.core.management.commands import migrate

    handle = migrate.Command.handle

    def build(command, *args, **options):
        from django.db import connections

        with override_settings(MIGRATION_MODULES=_NoMigrations()):
            handle(command, *args, **{**options, "run_syncdb": True})
        connection = connections[options["database"]]
        with connection.schema_editor() as schema_editor:
            for step in MIGRATIONS_BEYOND_THE_MODELS:
                step(connection, schema_editor)
        _record_every_migration(connection)

    with mock.patch.object(migrate.Command, "handle", build):
        yield


def _record_every_migration(connection):
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.recorder import MigrationRecorder

    loader = MigrationLoader(connection)
    recorder = MigrationRecorder(connection)
    recorder.ensure_schema()
    recorder.Migration.objects.using(connection.alias).bulk_create(
        recorder.Migration(app=app, name=name) for app, name in sorted(loader.graph.nodes)
    )


# Content types and permissions are made by the post_migrate signal in the order it meets the models, which differs
# between the two ways: compared without their ids.
BY_NATURAL_KEY = {
    "django_content_type": "SELECT app_label, model FROM django_content_type",
    "auth_permission": "SELECT t.app_label, t.model, p.codename, p.name FROM auth_permission p "
    "JOIN django_content_type t ON t.id = p.content_type_id",
}


def describe(connection) -> dict:
    """What a database holds, to compare two: per table its columns, constraints and indexes (by their columns where
    SQLite gives them no name) and its rows (without the times they were written at, which differ between two
    databases made at different times); the triggers and their functions; the migrations recorded as applied."""
    introspection = connection.introspection
    tables, rows = {}, {}
    with connection.cursor() as cursor:
        for info in introspection.get_table_list(cursor):
            if info.type != "t" or info.name == "django_migrations" or info.name.startswith("archives_search"):
                continue
            columns = {
                column.name: (column.type_code, column.null_ok, str(column.default), column.collation)
                for column in introspection.get_table_description(cursor, info.name)
            }
            constraints = sorted(
                repr(
                    (
                        None if _unnamed(name) else name,
                        c["columns"],
                        c["primary_key"],
                        c["unique"],
                        c["foreign_key"],
                        c["check"],
                        c["index"],
                        c.get("type"),
                        c.get("orders"),
                    )
                )
                for name, c in introspection.get_constraints(cursor, info.name).items()
            )
            tables[info.name] = {"columns": columns, "constraints": constraints}
            cursor.execute(BY_NATURAL_KEY.get(info.name, f"SELECT * FROM {connection.ops.quote_name(info.name)}"))
            names = [d[0] for d in cursor.description]
            rows[info.name] = sorted(
                repr(sorted((n, v) for n, v in zip(names, row, strict=True) if not _written_at(v)))
                for row in cursor.fetchall()
            )
        cursor.execute("SELECT app, name FROM django_migrations")
        applied = sorted(cursor.fetchall())
        return {
            "tables": tables,
            "rows": rows,
            "other objects": _other_objects(connection, cursor),
            "migrations applied": applied,
        }


def _unnamed(name: str) -> bool:
    """The names SQLite's introspection gives constraints without one (__primary__, __unnamed_constraint_1__,
    fk_0, …): numbered in the order of the columns, which differs between a table built at once and one rebuilt
    by migrations."""
    return name.startswith("__") or re.fullmatch(r"fk_\d+", name) is not None


def _written_at(value) -> bool:
    return isinstance(value, datetime.datetime)


def _other_objects(connection, cursor) -> list:
    """What Django's introspection does not show: triggers (and on PostgreSQL their functions), SQLite's virtual
    tables, and the archive's search table as created."""
    if connection.vendor == "sqlite":
        cursor.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' "
            "OR name LIKE 'archives_search%' ORDER BY type, name"
        )
        return [(kind, name, table, " ".join((sql or "").split())) for kind, name, table, sql in cursor.fetchall()]
    cursor.execute(
        "SELECT 'trigger', tgname, tgrelid::regclass::text, pg_get_triggerdef(oid) FROM pg_trigger "
        "WHERE NOT tgisinternal "
        "UNION ALL SELECT 'function', proname, '', prosrc FROM pg_proc WHERE pronamespace = 'public'::regnamespace "
        "UNION ALL SELECT 'column', column_name, table_name, "
        "concat_ws(' ', data_type, is_nullable, column_default, generation_expression) "
        "FROM information_schema.columns WHERE table_name = 'archives_search' "
        "UNION ALL SELECT 'index', indexname, tablename, indexdef FROM pg_indexes WHERE tablename = 'archives_search' "
        "ORDER BY 1, 2, 3"
    )
    return cursor.fetchall()
