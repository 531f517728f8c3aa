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
from linli.testing.schema import built_from_models

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


def _runs_here(item) -> bool:
    """Whether this run takes `item` (pytest_collection_modifyitems)."""
    crawl = item.get_closest_marker("crawl") is not None
    journey = item.get_closest_marker("browser") is not None and not crawl
    if os.environ.get("LINLI_DATABASE_TESTS_ONLY") == "1":
        return journey or (touches_database(item) and not crawl)
    if os.environ.get("LINLI_BROWSER_JOURNEYS_ELSEWHERE") == "1":
        return not journey
    return True


def pytest_collection_modifyitems(config, items):
    """The CI runs the suite twice at once, on SQLite and on PostgreSQL (.ci/run), and each browser test in one of
    the two: a browser test checks what a browser makes of the pages (scripts, keyboard, layout, the CSP), the same
    on either database, while the server paths it crosses run on both in the pages' and APIs' own tests.

    - LINLI_DATABASE_TESTS_ONLY=1 (the second run): only the tests whose outcome may depend on the database; those
      that never reach it ran in the first and would only repeat themselves. Of the browser tests, the journeys
      (5–15 s each), not the crawl (`crawl`, tests/browser/test_axe.py).
    - LINLI_BROWSER_JOURNEYS_ELSEWHERE=1 (the first run): every test but the browser journeys, which the second run
      takes. The first run has the tests without the database to itself; the journeys on the second even out the
      two runs' ends (the first ran 240 s longer with them).

    Then the modules are ordered by what they cost, the dearest first (`slowest_first`)."""
    kept, skipped = [], []
    for item in items:
        (kept if _runs_here(item) else skipped).append(item)
    if skipped:
        config.hook.pytest_deselected(items=skipped)
        items[:] = kept
    items[:] = slowest_first(items)


# What a module's tests take on one worker, in seconds (SQLite, 2-core machine, 2026-12-07), for the modules that
# take much more than their number of tests says. Only the order of the modules depends on these figures: a stale
# or missing one costs a little time at the end of a run, never a result.
SLOW_MODULES = {
    "tests/browser/test_axe.py": 180,  # the link check and the accessibility check on one crawl
    "tests/test_bench_smoke.py": 70,
    "tests/test_api_fuzz.py": 65,
    "demo/tests/test_build.py": 30,
    "demo/tests/test_cases.py": 15,
    "demo/tests/test_bulk.py": 12,
    "demo/tests/test_district.py": 12,
    "cases/tests/test_services.py": 25,
    "cases/tests/test_rules.py": 15,
    "tests/test_migrations.py": 40,  # migrates an empty database from zero
}
SECONDS_PER_TEST = 0.25  # the suite's average outside the browser journeys
SECONDS_PER_BROWSER_TEST = 5


def slowest_first(items):
    """The items module by module, the dearest modules first, each module's tests in their own order, within the
    order pytest-django gives: every test in a transaction of its own before any transactional one (a transactional
    test ends by emptying the database, which only the next transactional test restores), the tests without the
    database last. A module's tests without the database stay with its others (a module fixture is made once).

    xdist (`--dist load`) hands the tests out in this order, a chunk at a time, to whichever worker runs short: the
    long modules go first and the end of the run is the short tests without the database, so the workers finish
    together instead of one of them running the last long module (the crawl and accessibility tests, 180 s) alone."""
    from django.test import TestCase, TransactionTestCase

    def phase(item) -> int:
        """pytest-django's: 0 in a transaction, 1 transactional, 2 without the database."""
        cls = getattr(item, "cls", None)
        if cls is not None and issubclass(cls, TransactionTestCase):
            return 0 if issubclass(cls, TestCase) else 1
        if item.get_closest_marker("django_db") is not None:
            marker = item.get_closest_marker("django_db")
            transactional = marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")
            if transactional or {"transactional_db", "live_server"} & set(item.fixturenames):
                return 1
            return 0
        fixtures = set(getattr(item, "fixturenames", ()))
        if {"transactional_db", "live_server"} & fixtures:
            return 1
        return 0 if "db" in fixtures else 2

    modules: dict[str, list] = {}
    for item in items:
        modules.setdefault(item.nodeid.split("::", 1)[0], []).append(item)
    units: dict[tuple, list] = {}
    for path, tests in modules.items():
        phases = [phase(item) for item in tests]
        database_phases = [p for p in phases if p != 2]
        home = min(database_phases) if database_phases else 2  # where the module's tests without the database go
        for item, p in zip(tests, phases, strict=True):
            units.setdefault((p if p != 2 else home, path), []).append(item)

    def cost(unit) -> tuple:
        p, path = unit
        tests = units[unit]
        seconds = next((s for suffix, s in SLOW_MODULES.items() if path.endswith(suffix)), None)
        if seconds is None:
            browser = sum(1 for item in tests if item.get_closest_marker("browser"))
            seconds = browser * SECONDS_PER_BROWSER_TEST + (len(tests) - browser) * SECONDS_PER_TEST
        return (p, -seconds)

    order = sorted(units, key=cost)  # stable: units of equal cost keep their collection order
    return [item for unit in order for item in units[unit]]


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
    """The test database of this worker, made once per run. Replaying the migrations costs 33–46 s of CPU (the
    migration state re-renders every model related to each one changed), so the database is built from the models
    and what the migrations add beyond them (linli.testing.schema, about 2 s; tests/test_migrations.py proves it the
    same as a migrated one), by the first worker to get here, which keeps a copy of it (a SQLite file, or a
    PostgreSQL template database); every other worker starts from that copy, where `migrate` finds every migration
    applied. The benchmarks' smoke runs copy the same schema (bench/schema.py). Replaces pytest-django's fixture of
    the same name."""
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
    """The schema as a SQLite file; each worker's in-memory database is filled from it."""

    def __init__(self, shared, connection):
        self.path, self.connection = shared / "schema.sqlite3", connection

    def setup(self, setup_databases):
        if self.path.exists():
            with mock.patch.object(self.connection.creation, "_create_test_db", self._create_from_copy):
                databases = setup_databases()
        else:
            with built_from_models():
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
    """The schema as a template database (`test_<name>_schema`), dropped by the last worker to finish.
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
            with built_from_models():
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
def _nothing_kept():
    """Reference data kept in memory (linli.core.reference) may hold the rows of a test that was rolled back."""
    from linli.core import reference

    reference.forget()


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
