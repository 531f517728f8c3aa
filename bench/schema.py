"""A benchmark's new database starts as a copy of the test suite's migrated schema when the suite runs the benchmark
at its smoke size (src/linli/conftest.py): migrating a new database replays every migration (about 25 s of CPU),
copying one costs nothing, and `migrate` then finds nothing to do. SQLite files are copied from LINLI_BENCH_SCHEMA;
PostgreSQL's throwaway test databases are made from the template database LINLI_BENCH_SCHEMA_PG. Run by hand, a
benchmark migrates its new database as before."""

import os
import shutil
from pathlib import Path


def start(path: Path | str) -> None:
    schema = os.environ.get("LINLI_BENCH_SCHEMA")
    if schema and not Path(path).exists():
        shutil.copyfile(schema, path)


def postgres_template() -> None:
    """Before `setup_databases`: the throwaway test database is made from the suite's template, when there is one."""
    name = os.environ.get("LINLI_BENCH_SCHEMA_PG")
    if name:
        from django.db import connection

        connection.settings_dict.setdefault("TEST", {})["TEMPLATE"] = name
