"""The person and household lists at district size, pinned by their queries and plans rather than by time
(docs/performance.md, "Lists at district size")."""

from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from linli.core import pagination
from linli.people import selectors
from linli.people.models import Estate, Household
from linli.testing import factories
from linli.testing.apiclient import ApiClient

pg_only = pytest.mark.skipif("connection.vendor != 'postgresql'")


def residents(grid, count: int, household=None) -> list[int]:
    born = date(1960, 1, 1)
    return [
        factories.person(grid, household, name=f"居民{i}", birth=born + timedelta(days=grid.pk * 1000 + i)).pk
        for i in range(count)
    ]


@pytest.fixture
def registry(world):
    """Residents registered street by street, as an import does: street 甲's ids first, then 乙's."""
    return {
        "a1": residents(world.grid_a1, 3),
        "a2": residents(world.grid_a2, 2),
        "b1": residents(world.grid_b1, 4),
    }


def listed(user, **filters) -> list[int]:
    return list(
        selectors.person_list(user=user, filters=selectors.PersonFilter(**filters)).values_list("pk", flat=True)
    )


def test_a_later_street_lists_its_residents_in_id_order_from_its_first_one(world, registry):
    admin, street = world.users["admin"], world.users["street_staff"]
    assert listed(admin, region=world.street_b.pk) == registry["b1"]
    assert listed(admin, region=world.street_a.pk) == registry["a1"] + registry["a2"]
    assert listed(street) == registry["a1"] + registry["a2"]
    assert listed(street, region=world.community_a2.pk) == registry["a2"]
    assert listed(admin) == registry["a1"] + registry["a2"] + registry["b1"]


def test_a_scope_without_residents_lists_none(world, registry):
    assert listed(world.users["admin"], region=world.grid_a1b.pk) == []


def test_the_scoped_page_starts_its_walk_at_the_first_id_of_the_scope(world):
    """A subquery bounds the ids from below: the primary key's walk skips the earlier regions' residents."""
    street = selectors.person_list(user=world.users["street_staff"])
    assert '"id" >= (SELECT' in str(street.query)
    whole = selectors.person_list(user=world.users["admin"])  # the whole registry: nothing to skip
    assert ">= (SELECT" not in str(whole.query)


@pg_only
def test_a_grids_page_reads_the_grid_id_index_on_postgresql(world, registry):
    """With (grid, id) the page is the index's first rows for the grid, where before it walked the primary key and
    filtered (49,556 rows removed for a grid of the 200,000-resident demo). Sequential scans are turned off so
    that the tiny test tables are planned as large ones would be."""
    page = selectors.person_list(user=world.users["admin"], filters=selectors.PersonFilter(grid=world.grid_b1.pk))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = page[:20].explain()
    assert "person_grid_id" in plan
    assert "people_person_pkey" not in plan


def test_counts_stop_at_the_cap_and_say_so(world, registry, monkeypatch, client):
    monkeypatch.setattr(pagination, "COUNT_CAP", 4)
    api = ApiClient(world.users["street_staff"])
    with CaptureQueriesContext(connection) as queries:
        body = api.get("/persons").json()
    assert (body["count"], body["count_capped"], len(body["items"])) == (4, True, 5)
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]
    assert len(counts) == 1 and "LIMIT 5" in counts[0]

    body = api.get("/persons", {"grid": world.grid_a1.pk}).json()
    assert (body["count"], body["count_capped"], len(body["items"])) == (3, False, 3)

    client.force_login(world.users["street_staff"])
    page = client.get("/persons/").content.decode()
    assert "超过 4 条" in page and "请用筛选条件缩小范围" in page
    assert "共 3 条" in client.get("/persons/", {"grid": world.grid_a1.pk}).content.decode()


def test_the_household_list_counts_members_per_row_without_grouping_the_scope(world, client):
    estate = Estate.objects.create(region=world.community_a1, name="幸福里")
    sizes = {"H0001": 2, "H0002": 0, "H0003": 1}
    for i, (number, size) in enumerate(sizes.items()):
        household = Household.objects.create(number=number, house=factories.house(world.grid_a1, estate, number=str(i)))
        for n in range(size):
            factories.person(
                world.grid_a1, household, name=f"成员{n}", birth=date(1970, 1, 1) + timedelta(days=i * 10 + n)
            )
    rows = selectors.household_rows(user=world.users["street_staff"])
    with CaptureQueriesContext(connection) as queries:
        assert {h.number: h.member_count for h in rows} == sizes
    assert "GROUP BY" not in queries.captured_queries[-1]["sql"]
