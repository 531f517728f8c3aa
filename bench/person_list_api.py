"""Benchmark: the person list API on the demo district, against a trivial endpoint of the same server.

    ./linli bench person_list_api [--requests N] [--db PATH | --db-url URL] [--user NAME] [--smoke]

Builds the demo district (seed 20260701, about 50,000 residents) into a temporary SQLite database, or uses
the one at --db (e.g. var/linli.sqlite3 after ./linli demo) or --db-url (SQLite or PostgreSQL), serves the
application in a separate process (Django's threaded WSGI server with TCP_NODELAY, so that neither endpoint waits
on delayed ACKs), logs in through /api/v1/auth/login and sends, one at a time on one keep-alive connection, N
requests to each of

  (a) GET /api/v1/persons with the filters a clerk uses (a community or grid, a tag, an age range, a
      residence type, part of a name), on varying pages of 20, and POST /api/v1/persons/search with an exact
      ID number in its body, and
  (b) the floor: GET /api/v1/auth/me, which only authenticates the token and answers a few fields,

interleaved so both see the same machine. It prints p50/p95/max of each and the ratio of the p95s
(goal: within 3x). --smoke: 16 requests on a demo of about 1,000 residents, for the test suite.
"""

import argparse
import http.client
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(port: int) -> None:
    """The server process: the WSGI application on 127.0.0.1:port.

    Threaded because Django's server closes every connection otherwise; the client sends one request at a time
    on one keep-alive connection, so one thread works at a time.
    """
    import django
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    django.setup()

    class Server(ThreadedWSGIServer):
        def get_request(self):
            connection, address = super().get_request()
            connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return connection, address

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    server = Server(("127.0.0.1", port), QuietHandler)
    server.set_app(get_wsgi_application())
    server.serve_forever()


def prepare(db_url: str | None, scale: float) -> tuple[str, Path | None]:
    """The database to serve: the given one, or a fresh SQLite file (its directory returned) with the demo in it."""
    if db_url is not None:
        return db_url, None
    path = Path(tempfile.mkdtemp(prefix="linli-bench-")) / "demo.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}"}
    python = [sys.executable, "-m", "django"]
    subprocess.run([*python, "migrate", "-v", "0"], env=env, check=True, cwd=ROOT)
    started = time.perf_counter()
    build = [*python, "demo_build", "--scale", str(scale)]
    subprocess.run(build, env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    print(f"demo district built in {time.perf_counter() - started:.0f} s")
    return env["DATABASE_URL"], path.parent


def queries(user_scope: dict, count: int, rng: random.Random) -> list[tuple[str, str, dict | None]]:
    """Filtered, paginated person list requests of the kinds the pages send, as (method, path, body)."""
    regions, grids, id_numbers = user_scope["regions"], user_scope["grids"], user_scope["id_numbers"]
    kinds = [
        lambda: {"region": rng.choice(regions)},
        lambda: {"grid": rng.choice(grids)},
        lambda: {"tag": rng.choice(["elderly_alone", "empty_nest", "disabled", "subsistence", "veteran"])},
        lambda: {"age_min": 60, "region": rng.choice(regions)},
        lambda: {"age_min": 18, "age_max": 35, "residence_type": "floating"},
        lambda: {"name": rng.choice("王李张刘陈杨赵黄周吴"), "grid": rng.choice(grids)},
        lambda: {"id_number": rng.choice(id_numbers)},
        lambda: {"residence_type": "separated", "gender": "F"},
    ]
    result = []
    for i in range(count):
        params = kinds[i % len(kinds)]()
        if "id_number" in params:  # a number goes in the body, never in the URL
            result.append(("POST", "/api/v1/persons/search", params))
        else:
            params["page"] = rng.randint(1, 5)
            result.append(("GET", "/api/v1/persons?" + urlencode(params), None))
    return result


def scope_of(db_url: str, username: str) -> dict:
    """Region and grid ids in the user's scope and some ID numbers, read straight from the database."""
    os.environ["DATABASE_URL"] = db_url
    import django

    django.setup()
    from linli.accounts.models import User
    from linli.people.selectors import person_list
    from linli.regions.models import Region
    from linli.regions.selectors import region_list

    user = User.objects.get(username=username)
    nodes = list(region_list(user=user))
    persons = person_list(user=user)
    ids = [p.id_number for p in persons[: persons.count() : max(1, persons.count() // 50)][:50]]
    if not ids:
        raise SystemExit(f"{username} sees no persons: pick a user with the people registry (--user)")
    return {
        "regions": [n.pk for n in nodes if n.level in (Region.Level.STREET, Region.Level.COMMUNITY)],
        "grids": [n.pk for n in nodes if n.level == Region.Level.GRID],
        "id_numbers": ids,
    }


def percentile(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400, help="requests to each endpoint (default 400)")
    parser.add_argument("--db", type=Path, help="an SQLite database that holds the demo district already")
    parser.add_argument("--db-url", help="a database (SQLite or PostgreSQL) that holds the demo district already")
    parser.add_argument("--smoke", action="store_true", help="16 requests, a demo of 1,000 residents: for the suite")
    parser.add_argument("--user", default="street_staff", help="demo account to query as (default street_staff)")
    parser.add_argument("--serve", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return

    if args.smoke:
        args.requests = 16
    db_url, temporary = prepare(f"sqlite:///{args.db.resolve()}" if args.db else args.db_url, 0.02 if args.smoke else 1)
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "LINLI_DEBUG": "false",
        "LINLI_ALLOWED_HOSTS": "127.0.0.1",
    }
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        scope = scope_of(db_url, args.user)
        for _ in range(100):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", "/api/v1/auth/me")
                conn.getresponse().read()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise SystemExit("the server did not start")

        def call(method: str, path: str, body: dict | None = None, token: str | None = None) -> tuple[int, bytes]:
            headers = {"Content-Type": "application/json"}
            if token:
                headers["Authorization"] = f"Bearer {token}"
            conn.request(method, path, body=json.dumps(body) if body else None, headers=headers)
            response = conn.getresponse()
            return response.status, response.read()

        status, body = call("POST", "/api/v1/auth/login", {"username": args.user, "password": "linli-demo-2026"})
        if status != 200:
            raise SystemExit(f"login failed: {status} {body[:200]!r}")
        token = json.loads(body)["token"]

        rng = random.Random(1)
        paths = queries(scope, args.requests, rng)
        for method, path, payload in paths[:20]:  # warm-up: caches, lazy imports, SQLite pages
            call(method, path, payload, token=token)
            call("GET", "/api/v1/auth/me", token=token)

        timings: dict[str, list[float]] = {"list": [], "me": []}
        by_filter: dict[str, list[float]] = {}
        rows = 0
        me = ("GET", "/api/v1/auth/me", None)
        for request in paths:
            for kind, (verb, target, data) in (("list", request), ("me", me)):
                start = time.perf_counter()
                status, body = call(verb, target, data, token=token)
                elapsed = (time.perf_counter() - start) * 1000
                timings[kind].append(elapsed)
                if kind == "list":
                    names = data if data is not None else parse_qs(target.split("?", 1)[1])
                    shape = "&".join(sorted(k for k in names if k != "page"))
                    by_filter.setdefault(shape, []).append(elapsed)
                if status != 200:
                    raise SystemExit(f"{target}: {status} {body[:200]!r}")
                if kind == "list":
                    rows += len(json.loads(body)["items"])

        print(f"as {args.user}: {len(scope['regions'])} streets/communities, {len(scope['grids'])} grids in scope")
        for kind, label in (("list", "(a) the person list (filtered)"), ("me", "(b) GET /api/v1/auth/me")):
            values = timings[kind]
            print(
                f"{label:36} p50 {statistics.median(values):6.1f} ms  p95 {percentile(values, 95):6.1f} ms  "
                f"max {max(values):6.1f} ms  ({len(values)} requests)"
            )
        for shape, values in sorted(by_filter.items()):
            print(f"    {shape:34} p50 {statistics.median(values):6.1f} ms  p95 {percentile(values, 95):6.1f} ms")
        print(f"rows returned by (a): {rows:,} ({rows / len(paths):.1f} a request)")
        ratio = percentile(timings["list"], 95) / percentile(timings["me"], 95)
        print(f"ratio p95 list/me: {ratio:.2f}x  (goal: within 3x) {'OK' if ratio <= 3 else 'OVER'}")
    finally:
        server.terminate()
        server.wait()
        if temporary:
            shutil.rmtree(temporary)


if __name__ == "__main__":
    main()
