import os
import sqlite3

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
    """LINLI_DATABASE_TESTS_ONLY=1 (the CI's second database): only the tests that reach the database; the others
    ran on the first and would only repeat themselves."""
    if os.environ.get("LINLI_DATABASE_TESTS_ONLY") != "1":
        return
    kept, skipped = [], []
    for item in items:
        (kept if touches_database(item) else skipped).append(item)
    if skipped:
        config.hook.pytest_deselected(items=skipped)
        items[:] = kept


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, tmp_path_factory):
    """pytest-django's test database, and a copy of it as migrated for the benchmarks' smoke runs (bench/schema.py):
    a SQLite file, or a PostgreSQL template database; each would otherwise replay every migration (25 s of CPU)."""
    from django.db import connection

    name = connection.settings_dict["NAME"]
    if not (name.startswith("test_") or "memorydb" in name):  # no test database was asked for: nothing to copy
        yield
        return
    if connection.vendor == "sqlite":
        path = tmp_path_factory.getbasetemp() / "schema.sqlite3"
        with django_db_blocker.unblock():
            connection.ensure_connection()
            with sqlite3.connect(path) as copy:
                connection.connection.backup(copy)
            copy.close()
        os.environ["LINLI_BENCH_SCHEMA"] = str(path)
        yield
        return
    # PostgreSQL copies a database only while no one else is connected to it: this worker's own connection, just
    # after the set-up, is the only one.
    template = f"{name}_schema"
    with django_db_blocker.unblock():
        connection.close()
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{template}"')
            cursor.execute(f'CREATE DATABASE "{template}" TEMPLATE "{name}"')
    os.environ["LINLI_BENCH_SCHEMA_PG"] = template
    yield
    with django_db_blocker.unblock(), connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{template}"')


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
