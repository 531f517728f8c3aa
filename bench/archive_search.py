"""Benchmark: the archive's full-text search (GET /api/v1/archives/search) over 100,000 items with their files'
text, against the raw full-text query on the same database in the same run.

    ./linli bench archive_search [--items N] [--repeat N] [--db PATH] [--keep] [--smoke]

Builds a district of 2 streets × 4 communities, a box per community, topic and year (6 topics, 2 years), and N
items (default 100,000) spread over the boxes, with Chinese text drawn from the topics' vocabulary and, for one
item in four, a file text of a few hundred characters (the text the worker would have extracted; no files are
written). The items are indexed as the worker indexes them (archives.search.services: jieba's words, written to
the FTS5 table or the tsvector table), then ANALYZE.

Then, `--repeat` times each, alternately, for each query (a rare name, a phrase of two words, a topic word found in
many items) and two users (the district's staff: every item; a community's worker: one community's):

  (a) the endpoint: GET /api/v1/archives/search?q=… through the Django test client with a bearer token
      (authentication, the scope's subquery, the ranked query, the items read, the snippets marked, JSON);
  (b) the search itself: `archives.search.selectors.search` (the scope, the ranked query, the items read, the
      snippets marked), what the endpoint runs after authentication and before JSON;
  (c) the floor: the raw full-text query alone, the same first page of ids best first: SQLite
      `SELECT rowid, bm25(…) … WHERE archives_search MATCH ? ORDER BY … LIMIT 21`, PostgreSQL
      `SELECT item_id, ts_rank(vector, q) … WHERE vector @@ q ORDER BY … LIMIT 21`.

Prints the medians, the ratio search/floor of each (goal: within 3×) and the ratio endpoint/floor beside it: the
endpoint adds a request's fixed cost (a few ms of authentication, routing and JSON, the same for every endpoint and
measured against /auth/me by bench/load.py), which alone is several times a rare word's raw query.

The database: a temporary SQLite file (deleted unless --keep), the SQLite file at --db, or, when DATABASE_URL names
PostgreSQL, a throwaway test database next to it.
"""

import argparse
import functools
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")

from throwaway import run_in_database  # noqa: E402

SEED = 20261206
DISTRICT = "210197"  # a district code no demo holds
GOAL = 3.0
BATCH = 2000
QUERIES = ("王建国", "文明城区 楼道堆物", "扫黄打非")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = "秀英 建华 桂兰 志强 丽娟 海燕 国庆 玉兰 春梅 德胜 晓东 建国 淑珍 红霞".split()


def build(items: int):
    from django.db import connection, transaction

    from linli.accounts.models import Role, User
    from linli.archives import rules
    from linli.archives.models import Box, Category, Item
    from linli.archives.search import services, words
    from linli.demo.archives import ACTIONS, PEOPLE, PLACES, TITLES, TOPICS
    from linli.regions.models import Region
    from linli.regions.rules import path_for

    rng = random.Random(SEED)
    cut = functools.lru_cache(maxsize=None)(words.index_words)

    def row(item):
        """services.row(item), each line cut once for all items: jieba cuts a text line by line (its blocks end at
        punctuation and line breaks), so the words are the same; 100,000 items would otherwise take minutes."""
        body = "\n".join((item.text, " ".join(item.tags), item.file_text))
        return item.pk, cut(item.title), " ".join(filter(None, (cut(line) for line in body.split("\n"))))

    def node(parent, level, code, name):
        return Region(parent=parent, level=level, code=code, name=name, path=path_for(code, level))

    with transaction.atomic():
        district = node(None, Region.Level.DISTRICT, f"{DISTRICT}000000", "检索测试区")
        district.save()
        streets = Region.objects.bulk_create(
            node(district, Region.Level.STREET, f"{DISTRICT}{s:03d}000", f"第{s}街道") for s in (1, 2)
        )
        communities = Region.objects.bulk_create(
            node(s, Region.Level.COMMUNITY, f"{s.code[:9]}{c:03d}", f"{s.name}第{c}社区") for s in streets
            for c in range(1, 5)
        )  # fmt: skip
        users = {
            "district": User.objects.create_user("bench_archive_district", password=None, role=Role.DISTRICT_STAFF,
                                                 region=district),
            "community": User.objects.create_user("bench_archive_community", password=None,
                                                  role=Role.COMMUNITY_WORKER, region=communities[0]),
        }  # fmt: skip
        categories = [
            Category.objects.get_or_create(district=None, name=n, defaults={"order": i})[0]
            for i, n in enumerate(rules.DEFAULT_CATEGORIES, 1)
        ]
        boxes = Box.objects.bulk_create(
            Box(region=c, topic=t, year=y) for c in communities for t in TOPICS for y in (2025, 2026)
        )
    started = time.perf_counter()
    made = 0
    while made < items:
        with transaction.atomic():
            batch = []
            for _ in range(min(BATCH, items - made)):
                box = boxes[rng.randrange(len(boxes))]
                words = TOPICS[box.topic]
                category = rng.randrange(len(categories))
                thing = rng.choice(words)
                community = box.region.name
                title = TITLES[categories[category].name].format(
                    street="街道", community=community, act=rng.choice(ACTIONS), thing=thing, year=box.year,
                    month=rng.randint(1, 12))  # fmt: skip
                sentences = [
                    f"{community}组织{rng.choice(PEOPLE)}在{rng.choice(PLACES)}{rng.choice(ACTIONS)}"
                    f"{rng.choice(words)}工作，围绕{rng.choice(words)}{rng.choice(ACTIONS)}问题{rng.randint(1, 9)}处。"
                    for _ in range(rng.randint(2, 5))
                ]
                file_text = ""
                if rng.random() < 0.25:
                    names = " ".join(rng.choice(SURNAMES) + rng.choice(GIVEN) for _ in range(8))
                    file_text = "\n".join([title, *sentences, f"参加人员：{names}"] * 2)
                batch.append(Item(box=box, category=categories[category], region=box.region, title=title,
                                  text="\n".join(sentences), date=date(box.year, 1, 1) + timedelta(rng.randrange(360)),
                                  tags=[box.topic], file_text=file_text, index_state=rules.INDEXED))  # fmt: skip
            Item.objects.bulk_create(batch)
            services.write([row(i) for i in batch])
            made += len(batch)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"INSERT INTO {services.TABLE}({services.TABLE}) VALUES ('optimize')")
        cursor.execute("ANALYZE")
    return users, time.perf_counter() - started


def floor(terms, limit: int = 21):
    """The raw full-text query: the first page of ids, best first, nothing else."""
    from django.db import connection

    from linli.archives.search import words
    from linli.archives.search.services import TABLE

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                f"SELECT rowid, bm25({TABLE}, 4.0, 1.0) AS r FROM {TABLE} WHERE {TABLE} MATCH %s ORDER BY r, rowid"
                " LIMIT %s",
                [words.fts5_query(terms), limit],
            )
        else:
            cursor.execute(
                f"SELECT item_id, ts_rank(vector, q) AS r FROM {TABLE}, to_tsquery('simple', %s) q"
                " WHERE vector @@ q ORDER BY r DESC, item_id LIMIT %s",
                [words.tsquery(terms), limit],
            )
        return cursor.fetchall()


def run(args) -> None:
    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings

    from linli.accounts.models import ApiToken
    from linli.archives.search import selectors, words

    users, seconds = build(args.items)
    print(f"database: {connection.vendor}; {args.items} items indexed in {seconds:.0f} s")
    plain = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    override_settings(STORAGES=plain).enable()
    clients = {
        who: Client(
            SERVER_NAME="localhost", headers={"Authorization": f"Bearer {ApiToken.issue(u, timedelta(hours=1))}"}
        )
        for who, u in users.items()
    }
    worst = 0.0
    for query in QUERIES:
        terms = words.query_terms(query)
        matches = len(floor(terms, limit=10**9))
        for who, client in clients.items():
            first = client.get("/api/v1/archives/search", {"q": query})
            if first.status_code != 200:
                raise SystemExit(f"{who} {query}: {first.status_code} {first.content[:300]!r}")
            sides = {"endpoint": [], "search": [], "floor": []}
            for _ in range(args.repeat):
                t = time.perf_counter()
                client.get("/api/v1/archives/search", {"q": query})
                sides["endpoint"].append(time.perf_counter() - t)
                t = time.perf_counter()
                selectors.search(user=users[who], query=query, filters=selectors.Filters())
                sides["search"].append(time.perf_counter() - t)
                t = time.perf_counter()
                floor(terms)
                sides["floor"].append(time.perf_counter() - t)
            medians = {k: statistics.median(v) for k, v in sides.items()}
            ratio = medians["search"] / medians["floor"]
            worst = max(worst, ratio)
            ms = {k: f"{v * 1000:.1f} ms" for k, v in medians.items()}
            print(f"  {query:12} {who:9} {matches:6} matches, {len(first.json()['items']):2} shown: endpoint "
                  f"{ms['endpoint']}, search {ms['search']}, floor {ms['floor']}: search/floor {ratio:.2f}×, "
                  f"endpoint/floor {medians['endpoint'] / medians['floor']:.2f}×")  # fmt: skip
    print(f"worst ratio search/floor: {worst:.2f}× (goal ≤ {GOAL:g}×)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000, help="archive items (default 100,000)")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs of each side (default 7)")
    parser.add_argument("--db", type=Path, help="SQLite file to build into (empty), kept afterwards")
    parser.add_argument("--keep", action="store_true", help="keep the temporary database")
    parser.add_argument("--smoke", action="store_true", help="1,000 items, 1 run each: for the suite")
    args = parser.parse_args()
    args.db_url = None
    if args.smoke:
        args.items, args.repeat = 1000, 1
    run_in_database(args, run, prefix="archive_search")


if __name__ == "__main__":
    main()
