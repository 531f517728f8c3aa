"""Real concurrency in tests: threads, each with its own database connection, on a database they can wait on.
Tests that use them are marked `django_db(transaction=True)`, so what one thread commits the others see."""

import sqlite3
import threading
from collections.abc import Callable
from contextlib import contextmanager

from django.db import connection, connections


@contextmanager
def shared_database(tmp_path):
    """A database that connections of other threads can wait on. PostgreSQL's test database is one. SQLite's is
    in memory with a shared cache, where a lock held by another connection fails at once ("database table is
    locked") instead of waiting: busy_timeout does not cover shared-cache locks. So on SQLite the threads work
    on a file copy, as production does (WAL, busy_timeout, IMMEDIATE transactions from settings)."""
    if connection.vendor != "sqlite":
        yield
        return
    path = tmp_path / "threads.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as copy:
        connection.connection.backup(copy)
    # The copy keeps the memory database's journal mode. Set WAL once here, as a production file has it: left to
    # the threads' first connections, the switch needs the database to itself and readers block on writers.
    copy.execute("PRAGMA journal_mode=WAL")
    copy.close()
    memory = connections.settings["default"]
    # Only connections made from now on, in the threads, read the new settings; this thread keeps its own.
    connections.settings["default"] = {**memory, "NAME": str(path)}
    try:
        yield
    finally:
        connections.settings["default"] = memory


def simultaneously(fn: Callable[[int], object], count: int) -> list[object]:
    """Run fn(0) … fn(count - 1) on threads of their own, released together by a barrier; each one's result, or
    the exception it raised (the caller decides what it means). Each thread closes its connections at the end."""
    barrier = threading.Barrier(count)
    outcomes: list[object] = [None] * count

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            outcomes[i] = fn(i)
        except Exception as exc:  # noqa: BLE001 - handed to the caller
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    return outcomes


def in_thread(fn: Callable[[], object]) -> object:
    """Run `fn` on a thread of its own, with its own database connection, closed at the end; its result."""
    (outcome,) = simultaneously(lambda _: fn(), 1)
    return outcome
