"""Benchmark: how long other writers wait while a person import runs, on SQLite.

    ./linli bench import_writers [--rows N] [--editors N]

Builds the district and the file of bench/import_persons.py in a fresh SQLite file, starts N processes (default 2)
that each update an estate in a transaction of their own every 50 ms, imports N rows (default 20,000) the way the
worker does, then stops the editors. Prints per editor the edits made, how many failed with "database is locked"
(a 503 in a request) and the median, 99th percentile and longest time an edit took: the time it waited for the
import to let go of the write lock.
"""

import argparse
import multiprocessing
import os
import shutil
import time
from pathlib import Path

PAUSE = 0.05


def editor(db: str, stop: str, ready, results) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    import django

    django.setup()
    from django.db import OperationalError, transaction

    from linli.people.models import Estate

    ready.put(True)
    took, locked = [], 0
    while not os.path.exists(stop):
        start = time.perf_counter()
        try:
            with transaction.atomic():
                Estate.objects.filter(pk=1).update(address=str(start))
        except OperationalError:
            locked += 1
        took.append(time.perf_counter() - start)
        time.sleep(PAUSE)
    took.sort()
    results.put((len(took), locked, took[len(took) // 2], took[len(took) * 99 // 100], took[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--editors", type=int, default=2)
    parser.add_argument("--smoke", action="store_true", help="400 rows, one editor: for the test suite")
    args = parser.parse_args()
    if args.smoke:
        args.rows, args.editors = 400, 1

    import import_persons as bench  # a fresh SQLite file, Django set up on it
    from django.core.management import call_command
    from django.test import override_settings

    from linli.people.imports.services import persons_import

    if bench.USE_TEST_DB:
        raise SystemExit("import_writers measures SQLite's write lock: run it without DATABASE_URL")
    call_command("migrate", verbosity=0)
    user, per_unit = bench.build_tree(-(-args.rows * 2 // 5))
    path = bench.WORKDIR / "persons.xlsx"
    bench.write_file(path, args.rows, per_unit)
    stop = bench.WORKDIR / "stop"
    spawn = multiprocessing.get_context("spawn")
    ready, results = spawn.Queue(), spawn.Queue()
    db = str(Path(bench.WORKDIR) / "bench.sqlite3")
    editors = [spawn.Process(target=editor, args=(db, str(stop), ready, results)) for _ in range(args.editors)]
    for process in editors:
        process.start()
    for _ in editors:  # every editor has started Django and edits before the import begins
        ready.get(timeout=60)
    start = time.perf_counter()
    with override_settings(TASKS=bench.IMMEDIATE, MEDIA_ROOT=bench.WORKDIR), open(path, "rb") as file:
        job = persons_import(user=user, file=file)
    seconds = time.perf_counter() - start
    stop.touch()
    for process in editors:
        edits, locked, p50, p99, longest = results.get()
        print(
            f"editor: {edits} edits, {locked} 'database is locked', "
            f"p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, longest {longest * 1000:.0f} ms"
        )
        process.join()
    print(f"import: {job.status}, {job.created:,} persons in {seconds:.1f} s")
    shutil.rmtree(bench.WORKDIR)


if __name__ == "__main__":
    main()
