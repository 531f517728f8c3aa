"""Benchmark: freezing a census frame of 500,000 households and drawing 10 % of them, against plain SQL for the
same work in the same run.

    ./linli bench survey_frame [--households N] [--repeat N] [--db PATH] [--keep] [--smoke]

Builds one street of N households (default 500,000) in 100 communities, each household alone in its house, 50
to a building (2 units of 25 houses), 1 to 4 persons each (about 2.5 on average); households and persons are
written with their history rows (demo.bulk's writer: COPY on PostgreSQL), 1 % of the households and their persons
dated after the standard moment. 普查小区 of about 300 people group the buildings of each community in order (as
areas_propose would), and a census survey of the street waits to be started.

Then, `--repeat` times each, alternately, each run rolled back so the next one starts from the same data:

  (a) the service: frames.services.frame_freeze (one INSERT … SELECT from the history as of the moment, the
      counts, the digest read back in frame order) and frames.services.long_form_draw (the SHA-256 tickets of
      every household, 10 % stratified by area, the picks and the long-form flag written);
  (b) the floor: one hand-written INSERT … SELECT of the same frame rows (latest history row per household and
      person up to the moment, by ROW_NUMBER; persons counted per household), then 10 % drawn in SQL by
      ORDER BY random() LIMIT n into the picks and the flag set.

Both sides are checked to give the same number of households and persons. Prints each side's times and the
ratio of the medians (goal: within 5×). The database: a temporary SQLite file (deleted unless --keep), the
SQLite file at --db, or, when DATABASE_URL names a PostgreSQL database, a throwaway test database next to it.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")

from throwaway import run_in_database  # noqa: E402

SEED = 20261101
STREET = "210199001"  # a district code no demo holds: the benchmark may run inside the demo's database
MOMENT = datetime(2026, 10, 31, 16, 0, tzinfo=UTC)  # 2026年11月1日零时, Beijing time
USER = "bench_frame_street"
PER_BUILDING, PER_AREA_PEOPLE = 50, 300


def build(households: int, rng: random.Random):
    from django.db import transaction

    from linli.accounts.models import Role, User
    from linli.campaigns.models import Plan
    from linli.demo.bulk import Writer
    from linli.people.models import Building, Estate, House, Household, Person, Unit
    from linli.regions.models import Region
    from linli.regions.rules import path_for
    from linli.surveys.models import Area, AreaBuilding, Survey

    def node(parent, level, code, name):
        return Region(parent=parent, level=level, code=code, name=name, path=path_for(code, level))

    communities_n = 100 if households >= 100_000 else 4
    with transaction.atomic():
        district = node(None, Region.Level.DISTRICT, f"{STREET[:6]}000000", "测试区")
        district.save()
        street = node(district, Region.Level.STREET, f"{STREET}000", "测试街道")
        street.save()
        communities = Region.objects.bulk_create(
            node(street, Region.Level.COMMUNITY, f"{STREET}{c:03d}", f"第{c}社区") for c in range(1, communities_n + 1)
        )
        grids = Region.objects.bulk_create(
            node(c, Region.Level.GRID, f"{c.code}001", f"{c.name}1号网格", ) for c in communities
        )  # fmt: skip
        user = User.objects.create_user(USER, password=None, role=Role.STREET_STAFF, region=street)
        plan = Plan.objects.create(region=street, title="第七次全国人口普查", issuer="大南街道办事处")
        survey = Survey.objects.create(plan=plan, kind="census", title="第七次全国人口普查", standard_moment=MOMENT)

        writer = Writer(MOMENT - timedelta(days=400))
        buildings_n = -(-households // PER_BUILDING)
        per_community = -(-buildings_n // communities_n)
        estate_ids = writer.ids(Estate, communities_n)
        writer.insert(
            Estate,
            ["id", "region_id", "name"],
            [(estate_ids[i], g.pk, f"{c.name}小区") for i, (c, g) in enumerate(zip(communities, grids, strict=True))],
        )
        building_ids, unit_ids = writer.ids(Building, buildings_n), writer.ids(Unit, buildings_n * 2)
        house_ids = writer.ids(House, households)
        buildings, units, houses = [], [], []
        for b in range(buildings_n):
            c = b // per_community
            buildings.append((building_ids[b], estate_ids[c], str(b % per_community + 1), grids[c].pk))
            for u in (0, 1):
                unit_id = unit_ids[b * 2 + u]
                units.append((unit_id, building_ids[b], str(u + 1)))
                for h in range(PER_BUILDING // 2):
                    if len(houses) < households:
                        houses.append((house_ids[len(houses)], unit_id, f"{h // 2 + 1}0{h % 2 + 1}", grids[c].pk))
        writer.insert(Building, ["id", "estate_id", "number", "grid_id"], buildings)
        writer.insert(Unit, ["id", "building_id", "number"], units)
        writer.insert(House, ["id", "unit_id", "number", "grid_id"], houses)

        household_rows, person_rows = {True: [], False: []}, {True: [], False: []}
        people_per_building: dict[int, int] = {}
        household_ids = writer.ids(Household, households)
        sizes = [rng.choice((1, 2, 2, 3, 3, 4)) for _ in range(households)]
        person_ids = iter(writer.ids(Person, sum(sizes)))
        for i, size in enumerate(sizes):
            house_id, grid_id = houses[i][0], houses[i][3]
            late = rng.random() < 0.01
            household_rows[late].append((household_ids[i], f"B{STREET}{i + 1:08d}", house_id, grid_id))
            if not late:
                b = building_ids[i // PER_BUILDING]
                people_per_building[b] = people_per_building.get(b, 0) + size
            for _ in range(size):
                pid = next(person_ids)
                person_rows[late].append((pid, "居民", f"bench-frame-{pid}", "M", grid_id, household_ids[i]))
        h_columns = ["id", "number", "house_id", "grid_id"]
        p_columns = ["id", "name", "id_hash", "gender", "grid_id", "household_id"]
        for late in (False, True):
            writer.now = MOMENT + timedelta(days=2) if late else MOMENT - timedelta(days=400)
            writer.insert_with_history(Household, h_columns, household_rows[late])
            writer.insert_with_history(Person, p_columns, person_rows[late])
        writer.finish()

        # 普查小区: buildings of each community in order, closed at about 300 people.
        area_rows, links, people, code = [], [], 0, 0
        for n, (b, _, _, _) in enumerate(buildings):
            community = communities[n // per_community]
            if not area_rows or people >= PER_AREA_PEOPLE or area_rows[-1].community_id != community.pk:
                code += 1
                area_rows.append(Area(survey=survey, community=community, code=f"{code:05d}"))
                people = 0
            links.append((len(area_rows) - 1, b))
            people += people_per_building.get(b, 0)
        Area.objects.bulk_create(area_rows, batch_size=2000)
        AreaBuilding.objects.bulk_create(
            [AreaBuilding(area=area_rows[a], building_id=b, order=n) for n, (a, b) in enumerate(links)], batch_size=5000
        )
    return survey, user, len(area_rows), sum(sizes)


FLOOR_SQL = """
INSERT INTO surveys_frameunit (frame_id, position, household_id, "key", building_id, area_id, persons, label,
                               form_role, state, state_note, version)
SELECT %s, ROW_NUMBER() OVER (ORDER BY a.code, b.id, u.number, ho.number, h.number), h.id, h.number, b.id, a.id,
       COALESCE(c.n, 0), b.number || '-' || u.number || '-' || ho.number || ' ' || h.number,
       'short', 'not_visited', '', 1
FROM (SELECT id, number, house_id, grid_id, history_type,
             ROW_NUMBER() OVER (PARTITION BY id ORDER BY history_date DESC, history_id DESC) AS r
      FROM people_historicalhousehold WHERE history_date <= %s) h
JOIN people_house ho ON ho.id = h.house_id
JOIN people_unit u ON u.id = ho.unit_id
JOIN people_building b ON b.id = u.building_id
LEFT JOIN (SELECT household_id, COUNT(*) AS n
           FROM (SELECT household_id, history_type,
                        ROW_NUMBER() OVER (PARTITION BY id ORDER BY history_date DESC, history_id DESC) AS r
                 FROM people_historicalperson WHERE history_date <= %s) p
           WHERE r = 1 AND history_type <> '-' AND household_id IS NOT NULL GROUP BY household_id) c
  ON c.household_id = h.id
LEFT JOIN surveys_areabuilding ab ON ab.building_id = b.id
LEFT JOIN surveys_area a ON a.id = ab.area_id AND a.survey_id = %s
WHERE h.r = 1 AND h.history_type <> '-' AND h.grid_id IN (SELECT id FROM regions_region WHERE path LIKE %s)
"""


def floor(survey, moment_db, random_fn: str) -> tuple[int, int]:
    from django.db import connection

    from linli.surveys.models import Frame

    frame = Frame.objects.create(survey=survey, moment=survey.standard_moment, digest="")
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, [frame.pk, moment_db, moment_db, survey.pk, survey.plan.region.path + "%"])
        cursor.execute("SELECT COUNT(*), SUM(persons) FROM surveys_frameunit WHERE frame_id = %s", [frame.pk])
        units, persons = cursor.fetchone()
        cursor.execute(
            "INSERT INTO surveys_draw (survey_id, purpose, seed, percent, population, population_digest, drawn, "
            "strata, method, drawn_at) VALUES (%s, 'long_form', 's', 10, %s, '', %s, '{}', 'sql', %s)",
            [survey.pk, units, round(units * 0.1), moment_db],
        )
        cursor.execute("SELECT id FROM surveys_draw WHERE survey_id = %s", [survey.pk])
        (draw_id,) = cursor.fetchone()
        cursor.execute(
            f"INSERT INTO surveys_drawpick (draw_id, unit_id) SELECT %s, id FROM surveys_frameunit "
            f"WHERE frame_id = %s ORDER BY {random_fn} LIMIT %s",
            [draw_id, frame.pk, round(units * 0.1)],
        )
        cursor.execute(
            "UPDATE surveys_frameunit SET form_role = 'long' WHERE id IN "
            "(SELECT unit_id FROM surveys_drawpick WHERE draw_id = %s)",
            [draw_id],
        )
    return units, persons


def service(survey, user) -> tuple[int, int]:
    from linli.surveys.frames import services

    frame = services.frame_freeze(user=user, survey_id=survey.pk)
    services.long_form_draw(user=user, survey_id=survey.pk, seed="2026-11-01")
    return frame.units, frame.persons


def rolled_back(fn) -> tuple[float, object]:
    from django.db import transaction

    with transaction.atomic():
        start = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - start
        transaction.set_rollback(True)
    return seconds, result


def run(args) -> None:
    from django.db import connection

    started = time.perf_counter()
    survey, user, areas, persons = build(args.households, random.Random(SEED))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"database: {connection.vendor}; street: {args.households:,} households, {persons:,} persons, "
        f"{areas:,} 普查小区 (built in {time.perf_counter() - started:.0f} s)"
    )
    moment_db = connection.ops.adapt_datetimefield_value(MOMENT)
    random_fn = "RANDOM()" if connection.vendor == "sqlite" else "random()"
    sides = {"service": [], "sql": []}
    results = {}
    for _ in range(args.repeat):
        for name, fn in (("service", lambda: service(survey, user)),
                         ("sql", lambda: floor(survey, moment_db, random_fn))):  # fmt: skip
            seconds, results[name] = rolled_back(fn)
            sides[name].append(seconds)
    if results["service"] != results["sql"]:
        raise SystemExit(f"the two sides disagree: service {results['service']}, sql {results['sql']}")
    units, counted = results["service"]
    print(f"frame: {units:,} households, {counted:,} persons at the moment; 10 % drawn")
    for name, values in sides.items():
        print(f"  {name:8} " + " ".join(f"{v:.2f}" for v in values) + f" s (median {statistics.median(values):.2f})")
    ratio = statistics.median(sides["service"]) / statistics.median(sides["sql"])
    print(f"ratio service/sql: {ratio:.2f}× (goal ≤ 5×)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=500_000, help="households in the street (default 500,000)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each side (default 3)")
    parser.add_argument("--db", type=Path, help="SQLite file to build into (empty), kept afterwards")
    parser.add_argument("--db-url", help="a migrated database to run in (e.g. the demo's): all is rolled back after")
    parser.add_argument("--keep", action="store_true", help="keep the temporary database")
    parser.add_argument("--smoke", action="store_true", help="2,000 households, 1 run of each: for the test suite")
    args = parser.parse_args()
    if args.smoke:
        args.households, args.repeat = 2_000, 1

    run_in_database(args, run, prefix="frame")


if __name__ == "__main__":
    main()
