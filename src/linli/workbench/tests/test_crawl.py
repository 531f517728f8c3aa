"""No visible link answers 403, 404, 400 or 500 to the persona that sees it.

Each demo account (a small demo district: every role, cases in every state, plans with late reports, assessment
rounds, honours) opens "/" and every menu entry, then follows the links of those pages two steps further, GET only,
same origin. Of the links of one kind (URL pattern and query keys) on one kind of page, the first two are followed:
the grid and the community beside each other on a household page are both opened, the twenty rows of a list are not,
which keeps the crawl to a few hundred requests per account.

It runs on SQLite only: which links a page shows and what they answer are decided by roles, scope and the data, the
same on both databases, and the crawl is among the suite's slowest tests (about 90 s on PostgreSQL).
"""

from collections import Counter, deque
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest
from django.db import connection
from django.test import Client
from django.urls import Resolver404, resolve

from linli.accounts.models import User
from linli.demo import build
from linli.people.models import House, Household
from linli.testing.factories import PERSONAS

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="the crawl runs on SQLite (module docstring)")

DEPTH = 2
PER_KIND = 2  # links of one kind followed from one kind of page
REFUSED = {400, 403, 404, 405, 500}
# Links that leave the pages: the admin site (its own crawl would be Django's), files and the API's raw JSON.
SKIPPED_PREFIXES = ("/admin/", "/api/", "/static/", "/media/", "/logout/")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """One small district for the module, built outside the tests' transactions and flushed at the end."""
    with django_db_blocker.unblock():
        try:
            build.build(seed=11, scale=0.01, parallel=False, cases_count=400)
            _household_in_the_grid_workers_grid()
            yield
        finally:
            build.reset()


def _household_in_the_grid_workers_grid():
    """At this size the grid worker's grid may hold nobody: move a household of its community there."""
    grid = User.objects.get(username="grid_worker").region
    household = Household.objects.filter(grid__parent=grid.parent_id).exclude(grid=grid).first()
    House.objects.filter(pk=household.house_id).update(grid=grid)
    Household.objects.filter(pk=household.pk).update(grid=grid)
    household.members.update(grid=grid)


def _kind(url: str) -> tuple:
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return (parts.path,)
    keys = tuple(sorted({pair.split("=", 1)[0] for pair in parts.query.split("&") if pair}))
    return (match.view_name, keys)


def _same_origin(hrefs: list[str], base: str) -> list[str]:
    found = []
    for href in hrefs:
        parts = urlsplit(urljoin(base, href.strip()))
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            continue
        if not parts.path or parts.path.startswith(SKIPPED_PREFIXES):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def crawl(client: Client) -> tuple[list[str], int]:
    """Every refused link as "status url (found on page)", and how many pages were opened. The menu's entries start
    at depth 0 wherever the menu is first met: a grid worker lands on the phone page, which has none."""
    landing = client.get("/", follow=True)
    assert landing.status_code == 200
    queue = deque([(landing.request["PATH_INFO"], "/", 0)])
    opened, followed, failures, menu_seen = set(), Counter(), [], False
    while queue:
        url, source, depth = queue.popleft()
        key = (_kind(source), _kind(url))
        if url in opened or followed[key] >= PER_KIND:
            continue
        followed[key] += 1
        opened.add(url)
        response = client.get(url)
        if response.status_code in REFUSED:
            failures.append(f"{response.status_code} {url} (on {source})")
            continue
        if response.status_code in (301, 302):
            if "/login/" in response["Location"]:
                failures.append(f"login {url} (on {source})")
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        page = lxml.html.fromstring(response.content.decode())
        menu = page.xpath("//nav[@aria-label='主菜单']//a/@href")
        if menu and not menu_seen:
            menu_seen = True
            queue.extend((link, url, 0) for link in _same_origin(menu, url))
        if depth < DEPTH:
            queue.extend((link, url, depth + 1) for link in _same_origin(page.xpath("//body//a/@href"), url))
    return failures, len(opened)


# Every role (the personas of linli.testing.factories, which the demo has too), and dept_housing, the department
# with tasks of the campaigns besides its cases.
ACCOUNTS = [*PERSONAS, "dept_housing"]


@pytest.mark.django_db
@pytest.mark.parametrize("username", ACCOUNTS)
def test_no_visible_link_is_refused_to_the_persona_that_sees_it(demo, username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    failures, opened = crawl(client)
    assert opened > 10
    assert failures == []
