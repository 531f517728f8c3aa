"""Benchmark: the pages 一户一档 (/households/) and 统计概览 (/stats/) against the person list (/persons/) of the same
account, in the same run.

    ./linli bench registry_pages [--db-url URL] [--requests N] [--users admin,district_staff,street_staff] [--smoke]

Serves the demo district as bench/load.py does (gunicorn, here one sync worker, on a free loopback port over
--db-url, default DATABASE_URL, else var/linli.sqlite3 after ./linli demo), logs each account in through the login
page, and sends N requests to each page, one at a time, interleaved page by page so that all three see the same
machine. For each account it prints p50/p95 of each page and the ratio of the p95s to the person list's (goal:
within 3x, issue 14). The administrator and district staff see the whole district, street staff one street.
--smoke: one request per page and account on a small demo district (built into a temporary SQLite file without
--db-url).
"""

import argparse
import http.client
import os
import shutil
import tempfile
import time
from pathlib import Path

from load import db_vendor, demo_database, free_port, login, machine, percentile, start_server

PAGES = ("/persons/", "/households/", "/stats/")
GOAL = 3.0


def get(host: str, port: int, path: str, cookie: str) -> float:
    """One GET on a connection of its own (gunicorn's sync workers close it); milliseconds to the last byte."""
    start = time.perf_counter()
    conn = http.client.HTTPConnection(host, port, timeout=120)
    try:
        conn.request("GET", path, headers={"Cookie": cookie})
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    if response.status != 200:
        raise SystemExit(f"GET {path}: {response.status} {body[:200]!r}")
    return (time.perf_counter() - start) * 1000


def measure(host: str, port: int, cookie: str, requests: int, warmup: int) -> dict[str, list[float]]:
    for path in PAGES * warmup:
        get(host, port, path, cookie)
    times: dict[str, list[float]] = {path: [] for path in PAGES}
    for _ in range(requests):
        for path in PAGES:
            times[path].append(get(host, port, path, cookie))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db-url", default=os.environ.get("DATABASE_URL"), help="the database (default DATABASE_URL)")
    parser.add_argument("--requests", type=int, default=30, help="requests per page and account (default 30)")
    parser.add_argument("--users", default="admin,district_staff,street_staff", help="demo accounts, comma-separated")
    parser.add_argument("--smoke", action="store_true", help="one request a page, on a small district, for the suite")
    args = parser.parse_args()
    requests, warmup = (1, 0) if args.smoke else (args.requests, 3)
    workdir = Path(tempfile.mkdtemp(prefix="linli-bench-registry-"))
    server = None
    try:
        db_url = demo_database(args.db_url, args.smoke, workdir)
        host, port = "127.0.0.1", free_port()
        server = start_server(db_url, port, 1, workdir / "gunicorn.log")
        before = machine()
        print(f"{'as':16} {'page':14} {'p50 ms':>8} {'p95 ms':>8} {'p95 ratio':>10}")
        worst = 0.0
        for user in args.users.split(","):
            _, cookie = login(host, port, user)
            times = measure(host, port, cookie, requests, warmup)
            base = percentile(times[PAGES[0]], 95)
            for path in PAGES:
                p50, p95 = percentile(times[path], 50), percentile(times[path], 95)
                print(f"{user:16} {path:14} {p50:8.1f} {p95:8.1f} {p95 / base:9.2f}x")
                worst = max(worst, p95 / base)
        print(
            f"worst ratio to the person list: {worst:.2f}x (goal {GOAL:.0f}x); {requests} requests per page; "
            f"gunicorn, 1 sync worker, {db_vendor(db_url)}; {before['cores']} cores, "
            f"load average before {before['load'][0]:.2f}, after {os.getloadavg()[0]:.2f}"
        )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(workdir)


if __name__ == "__main__":
    main()
