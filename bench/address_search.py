"""Benchmark: the registry's address search at district size, against hand-written SQL for the same lookups.

    ./linli bench address_search [--estates N] [--repeat N] [--smoke]

Builds a district's estates (default 3,000, each with 8 buildings: a district of about a million residents) into a
temporary SQLite file, then times `maps.selectors.registry_places` (what /api/v1/map/search answers without a
login) on typical queries — an estate, an estate's building, a street number — against the floor: the one LIKE
query over the estate table and the building lookup written by hand. Prints p50/p95 of each and the ratio of the
p95s (goal: within 3x). --smoke: 30 estates, 3 runs, for the test suite.
"""

import argparse
import os
import random
import shutil
import sys
import tempfile
from pathlib import Path

import schema

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")

from case_queue import percentile, timed  # noqa: E402  (the same measuring as the cases benchmark)

SEED = 20261206
ROADS = ["大南街", "文艺路", "青年大街", "南京街", "北站路", "万柳塘路", "东陵路", "长青街"]
NAMES = ["金域", "锦绣", "阳光", "滨河", "和平", "幸福", "盛京", "香榭", "丽景", "怡景"]
KINDS = ["花园", "小区", "新村", "名苑", "家园", "公寓"]


def build(estates: int, rng: random.Random):
    from linli.people.models import Building, Estate
    from linli.regions.models import Region
    from linli.regions.rules import path_for

    parent = None
    for level, code, name in [
        (3, "210103000000", "沈河区"),
        (4, "210103001000", "滨河街道"),
        (5, "210103001001", "文艺路社区"),
        (6, "210103001001001", "第1网格"),
    ]:
        parent = Region.objects.create(parent=parent, level=level, code=code, name=name, path=path_for(code, level))
    community, grid = parent.parent, parent
    rows = []
    for n in range(estates):
        name = f"{rng.choice(NAMES)}{rng.choice(KINDS)}{n}期" if n >= 60 else f"{NAMES[n % 10]}{KINDS[n // 10]}"
        lon, lat = 123.40 + rng.random() * 0.1, 41.75 + rng.random() * 0.1
        rows.append(
            Estate(
                region=community,
                name=name,
                address=f"{rng.choice(ROADS)}{n + 1}号",
                longitude=f"{lon:.6f}",
                latitude=f"{lat:.6f}",
            )
        )
    created = Estate.objects.bulk_create(rows, batch_size=1000)
    Building.objects.bulk_create(
        (
            Building(estate=e, number=str(b), grid=grid, longitude=e.longitude, latitude=e.latitude)
            for e in created
            for b in range(1, 9)
        ),
        batch_size=5000,
    )
    return created


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--estates", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=200, help="timed runs of each query on each side")
    parser.add_argument("--smoke", action="store_true", help="30 estates, 3 runs: for the test suite")
    args = parser.parse_args()
    if args.smoke:
        args.estates, args.repeat = 30, 3
    workdir = Path(tempfile.mkdtemp(prefix="linli-bench-address-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'address.sqlite3'}"
    schema.start(workdir / "address.sqlite3")

    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command
    from django.db import connection

    from linli.maps import selectors

    try:
        call_command("migrate", verbosity=0)
        estates = build(args.estates, random.Random(SEED))
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        e = estates[len(estates) // 2]
        queries = [(e.name, "", ""), (f"{e.name}7号楼", e.name, "7"), (e.address, "", "")]
        anonymous = AnonymousUser()
        cursor = connection.cursor()

        def floor(name: str, building: str, text: str):
            if building:
                cursor.execute(
                    "SELECT b.id, b.longitude, b.latitude FROM people_building b"
                    " JOIN people_estate e ON e.id = b.estate_id WHERE e.name LIKE %s AND b.number = %s LIMIT 10",
                    [f"%{name}%", building],
                )
            else:
                cursor.execute(
                    "SELECT id, longitude, latitude FROM people_estate WHERE name LIKE %s OR address = %s LIMIT 10",
                    [f"%{text}%", text],
                )
            return cursor.fetchall()

        print(f"database: {connection.vendor}; {len(estates):,} estates, {len(estates) * 8:,} buildings")
        ours, hand = [], []
        for _ in range(args.repeat):
            for text, name, building in queries:
                ms, found = timed(lambda t=text: selectors.registry_places(t, user=anonymous))
                assert found, text
                ours.append(ms)
                ms, _ = timed(lambda n=name, b=building, t=text: floor(n, b, t))
                hand.append(ms)
        p95_ours, p95_hand = percentile(ours, 95), percentile(hand, 95)
        print(f"search  p50 {percentile(ours, 50):.2f} ms  p95 {p95_ours:.2f} ms")
        print(f"floor   p50 {percentile(hand, 50):.2f} ms  p95 {p95_hand:.2f} ms")
        print(f"ratio p95 search/floor {p95_ours / p95_hand:.1f}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
