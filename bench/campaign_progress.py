"""Benchmark: progress reporting on a district-wide plan, against hand-written SQL for the same question.

    ./linli bench campaign_progress [--units N] [--tasks N] [--repeat N] [--db PATH] [--keep]

Builds a district (6 streets, N communities, default 60), one issued plan with a phase over last year (12 monthly
periods, all due), T leaf tasks (default 21, as 003 篇3's 九大类21项, under 9 parents) each led by a department with
every community responsible, so T × N task units (1,260) and, for 12 periods, about 13,600 reports: 83% on time,
10% late, 7% missing, progress rising. Users: a community worker of the first community and the district staff.
Reports are bulk-inserted with the fields progress_services writes.

Then, many times each, interleaved so both sides see the same machine:

  (a) the plan's status matrix: progress_selectors.plan_status(plan=...).by_unit(), the (units × periods) tallies
      of on-time, late, missing and pending reports the 报送情况 page shows; against the floor: one SELECT with a
      recursive CTE of the periods, the task units left-joined to their reports, grouped by unit, period and
      status, through Django's cursor;
  (b) one unit's 我的任务: progress_selectors.obligations(user=community worker) with each task unit's status per
      period; against the floor: the same SELECT for that community's task units, one row per (task unit, period).

Both sides are checked to give the same statuses before timing. Prints p50/p95 of each and the ratio of the p95s
(goal: within 3x). The database is a temporary SQLite file (deleted at the end unless --keep) or the file at --db.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import schema

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")

from case_queue import percentile, timed  # noqa: E402  (the same measuring as the cases benchmark)

SEED = 20261125
COMMUNITY_USER, DISTRICT_USER = "bench_progress_community", "bench_progress_district"

# Status of each (task unit, period) as SQL sees it; the due time of period p is midnight at the start of the
# next month in Asia/Shanghai (UTC+8, no daylight saving), stored in UTC.
STATUS_SQL = """
WITH RECURSIVE months(p) AS (
    SELECT %s UNION ALL SELECT date(p, '+1 month') FROM months WHERE p < %s
)
SELECT {select}
FROM campaigns_taskunit tu
JOIN campaigns_task t ON t.id = tu.task_id
JOIN months m ON m.p <= date(COALESCE(t.due_on, %s), 'start of month')
LEFT JOIN campaigns_progressreport r ON r.task_unit_id = tu.id AND r.period = m.p
WHERE t.plan_id = %s AND tu.role = 'responsible'
  AND NOT EXISTS (SELECT 1 FROM campaigns_task c WHERE c.parent_id = t.id) {where}
{group}
"""
STATUS_CASE = """CASE
    WHEN r.id IS NULL THEN
        CASE WHEN datetime(date(m.p, '+1 month'), '-8 hours') <= %s THEN 'missing' ELSE 'pending' END
    WHEN r.submitted_at < datetime(date(m.p, '+1 month'), '-8 hours') THEN 'on_time'
    ELSE 'late' END"""


# ---------------------------------------------------------------- data


def build(units: int, tasks: int, year: int, rng: random.Random):
    from django.db import transaction
    from django.utils import timezone

    from linli.accounts.models import Role, User
    from linli.campaigns.models import Phase, Plan, ProgressReport, Task, TaskUnit
    from linli.campaigns.plans import rules
    from linli.campaigns.progress.rules import report_due
    from linli.organizations.models import Organization
    from linli.regions.models import Region
    from linli.regions.rules import path_for

    def node(parent, level, code, name):
        return Region(parent=parent, level=level, code=code, name=name, path=path_for(code, level))

    tz = timezone.get_current_timezone()
    with transaction.atomic():
        district = node(None, Region.Level.DISTRICT, "210103000000", "沈河区")
        district.save()
        streets = Region.objects.bulk_create(
            node(district, Region.Level.STREET, f"210103{s:03d}000", f"第{s}街道") for s in range(1, 7)
        )
        communities = Region.objects.bulk_create(
            node(streets[i % 6], Region.Level.COMMUNITY, f"{streets[i % 6].path}{i // 6 + 1:03d}", f"第{i + 1}社区")
            for i in range(units)
        )
        departments = Organization.objects.bulk_create(
            Organization(kind="department", name=f"区第{d}局", region=district) for d in range(1, 10)
        )
        district_user = User.objects.create_user(DISTRICT_USER, password=None, role=Role.DISTRICT_STAFF,
                                                 region=district)  # fmt: skip
        community_user = User.objects.create_user(COMMUNITY_USER, password=None, role=Role.COMMUNITY_WORKER,
                                                  region=communities[0])  # fmt: skip
        first, last = date(year, 1, 1), date(year, 12, 31)
        plan = Plan.objects.create(region=district, title="创建全国文明城市工作方案", issuer="区文明办",
                                   issued_on=first, status=rules.ISSUED, created_by=district_user)  # fmt: skip
        Phase.objects.create(plan=plan, order=1, name="组织实施", starts_on=first, ends_on=last)
        parents = [Task.objects.create(plan=plan, order=i, title=f"第{i + 1}大类") for i in range(9)]
        leaves = Task.objects.bulk_create(
            Task(plan=plan, parent=parents[i % 9], order=i, title=f"第{i + 1}项任务", due_on=last) for i in range(tasks)
        )
        TaskUnit.objects.bulk_create(
            TaskUnit(task=t, role=rules.LEAD, organization=departments[i % 9]) for i, t in enumerate(leaves)
        )
        task_units = TaskUnit.objects.bulk_create(
            TaskUnit(task=t, role=rules.RESPONSIBLE, region=c) for t in leaves for c in communities
        )
        reports = []
        for tu in task_units:
            progress = rng.randint(3, 10)
            for month in range(1, 13):
                progress = min(100, progress + rng.randint(3, 12))
                period = date(year, month, 1)
                due = report_due(period, rules.MONTHLY, tz)
                draw = rng.random()
                if draw < 0.07:
                    continue
                late = draw < 0.17
                submitted = (
                    due + timedelta(days=rng.randint(1, 9)) if late else due - timedelta(hours=rng.randint(2, 150))
                )
                reports.append(ProgressReport(task_unit=tu, period=period, due_at=due, submitted_at=submitted,
                                              submitted_by=community_user, progress=progress,
                                              content="按计划推进"))  # fmt: skip
        ProgressReport.objects.bulk_create(reports, batch_size=2000)
    return plan, community_user, district_user, communities[0]


# ---------------------------------------------------------------- the floor


def raw_statuses(cursor, plan, now: datetime, region_id: int | None = None) -> list[tuple]:
    """(unit key, period, status, count) for the plan, or (task unit id, period, status) for one region's units."""
    from linli.campaigns.progress import selectors as progress_selectors

    span = progress_selectors.spans({plan.pk: plan})[plan.pk]
    start = span.start.replace(day=1)
    end = max(span.phases_end).replace(day=1)
    now_utc = now.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    if region_id is None:
        sql = STATUS_SQL.format(
            select=f"COALESCE('org:' || tu.organization_id, 'region:' || tu.region_id), m.p, {STATUS_CASE}, COUNT(*)",
            where="",
            group="GROUP BY 1, 2, 3",
        )
        params = [start, end, now_utc, max(span.phases_end), plan.pk]
    else:
        sql = STATUS_SQL.format(select=f"tu.id, m.p, {STATUS_CASE}", where="AND tu.region_id = %s", group="")
        params = [start, end, now_utc, max(span.phases_end), plan.pk, region_id]
    cursor.execute(sql, params)
    return cursor.fetchall()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=60, help="communities responsible for every task (default 60)")
    parser.add_argument("--tasks", type=int, default=21, help="leaf tasks (default 21)")
    parser.add_argument("--repeat", type=int, default=50, help="timed runs of each side (default 50)")
    parser.add_argument("--db", type=Path, help="SQLite file to build into (empty), kept afterwards")
    parser.add_argument("--keep", action="store_true", help="keep the temporary database")
    parser.add_argument("--smoke", action="store_true", help="4 units, 3 tasks, 2 runs: for the test suite")
    args = parser.parse_args()
    if args.smoke:
        args.units, args.tasks, args.repeat = 4, 3, 2

    workdir = None
    if args.db is None:
        workdir = Path(tempfile.mkdtemp(prefix="linli-bench-progress-"))
        args.db = workdir / "progress.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{args.db.resolve()}"
    schema.start(args.db)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from linli.campaigns.models import ProgressReport, TaskUnit
    from linli.campaigns.progress import selectors as progress_selectors

    try:
        call_command("migrate", verbosity=0)
        now = timezone.now()
        started = time.perf_counter()
        plan, community_user, _, community = build(args.units, args.tasks, now.year - 1, random.Random(SEED))
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(
            f"database: {connection.vendor} ({args.db}); plan: {args.tasks} tasks × {args.units} units = "
            f"{TaskUnit.objects.filter(role='responsible').count():,} task units, "
            f"{ProgressReport.objects.count():,} reports ({time.perf_counter() - started:.1f} s)"
        )
        cursor = connection.cursor()

        def orm_matrix():
            status = progress_selectors.plan_status(plan=plan, now=now)
            return status.periods, status.by_unit()

        def orm_mine():
            return progress_selectors.obligations(user=community_user, now=now)

        # Check once: both sides give the same statuses.
        with CaptureQueriesContext(connection) as q_matrix:
            periods, rows = orm_matrix()
        orm = Counter()
        for row in rows:
            for period, tally in zip(periods, row.tallies, strict=True):
                for status in ("on_time", "late", "missing", "pending"):
                    if getattr(tally, status):
                        orm[(row.key, period.isoformat(), status)] += getattr(tally, status)
        raw = Counter({(k, p, s): n for k, p, s, n in raw_statuses(cursor, plan, now)})
        if orm != raw:
            raise SystemExit(f"matrix: ORM and SQL differ on {len(set(orm.items()) ^ set(raw.items()))} cells")
        with CaptureQueriesContext(connection) as q_mine:
            obligations = orm_mine()
        mine = {(ob.task_unit.pk, c.period.isoformat(), c.status) for ob in obligations for c in ob.cells}
        raw_mine = set(raw_statuses(cursor, plan, now, community.pk))
        if mine != raw_mine:
            raise SystemExit(f"我的任务: ORM and SQL differ on {len(mine ^ raw_mine)} cells")
        print(
            f"checked: same statuses ({sum(raw.values()):,} cells in the matrix, {len(mine)} for {community.name}); "
            f"queries: matrix {len(q_matrix)}, 我的任务 {len(q_mine)}"
        )

        cases = [
            ("(a) plan status matrix", orm_matrix, lambda: raw_statuses(cursor, plan, now)),
            ("(b) one unit's 我的任务", orm_mine, lambda: raw_statuses(cursor, plan, now, community.pk)),
        ]
        results = []
        for name, orm_fn, raw_fn in cases:
            for _ in range(2):
                orm_fn()
                raw_fn()
            orm_ms, raw_ms = [], []
            for i in range(args.repeat):
                pair = ((orm_ms, orm_fn), (raw_ms, raw_fn)) if i % 2 == 0 else ((raw_ms, raw_fn), (orm_ms, orm_fn))
                for sink, fn in pair:
                    sink.append(timed(fn)[0])
            results.append((name, orm_ms, raw_ms))

        print()
        print(f"{'':28} {'ORM p50':>8} {'p95':>8}   {'SQL p50':>8} {'p95':>8}   {'p95 ratio':>9}")
        for name, orm_ms, raw_ms in results:
            ratio = percentile(orm_ms, 95) / percentile(raw_ms, 95)
            print(
                f"{name:28} {statistics.median(orm_ms):8.1f} {percentile(orm_ms, 95):8.1f}   "
                f"{statistics.median(raw_ms):8.1f} {percentile(raw_ms, 95):8.1f}   {ratio:8.2f}x "
                f"{'OK' if ratio <= 3 else 'OVER'}"
            )
        cursor.close()
    finally:
        connection.close()
        if workdir is not None:
            if args.keep:
                print(f"kept: {args.db}")
            else:
                for leftover in workdir.iterdir():
                    leftover.unlink()
                workdir.rmdir()


if __name__ == "__main__":
    main()
