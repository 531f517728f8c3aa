"""No N+1: the committee list (API and page) and a committee's page run as many queries for many committees and
members as for one (DESIGN.md)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from linli.testing.apiclient import ApiClient

from .town import form, place


def _queries(get, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert get(url).status_code == 200
    return len(ctx.captured_queries)


def test_lists_do_not_grow_with_the_committees(world, client):
    worker = world.users["community_worker"]
    api, n = ApiClient(worker), 0
    client.force_login(worker)
    counts = []
    for grown in (1, 4):
        while n < grown:
            n += 1
            committee = form(worker, place(world, world.community_a1, world.grid_a1, f"花园{n}"), n=5 + 2 * (n > 1))
        counts.append(
            (
                _queries(api.get, "/committees"),
                _queries(client.get, "/committees/"),
                _queries(client.get, "/committees/party/"),
                _queries(client.get, f"/committees/{committee.pk}/"),
                _queries(client.get, f"/committees/estates/{committee.estate_id}/"),
            )
        )
    assert counts[0] == counts[1]
