import fcntl
import os
import sqlite3
from contextlib import contextmanager
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.test import override_settings
from hypothesis import HealthCheck, settings

from linli.testing import factories

# One Hypothesis profile for the suite: CI runs on shared 2-core machines where a worker may stall for seconds,
# so no per-example deadline and no too-slow health check; example databases are not kept between runs.
settings.register_profile(
    "linli",
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.load_profile("linli")


# Fixtures through which a test reaches the database (pytest-django's, and this suite's that build on them).
DATABASE_FIXTURES = frozenset({"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback",
                               "live_server", "django_db_setup"})  # fmt: skip


def touches_database(item) -> bool:
    """Whether a test may reach the database. pytest-django refuses database access to any other test, so one that
    does not passes or fails the same on SQLite and PostgreSQL."""
    if item.get_closest_marker("django_db") is not None:
        return True
    if DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    from django.test import SimpleTestCase, TransactionTestCase

    cls = getattr(item, "cls", None)
    return cls is not None and issubclass(cls, SimpleTestCase) and issubclass(cls, TransactionTestCase)


def pytest_collection_modifyitems(config, items):
    """LINLI_DATABASE_TESTS_ONLY=1 (the CI's second database): only the tests whose outcome may depend on the
    database. The others ran on the first and would only repeat themselves: those that never reach it, and the
    browser journeys, which test what a browser makes of the pages (scripts, keyboard, layout, the CSP) while the
    server paths they cross run on both databases in the pages' and APIs' own tests (a journey costs 5–9 s)."""
    if os.environ.get("LINLI_DATABASE_TESTS_ONLY") != "1":
        return
    kept, skipped = [], []
    for item in items:
        (kept if touches_database(item) and not item.get_closest_marker("browser") else skipped).append(item)
    if skipped:
        config.hook.pytest_deselected(items=skipped)
        items[:] = kept


@contextmanager
def _one_worker_at_a_time(directory):
    """An exclusive lock shared by the xdist workers of one run (their temporary folders share a parent)."""
    with open(directory / "schema.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_modify_db_settings,
                    tmp_path_factory):  # fmt: skip
    """The test database of this worker, migrated once per run. Replaying the migrations costs 25–45 s of CPU (the
    migration state re-renders every model related to each one changed), so the first worker to get here migrates
    and keeps a copy of its database as migrated (a SQLite file, or a PostgreSQL template database), and every other
    worker starts from that copy, where `migrate` finds nothing left to do. The benchmarks' smoke runs copy the same
    schema (bench/schema.py). Replaces pytest-django's fixture of the same name."""
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent
    copy = _SqliteCopy(shared, connection) if connection.vendor == "sqlite" else _PostgresCopy(shared, connection)
    with django_db_blocker.unblock(), _one_worker_at_a_time(shared):
        databases = copy.setup(lambda: setup_databases(verbosity=request.config.option.verbose, interactive=False))
    yield
    with django_db_blocker.unblock():
        teardown_databases(databases, verbosity=request.config.option.verbose)
        with _one_worker_at_a_time(shared):
            copy.release()


class _SqliteCopy:
    """The migrated schema as a SQLite file; each worker's in-memory database is filled from it."""

    def __init__(self, shared, connection):
        self.path, self.connection = shared / "schema.sqlite3", connection

    def setup(self, setup_databases):
        if self.path.exists():
            with mock.patch.object(self.connection.creation, "_create_test_db", self._create_from_copy):
                databases = setup_databases()
        else:
            databases = setup_databases()
            with sqlite3.connect(self.path) as copy:
                self.connection.connection.backup(copy)
            copy.close()
        os.environ["LINLI_BENCH_SCHEMA"] = str(self.path)
        return databases

    def _create_from_copy(self, verbosity, autoclobber, keepdb=False):
        name = type(self.connection.creation)._create_test_db(self.connection.creation, verbosity, autoclobber, keepdb)
        self.connection.close()  # the connection to the project's database, not yet the test one
        self.connection.settings_dict["NAME"] = name
        self.connection.ensure_connection()
        with sqlite3.connect(self.path) as copy:
            copy.backup(self.connection.connection)
        copy.close()
        return name

    def release(self):
        """The file goes with the run's temporary folder."""


class _PostgresCopy:
    """The migrated schema as a template database (`test_<name>_schema`), dropped by the last worker to finish.
    PostgreSQL copies a database only while no one is connected to it: nobody ever is to the template."""

    def __init__(self, shared, connection):
        self.connection, self.users = connection, shared / "schema.users"
        self.template = f"test_{connection.settings_dict['NAME']}_schema"

    def setup(self, setup_databases):
        users = int(self.users.read_text()) if self.users.exists() else 0
        if users:  # another worker of this run made the template and still uses it
            self.connection.settings_dict["TEST"]["TEMPLATE"] = self.template
            databases = setup_databases()
        else:  # the first worker of this run; a template left by an interrupted run is replaced
            databases = setup_databases()
            self.connection.close()
            with self.connection._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.template}"')
                cursor.execute(f'CREATE DATABASE "{self.template}" TEMPLATE "{self.connection.settings_dict["NAME"]}"')
        self.users.write_text(str(users + 1))
        os.environ["LINLI_BENCH_SCHEMA_PG"] = self.template
        return databases

    def release(self):
        users = int(self.users.read_text()) - 1
        self.users.write_text(str(users))
        if not users:
            with self.connection._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.template}"')


@pytest.fixture
def world(db):
    """The persona district of linli.testing.factories."""
    return factories.world()


@pytest.fixture(autouse=True, scope="session")
def _test_settings():
    """Settings for the whole session, module-scoped fixtures included.

    The default PBKDF2 costs ~0.3 s per persona; tests check permissions, not hashing strength. Production uses
    whitenoise's manifest storage, which needs `collectstatic` first; pages in tests only need `{% static %}`.
    Background tasks run at once, inside the request that queues them, so tests need no worker. Static files are
    served from the apps' folders (the finders), never from var/static: a served benchmark collects into it while
    another worker's WhiteNoise would be walking it.
    """
    with override_settings(
        STATIC_ROOT=django_settings.BASE_DIR / "var" / "no-static-in-tests",
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
        STORAGES={
            **django_settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        yield


@pytest.fixture(autouse=True)
def _sequences_past_restored_rows(request):
    """A transactional test with `serialized_rollback` starts from the rows Django restores with their own ids (the
    migrations' data: the surveys' default forms). On PostgreSQL a sequence a demo rebuild restarted may then lag
    behind them, and the next insert takes an id that exists: move the sequences of the restored tables past them."""
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("serialized_rollback")):
        return
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    models = [m for m in apps.get_app_config("surveys").get_models()]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
