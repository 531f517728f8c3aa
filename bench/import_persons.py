"""Benchmark: import 100,000 persons from Excel, against a floor measured in the same run.

    ./linli bench import_persons [--rows N] [--tracemalloc]

Sets up a fresh temporary SQLite database (or a throwaway test database on DATABASE_URL when that is
set), builds a district with enough houses, writes an .xlsx of N valid persons grouped into households
(openpyxl write_only), then times

  (a) people.imports.services.persons_import of that file (validation, scope, households, encryption, history), and
  (b) the floor: reading the same file with openpyxl read_only and inserting the same cells with a raw
      cursor.executemany into a scratch table of the same columns in the same database.

It prints both times, their ratio (goal: within 5x) and memory: the peak resident size of the process
after each phase, and with --tracemalloc the Python heap peak of the import (tracemalloc slows Python
down, so the times of such a run are not comparable).
"""

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

import schema

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
WORKDIR = Path(tempfile.mkdtemp(prefix="linli-bench-"))
USE_TEST_DB = bool(os.environ.get("DATABASE_URL"))
if not USE_TEST_DB:
    os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR / 'bench.sqlite3'}"
    schema.start(WORKDIR / "bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import override_settings  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402

from linli.accounts.models import Role, User  # noqa: E402
from linli.people import rules  # noqa: E402
from linli.people.imports import importer  # noqa: E402
from linli.people.imports.columns import SHEET_COLUMNS  # noqa: E402
from linli.people.imports.services import persons_import  # noqa: E402
from linli.people.models import Building, Estate, House, ImportJob, Person, Unit  # noqa: E402
from linli.regions.models import Region  # noqa: E402
from linli.regions.rules import path_for  # noqa: E402

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
ESTATES, BUILDINGS, UNITS = 10, 20, 4
RELATIONS = ["户主", "配偶", "子女", "子女", "父母"]
EDUCATION = ["小学", "初中", "高中/中专", "大学专科", "大学本科", ""]
EMPLOYMENT = ["在业", "离退休", "在校学生", "其他", ""]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂"


def rss_mb() -> float:
    """Peak resident set size of this process so far (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build_tree(households: int) -> tuple[User, int]:
    def region(parent, level, code, name, **extra):
        return Region.objects.create(
            parent=parent, level=level, code=code, name=name, path=path_for(code, level), **extra
        )

    district = region(None, Region.Level.DISTRICT, "210103000000", "沈河区")
    street = region(district, Region.Level.STREET, "210103001000", "甲街道")
    community = region(street, Region.Level.COMMUNITY, "210103001001", "甲一社区")
    grids = [
        region(community, Region.Level.GRID, f"210103001001{n:03d}", f"{n}号网格", grid_kind="small")
        for n in range(1, ESTATES + 1)
    ]
    per_unit = -(-households // (ESTATES * BUILDINGS * UNITS))
    estates = Estate.objects.bulk_create(Estate(region=community, name=f"第{n}小区") for n in range(1, ESTATES + 1))
    buildings = Building.objects.bulk_create(
        Building(estate=e, number=str(b), grid=g) for e, g in zip(estates, grids, strict=True) for b in range(1, 21)
    )
    units = Unit.objects.bulk_create(Unit(building=b, number=str(u)) for b in buildings for u in range(1, UNITS + 1))
    House.objects.bulk_create(
        (
            House(unit=u, number=str(100 * (n // 4 + 1) + n % 4 + 1), grid_id=u.building.grid_id)
            for u in units
            for n in range(per_unit)
        ),
        batch_size=2000,
    )
    user = User.objects.create_user("bench_street", password="bench-only-0", role=Role.STREET_STAFF, region=street)
    return user, per_unit


def write_file(path: Path, rows: int, per_unit: int) -> int:
    """N persons in households of 1-5 members, one household per house; returns the household count."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("人员登记")
    header = [c.label for c in SHEET_COLUMNS]
    ws.append(header)
    first_birth = date(1935, 1, 1)
    household, member, size = 0, 0, 1
    for i in range(rows):
        if member == size:
            household, member, size = household + 1, 0, household % 5 + 1
        house = household
        estate, rest = divmod(house, BUILDINGS * UNITS * per_unit)
        building, rest = divmod(rest, UNITS * per_unit)
        unit, n = divmod(rest, per_unit)
        birth = first_birth + timedelta(days=i % 30000)
        female = i % 2 == 1
        body = f"210103{birth:%Y%m%d}{i // 30000:02d}{(i % 5) * 2 % 10 + (0 if female else 1)}"
        values = {
            "household_number": f"B{household + 1:07d}",
            "kind": "家庭户",
            "estate": f"第{estate + 1}小区",
            "building": str(building + 1),
            "unit": str(unit + 1),
            "house_number": str(100 * (n // 4 + 1) + n % 4 + 1),
            "name": SURNAMES[i % 20] + GIVEN[i % 23] + GIVEN[(i // 23) % 23],
            "id_type": "居民身份证",
            "id_number": body + rules.id_check_char(body),
            "gender": "女" if female else "男",
            "birth_date": "",
            "ethnicity": "汉族" if i % 10 else "满族",
            "phone": f"13{i % 10}{i:08d}"[:11],
            "hukou_address": "辽宁省沈阳市沈河区",
            "current_address": f"第{estate + 1}小区{building + 1}号楼{unit + 1}单元",
            "residence_type": "户籍人口" if i % 7 else "流动人口",
            "education": EDUCATION[i % 6],
            "employment": EMPLOYMENT[i % 5],
            "employer": "",
            "political_status": "群众",
            "marital_status": "有配偶" if member < 2 else "未婚",
            "relationship": RELATIONS[min(member, 4)],
            "note": "",
            "tags": "独居老人" if i % 13 == 0 else ("残疾人(2级)" if i % 29 == 0 else ""),
        }
        member += 1
        ws.append([values[c.field] for c in SHEET_COLUMNS])
    wb.save(path)
    return household + 1


def floor(path: Path) -> tuple[float, int]:
    """Read the same file with openpyxl read_only and executemany the cells into a scratch table."""
    width = len(SHEET_COLUMNS)
    names = ", ".join(f"c{i} text" for i in range(width))
    marks = ", ".join(["%s"] * width)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE bench_floor ({names})")
    start = time.perf_counter()
    wb = load_workbook(path, read_only=True)
    rows = wb.worksheets[0].iter_rows(min_row=2, values_only=True)
    count = 0
    with transaction.atomic(), connection.cursor() as cursor:
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) == 1000:
                cursor.executemany(f"INSERT INTO bench_floor VALUES ({marks})", batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(f"INSERT INTO bench_floor VALUES ({marks})", batch)
            count += len(batch)
    wb.close()
    elapsed = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_floor")
    return elapsed, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--tracemalloc", action="store_true", help="also measure the Python heap peak of the import")
    parser.add_argument("--smoke", action="store_true", help="200 rows: for the test suite")
    args = parser.parse_args()
    if args.smoke:
        args.rows = 200

    old_config = None
    if USE_TEST_DB:
        schema.postgres_template()
        old_config = setup_databases(verbosity=0, interactive=False)
    else:
        call_command("migrate", verbosity=0)
    try:
        print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
        households = -(-args.rows * 2 // 5)  # sizes 1..5, 3 on average: leave room
        user, per_unit = build_tree(households)
        path = WORKDIR / "persons.xlsx"
        start = time.perf_counter()
        written = write_file(path, args.rows, per_unit)
        print(
            f"file: {args.rows:,} persons in {written:,} households, {path.stat().st_size / 1048576:.1f} MB "
            f"(written in {time.perf_counter() - start:.1f} s)"
        )
        baseline = rss_mb()

        floor_seconds, floor_rows = floor(path)
        assert floor_rows == args.rows, floor_rows
        after_floor = rss_mb()

        if args.tracemalloc:
            tracemalloc.start()
        transactions = []
        write_batch = importer.PersonsImport._write_batch

        def timed(self, entries):
            begun = time.perf_counter()
            write_batch(self, entries)
            transactions.append(time.perf_counter() - begun)

        importer.PersonsImport._write_batch = timed
        start = time.perf_counter()
        # The worker's part runs here, at once, as in the tests: the time is the whole import's.
        with override_settings(TASKS=IMMEDIATE, MEDIA_ROOT=WORKDIR), open(path, "rb") as file:
            job = persons_import(user=user, file=file, on_duplicate="skip")
        import_seconds = time.perf_counter() - start
        heap_peak = tracemalloc.get_traced_memory()[1] / 1048576 if args.tracemalloc else None
        tracemalloc.stop()
        after_import = rss_mb()

        assert job.status == ImportJob.Status.DONE, (job.status, job.message, list(job.issues.all()[:5]))
        assert job.created == args.rows == Person.objects.count(), (job.created, Person.objects.count())
        print(
            f"(b) floor, openpyxl read + executemany: {floor_seconds:7.1f} s  "
            f"({floor_rows / floor_seconds:,.0f} rows/s)"
        )
        print(
            f"(a) persons_import:                     {import_seconds:7.1f} s  "
            f"({args.rows / import_seconds:,.0f} rows/s; "
            f"{job.created:,} persons, {job.households_created:,} households)"
        )
        median = sorted(transactions)[len(transactions) // 2]
        print(
            f"    written in {len(transactions)} transactions of up to {importer.WRITE_BATCH} persons: "
            f"longest {max(transactions) * 1000:.0f} ms, median {median * 1000:.0f} ms"
        )
        ratio = import_seconds / floor_seconds
        print(f"ratio import/floor: {ratio:.2f}x  (goal: within 5x) {'OK' if ratio <= 5 else 'OVER'}")
        print(
            f"peak RSS: {baseline:.0f} MB after writing the file, {after_floor:.0f} MB after the floor, "
            f"{after_import:.0f} MB after the import"
        )
        if heap_peak is not None:
            print(f"import Python heap peak (tracemalloc): {heap_peak:.1f} MB; times above are slowed by tracing")
    finally:
        if old_config is not None:
            teardown_databases(old_config, verbosity=0)
        shutil.rmtree(WORKDIR)


if __name__ == "__main__":
    main()
