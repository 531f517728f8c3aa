"""Where the committees' tests happen: the persona district with an estate of seven owners in 甲一社区 (the
community_worker's) and one in 乙一社区 (street 乙: outside street_staff's scope)."""

from dataclasses import dataclass
from datetime import date

from linli.committees import rules, services
from linli.organizations.models import Organization
from linli.people.models import Estate, HouseOwner, Person
from linli.testing import factories

OWNERS = 7


@dataclass
class Place:
    estate: Estate
    owners: list[Person]
    company: Organization


def place(world, community, grid, name: str) -> Place:
    company = Organization.objects.get(name="安居物业")
    estate = Estate.objects.create(
        region=community, name=name, property_company=company, management=Estate.Management.PROFESSIONAL
    )
    owners = []
    for i in range(OWNERS):
        house = factories.house(grid, estate, building=str(i % 2 + 1), number=str(101 + i))
        owner = factories.person(grid, name=f"{name}业主{i + 1}", phone="")
        HouseOwner.objects.create(house=house, person=owner)
        owners.append(owner)
    return Place(estate, owners, company)


def places(world) -> dict[str, Place]:
    return {
        "in": place(world, world.community_a1, world.grid_a1, "甲一花园"),
        "out": place(world, world.community_b1, world.grid_b1, "乙一花园"),
    }


def members(owners, n: int = 5, party: int = 2) -> list[services.Member]:
    roles = [rules.CHAIR, rules.VICE_CHAIR] + [rules.MEMBER] * (n - 2)
    return [services.Member(o.pk, role, i < party) for i, (o, role) in enumerate(zip(owners, roles, strict=False))]


def form(user, p: Place, formed_on=date(2024, 3, 15), n: int = 5, **extra):
    return services.committee_form(
        user=user, estate_id=p.estate.pk, assembly_on=formed_on, formed_on=formed_on,
        members=members(p.owners, n), **extra,
    )  # fmt: skip


def worker_of(world, p: Place):
    """The community worker who records committees of the place's community (a fresh one for 乙一社区)."""
    if p.estate.region_id == world.community_a1.pk:
        return world.users["community_worker"]
    return factories.user("community_worker_b1", "community_worker", world.community_b1)
