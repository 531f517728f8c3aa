"""Benchmark: the served application under load, each endpoint beside the floor /api/v1/auth/me of the same run.

    ./linli bench load [--db-url URL] [--duration S] [--requests N] [--concurrency 1,8,32] [--workers 2]
                       [--port P] [--only NAME]... [--url http://127.0.0.1:PORT] [--json FILE|-] [--smoke]

Starts gunicorn (sync workers, 2 by default, on a free loopback port) on the database at --db-url (default:
DATABASE_URL, else the demo's var/linli.sqlite3, which must hold the demo district, migrated), logs in as the demo
accounts whose scope fits each endpoint (tokens for the API, a browser session for the pages), and drives each
endpoint with C concurrent clients for --duration seconds or --requests requests, whichever comes first, at each
concurrency (requests already sent are waited for: a slow endpoint at a high concurrency overruns the duration by
about C × its latency / workers; the next cell waits until the workers are idle). The floor, GET /api/v1/auth/me
(authenticate a token, answer six fields), is driven the same way at each concurrency, first; every endpoint's p95
is divided by the floor's p95 at the same concurrency.

At concurrency 1 the floor is also paired with each endpoint: its one client alternates the endpoint's request and
the floor's, and the endpoint's p95 is divided by the p95 of the floor requests sent between its own. A shared
machine's speed drifts by a third within minutes (the floor's p95 measured 6.3 to 17 ms in runs of the same code),
and the endpoints are driven one after another, so a ratio against the floor of another minute measured the drift as
much as the endpoint. Paired, both see the same seconds. Its req/s at concurrency 1 is its requests over the time
they took, without the floor's.

The clients are coroutines of one asyncio process (the standard library only), each with its own connection: sync
workers close it after every response, so each request opens a new one, as `hey` and `wrk` do against them. The
client's own CPU time per request is printed with the figures: on a 2-core machine it competes with the server.

Only loopback targets: the server is bound to 127.0.0.1 and --url is refused unless it names a loopback address.
--smoke: a handful of requests at concurrency 1 and 2, for the test suite (the demo district is built into a
temporary SQLite file first when --db-url is not given).
"""

import argparse
import asyncio
import ipaddress
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")

PASSWORD = "linli-demo-2026"
FLOOR = "auth/me"
TIMEOUT = 120  # seconds: a request slower than this is counted as an error, and gunicorn would kill its worker


@dataclass
class Endpoint:
    name: str
    user: str
    kind: str  # "api" (bearer token) or "page" (session cookie)
    requests: list[tuple[str, str, bytes | None]]  # (method, path, JSON body), taken in turn


@dataclass
class Cell:
    endpoint: str
    user: str
    concurrency: int
    latencies: list[float] = field(default_factory=list)  # ms
    errors: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    client_cpu: float = 0.0
    floor: list[float] = field(default_factory=list)  # ms of the floor requests paired with this cell's (see above)

    @property
    def p50(self) -> float:
        return percentile(self.latencies, 50)

    @property
    def p95(self) -> float:
        return percentile(self.latencies, 95)

    def floor_p95(self, floors: dict[int, float]) -> float:
        """The p95 of the floor requests paired with this cell's, else of the floor's own cell."""
        return percentile(self.floor, 95) if self.floor else floors[self.concurrency]

    @property
    def cpu_per_request(self) -> float:
        return self.client_cpu / max(len(self.latencies) + len(self.floor), 1)


def percentile(values: list[float], q: int) -> float:
    if not values:
        return float("nan")
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def loopback(host: str) -> bool:
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except socket.gaierror:
        return False
    return all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses)


# ---------------------------------------------------------------- what to ask for, read from the database


def targets(db_url: str, smoke: bool) -> list[Endpoint]:
    """The endpoints, each with requests in the scope of the account that sends them (ids read with the ORM)."""
    os.environ["DATABASE_URL"] = db_url
    import django

    django.setup()
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.db.models import Count

    from linli.accounts.models import User
    from linli.campaigns.models import TaskUnit
    from linli.campaigns.plans.selectors import plan_queryset
    from linli.cases.selectors import case_list
    from linli.people.selectors import person_list
    from linli.regions.models import Region
    from linli.regions.selectors import region_list

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise SystemExit("the database has unapplied migrations: run ./linli manage migrate on it first")
    users = {u.username: u for u in User.objects.filter(username__in=["street_staff", "district_staff"])}
    if len(users) < 2:
        raise SystemExit("the database holds no demo district (./linli manage demo_build)")
    street_staff = users["street_staff"]
    street = street_staff.region
    grids = [r.pk for r in region_list(user=street_staff) if r.level == Region.Level.GRID]
    persons = person_list(user=street_staff)
    every = list(persons.values_list("pk", flat=True))
    id_numbers = [p.id_number for p in persons.filter(pk__in=every[:: max(1, len(every) // 50)])]
    cases = list(case_list(user=street_staff).values_list("pk", flat=True)[:200:10])
    plan = (
        TaskUnit.objects.filter(task__plan__in=plan_queryset(users["district_staff"]))
        .values("task__plan")
        .annotate(n=Count("id"))
        .order_by("-n", "task__plan")
        .first()
    )
    connection.close()
    if not (grids and id_numbers and cases and plan):
        raise SystemExit("the demo district lacks grids, persons, cases or a plan in the accounts' scope")
    pages = 2 if smoke else 5
    rng = random.Random(12)
    today = date.today()
    year = {"group": "street", "start": (today - timedelta(days=365)).isoformat(), "end": today.isoformat()}

    def get(path: str, **params) -> tuple[str, str, None]:
        return ("GET", path + ("?" + urlencode(params) if params else ""), None)

    def each(values, make) -> list:
        return [make(v) for v in values]

    return [
        Endpoint(FLOOR, "street_staff", "api", [get("/api/v1/auth/me")]),
        Endpoint(
            "persons ?grid", "street_staff", "api",
            [get("/api/v1/persons", grid=g, page=rng.randint(1, pages)) for g in grids],
        ),
        Endpoint(
            "persons, street", "street_staff", "api",
            each(range(1, pages + 1), lambda p: get("/api/v1/persons", region=street.pk, page=p)),
        ),
        Endpoint(
            "persons/search id_number", "street_staff", "api",
            each(id_numbers, lambda n: ("POST", "/api/v1/persons/search", json.dumps({"id_number": n}).encode())),
        ),
        Endpoint("case queue", "street_staff", "api", [get("/api/v1/cases/queue")]),
        Endpoint("cases, list", "street_staff", "api", [get("/api/v1/cases")]),
        Endpoint("cases, detail", "street_staff", "api", each(cases, lambda pk: get(f"/api/v1/cases/{pk}"))),
        Endpoint("indicators, district", "district_staff", "api", [get("/api/v1/cases/indicators", **year)]),
        Endpoint(
            "plan status matrix", "district_staff", "api",
            [get(f"/api/v1/campaign-progress/plans/{plan['task__plan']}/matrix")],
        ),
        Endpoint("stats/population", "district_staff", "api", [get("/api/v1/stats/population")]),
        Endpoint("progress/mine", "community_worker", "api", [get("/api/v1/campaign-progress/mine")]),
        # The frame alone (header, menu, unread count; the session, user and region reads): what every page costs
        # before its own content, the reference the pages' ratios are read against.
        Endpoint("page /account/ (frame)", "street_staff", "page", [get("/account/")]),
        Endpoint("page /persons/", "street_staff", "page", [get("/persons/")]),
        Endpoint("page /households/", "street_staff", "page", [get("/households/")]),
        Endpoint("page /stats/", "district_staff", "page", [get("/stats/")]),
        Endpoint("page /campaigns/progress/", "community_worker", "page", [get("/campaigns/progress/")]),
        Endpoint("page cases, list", "street_staff", "page", [get("/cases/all/")]),
        Endpoint("page cases, detail", "street_staff", "page", each(cases, lambda pk: get(f"/cases/{pk}/"))),
    ]  # fmt: skip


# ---------------------------------------------------------------- logging in (once, synchronously)


def login(host: str, port: int, username: str) -> tuple[str, str]:
    """(bearer token, session cookie header) for a demo account."""
    import http.client

    def request(method, path, body=None, headers=None):
        conn = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        conn.close()
        return response, data

    response, data = request(
        "POST", "/api/v1/auth/login", json.dumps({"username": username, "password": PASSWORD}),
        {"Content-Type": "application/json"},
    )  # fmt: skip
    if response.status != 200:
        raise SystemExit(f"API login as {username}: {response.status} {data[:200]!r}")
    token = json.loads(data)["token"]

    response, data = request("GET", "/login/")
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', data.decode()).group(1)
    cookie = next(c.split(";")[0] for c in response.headers.get_all("Set-Cookie") if c.startswith("csrftoken="))
    form = urlencode({"csrfmiddlewaretoken": csrf, "username": username, "password": PASSWORD, "next": "/"})
    response, data = request(
        "POST", "/login/", form, {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
    )
    session = [c.split(";")[0] for c in response.headers.get_all("Set-Cookie") or [] if c.startswith("sessionid=")]
    if response.status != 302 or not session:
        raise SystemExit(f"page login as {username}: {response.status} {data[:200]!r}")
    return token, f"{session[0]}; {cookie}"


# ---------------------------------------------------------------- the load


def wire(host: str, port: int, method: str, path: str, body: bytes | None, auth: str) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}", auth, "Accept: */*"]
    if body is not None:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + (body or b"")


async def exchange(host: str, port: int, request: bytes) -> int:
    """One request on a connection of its own; the status, once the whole response is read."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(request)
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = re.search(rb"\r\ncontent-length: *(\d+)", head, re.IGNORECASE)
        if length:
            await reader.readexactly(int(length.group(1)))
        elif re.search(rb"\r\ntransfer-encoding: *chunked", head, re.IGNORECASE):
            while size := int((await reader.readuntil(b"\r\n")).strip(), 16):
                await reader.readexactly(size + 2)
            await reader.readuntil(b"\r\n")
        else:
            await reader.read()
        return status
    finally:
        writer.close()


async def drive(
    host, port, requests: list[bytes], cell: Cell, duration: float, limit: int, paired: list[bytes] | None = None
) -> None:
    """Send `requests` in turn from cell.concurrency clients; with `paired` (one client), a floor request after
    each, whose times go to cell.floor."""
    sent = 0
    deadline = time.perf_counter() + duration
    busy = 0.0  # seconds spent on the cell's own requests, when floor requests are paired with them

    async def one(request: bytes, latencies: list[float]) -> float:
        start = time.perf_counter()
        try:
            status = await asyncio.wait_for(exchange(host, port, request), TIMEOUT)
            outcome = None if status == 200 else str(status)
        except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError) as exc:
            outcome = type(exc).__name__
        took = time.perf_counter() - start
        if outcome is None:
            latencies.append(took * 1000)
        else:
            cell.errors[outcome] = cell.errors.get(outcome, 0) + 1
        return took

    async def client() -> None:
        nonlocal sent, busy
        while sent < limit and time.perf_counter() < deadline:
            request = requests[sent % len(requests)]
            sent += 1
            busy += await one(request, cell.latencies)
            if paired:
                await one(paired[sent % len(paired)], cell.floor)

    started, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(client() for _ in range(cell.concurrency)))
    cell.seconds = busy if paired else time.perf_counter() - started
    cell.client_cpu = time.process_time() - cpu


def settle(host, port, floor: list[bytes], workers: int) -> None:
    """Wait until the workers are idle: they still answer the requests whose client timed out, and the next cell
    would wait behind them. A floor request for each worker, all at once, is answered after what was queued."""
    for _ in range(10):
        probe = Cell(FLOOR, "", workers)
        asyncio.run(drive(host, port, floor, probe, TIMEOUT, workers))
        if not probe.errors:
            return
    raise SystemExit(f"the server is still busy after {10 * TIMEOUT} s")


def run(host, port, endpoints, sessions, concurrencies, duration, limit, warmup, workers) -> list[Cell]:
    prepared = {}
    for e in endpoints:
        token, cookie = sessions[e.user]
        auth = f"Authorization: Bearer {token}" if e.kind == "api" else f"Cookie: {cookie}"
        prepared[e.name] = [wire(host, port, m, p, b, auth) for m, p, b in e.requests]
    for e in endpoints:  # warm-up: each worker's imports, caches and the database's pages; failures stop here
        probe = Cell(e.name, e.user, 1)
        asyncio.run(drive(host, port, prepared[e.name], probe, TIMEOUT, warmup))
        if probe.errors:
            raise SystemExit(f"{e.name} ({e.requests[0][1]} as {e.user}): {probe.errors}")
    floor = prepared[FLOOR]
    cells = []
    for c in concurrencies:
        for e in endpoints:
            cell = Cell(e.name, e.user, c)
            paired = floor if c == 1 and e.name != FLOOR else None
            asyncio.run(drive(host, port, prepared[e.name], cell, duration, limit, paired))
            cells.append(cell)
            settle(host, port, floor, workers)
            print(f"  c{c:<3} {e.name:26} {len(cell.latencies):6} requests", file=sys.stderr, flush=True)
    return cells


# ---------------------------------------------------------------- the server


def start_server(db_url: str, port: int, workers: int, workdir: Path) -> subprocess.Popen:
    """gunicorn on 127.0.0.1:port, the static files collected first: with DEBUG off every page names its static files
    through the collected manifest, and a page whose file is missing from it answers 500. They are collected into the
    run's own folder: another run beside this one (the suite on two databases at once) rewrites var/static's manifest
    while this server reads it."""
    log = workdir / "gunicorn.log"
    env = {
        **os.environ,
        "LINLI_STATIC_ROOT": str(workdir / "static"),
        "DATABASE_URL": db_url,
        "LINLI_DEBUG": "false",
        "LINLI_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PYTHONPATH": str(ROOT / "src"),
    }
    subprocess.run(
        [sys.executable, "-m", "django", "collectstatic", "--no-input", "-v", "0"], env=env, cwd=ROOT, check=True
    )
    command = [
        sys.executable, "-m", "gunicorn", "linli.wsgi:application", "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--worker-class", "sync", "--timeout", str(TIMEOUT), "--error-logfile", str(log),
    ]  # fmt: skip
    server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped: {log.read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start within 60 s")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_demo(workdir: Path) -> str:
    """A small demo district in a temporary SQLite file (for --smoke without --db-url)."""
    url = f"sqlite:///{workdir / 'demo.sqlite3'}"
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT / "src")}
    for command in (["migrate", "-v", "0"], ["demo_build", "--scale", "0.02"]):
        django = [sys.executable, "-m", "django", *command]
        subprocess.run(django, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return url


def demo_database(db_url: str | None, smoke: bool, workdir: Path) -> str:
    """The database given, else the demo's var/linli.sqlite3; for --smoke without one, a small district in workdir."""
    if smoke and not db_url:
        return build_demo(workdir)
    return db_url or f"sqlite:///{ROOT / 'var' / 'linli.sqlite3'}"


# ---------------------------------------------------------------- report


def machine() -> dict:
    memory = Path("/proc/meminfo").read_text().split("\n")[0].split()[1] if Path("/proc/meminfo").exists() else 0
    return {"cores": os.cpu_count(), "memory_gb": round(int(memory) / 1048576, 1), "load": os.getloadavg()}


def report(cells: list[Cell], meta: dict, out) -> None:
    floors = {c.concurrency: c.p95 for c in cells if c.endpoint == FLOOR}
    header = f"{'endpoint':26} {'as':16} {'c':>3} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} "
    print(header + f"{'req/s':>7} {'floor p95':>9} {'p95/floor':>9}  {'client cpu/req':>14}", file=out)
    for c in cells:
        n, floor = len(c.latencies), c.floor_p95(floors)
        print(
            f"{c.endpoint:26} {c.user:16} {c.concurrency:3} {n:8} {sum(c.errors.values()):6} {c.p50:8.1f} "
            f"{c.p95:8.1f} {n / c.seconds:7.1f} {floor:9.1f} {c.p95 / floor:8.2f}x  "
            f"{c.cpu_per_request * 1000:11.2f} ms",
            file=out,
        )
    cpu = sum(c.client_cpu for c in cells)
    wall = sum(c.seconds for c in cells)
    print(
        f"client: {cpu:.1f} s CPU over {wall:.1f} s of load ({cpu / wall:.1%} of one core); "
        f"{meta['machine']['cores']} cores, {meta['machine']['memory_gb']} GB; load average before "
        f"{meta['machine']['load'][0]:.2f}, after {meta['load_after'][0]:.2f}; {meta['database']}",
        file=out,
    )


def as_json(cells: list[Cell], meta: dict) -> dict:
    floors = {c.concurrency: c.p95 for c in cells if c.endpoint == FLOOR}
    return {
        **meta,
        "cells": [
            {
                "endpoint": c.endpoint, "user": c.user, "concurrency": c.concurrency, "requests": len(c.latencies),
                "errors": c.errors, "p50_ms": round(c.p50, 2), "p95_ms": round(c.p95, 2),
                "per_second": round(len(c.latencies) / c.seconds, 2),
                "floor_p95_ms": round(c.floor_p95(floors), 2), "paired_floor_requests": len(c.floor),
                "p95_over_floor": round(c.p95 / c.floor_p95(floors), 2),
                "client_cpu_ms_per_request": round(c.cpu_per_request * 1000, 3),
            }
            for c in cells
        ],
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db-url", default=os.environ.get("DATABASE_URL"), help="the database (default DATABASE_URL)")
    parser.add_argument("--duration", type=float, default=10, help="seconds per endpoint and concurrency (default 10)")
    parser.add_argument("--requests", type=int, default=3000, help="at most this many per endpoint and concurrency")
    parser.add_argument("--concurrency", default="1,8,32", help="comma-separated (default 1,8,32)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument("--port", type=int, default=0, help="the loopback port to serve on (default: a free one)")
    parser.add_argument("--only", action="append", metavar="NAME",
                        help="an endpoint to run, the others not; once per endpoint (names hold commas; the floor "
                             "always runs)")  # fmt: skip
    parser.add_argument("--url", help="drive a server already running on loopback instead of starting one")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON (- for standard output)")
    parser.add_argument("--smoke", action="store_true", help="a handful of requests, for the test suite")
    args = parser.parse_args()
    concurrencies = [int(c) for c in args.concurrency.split(",")]
    duration, limit, warmup = args.duration, args.requests, 3
    if args.smoke:
        concurrencies, duration, limit, warmup = [1, 2], 5, 3, 1
    if args.url:
        target = urlsplit(args.url)
        if target.scheme != "http" or not target.hostname or not loopback(target.hostname):
            raise SystemExit(f"refused: {args.url} is not a loopback http:// address")
    workdir = Path(tempfile.mkdtemp(prefix="linli-bench-load-"))
    server = None
    try:
        db_url = demo_database(args.db_url, args.smoke, workdir)
        endpoints = targets(db_url, args.smoke)
        if args.only:
            unknown = set(args.only) - {e.name for e in endpoints}
            if unknown:
                raise SystemExit(f"no such endpoint: {', '.join(sorted(unknown))}")
            wanted = set(args.only) | {FLOOR}
            endpoints = [e for e in endpoints if e.name in wanted]
        meta = {"machine": machine(), "database": db_vendor(db_url), "workers": args.workers}
        if args.url:
            host, port = target.hostname, target.port or 80
            meta["server"] = args.url
        else:
            host, port = "127.0.0.1", args.port or free_port()
            server = start_server(db_url, port, args.workers, workdir)
            meta["server"] = f"gunicorn, {args.workers} sync workers"
        sessions = {u: login(host, port, u) for u in sorted({e.user for e in endpoints})}
        cells = run(host, port, endpoints, sessions, concurrencies, duration, limit, warmup, args.workers)
        meta["load_after"] = os.getloadavg()
        report(cells, meta, sys.stdout)
        if args.json:
            text = json.dumps(as_json(cells, meta), ensure_ascii=False, indent=1)
            sys.stdout.write(text + "\n") if args.json == "-" else Path(args.json).write_text(text)
        if any(c.errors for c in cells):
            raise SystemExit("some requests failed (see the errors column)")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(workdir)


def db_vendor(url: str) -> str:
    scheme = urlsplit(url).scheme
    return "SQLite" if scheme.startswith("sqlite") else "PostgreSQL" if scheme.startswith("postgres") else scheme


if __name__ == "__main__":
    main()
