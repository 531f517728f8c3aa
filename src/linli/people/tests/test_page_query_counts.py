"""List pages cost the same number of queries at N rows as at 10×N rows (DESIGN.md, performance rules)."""

from datetime import date

import pytest

from linli.people.models import Estate, Household, HouseOwner, PersonTag, Rental, RentalTenant, Tag
from linli.testing import factories
from linli.testing.queries import page_queries

N = 3


def populate(world, count: int, start: int) -> None:
    """`count` households in 甲一社区, two tagged members each, every other house let to a tenant."""
    estate, _ = Estate.objects.get_or_create(region=world.community_a1, name="幸福里")
    tags = list(Tag.objects.filter(code__in=["veteran", "mental_disorder", "empty_nest"]))
    for i in range(start, start + count):
        grid = world.grid_a1 if i % 2 else world.grid_a1b
        house = factories.house(grid, estate, building=str(i % 4 + 1), number=str(1000 + i))
        household = Household.objects.create(number=f"H{i:05d}", house=house)
        head = factories.person(grid, household, name=f"户主{i}", relationship="head")
        member = factories.person(grid, household, name=f"成员{i}", female=True, birth=date(1950, 1, 1))
        household.head = head
        household.save()
        for person, tag in ((head, tags[i % 3]), (member, tags[(i + 1) % 3])):
            PersonTag.objects.create(person=person, tag=tag)
        HouseOwner.objects.create(house=house, person=head)
        if i % 2:
            rental = Rental.objects.create(house=house, landlord=head, starts_on=date(2025, 1, 1))
            RentalTenant.objects.create(rental=rental, person=member, registered_on=date(2025, 1, 2))


PAGES = [
    ("/persons/", None),
    ("/persons/", {"tag": "veteran", "age_min": "30"}),
    ("/households/", None),
    ("/households/", {"head_name": "户主"}),
    ("/houses/", None),
    ("/regions/", None),
    ("/stats/", None),
]


@pytest.mark.parametrize("persona", ["street_staff", "community_worker"])
def test_list_pages_cost_the_same_queries_at_ten_times_the_rows(client, world, persona):
    client.force_login(world.users[persona])
    populate(world, N, 0)
    small = [page_queries(client, url, params) for url, params in PAGES]
    populate(world, 9 * N, N)
    large = [page_queries(client, url, params) for url, params in PAGES]
    assert large == small
    assert client.get("/persons/").context["page"].paginator.count == 2 * 10 * N + 0


def test_detail_pages_do_not_grow_with_the_household(client, world):
    client.force_login(world.users["street_staff"])
    populate(world, 2, 0)
    first = Household.objects.get(number="H00001")
    small = page_queries(client, f"/households/{first.pk}/")
    for i in range(8):
        factories.person(world.grid_a1, first, name=f"新成员{i}")
    assert page_queries(client, f"/households/{first.pk}/") == small
