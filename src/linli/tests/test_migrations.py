"""The models and the migrations agree.

- A model change without its migration (a new field, new choices) would leave the database behind the code on
  every installation that migrates.
- The suite's test database is built from the models, not migrated (linli.testing.schema: replaying the migrations
  costs 33–46 s of CPU, which every worker of a run used to wait for). Migrating an empty database from zero must
  make the same database: the same tables, columns, constraints, indexes, triggers and rows. This is also the test
  that every migration runs on an empty database of either kind, as a new installation's first `migrate` does.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, connections

import linli
from linli.testing.schema import describe

SOURCE = Path(linli.__file__).resolve().parents[1]


@pytest.mark.django_db
def test_no_model_change_lacks_its_migration():
    call_command("makemigrations", check=True, dry_run=True, verbosity=0)


@pytest.fixture
def new_database(tmp_path, django_db_setup, django_db_blocker):
    """A factory: new_database(name) → (URL, connection) of a new empty database beside the test database, a SQLite
    file or a PostgreSQL database (dropped again at the end). Not a test database: the test is not in a transaction
    of pytest-django's and opens these connections itself (`django_db_blocker.unblock()`)."""
    made = []

    def new(suffix):
        settings = {**connection.settings_dict}
        if connection.vendor == "sqlite":
            settings["NAME"] = str(tmp_path / f"{suffix}.sqlite3")
            made.append((_connect(settings), None))
            return f"sqlite:///{settings['NAME']}", made[-1][0]
        settings["NAME"] = name = f"{connection.settings_dict['NAME']}_{suffix}"
        with django_db_blocker.unblock(), connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        made.append((_connect(settings), name))
        host = settings["HOST"].replace("/", "%2F")
        return f"postgres://{settings['USER']}@{host}:{settings['PORT']}/{name}", made[-1][0]

    yield new
    for database, name in made:
        database.close()
        del connections[database.alias]
        del connections.settings[database.alias]
        if name:
            with django_db_blocker.unblock(), connection._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _connect(settings):
    """A connection of its own to another database (Django's introspection looks its alias up)."""
    alias = f"compared_{len(connections.settings)}"
    connections.settings[alias] = settings
    return connections[alias]


def _run(url, code):
    """Python `code` in a process of its own, as an installation runs `migrate`: on the database at `url` only."""
    environment = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(SOURCE)}
    setup = "import django; django.setup(); from django.core.management import call_command; "
    done = subprocess.run([sys.executable, "-c", setup + code], env=environment, capture_output=True, text=True,
                          timeout=900)  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_migrating_an_empty_database_makes_what_the_suite_builds_from_the_models(new_database, django_db_blocker):
    migrate = "call_command('migrate', interactive=False, verbosity=0)"
    migrated_url, migrated = new_database("migrated")
    _run(migrated_url, migrate)
    built_url, built = new_database("built")
    _run(built_url, f"from linli.testing.schema import built_from_models\nwith built_from_models(): {migrate}")
    with django_db_blocker.unblock():
        migrated_database, built_database = describe(migrated), describe(built)
    differences = _differences(migrated_database, built_database)
    assert differences == {}, "migrated | built from the models (linli.testing.schema lacks a step of the migrations)"


def _differences(migrated, built):
    if isinstance(migrated, dict) and isinstance(built, dict):
        keys = sorted(set(migrated) | set(built))
        return {k: _differences(migrated.get(k), built.get(k)) for k in keys if migrated.get(k) != built.get(k)}
    if isinstance(migrated, list) and isinstance(built, list):
        return {
            "only migrated": [x for x in migrated if x not in built],
            "only built": [x for x in built if x not in migrated],
        }
    return (migrated, built)
