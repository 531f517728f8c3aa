"""No N+1: list endpoints run the same number of queries with N rows and with 10×N rows (DESIGN.md)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from linli.people.models import Estate, Household, PersonTag, Rental, RentalTenant, Tag
from linli.regions.models import GridStaff, Region
from linli.testing import factories
from linli.testing.apiclient import ApiClient

N = 4


class Town:
    """Grows the persona district row by row: every row adds one of each thing the lists show."""

    def __init__(self, world):
        self.world = world
        self.grown = 0
        self.tags = [Tag.objects.get(code="elderly_alone"), Tag.objects.get(code="mental_disorder")]
        estate = Estate.objects.create(region=world.community_a1, name="样板小区")
        self.house = factories.house(world.grid_a1, estate, building="1", number="101")
        self.household = Household.objects.create(number="H-FIXED", house=self.house)
        self.rental = Rental.objects.create(
            house=self.house, landlord=self._person(self.household), starts_on=date.today()
        )

    def _person(self, household=None, grid=None):
        born = date(1940, 1, 1) + timedelta(days=37 * self.grown)  # distinct ID numbers however many rows
        person = factories.person(grid or self.world.grid_a1, household, name=f"居民{self.grown}", birth=born, phone="")
        PersonTag.objects.bulk_create(PersonTag(person=person, tag=tag) for tag in self.tags)
        return person

    def grow(self, rows: int):
        w = self.world
        for _ in range(rows):
            i = self.grown = self.grown + 1
            grid = (w.grid_a1, w.grid_a1b, w.grid_a2)[i % 3]
            estate = Estate.objects.create(region=grid.parent, name=f"小区{i}")
            house = factories.house(grid, estate, building=str(i), number="101")
            household = Household.objects.create(number=f"H{i:05d}", house=house)
            household.head = self._person(household, grid)
            household.save()
            member = self._person(self.household)  # the fixed household grows too
            RentalTenant.objects.create(rental=self.rental, person=member, registered_on=date.today())
            Rental.objects.create(house=self.house, landlord=member, starts_on=date(2020, 1, 1))
            community = grid.parent
            code = f"{community.code}{100 + i:03d}"
            Region.objects.create(
                parent=community, level=6, code=code, path=code, name=f"网格{i}", grid_kind="micro", boundary=None
            )
            GridStaff.objects.create(grid=w.grid_a1, duty="building", name=f"楼栋长{i}", phone="13900001111")


LISTS = [
    "/persons",
    "/persons?tag=elderly_alone",
    "/households",
    "/houses",
    "/estates",
    "/regions",
    "/regions/geojson",
    "/regions/{grid}/staff",
    "/regions/{community}/children",
    "/houses/{house}/rentals",
    "/households/{household}",  # the household file: its members with their tags
]


def queries(api: ApiClient, url: str) -> tuple[int, int]:
    """(queries run, rows answered) for one call."""
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(url, {"page_size": 100})
    assert response.status_code == 200, response.content
    body = response.json()
    rows = body.get("items") or body.get("features") or body.get("members") or []
    return len(ctx.captured_queries), len(rows)


@pytest.mark.parametrize("role", ["admin", "street_staff", "community_worker"])
def test_queries_do_not_grow_with_rows(world, role):
    town = Town(world)
    urls = [
        url.format(
            grid=world.grid_a1.pk, community=world.community_a1.pk, house=town.house.pk, household=town.household.pk
        )
        for url in LISTS
    ]
    api = ApiClient(world.users[role])
    town.grow(N)
    for url in urls:
        queries(api, url)  # warm-up: anything cached per process is cached now
    few = {url: queries(api, url) for url in urls}
    town.grow(9 * N)
    many = {url: queries(api, url) for url in urls}

    assert {url: rows for url, (_, rows) in few.items() if rows < 1} == {}, "every list has rows"
    assert {url: rows for url, (_, rows) in many.items() if rows <= few[url][1]} == {}, "every list grew"
    assert {url: n for url, (n, _) in many.items()} == {url: n for url, (n, _) in few.items()}
    assert max(n for n, _ in few.values()) <= 8
