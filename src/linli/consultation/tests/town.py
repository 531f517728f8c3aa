"""Where the consultation's tests happen: the notices' town (linli.notices.tests.town: residents `a1`, `a1_next`,
`a1b` of 甲一社区, `a2`, `b1` of other communities, `unbound`), and `owner`, who lives in 乙一社区 but owns the
flat of 甲一小区 building 1 that `a1` lives in: a place's owners take part in its consultation as its residents do."""

from linli.notices.tests.town import Town
from linli.notices.tests.town import town_of as notices_town
from linli.people.models import HouseOwner
from linli.testing import factories

__all__ = ["Town", "town_of"]


def town_of(world) -> Town:
    town = notices_town(world)
    person = factories.person(world.grid_b1, name="外住业主", phone="13900000007")
    HouseOwner.objects.create(house=town.places["a1"].house, person=person)
    town.residents["owner"] = factories.resident("13900000007", person)
    return town
