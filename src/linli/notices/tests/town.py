"""Where the notices' tests happen: the persona district with bound residents in three communities.

- `a1`: the resident of place a1 (grid 甲一1, 甲一小区 building 1): every notice of 甲一社区, grid 甲一1, 甲一小区 or
  its building 1 reaches them;
- `a1_next`: a neighbour in the same grid and estate, building 2 (a notice to building 1 does not reach them);
- `a1b`: a resident of grid 甲一2 of the same community, living in no registered house;
- `a2`, `b1`: residents of 甲二社区 (street 甲) and 乙一社区 (street 乙): another community's notices never reach them;
- `unbound`: signed in, not yet 实名认证: no notice reaches them.
"""

from dataclasses import dataclass

from linli.people.models import Household
from linli.residents.models import Resident
from linli.testing import factories
from linli.testing.apiclient import registry


@dataclass
class Town:
    world: object
    places: object
    residents: dict[str, Resident]

    @property
    def building(self):
        return self.places["a1"].house.unit.building


def town_of(world) -> Town:
    places = registry(world)
    a1 = places["a1"]
    next_house = factories.house(world.grid_a1, a1.estate, building="2", number="201")
    next_household = Household.objects.create(number="A1-0002", house=next_house)
    residents = {
        "a1": factories.resident("13900000001", a1.person),
        "a1_next": factories.resident(
            "13900000002", factories.person(world.grid_a1, next_household, name="邻居", phone="13900000002")
        ),
        "a1b": factories.resident("13900000003", factories.person(world.grid_a1b, name="二网格居民")),
        "a2": factories.resident("13900000004", places["a2"].person),
        "b1": factories.resident("13900000005", places["b1"].person),
        "unbound": factories.resident("13900000006"),
    }
    return Town(world, places, residents)
