"""A small census for the 普查小区 tests: street 甲 of the persona district (linli.testing.factories), with
buildings in both its communities and one in street 乙 (outside the census)."""

from dataclasses import dataclass
from datetime import UTC, datetime

from linli.campaigns.models import Plan
from linli.people.models import Building, Estate, Household
from linli.surveys.models import Survey
from linli.testing import factories


@dataclass
class Census:
    survey: Survey
    buildings: dict[str, Building]  # "a1-1" … by community and number; "b1-1" lies outside the census


def _building(grid, estate: Estate, number: str, people: int, households: int, lat: float) -> Building:
    Building.objects.create(estate=estate, number=number, grid=grid)
    for h in range(households):
        house = factories.house(grid, estate, building=number, unit="1", number=f"{h + 1}01")
        household = Household.objects.create(number=f"{grid.code}-{estate.pk}-{number}-{h}", house=house, grid=grid)
        for i in range(people // households + (1 if h < people % households else 0)):
            factories.person(grid, household, name=f"居民{i}", phone="")
    building = Building.objects.get(estate=estate, number=number)
    building.latitude, building.longitude = lat, 123.4
    building.save(update_fields=["latitude", "longitude"])
    return building


def census(w, *, area_people: int = 6) -> Census:
    plan = Plan.objects.create(region=w.street_a, title="第七次人口普查甲街道实施方案", issuer="甲街道办事处")
    survey = Survey.objects.create(plan=plan, kind="census", title="甲街道人口普查", area_people=area_people,
                                   standard_moment=datetime(2026, 10, 31, 16, tzinfo=UTC))  # fmt: skip
    e1 = Estate.objects.create(region=w.community_a1, name="和平里")
    e2 = Estate.objects.create(region=w.community_a2, name="朝阳苑")
    e3 = Estate.objects.create(region=w.community_b1, name="乙区小区")
    buildings = {
        # community 甲一: 4 + 3 + 5 people, then a 10-person building (an area of its own), then an empty one
        "a1-1": _building(w.grid_a1, e1, "1", 4, 2, 41.80),
        "a1-2": _building(w.grid_a1, e1, "2", 3, 1, 41.81),
        "a1-10": _building(w.grid_a1b, e1, "10", 10, 3, 41.82),
        "a1-3": _building(w.grid_a1, e1, "3", 5, 2, 41.83),
        "a1-11": _building(w.grid_a1b, e1, "11", 0, 0, 41.84),
        "a2-1": _building(w.grid_a2, e2, "1", 6, 2, 41.85),
        "b1-1": _building(w.grid_b1, e3, "1", 3, 1, 41.86),
    }
    return Census(survey, buildings)
