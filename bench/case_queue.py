"""Benchmark: the case engine on 1,000,000 cases, against hand-written SQL for the same work on the same database.

    ./linli bench case_queue [--cases N] [--db PATH] [--keep] [--repeat N] [--repeat-indicators N] [--explain]

Builds a district (10 streets, about 80 communities, about 480 grids with boundaries), installs the case catalogue
(15 departments, 47 minor categories), creates a street dispatcher (street_staff of one street) and an admin, then
loads N cases (default 1,000,000) over two years with raw executemany in chunks, and runs ANALYZE. The cases do
not go through services.case_create/case_act: a million cases through the lifecycle would take hours and write
about seven million timeline rows that neither measured path reads. Their columns follow what the services
write: most closed, about 5% on the dispatcher's desk (received, registered, returned), open cases mostly
recent, priorities and departments from the categories, deadlines, on-time flags, rework, returns and ratings
for closed cases. Deadlines use calendar approximations of working time (the reads do not care).

Then, many times each, interleaved so both sides see the same machine:

  (a) the dispatcher's queue: selectors.dispatch_queue(user, filters) as the page and the API use it, a page of
      20 (`qs[offset:offset + 20]`) and `qs.count()`, on the first page and a later one, for the street
      dispatcher (whole queue, one community, one major category, one state) and for the admin (whole district);
      against the floor: one hand-written SELECT of the same page (the case row and the names the list shows)
      and one SELECT COUNT(*) over the same scope, through Django's cursor;
  (b) the indicators: selectors.indicators(user, group, start, end) over the last 12 full months, grouped by
      department, street and community, as the street dispatcher and as the admin; against the floor: one
      hand-written GROUP BY giving the same counts with the group's name.

Both sides are checked to give the same ids, counts and indicator counts before timing. It prints p50/p95 of each
and the ratio of the p95s (goal: within 3x).

The database: a temporary SQLite file (deleted at the end unless --keep), the SQLite file at --db (built there
when it is empty, reused when this benchmark built it), or, when DATABASE_URL names a PostgreSQL database, a
throwaway test database next to it (kept and reused with --keep).
"""

import argparse
import math
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import schema

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")

SEED = 20261124
HOUR, DAY = 3600, 86400
SPAN = 730 * DAY  # two years of cases
CHUNK = 20_000
STREET_USER, ADMIN_USER = "bench_case_street", "bench_case_admin"
STREETS = ["大西", "滨河", "万莲", "大南", "山东庙", "朱剪炉", "新北站", "北站", "风雨坛", "南塔"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
PHRASES = ["已持续多日", "影响居民正常生活", "多次反映未解决", "夜间尤为严重", "存在安全隐患", "周边居民意见较大"]
# (channel, share): the hotline brings most cases, grid patrols the next most.
CHANNELS = [("hotline", 55), ("patrol", 20), ("online", 12), ("window", 6), ("inspection", 4), ("open311", 3)]
# (state, share in per mille): 5% on the dispatcher's desk, 6% with departments or waiting for the check.
STATES = [
    ("closed", 845),
    ("rejected", 30),
    ("merged", 15),
    ("received", 20),
    ("registered", 20),
    ("returned", 10),
    ("dispatched", 15),
    ("handling", 35),
    ("feedback", 10),
]
RATINGS = [("satisfied", 80), ("basic", 14), ("unsatisfied", 6)]
WORKING_SHARE = (5 / 7) * (8 / 24)  # working seconds in a calendar second, near enough for handling times


# ---------------------------------------------------------------- data


def build_world(rng: random.Random):
    """The district, its streets, communities and grids, the catalogue and the two users."""
    from django.db import transaction

    from linli.accounts.models import Role, User
    from linli.cases.services import catalogue_install
    from linli.regions.models import Region
    from linli.regions.rules import path_for

    def node(parent, level, code, name, **extra):
        return Region(parent=parent, level=level, code=code, name=name, path=path_for(code, level), **extra)

    def square(lng, lat, size):
        ring = [
            [round(lng + size * math.cos(a), 6), round(lat + size * math.sin(a), 6)]
            for a in (2 * math.pi * k / 24 for k in range(24))
        ]
        return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}

    with transaction.atomic():
        district = node(None, Region.Level.DISTRICT, "210103000000", "沈河区")
        district.save()
        streets = Region.objects.bulk_create(
            node(district, Region.Level.STREET, f"210103{s:03d}000", f"{name}街道")
            for s, name in enumerate(STREETS, start=1)
        )
        communities = Region.objects.bulk_create(
            node(street, Region.Level.COMMUNITY, f"{street.path}{c:03d}", f"{street.name[:-2]}第{c}社区")
            for street in streets
            for c in range(1, rng.randint(6, 10) + 1)
        )
        grids = Region.objects.bulk_create(
            node(
                community,
                Region.Level.GRID,
                f"{community.path}{g:03d}",
                f"{community.name}{g}号网格",
                grid_kind="small",
                boundary=square(123.40 + rng.random() / 10, 41.77 + rng.random() / 10, 0.002),
            )
            for community in communities
            for g in range(1, rng.randint(4, 8) + 1)
        )
        catalogue_install(district=district)
        street_user = User.objects.create_user(
            STREET_USER, password=None, role=Role.STREET_STAFF, region=streets[0], first_name="街道调度员"
        )
        admin = User.objects.create_user(
            ADMIN_USER, password=None, role=Role.ADMIN, is_superuser=True, is_staff=True, first_name="管理员"
        )
    return district, streets, communities, grids, street_user, admin


def places_of(streets, communities, grids, rng: random.Random) -> tuple[list, list]:
    """(region, community, street, address prefix) of where cases happen, with cumulative weights: streets differ
    in load; one case in twenty is placed on a community only (no grid contains its point)."""
    street_weight = {s.pk: rng.uniform(0.5, 1.5) for s in streets}
    street_name = {s.pk: s.name for s in streets}
    grids_of: dict[int, list] = {}
    for g in grids:
        grids_of.setdefault(g.parent_id, []).append(g)
    places, weights = [], []
    for c in communities:
        share = street_weight[c.parent_id] / len([x for x in communities if x.parent_id == c.parent_id])
        prefix = street_name[c.parent_id] + c.name
        places.append((c.pk, c.pk, c.parent_id, prefix))
        weights.append(share * 0.05)
        for g in grids_of[c.pk]:
            places.append((g.pk, c.pk, c.parent_id, prefix))
            weights.append(share * 0.95 / len(grids_of[c.pk]))
    cumulative, total = [], 0.0
    for w in weights:
        total += w
        cumulative.append(total)
    return places, cumulative


def limit_seconds(limit, unit: str) -> float:
    """A working-time limit as calendar seconds: a working day is about 1.4 calendar days, a working hour about 4.2
    calendar hours."""
    return float(limit) * (1.4 * DAY if unit == "days" else 4.2 * HOUR)


def case_rows(n: int, now_ts: float, places, cum_places, rng: random.Random, stamp):
    """N cases as tuples of Case's concrete columns, oldest first with ids 1..N, as the services would leave them."""
    from linli.cases import rules
    from linli.cases.models import Case, Category
    from linli.core.pii import encrypt, lookup_hash
    from linli.organizations.models import Organization

    leaves = list(Category.objects.filter(parent__isnull=False).order_by("code"))
    cum_leaves, total = [], 0.0
    for _ in leaves:
        total += rng.paretovariate(1.5)  # a few categories bring most cases
        cum_leaves.append(total)
    departments = list(Organization.objects.filter(kind="department").values_list("pk", flat=True))
    phone_pool = []
    for k in range(300):
        phone = f"13{k % 10}{rng.randint(0, 99_999_999):08d}"
        phone_pool.append((encrypt(phone), lookup_hash(phone)))
    columns = [f.column for f in Case._meta.concrete_fields]
    state_names = [s for s, _ in STATES]
    state_weights = [w for _, w in STATES]
    channel_names = [c for c, _ in CHANNELS]
    channel_weights = [w for _, w in CHANNELS]
    rating_names = [r for r, _ in RATINGS]
    rating_weights = [w for _, w in RATINGS]
    open_states = {"received", "registered", "returned", "dispatched", "handling", "feedback"}

    # Open cases are mostly recent (a backlog with a tail of months); the others spread over the two years.
    timeline = []
    for state in rng.choices(state_names, weights=state_weights, k=n):
        age = min(SPAN - DAY, rng.expovariate(1 / (30 * DAY))) if state in open_states else rng.uniform(3 * DAY, SPAN)
        timeline.append((now_ts - age, state))
    timeline.sort(key=lambda item: item[0])

    latest = now_ts - 60
    serial_of_year: dict[int, int] = {}
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    shanghai = ZoneInfo("Asia/Shanghai")
    for i, (received, state) in enumerate(timeline):
        pk = i + 1
        year = datetime.fromtimestamp(received, shanghai).year
        serial_of_year[year] = serial = serial_of_year.get(year, 0) + 1
        region_id, community_id, street_id, prefix = rng.choices(places, cum_weights=cum_places)[0]
        leaf = rng.choices(leaves, cum_weights=cum_leaves)[0]
        channel = rng.choices(channel_names, weights=channel_weights)[0]
        address = f"{prefix}{rng.randint(1, 60)}号楼{rng.randint(1, 6)}单元附近"
        phone, phone_hash = rng.choice(phone_pool) if channel != "patrol" and rng.random() < 0.8 else ("", "")
        located = channel in ("patrol", "online", "open311") or rng.random() < 0.3
        if state == "merged" and pk < 2:
            state = "rejected"
        row = {
            "id": pk,
            "number": f"{year}-{serial:06d}",
            # Unique by construction: the id in base 32 behind four random characters.
            "tracking_code": "".join(rng.choice(alphabet) for _ in range(4))
            + "".join(alphabet[(pk >> (5 * k)) & 31] for k in range(6)),
            "channel": channel,
            "category_id": leaf.pk,
            "priority": leaf.priority,
            "state": state,
            "version": 1,
            "description": f"市民反映{address}{leaf.name}，{rng.choice(PHRASES)}，{rng.choice(PHRASES)}，请尽快处理。",
            "address": address,
            "house_id": None,
            "building_id": None,
            "latitude": round(41.77 + rng.random() / 10, 6) if located else None,
            "longitude": round(123.40 + rng.random() / 10, 6) if located else None,
            "region_id": region_id,
            "community_id": community_id,
            "street_id": street_id,
            "reporter_name": rng.choice(SURNAMES) + rng.choice(("先生", "女士")) if phone else "",
            "reporter_phone": phone,
            "reporter_phone_hash": phone_hash,
            "reporter_ip_hash": "",
            "reporter_account_id": None,
            "open311_key_id": None,
            "kind": rules.EVENT,  # resident reports; plan findings and complaints are not what the queue measures
            "plan_id": None,
            "estate_id": None,
            "created_by_id": None,
            "lead_department_id": None,
            "merged_into_id": None,
            "received_at": received,
            "dispatched_at": None,
            "response_due": None,
            "response_warn_at": None,
            "accepted_at": None,
            "warn_at": None,
            "due_at": None,
            "feedback_at": None,
            "closed_at": None,
            "extension_days": None,
            "supervision_level": 0,
            "return_count": 0,
            "rework_count": 0,
            "reopen_count": 0,
            "extension_count": 0,
            "rating": "",
            "rated_at": None,
            "on_time": None,
            "handling_seconds": None,
            "resume_on": None,
            "deferral_count": 0,
            "visit_result": "",
            "visit_tries": 0,
            "visited_at": None,
            "updated_at": received,
        }
        version = 1
        if state in ("rejected", "merged"):
            version = 2
            if state == "merged":
                row["merged_into_id"] = rng.randint(max(1, pk - 2000), pk - 1)
        elif state != "received":
            version = 2  # registered
        if state in ("returned", "dispatched", "handling", "feedback", "closed"):
            response = limit_seconds(leaf.response_limit, leaf.response_unit)
            span = limit_seconds(leaf.handle_limit, leaf.handle_unit)
            dispatched = received + rng.uniform(0.1, 1.0) * (HOUR if leaf.priority == 1 else 8 * HOUR)
            due = dispatched + span
            lead = leaf.department_id if rng.random() < 0.9 else rng.choice(departments)
            row.update(
                dispatched_at=dispatched,
                response_due=dispatched + response,
                response_warn_at=dispatched + 0.8 * response,
                warn_at=dispatched + 0.8 * span,
                due_at=due,
                lead_department_id=lead,
                return_count=1 if rng.random() < 0.04 else 0,
            )
            version += 1 + 2 * row["return_count"]
            if state == "returned":
                row.update(lead_department_id=None, return_count=row["return_count"] + 1)
                version += 1
            if state in ("handling", "feedback", "closed"):
                row["accepted_at"] = dispatched + rng.uniform(0.1, 1.0) * response
                version += 1
                if rng.random() < 0.03:
                    row["extension_count"] = 1
                    due += 3 * DAY
                    row["due_at"] = due
                    version += 2
            if state in ("feedback", "closed"):
                late = rng.random() < 0.12
                feedback = dispatched + span * (rng.uniform(1.0, 2.0) if late else rng.uniform(0.15, 1.0))
                row["feedback_at"] = feedback
                version += 1
            if state == "closed":
                r = rng.random()
                row["rework_count"] = 2 if r < 0.01 else 1 if r < 0.07 else 0
                closed = feedback + rng.uniform(1, 48) * HOUR
                row.update(
                    closed_at=closed,
                    on_time=feedback <= due,
                    handling_seconds=int((min(closed, latest) - dispatched) * WORKING_SHARE),
                )
                version += 1 + 2 * row["rework_count"]
                if rng.random() < 0.7:
                    rating = rng.choices(rating_names, weights=rating_weights)[0]
                    row.update(rating=rating, rated_at=closed + rng.uniform(1, 72) * HOUR)
                    version += 1
                    if rating == "unsatisfied" and rng.random() < 0.2:
                        row["reopen_count"] = 1
                        version += 4
                if not row["on_time"] and rng.random() < 0.3:
                    row["supervision_level"] = 1
            elif due < now_ts:
                row["supervision_level"] = 1 if now_ts - due < 3 * 1.4 * DAY else 2
        row["version"] = version
        for name in ("dispatched_at", "response_due", "accepted_at", "feedback_at", "closed_at", "rated_at"):
            if row[name] is not None:
                row[name] = min(row[name], latest)
                row["updated_at"] = max(row["updated_at"], row[name])
        for name in (
            "received_at", "dispatched_at", "response_due", "response_warn_at", "accepted_at", "warn_at", "due_at",
            "feedback_at", "closed_at", "rated_at", "updated_at",
        ):  # fmt: skip
            row[name] = stamp(row[name])
        yield tuple(row[c] for c in columns)


def load(n: int, now: datetime, streets, communities, grids, rng: random.Random) -> float:
    """Insert the cases with executemany in chunks of 20,000, then ANALYZE; returns the seconds it took."""
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from linli.cases.models import Case

    sqlite = connection.vendor == "sqlite"

    def stamp(ts):
        """What Django stores: naive UTC text on SQLite (as adapt_datetimefield_value writes it, at a third of
        its cost), the aware datetime for PostgreSQL's driver."""
        if ts is None:
            return None
        value = datetime.fromtimestamp(int(ts), UTC)
        return str(value.replace(tzinfo=None)) if sqlite else value

    columns = [f.column for f in Case._meta.concrete_fields]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(Case._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    places, cum_places = places_of(streets, communities, grids, rng)
    started = time.perf_counter()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # index pages of a million rows stay in memory while loading
            cursor.execute("PRAGMA cache_size = -1048576")
    rows = case_rows(n, now.timestamp(), places, cum_places, rng, stamp)
    done = 0
    while done < n:
        batch = [row for _, row in zip(range(CHUNK), rows, strict=False)]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, batch)
        done += len(batch)
        if done % 200_000 == 0 or done == n:
            print(f"  {done:,} cases loaded ({time.perf_counter() - started:.0f} s)", flush=True)
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [Case]):
            cursor.execute(statement)
        analyze_started = time.perf_counter()
        # PostgreSQL: autovacuum would get there in a while; VACUUM also sets the visibility map for index-only scans.
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "VACUUM ANALYZE")
    loaded = time.perf_counter() - started
    print(f"  (VACUUM) ANALYZE {time.perf_counter() - analyze_started:.1f} s")
    connection.close()  # measure on a fresh connection with the application's own settings
    return loaded


# ---------------------------------------------------------------- the floor: hand-written SQL

# The ids of the page first, from the narrow index alone, then the 20 rows with the names the list shows: what one
# writes by hand once the plans are read (joined before sorting, SQLite would join every queued case in scope).
PAGE_SQL = """
SELECT c.*, cat.name, major.name, r.name, d.name
FROM cases_case c
JOIN cases_category cat ON cat.id = c.category_id
LEFT JOIN cases_category major ON major.id = cat.parent_id
JOIN regions_region r ON r.id = c.region_id
LEFT JOIN organizations_organization d ON d.id = c.lead_department_id
WHERE c.id IN (
    SELECT c.id FROM cases_case c WHERE {where} ORDER BY c.priority, c.received_at, c.id LIMIT 20 OFFSET %s
)
ORDER BY c.priority, c.received_at, c.id
"""
COUNT_SQL = "SELECT COUNT(*) FROM cases_case c WHERE {where}"
SCOPE_SQL = "c.region_id IN (SELECT id FROM regions_region WHERE path LIKE %s)"


def queue_where(path: str, shape: dict) -> tuple[str, list]:
    """The WHERE clause of the dispatcher's queue over a region subtree ("" is the whole district)."""
    states = shape.get("states") or ("received", "registered", "returned")
    where = [f"c.state IN ({', '.join(['%s'] * len(states))})"]
    params: list = list(states)
    if path:
        where.append(SCOPE_SQL)
        params.append(path + "%")
    if shape.get("region_path"):
        where.append(SCOPE_SQL)
        params.append(shape["region_path"] + "%")
    if shape.get("category"):
        where.append("c.category_id IN (SELECT id FROM cases_category WHERE id = %s OR parent_id = %s)")
        params += [shape["category"], shape["category"]]
    return " AND ".join(where), params


def raw_queue(cursor, path: str, shape: dict, offset: int) -> tuple[list[int], int]:
    where, params = queue_where(path, shape)
    cursor.execute(PAGE_SQL.format(where=where), [*params, offset])
    ids = [row[0] for row in cursor.fetchall()]
    cursor.execute(COUNT_SQL.format(where=where), params)
    return ids, cursor.fetchone()[0]


# The counts read from the case rows; those of dispatches (派单, 退单, 签收) come from cases.Assignment, which
# this benchmark does not fill.
COUNTS = ["cases", "dispatched", "closed", "due", "on_time", "reworked", "rated", "satisfied"]
INDICATOR_SQL = """
SELECT g.key, n.name, g.cases, g.dispatched, g.closed, g.due, g.on_time, g.reworked, g.rated,
       g.satisfied, g.handling_seconds
FROM (
    SELECT c.{column} AS key,
           COUNT(*) AS cases,
           COUNT(*) FILTER (WHERE c.dispatched_at IS NOT NULL) AS dispatched,
           COUNT(*) FILTER (WHERE c.state = 'closed') AS closed,
           COUNT(*) FILTER (WHERE c.state = 'closed' OR (c.state IN ({open}) AND (
               (c.feedback_at IS NULL AND c.due_at < %s) OR (c.feedback_at IS NOT NULL AND c.due_at < c.feedback_at)
           ))) AS due,
           COUNT(*) FILTER (WHERE c.state = 'closed' AND c.on_time) AS on_time,
           COUNT(*) FILTER (WHERE c.state = 'closed' AND c.rework_count > 0) AS reworked,
           COUNT(*) FILTER (WHERE c.state = 'closed' AND c.rating <> '') AS rated,
           COUNT(*) FILTER (WHERE c.state = 'closed' AND c.rating IN ('satisfied', 'basic')) AS satisfied,
           COALESCE(SUM(c.handling_seconds) FILTER (WHERE c.state = 'closed'), 0) AS handling_seconds
    FROM cases_case c
    WHERE c.received_at >= %s AND c.received_at < %s AND c.state NOT IN ('rejected', 'merged'){scope}
    GROUP BY c.{column}
) g
LEFT JOIN {names} n ON n.id = g.key
"""


def raw_indicators(cursor, path: str, group: str, start, end, now) -> dict:
    from django.db import connection

    from linli.cases import rules

    column = {"department": "lead_department_id", "street": "street_id", "community": "community_id"}[group]
    names = "organizations_organization" if group == "department" else "regions_region"
    opened = ", ".join(f"'{s}'" for s in sorted(rules.OPEN_STATES))
    sql = INDICATOR_SQL.format(column=column, open=opened, names=names, scope=f" AND {SCOPE_SQL}" if path else "")
    adapt = connection.ops.adapt_datetimefield_value
    params = [adapt(now), adapt(start), adapt(end)] + ([path + "%"] if path else [])
    cursor.execute(sql, params)
    return {row[0]: (row[1], row[2:]) for row in cursor.fetchall()}


# ---------------------------------------------------------------- measuring


def percentile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return (time.perf_counter() - start) * 1000, result


def explain(label: str, sqls: list[str]) -> None:
    from django.db import connection

    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    print(f"\n--- {label}")
    with connection.cursor() as cursor:
        for sql in sqls:
            print(sql)
            cursor.execute(prefix + sql)
            for row in cursor.fetchall():
                print("   ", " | ".join(str(v) for v in row))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000, help="cases to load (default 1,000,000)")
    parser.add_argument("--db", type=Path, help="SQLite file to build into, or to reuse when this benchmark built it")
    parser.add_argument("--keep", action="store_true", help="keep the database for another run")
    parser.add_argument("--repeat", type=int, default=100, help="timed runs of each queue page (default 100)")
    parser.add_argument("--repeat-indicators", type=int, default=20, help="timed runs of each indicator query")
    parser.add_argument("--explain", action="store_true", help="print the SQL of each path and its query plan")
    parser.add_argument("--only", choices=["queue", "indicators"], help="measure only (a) or only (b)")
    parser.add_argument("--smoke", action="store_true", help="2,000 cases, 2 runs of each: for the test suite")
    args = parser.parse_args()
    if args.smoke:
        args.cases, args.repeat, args.repeat_indicators = 2_000, 2, 2

    workdir = None
    url = os.environ.get("DATABASE_URL", "")
    postgres = args.db is None and url.startswith(("postgres://", "postgresql://"))
    if not postgres:
        if args.db is None:
            workdir = Path(tempfile.mkdtemp(prefix="linli-bench-"))
            args.db = workdir / "cases.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{args.db.resolve()}"
        schema.start(args.db)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_databases, teardown_databases
    from django.utils import timezone

    from linli.accounts.models import User
    from linli.cases import selectors
    from linli.cases.models import Case, Category
    from linli.regions.models import Region

    old_config = None
    try:
        if postgres:
            schema.postgres_template()
            old_config = setup_databases(verbosity=0, interactive=False, keepdb=args.keep)
        else:
            call_command("migrate", verbosity=0)
        print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
        if User.objects.filter(username=STREET_USER).exists():
            print(f"reusing the {Case.objects.count():,} cases already loaded (--cases ignored)")
            with connection.cursor() as cursor:  # statistics for indexes added by migrations since the load
                cursor.execute("ANALYZE")
        elif Region.objects.exists() or Case.objects.exists():
            raise SystemExit("the database holds other data: give an empty --db, or one this benchmark built")
        else:
            rng = random.Random(SEED)
            started = time.perf_counter()
            _, streets, communities, grids, _, _ = build_world(rng)
            print(
                f"district: {len(streets)} streets, {len(communities)} communities, {len(grids)} grids, "
                f"{Category.objects.filter(parent__isnull=False).count()} minor categories "
                f"({time.perf_counter() - started:.1f} s)"
            )
            now = timezone.now().replace(microsecond=0)
            seconds = load(args.cases, now, streets, communities, grids, rng)
            print(f"loaded {args.cases:,} cases in {seconds:.0f} s ({args.cases / seconds:,.0f}/s, ANALYZE included)")
        if connection.vendor == "sqlite":
            print(f"database file: {args.db.stat().st_size / 1048576:,.0f} MB")

        street_user = User.objects.select_related("region").get(username=STREET_USER)
        admin = User.objects.get(username=ADMIN_USER)
        street = street_user.region
        in_street = Case.objects.filter(street=street)
        queue_states = ("received", "registered", "returned")
        print(
            f"{street.name}: {in_street.count():,} cases, {in_street.filter(state__in=queue_states).count():,} "
            f"on the dispatcher's desk; district: {Case.objects.filter(state__in=queue_states).count():,} on the desk"
        )

        community = Region.objects.filter(parent=street).order_by("path").first()
        major = Category.objects.get(code="03")  # 物业管理
        in_community = {"region": community.pk, "region_path": community.path}
        queue_cases = [
            ("street", street_user, street.path, "全部", {}),
            ("street", street_user, street.path, community.name, in_community),
            ("street", street_user, street.path, major.name, {"category": major.pk}),
            ("street", street_user, street.path, "已退单", {"states": ("returned",)}),
            ("admin", admin, "", "全区", {}),
        ]
        cursor = connection.cursor()

        def orm_queue(user, shape, offset):
            filters = selectors.CaseFilter(
                region=shape.get("region"), category=shape.get("category"), states=shape.get("states", ())
            )
            qs = selectors.dispatch_queue(user=user, filters=filters)
            page = list(qs[offset : offset + 20])
            return [c.pk for c in page], qs.count()

        # The cases to time, each checked once: both sides give the same ids and count.
        timed_cases = []
        for who, user, path, label, shape in queue_cases if args.only != "indicators" else ():
            _, total = raw_queue(cursor, path, shape, 0)
            later = min(25, max(1, math.ceil(total / 20)))
            for page in (1, later):
                offset = (page - 1) * 20
                with CaptureQueriesContext(connection) as captured:
                    orm = orm_queue(user, shape, offset)
                raw = raw_queue(cursor, path, shape, offset)
                if orm != raw:
                    raise SystemExit(f"queue {who} {label} page {page}: ORM {orm} != SQL {raw}")
                name = f"(a) queue {who:6} {label} p.{page}"
                timed_cases.append(
                    (
                        name,
                        lambda user=user, shape=shape, offset=offset: orm_queue(user, shape, offset),
                        lambda path=path, shape=shape, offset=offset: raw_queue(cursor, path, shape, offset),
                        args.repeat,
                    )
                )
                if args.explain:
                    where, params = queue_where(path, shape)
                    explain(f"{name}: ORM", [q["sql"] for q in captured.captured_queries])
                    explain(
                        f"{name}: SQL",
                        [
                            _inline(PAGE_SQL.format(where=where), [*params, offset]),
                            _inline(COUNT_SQL.format(where=where), params),
                        ],
                    )

        now = timezone.now()
        local = timezone.localtime(now)
        end = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        start = end.replace(year=end.year - 1)
        scopes = (("street", street_user, street.path), ("admin", admin, ""))
        for who, user, path in scopes if args.only != "queue" else ():
            for group in ("department", "street", "community"):
                with CaptureQueriesContext(connection) as captured:
                    rows = selectors.indicators(user=user, group=group, start=start, end=end, now=now)
                raw = raw_indicators(cursor, path, group, start, end, now)
                fields = [*COUNTS, "handling_seconds"]
                orm = {r.key: (r.name if r.key else None, tuple(getattr(r.counts, k) for k in fields)) for r in rows}
                if orm != {k: (name, tuple(counts)) for k, (name, counts) in raw.items()}:
                    raise SystemExit(f"indicators {who} {group}: ORM and SQL give different names or counts")
                name = f"(b) indicators {who:6} by {group}"
                timed_cases.append(
                    (
                        name,
                        lambda user=user, group=group: selectors.indicators(
                            user=user, group=group, start=start, end=end, now=now
                        ),
                        lambda path=path, group=group: raw_indicators(cursor, path, group, start, end, now),
                        args.repeat_indicators,
                    )
                )
                if args.explain:
                    explain(f"{name}: ORM", [q["sql"] for q in captured.captured_queries])
        print(f"checked: ORM and SQL give the same ids, counts and indicator counts ({start:%Y-%m} to {end:%Y-%m})")

        results = []
        for name, orm_fn, raw_fn, repeat in timed_cases:
            for _ in range(2):  # warm-up
                orm_fn()
                raw_fn()
            orm_ms, raw_ms = [], []
            for i in range(repeat):
                # Alternate which side goes first so neither always finds the caches the other warmed.
                pair = ((orm_ms, orm_fn), (raw_ms, raw_fn)) if i % 2 == 0 else ((raw_ms, raw_fn), (orm_ms, orm_fn))
                for sink, fn in pair:
                    sink.append(timed(fn)[0])
            results.append((name, orm_ms, raw_ms))
            print(f"  {name}: {statistics.median(orm_ms):.1f} / {statistics.median(raw_ms):.1f} ms", flush=True)

        print()
        print(f"{'':44} {'ORM p50':>8} {'p95':>8}   {'SQL p50':>8} {'p95':>8}   {'p95 ratio':>9}")
        for name, orm_ms, raw_ms in results:
            ratio = percentile(orm_ms, 95) / percentile(raw_ms, 95)
            print(
                f"{name:44} {statistics.median(orm_ms):8.1f} {percentile(orm_ms, 95):8.1f}   "
                f"{statistics.median(raw_ms):8.1f} {percentile(raw_ms, 95):8.1f}   {ratio:8.2f}x "
                f"{'OK' if ratio <= 3 else 'OVER'}"
            )
        # Pooling the timings of different queries would let the slowest hide the others: summarise the ratios.
        for prefix, label in (("(a)", "queue"), ("(b)", "indicators")):
            ratios = [percentile(o, 95) / percentile(r, 95) for name, o, r in results if name.startswith(prefix)]
            if ratios:
                print(
                    f"{label}: {sum(r <= 3 for r in ratios)} of {len(ratios)} within 3x; p95 ratios from "
                    f"{min(ratios):.2f}x to {max(ratios):.2f}x, geometric mean {statistics.geometric_mean(ratios):.2f}x"
                )
        cursor.close()
    finally:
        if old_config is not None and not args.keep:
            teardown_databases(old_config, verbosity=0)
        connection.close()
        if workdir is not None:
            if args.keep:
                print(f"kept: {args.db} (run again with --db {args.db})")
            else:
                for leftover in workdir.iterdir():
                    leftover.unlink()
                workdir.rmdir()


def _inline(sql: str, params: list) -> str:
    """The SQL with its parameters written in, for EXPLAIN."""
    return sql.replace("%s", "{}").format(*(repr(p) if isinstance(p, str) else p for p in params))


if __name__ == "__main__":
    main()
