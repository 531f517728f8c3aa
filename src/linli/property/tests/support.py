"""The property tests' place: the persona district (linli.testing.factories.world) with an estate in 甲一社区 served
by 安居物业 (the company persona's), one in 乙一社区 without a company, and a complaint about the first estate that
the company answered and the grid worker closed."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from linli.cases.models import Case
from linli.cases.services import case_act
from linli.organizations.models import Organization
from linli.people.models import Estate
from linli.property import services
from linli.property.models import Project
from linli.testing import factories


@dataclass
class Place:
    world: factories.World
    company: Organization
    other: Organization  # a second company, registered in 乙街道
    a1: Estate  # 甲一社区, served by company
    b1: Estate  # 乙一社区, no company
    project: Project


def act(user, case: Case, action: str, **params) -> Case:
    return case_act(user=user, case_id=case.pk, action=action, version=case.version, **params)


def complaint(w, estate: Estate, company: Organization, *, close: bool = True) -> Case:
    """A case about a house of `estate`, dispatched to `company`, answered by its staff and closed on site."""
    house = estate.buildings.first().units.first().houses.first()
    case = factories.case(house.grid, category="0302", description="楼道长期堆放杂物，保洁不到位", house_id=house.pk)
    case = act(w.users["admin"], case, "register")
    case = act(w.users["admin"], case, "dispatch", department_id=company.pk)
    staff = w.users["company_staff"]
    case = act(staff, case, "accept")
    case = act(staff, case, "feedback", note="已清理楼道杂物")
    if close:
        case = act(w.users["grid_worker"], case, "verify")  # the on-site check of 甲一社区's grid
    return case


def place(w) -> Place:
    factories.install_case_catalogue(w)
    company = Organization.objects.get(name="安居物业")
    other = Organization.objects.create(kind="company", name="乙街物业", region=w.street_b)
    a1 = Estate.objects.create(region=w.community_a1, name="锦绣家园")
    b1 = Estate.objects.create(region=w.community_b1, name="乙一花园")
    for estate, grid in ((a1, w.grid_a1), (b1, w.grid_b1)):
        for number in ("101", "102"):
            factories.house(grid, estate, number=number)
    project = services.project_create(
        user=w.users["district_staff"], company_id=company.pk, estate_id=a1.pk, estate_version=a1.version,
        contract_start=date(2025, 1, 1), contract_end=date(2027, 12, 31), fee=Decimal("1.20"),
        selection="agreement", approval="区房产局〔2024〕12号",
    )  # fmt: skip
    a1.refresh_from_db()
    return Place(w, company, other, a1, b1, project)
