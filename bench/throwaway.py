"""The database a benchmark that builds its own data runs in, and the transaction around its run.

`args.db_url`: a migrated database (e.g. the demo's), everything the run writes rolled back after. Else, when
DATABASE_URL names PostgreSQL, a throwaway test database next to it (dropped after unless `args.keep`); else the
SQLite file `args.db`, or a temporary one (deleted after unless `args.keep`), migrated first.
"""

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import schema


def run_in_database(args, run: Callable, *, prefix: str) -> None:
    workdir = None
    url = os.environ.get("DATABASE_URL", "")
    postgres = args.db is None and url.startswith(("postgres://", "postgresql://")) and not args.db_url
    if args.db_url:
        os.environ["DATABASE_URL"] = args.db_url
    elif not postgres:
        if args.db is None:
            workdir = Path(tempfile.mkdtemp(prefix=f"linli-bench-{prefix}-"))
            args.db = workdir / f"{prefix}.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{args.db.resolve()}"
        schema.start(args.db)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.test.utils import setup_databases, teardown_databases

    old_config = None
    try:
        if postgres:
            schema.postgres_template()
            old_config = setup_databases(verbosity=0, interactive=False, keepdb=False)
        elif not args.db_url:
            call_command("migrate", verbosity=0)
        with transaction.atomic():
            run(args)
            transaction.set_rollback(bool(args.db_url))
    finally:
        if old_config is not None:
            teardown_databases(old_config, verbosity=0, keepdb=args.keep)
        if workdir is not None and not args.keep:
            for f in workdir.iterdir():
                f.unlink()
            workdir.rmdir()
