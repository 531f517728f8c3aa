"""A busy database (SQLite's write lock, PostgreSQL's lock and serialization timeouts) answers 503 with a retry
message and Retry-After, on pages and in the API; any other database error still is a server error."""

import psycopg
import pytest
from django.db import OperationalError
from django.test import Client

from linli.core.busy import MESSAGE, is_busy
from linli.people.imports import selectors


def _error(message: str, sqlstate: str | None = None) -> OperationalError:
    """The error as Django raises it: its OperationalError, caused by the driver's."""
    error = OperationalError(message)
    if sqlstate:
        cause = psycopg.errors.lookup(sqlstate)(message)
        error.__cause__ = cause
    return error


@pytest.mark.parametrize(
    ("error", "busy"),
    [
        (_error("database is locked"), True),
        (_error("database table is locked: people_person"), True),
        (_error("canceling statement due to lock timeout", "55P03"), True),
        (_error("could not serialize access due to concurrent update", "40001"), True),
        (_error("deadlock detected", "40P01"), True),
        (_error("canceling statement due to statement timeout", "57014"), True),
        (_error("no such table: people_person"), False),
        (_error("connection refused", "08006"), False),
        (ValueError("database is locked"), False),
    ],
)
def test_what_counts_as_busy(error, busy):
    assert is_busy(error) is busy


@pytest.fixture
def locked(monkeypatch):
    """The view's read meets the write lock another request holds past the busy timeout."""

    def wait_too_long(**kwargs):
        raise _error("database is locked")

    monkeypatch.setattr(selectors, "import_job_get", wait_too_long)


@pytest.fixture
def client(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.users["community_worker"])
    return client


def test_a_page_answers_503_with_a_retry_message(locked, client):
    response = client.get("/imports/1/")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert MESSAGE in response.content.decode() and "系统正忙" in response.content.decode()


@pytest.mark.parametrize("debug", [False, True])
def test_the_api_answers_503_in_json(locked, client, settings, debug):
    settings.DEBUG = debug  # ninja answers errors itself when DEBUG is on
    response = client.get("/api/v1/imports/1")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert response.json() == {"detail": MESSAGE, "errors": []}


def test_other_database_errors_stay_server_errors(monkeypatch, client):
    def broken(**kwargs):
        raise _error("no such table: people_importjob")

    monkeypatch.setattr(selectors, "import_job_get", broken)
    assert client.get("/imports/1/").status_code == 500
    assert client.get("/api/v1/imports/1").status_code == 500
