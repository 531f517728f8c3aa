"""Every benchmark in bench/ runs at its smoke size (`--smoke`), so that none breaks unseen again.

Each runs as `./linli bench NAME --smoke` would, in a process of its own, and must finish without an error: the
figures of so small a run mean nothing and are not looked at. Those that build their own data do it as they do at
full size: in a temporary SQLite file, or on PostgreSQL in a throwaway test database of their own. The three that
serve the demo district (person_list_api, load, registry_pages; these three on SQLite only, as they send no SQL of
their own) share one small district with the two that query it (survey_frame, volunteers), built here once. Those
that build into a new SQLite file start it from the suite's migrated schema (linli/conftest.py, bench/schema.py):
their mark asks for the test database even when they run alone.
"""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import global_settings, settings
from django.db import connection
from django.test import override_settings

from linli.demo import build

ROOT = Path(__file__).resolve().parents[3]
POSTGRES = "postgresql" in settings.DATABASES["default"]["ENGINE"]


def bench(name: str, *args: str, database_url: str | None = None) -> str:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["PYTHONPATH"] = str(ROOT / "src")
    if database_url:
        env["DATABASE_URL"] = database_url
    command = [sys.executable, str(ROOT / "bench" / f"{name}.py"), "--smoke", *args]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{name}: {result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


def postgres_url(name: str) -> str:
    s = connection.settings_dict
    password = f":{quote(s['PASSWORD'], safe='')}" if s["PASSWORD"] else ""
    host = quote(s["HOST"] or "localhost", safe="")
    return f"postgres://{quote(s['USER'], safe='')}{password}@{host}:{s['PORT'] or 5432}/{name}"


@pytest.fixture(scope="module")
def demo_url(django_db_setup, django_db_blocker, tmp_path_factory):
    """A database URL of the small demo district that another process can open: this worker's test database on
    PostgreSQL; on SQLite (in memory here) a copy in a file, through SQLite's backup API."""
    with django_db_blocker.unblock():
        build.reset()
        # The demo accounts log in through the served application, whose settings know no MD5 hashes.
        with override_settings(PASSWORD_HASHERS=global_settings.PASSWORD_HASHERS):
            build.build(seed=7, scale=0.02, parallel=False)
        try:
            if POSTGRES:
                yield postgres_url(connection.settings_dict["NAME"])
            else:
                path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
                connection.ensure_connection()
                with sqlite3.connect(path) as copy:
                    connection.connection.backup(copy)
                copy.close()
                yield f"sqlite:///{path}"
        finally:
            build.reset()


@pytest.mark.parametrize("name", ["case_queue", "import_persons", "archive_search"])
@pytest.mark.django_db
def test_a_benchmark_that_builds_its_data_runs_on_either_database(name):
    # On PostgreSQL the benchmark makes test_<name of its URL>: a name of its own, never this worker's.
    url = postgres_url(f"linli_bench_{os.getpid()}") if POSTGRES else None
    assert "ratio" in bench(name, database_url=url)


@pytest.mark.skipif(POSTGRES, reason="measures SQLite only: the suite's SQLite run runs it")
@pytest.mark.parametrize("name", ["campaign_progress", "import_writers"])
@pytest.mark.django_db
def test_a_benchmark_of_sqlite_runs(name):
    out = bench(name)
    assert "ratio" in out or "editor:" in out


# These three drive the served application over HTTP and send no SQL of their own: what they meet on either database
# is what the pages' and APIs' own tests meet there, so their smoke runs on SQLite only (85 s of a PostgreSQL worker).
HTTP_ONLY = pytest.mark.skipif(POSTGRES, reason="drives HTTP only: the suite's SQLite run runs it")


# The mark makes pytest-django set up this worker's test database, which the fixture fills.
@HTTP_ONLY
@pytest.mark.django_db
def test_the_person_list_benchmark_runs_on_the_demo(demo_url):
    assert "ratio p95 list/me" in bench("person_list_api", "--db-url", demo_url)


@HTTP_ONLY
@pytest.mark.django_db
def test_the_registry_pages_benchmark_runs_on_the_demo(demo_url):
    out = bench("registry_pages", "--db-url", demo_url, "--users", "street_staff")  # each login costs a hash
    assert "worst ratio to the person list" in out and "/households/" in out and "/stats/" in out


@HTTP_ONLY
@pytest.mark.django_db
def test_the_load_benchmark_serves_the_demo_with_gunicorn_and_drives_every_endpoint(demo_url, tmp_path):
    report = tmp_path / "load.json"
    out = bench("load", "--db-url", demo_url, "--json", str(report))
    assert "p95/floor" in out
    cells = json.loads(report.read_text())["cells"]
    for endpoint in ("auth/me", "persons ?grid", "stats/population", "page /persons/", "page cases, detail"):
        assert endpoint in {c["endpoint"] for c in cells}
    # at concurrency 1 each endpoint is paired with floor requests of its own; at 2, with the floor's cell
    for c in cells:
        assert (c["paired_floor_requests"] > 0) == (c["concurrency"] == 1 and c["endpoint"] != "auth/me"), c
    assert {c["concurrency"] for c in cells} == {1, 2}


@pytest.mark.django_db
def test_the_survey_frame_benchmark_runs_in_the_demo_and_leaves_it_as_it_was(demo_url):
    assert "ratio service/sql" in bench("survey_frame", "--db-url", demo_url)


def test_the_load_benchmark_refuses_a_target_off_loopback():
    command = [sys.executable, str(ROOT / "bench" / "load.py"), "--url", "http://192.0.2.1:8000"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "not a loopback" in result.stderr


@pytest.mark.skipif(POSTGRES, reason="builds its district in SQLite: the suite's SQLite run runs it")
@pytest.mark.django_db
def test_the_address_search_benchmark_runs():
    assert "ratio p95 search/floor" in bench("address_search")


# ---- volunteers: the statistics page on the small demo district, all rolled back after
@pytest.mark.django_db
def test_the_volunteers_benchmark_runs_in_the_demo_and_leaves_it_as_it_was(demo_url):
    out = bench("volunteers", "--db-url", demo_url)
    assert "ratio page/floor" in out and "ratio signup/floor" in out
