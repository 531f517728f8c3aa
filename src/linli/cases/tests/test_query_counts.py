"""No N+1 in the case API: the lists and the detail run the same number of queries with N and with 10×N cases,
timeline entries, photos and assisting departments."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from linli.accounts.models import User
from linli.cases import services
from linli.cases.tests.casework import case_in, photo
from linli.organizations.models import Organization
from linli.testing.apiclient import ApiClient

N = 3


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


class Desk:
    """Grows the case load: every step adds a received, an overdue and a fed back case, and one more timeline
    entry with a photo and one more assisting department to the case whose detail is read."""

    def __init__(self, w):
        self.w = w
        self.admin = User.objects.get(username="admin")
        self.followed = case_in(w.grid_a1, "dispatched")

    def grow(self, steps: int):
        old = timezone.now() - timedelta(days=30)
        grids = (self.w.grid_a1, self.w.grid_a1b, self.w.grid_a2)
        for i in range(steps):
            grid = grids[i % 3]
            case_in(grid)
            case_in(grid, "dispatched", dispatched_at=old)
            case_in(grid, "feedback")
            self.followed = services.case_act(
                user=self.admin, case_id=self.followed.pk, action="supervise", version=self.followed.version,
                note=f"第{i + 1}次督办", photos=[photo()],
            )  # fmt: skip
            n = self.followed.assisting.count() + 1
            self.followed.assisting.add(
                Organization.objects.create(kind="department", name=f"协办单位{n}", region=self.w.district)
            )


def queries(client: ApiClient, url: str) -> tuple[int, int]:
    """(queries run, rows or timeline entries answered) for one call."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, {"page_size": 100})
    assert response.status_code == 200, response.content
    body = response.json()
    return len(ctx.captured_queries), len(body["items"] if "items" in body else body["timeline"])


@pytest.mark.parametrize("role", ["admin", "street_staff", "grid_worker", "dept_handler"])
def test_queries_do_not_grow_with_cases(w, role):
    desk = Desk(w)
    urls = ["/cases", "/cases/queue", "/cases/todo", "/cases/overdue", f"/cases/{desk.followed.pk}"]
    if role in ("grid_worker", "dept_handler"):
        # the dispatcher's desk and the overdue list are the region offices' (403 to others)
        urls = [url for url in urls if url not in ("/cases/queue", "/cases/overdue")]
    client = ApiClient(w.users[role])
    desk.grow(N)
    for url in urls:
        queries(client, url)  # warm-up: anything cached per process is cached now
    few = {url: queries(client, url) for url in urls}
    desk.grow(9 * N)
    many = {url: queries(client, url) for url in urls}

    assert {url: rows for url, (_, rows) in few.items() if rows < 1} == {}, "every list has rows"
    assert {url: rows for url, (_, rows) in many.items() if rows <= few[url][1]} == {}, "every list grew"
    assert {url: n for url, (n, _) in many.items()} == {url: n for url, (n, _) in few.items()}
    # The detail reads each related row by its key (selectors.case_detail_get: quicker than planning the join), and
    # marks the user's messages about the case read (one UPDATE).
    assert max(n for n, _ in few.values()) <= 13
