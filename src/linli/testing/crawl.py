"""The crawl of the demo district: what each account can open, following its visible links.

An account opens "/" and every menu entry, then follows the links of those pages two steps further, GET only, same
origin. Of the links of one kind (URL pattern and query keys) on one kind of page, the first `per_kind` are followed:
the grid and the community beside each other on a household page are both opened, the twenty rows of a list are
not, which keeps the crawl to a few hundred requests per account.

tests/browser/test_axe.py crawls once per account for two checks: that no visible link is refused, and, opening one
page of each kind the crawls found in a browser, that axe-core finds nothing serious on it.
"""

from collections import Counter, deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import lxml.html
from django.test import Client
from django.urls import Resolver404, resolve

from linli.testing.factories import PERSONAS

DEPTH = 2
PER_KIND = 2  # links of one kind followed from one kind of page
REFUSED = {400, 403, 404, 405, 500}
# Links that leave the pages: the admin site (its own crawl would be Django's), files and the API's raw JSON.
SKIPPED_PREFIXES = ("/admin/", "/api/", "/static/", "/media/", "/logout/")
# Every role (the personas of linli.testing.factories, which the demo has too), and dept_housing, the department
# with tasks of the campaigns besides its cases.
ACCOUNTS = (*PERSONAS, "dept_housing")
# Where a visitor without an account starts: the pages the public reaches from outside (the sign-in page links
# nowhere).
PUBLIC_ENTRIES = ("/", "/report/", "/report/track/", "/portal/", "/public/honours/", "/public/property/",
                  "/donations/public/")  # fmt: skip


@contextmanager
def demo_district():
    """A small demo district (every role, cases in every state, plans with late reports, assessment rounds,
    honours, the demo phone's resident), built outside the tests' transactions and flushed at the end: call it
    inside `django_db_blocker.unblock()` from a module-scoped fixture."""
    from django.db import connection

    from linli.demo import build

    # A test with `serialized_rollback` ends by emptying the database, and the next such test restores what the
    # migrations wrote (permissions, tags, the surveys' forms) as it starts: a module fixture built in between would
    # find none of it. Restoring is idempotent (rows are saved by their ids).
    if serialized := getattr(connection, "_test_serialized_contents", None):
        connection.creation.deserialize_db_from_string(serialized)
    try:
        build.build(seed=11, scale=0.01, parallel=False, cases_count=400)
        _household_in_the_grid_workers_grid()
        yield
    finally:
        build.reset()


def _household_in_the_grid_workers_grid():
    """At this size the grid worker's grid may hold nobody: move a household of its community there."""
    from linli.accounts.models import User
    from linli.people.models import House, Household

    grid = User.objects.get(username="grid_worker").region
    household = Household.objects.filter(grid__parent=grid.parent_id).exclude(grid=grid).first()
    House.objects.filter(pk=household.house_id).update(grid=grid)
    Household.objects.filter(pk=household.pk).update(grid=grid)
    household.members.update(grid=grid)


def demo_resident():
    """The user of the demo phone's portal account, made as the portal's sign-in and 实名认证 would: agreed to the
    privacy notice, bound to the registry's person with that phone, who has reports to follow."""
    from linli.demo.binding import DEMO_PHONE, demo_person
    from linli.testing.factories import resident

    return resident(DEMO_PHONE, demo_person()).user


def kind(url: str) -> tuple:
    """A URL's kind: its view name and query keys (the path itself where no view answers)."""
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return (parts.path,)
    keys = tuple(sorted({pair.split("=", 1)[0] for pair in parts.query.split("&") if pair}))
    return (match.view_name, keys)


def same_origin(hrefs: list[str], base: str) -> list[str]:
    found = []
    for href in hrefs:
        parts = urlsplit(urljoin(base, href.strip()))
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            continue
        if not parts.path or parts.path.startswith(SKIPPED_PREFIXES):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


@dataclass
class Crawl:
    failures: list[str] = field(default_factory=list)  # every refused link as "status url (on page)"
    opened: int = 0  # requests made
    pages: list[str] = field(default_factory=list)  # the HTML pages that answered 200, in the order opened


def crawl(client: Client, *, per_kind: int = PER_KIND, depth: int = DEPTH, start: tuple[str, ...] = ("/",)) -> Crawl:
    """What `client`'s account opens from `start` (where each of those lands). The menu's entries start at depth 0
    wherever the menu is first met: a grid worker lands on the phone page, which has none."""
    queue = deque()
    for url in start:
        landing = client.get(url, follow=True)
        assert landing.status_code == 200, url
        queue.append((landing.request["PATH_INFO"], "/", 0))
    opened, followed, menu_seen, result = set(), Counter(), False, Crawl()
    while queue:
        url, source, level = queue.popleft()
        key = (kind(source), kind(url))
        if url in opened or followed[key] >= per_kind:
            continue
        followed[key] += 1
        opened.add(url)
        response = client.get(url)
        if response.status_code in REFUSED:
            result.failures.append(f"{response.status_code} {url} (on {source})")
            continue
        if response.status_code in (301, 302):
            if "/login/" in response["Location"]:
                result.failures.append(f"login {url} (on {source})")
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        result.pages.append(url)
        page = lxml.html.fromstring(response.content.decode())
        menu = page.xpath("//nav[@aria-label='主菜单']//a/@href")
        if menu and not menu_seen:
            menu_seen = True
            queue.extend((link, url, 0) for link in same_origin(menu, url))
        if level < depth:
            queue.extend((link, url, level + 1) for link in same_origin(page.xpath("//body//a/@href"), url))
    result.opened = len(opened)
    return result
