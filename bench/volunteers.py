"""Benchmark: the volunteers' statistics page (/volunteers/stats/) and its API at district size, against the same
figures read by hand-written SQL in the same run.

    ./linli bench volunteers [--scale S] [--repeat N] [--db PATH] [--db-url URL] [--keep] [--smoke]

Builds a district of 8 communities with 50,000 × S adults (default S = 1) and its volunteering as the demo builds
it (demo/volunteers.py: 3,000 × S volunteers, 400 × S activities over the past year and the coming weeks, and the
weekly 志愿服务日 of five years before, with their sign-ups and credits), or reads the demo district of --db-url
(all rolled back after). Then, `--repeat` times each, alternately:

  (a) the page: GET /volunteers/stats/ as the district's staff (the Django test client: middleware, selectors,
      template), and GET /api/v1/volunteers/stats;
  (b) the floor: the same figures by five hand-written SQL statements (credits by team, credits and activities of
      the period bucketed by month in Python, the star counts, the residents' tally), nothing rendered.

Prints each side's times, the page's queries (the same at every size: see the smoke run's), and the ratio of the
medians page/floor (goal: within 5×). The database: a temporary SQLite file (deleted unless --keep), the SQLite
file at --db, or, when DATABASE_URL names a PostgreSQL database, a throwaway test database next to it.

Then the sign-ups: `--repeat` × 10 volunteers of the district (given residents' accounts) sign up for one open
activity through `volunteers.activities.services.signup_create` (scope, lock, checks, insert, the place counted),
against the floor of the same writes by hand (lock the activity row, insert the sign-up, count the place), each in
a transaction of its own; the ratio of the medians service/floor (goal: within 5×).
"""

import argparse
import os
import random
import statistics
import sys
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")

from throwaway import run_in_database  # noqa: E402

SEED = 20261206
DISTRICT = "210198"  # a district code no demo holds: the benchmark may run inside the demo's database
USER = "bench_volunteers_district"
PERSONS_PER_SCALE = 50_000
GOAL = 5.0


def build(scale: float, now: datetime):
    """A district of 2 streets × 4 communities × 5 grids, its adults (no households: the statistics read none),
    a district staff account, a community worker per community, then the demo's volunteering."""
    from django.db import transaction

    from linli.accounts.models import Role, User
    from linli.demo import volunteers
    from linli.demo.bulk import Writer
    from linli.people.models import Person
    from linli.regions.models import Region
    from linli.regions.rules import path_for

    rng = random.Random(SEED)

    def node(parent, level, code, name):
        return Region(parent=parent, level=level, code=code, name=name, path=path_for(code, level))

    with transaction.atomic():
        district = node(None, Region.Level.DISTRICT, f"{DISTRICT}000000", "测试区")
        district.save()
        streets = Region.objects.bulk_create(
            node(district, Region.Level.STREET, f"{DISTRICT}{s:03d}000", f"第{s}街道") for s in (1, 2)
        )
        communities = Region.objects.bulk_create(
            node(s, Region.Level.COMMUNITY, f"{s.code[:9]}{c:03d}", f"{s.name}第{c}社区") for s in streets
            for c in range(1, 5)
        )  # fmt: skip
        grids = Region.objects.bulk_create(
            node(c, Region.Level.GRID, f"{c.code}{g:03d}", f"{c.name}{g}号网格")
            for c in communities for g in range(1, 6)
        )  # fmt: skip
        user = User.objects.create_user(USER, password=None, role=Role.DISTRICT_STAFF, region=district)
        for c in communities:
            User.objects.create_user(f"bench_vol_{c.code}", password=None, role=Role.COMMUNITY_WORKER, region=c)
        writer = Writer(now - timedelta(days=2000))
        n = max(400, round(PERSONS_PER_SCALE * scale))
        ids = writer.ids(Person, n)
        born = [date(1950 + rng.randrange(55), 1 + rng.randrange(12), 1 + rng.randrange(28)) for _ in ids]
        rows = [(pid, "居民", f"bench-vol-{pid}", "MF"[pid % 2], grids[pid % len(grids)].pk, birth)
                for pid, birth in zip(ids, born, strict=True)]  # fmt: skip
        writer.insert_with_history(Person, ["id", "name", "id_hash", "gender", "grid_id", "birth_date"], rows)
        writer.finish()
        lines = volunteers.build(now=now, seed=SEED, scale=scale)
    return user, district, n, lines


def floor(district, start: datetime) -> dict:
    """The page's figures by hand: five statements, the months bucketed here."""
    from django.db import connection
    from django.utils import timezone

    from linli.volunteers.rules import DEFAULT_STARS

    like = district.path + "%"
    out = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.team_id, SUM(c.hours) FROM volunteers_credit c JOIN volunteers_activity a ON a.id = c.activity_id"
            " JOIN regions_region r ON r.id = a.region_id WHERE c.confirmed_at >= %s AND r.path LIKE %s"
            " GROUP BY a.team_id",
            [start, like],
        )
        out["teams"] = cursor.fetchall()
        cursor.execute(
            "SELECT c.confirmed_at, c.hours FROM volunteers_credit c JOIN volunteers_activity a ON a.id = c.activity_id"
            " JOIN regions_region r ON r.id = a.region_id WHERE c.confirmed_at >= %s AND r.path LIKE %s",
            [start, like],
        )
        months = Counter()
        for at, hours in cursor.fetchall():
            if isinstance(at, str):  # SQLite without the driver's conversion
                at = datetime.fromisoformat(at)
            at = timezone.localtime(at if timezone.is_aware(at) else at.replace(tzinfo=UTC))
            months[str(at)[:7]] += float(hours)
        out["months"] = months
        cursor.execute(
            "SELECT a.starts_at, a.state, a.taken, a.max_people FROM volunteers_activity a"
            " JOIN regions_region r ON r.id = a.region_id WHERE a.starts_at >= %s AND a.state <> 'draft'"
            " AND r.path LIKE %s",
            [start, like],
        )
        activities = Counter()
        for starts, state, taken, most in cursor.fetchall():
            activities[str(starts)[:7], state] += 1
            activities["taken"] += taken if state != "cancelled" else 0
            activities["places"] += most if state != "cancelled" else 0
        out["activities"] = activities
        reach = ", ".join(f"SUM(CASE WHEN v.hours >= {t} THEN 1 ELSE 0 END)" for t in DEFAULT_STARS)
        cursor.execute(
            f"SELECT COUNT(*), {reach} FROM volunteers_volunteer v JOIN regions_region r ON r.id = v.region_id"
            " WHERE v.state = 'active' AND r.path LIKE %s",
            [like],
        )
        out["stars"] = cursor.fetchone()
        cursor.execute("SELECT SUM(n) FROM stats_tally WHERE region_id = %s AND kind = 'residence'", [district.pk])
        out["persons"] = cursor.fetchone()[0]
    return out


def signups(district, count: int, now) -> dict[str, list[float]]:
    """Times of `count` sign-ups through the service and `count` written by hand, alternately, for one activity
    with room for all; residents' accounts are opened for the volunteers first (not timed)."""
    from django.db import connection, transaction
    from django.db.models import F

    from linli.residents.services import resident_account
    from linli.volunteers.activities.services import signup_create
    from linli.volunteers.models import Activity, SignUp, Volunteer
    from linli.volunteers.rules import ACTIVE, CONFIRMED, OPEN

    # Volunteers without a residents' account (the demo's bound residents have theirs).
    free = Volunteer.objects.filter(region__path__startswith=district.path, state=ACTIVE, person__resident__isnull=True)
    volunteers = list(free[: 2 * count])
    if len(volunteers) < 2 * count:
        raise SystemExit(f"sign-ups: {len(volunteers)} active volunteers in the district, {2 * count} needed")
    template = Activity.objects.filter(region__path__startswith=district.path).first()
    day = now + timedelta(days=7)
    activity = Activity.objects.create(
        region_id=template.region_id, title="报名测速", kind=template.kind, place="社区广场", starts_at=day,
        ends_at=day + timedelta(hours=2), signup_until=day - timedelta(days=1), min_people=1, max_people=2 * count,
        hours=2, organiser_id=template.organiser_id, state=OPEN, checkin_key="bench",
    )  # fmt: skip
    residents = []
    with transaction.atomic():
        for n, v in enumerate(volunteers[:count]):
            r = resident_account(f"139{90000000 + n:08d}")
            r.person_id, r.bound_at = v.person_id, now
            r.save(update_fields=["person", "bound_at"])
            residents.append(r)
    times = {"signup": [], "floor": []}
    for resident, other in zip(residents, volunteers[count:], strict=True):
        t = time.perf_counter()
        signup_create(resident=resident, activity_id=activity.pk)
        times["signup"].append(time.perf_counter() - t)
        t = time.perf_counter()
        with transaction.atomic():
            Activity.objects.select_for_update().filter(pk=activity.pk).values_list("taken", flat=True).get()
            SignUp.objects.create(activity_id=activity.pk, volunteer_id=other.pk, state=CONFIRMED)
            Activity.objects.filter(pk=activity.pk).update(taken=F("taken") + 1)
        times["floor"].append(time.perf_counter() - t)
    activity.refresh_from_db()
    assert activity.taken == 2 * count == activity.signups.count(), connection.vendor
    return times


def run(args) -> None:
    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from linli.accounts.models import User
    from linli.volunteers.stats import rules, selectors

    started = time.perf_counter()
    now = timezone.now()
    if args.db_url:
        user = User.objects.get(username="district_staff")
        district = user.region
        persons = None
        lines = ["the demo district"]
    else:
        user, district, persons, lines = build(args.scale, now)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"database: {connection.vendor}; {district.name}: {persons or '?'} adults; {lines[0]}")
    print(f"built in {time.perf_counter() - started:.0f} s")
    selectors.overview(user=user)  # folds the registry's logged changes into the summaries, once
    start = timezone.make_aware(datetime.combine(rules.month_starts(timezone.localdate(), 12)[0], datetime.min.time()))
    # Pages name their static files through the plain storage: no collectstatic manifest in a benchmark's run.
    plain = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    stack = override_settings(STORAGES=plain)
    stack.enable()
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/volunteers/stats/")
    if page.status_code != 200:
        raise SystemExit(f"GET /volunteers/stats/: {page.status_code}")
    figures = selectors.overview(user=user)["headline"]
    print(f"page: {len(queries)} queries; {figures['volunteers']} volunteers, share {figures['volunteer_share']}%, "
          f"{figures['volunteer_hours_per_capita']} h per resident")  # fmt: skip
    sides = {"page": [], "api": [], "sql": []}
    for _ in range(args.repeat):
        for name, fn in (("page", lambda: client.get("/volunteers/stats/")),
                         ("api", lambda: client.get("/api/v1/volunteers/stats")),
                         ("sql", lambda: floor(district, start))):  # fmt: skip
            t = time.perf_counter()
            result = fn()
            sides[name].append(time.perf_counter() - t)
            if name != "sql" and result.status_code != 200:
                raise SystemExit(f"{name}: {result.status_code}")
    for name, values in sides.items():
        print(
            f"  {name:5} "
            + " ".join(f"{v * 1000:.0f}" for v in values)
            + f" ms (median {statistics.median(values) * 1000:.0f})"
        )
    floor_median = statistics.median(sides["sql"])
    for name in ("page", "api"):
        ratio = statistics.median(sides[name]) / floor_median
        print(f"ratio {name}/floor: {ratio:.2f}× (goal ≤ {GOAL:g}×)")
    times = signups(district, 10 * args.repeat, now)
    for name, values in times.items():
        print(f"  {name:6} median {statistics.median(values) * 1000:.1f} ms over {len(values)} sign-ups")
    ratio = statistics.median(times["signup"]) / statistics.median(times["floor"])
    print(f"ratio signup/floor: {ratio:.2f}× (goal ≤ {GOAL:g}×)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="50,000 adults and 3,000 volunteers × S (default 1)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each side (default 5)")
    parser.add_argument("--db", type=Path, help="SQLite file to build into (empty), kept afterwards")
    parser.add_argument("--db-url", help="a migrated database holding the demo: read, all rolled back after")
    parser.add_argument("--keep", action="store_true", help="keep the temporary database")
    parser.add_argument("--smoke", action="store_true", help="a district of 1,000 adults, 1 run each: for the suite")
    args = parser.parse_args()
    if args.smoke:
        args.scale, args.repeat = 0.02, 1

    run_in_database(args, run, prefix="volunteers")


if __name__ == "__main__":
    main()
