"""Small factories for tests: a two-street district with users of every role (personas).

- The district 沈河区 (210103) has streets 甲 and 乙; street 甲 has communities 甲一 and 甲二, street 乙 has 乙一.
- Each community has two grids. `street_staff` works in street 甲 and should see 甲一 and 甲二 but never 乙一.
- `community_worker` sees 甲一 only; `community_worker2` sees 甲二 only; `grid_worker` sees grid 甲一-1 only.
- `dept_handler` and `company_staff` belong to organisations; they see no people registry.
"""

import itertools
import random
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import Permission
from django.utils import timezone

from linli.accounts.models import Role, User
from linli.core.pii import lookup_hash
from linli.organizations.models import Organization
from linli.people import rules
from linli.people.models import Building, Estate, House, Household, Person, Unit
from linli.regions.models import Region
from linli.residents.account.rules import NOTICE_VERSION
from linli.residents.account.services import consent_accept
from linli.residents.services import resident_account

PASSWORD = "linli-test-2026"
# The personas world() creates, in the order the authorization matrices list them.
PERSONAS = (
    "admin",
    "district_staff",
    "street_staff",
    "community_worker",
    "community_worker2",
    "grid_worker",
    "dept_handler",
    "company_staff",
)


def region(parent: Region | None, level: int, code: str, name: str, **extra) -> Region:
    from linli.regions.rules import path_for

    return Region.objects.create(parent=parent, level=level, code=code, name=name, path=path_for(code, level), **extra)


def user(username: str, role: str, region: Region | None = None, organization=None, perms=()) -> User:
    u = User.objects.create_user(
        username,
        password=PASSWORD,
        role=role,
        region=region,
        organization=organization,
        is_superuser=role == Role.ADMIN,
        is_staff=role == Role.ADMIN,
    )
    for codename in perms:
        app, name = codename.split(".")
        u.user_permissions.add(Permission.objects.get(content_type__app_label=app, codename=name))
    return User.objects.get(pk=u.pk)  # fresh, so permission caches start empty


_serial = itertools.count(1)


def resident_id(birth: date, female: bool = False, prefix: str = "210103") -> str:
    seq = next(_serial) % 500
    body = f"{prefix}{birth:%Y%m%d}{seq // 5:02d}{(seq % 5) * 2 + (0 if female else 1)}"
    return body + rules.id_check_char(body)


def person(
    grid: Region,
    household: Household | None = None,
    name: str = "张三",
    birth=date(1980, 5, 1),
    female: bool = False,
    phone: str = "13812345678",
    **extra,
) -> Person:
    number = resident_id(birth, female)
    return Person.objects.create(
        name=name,
        id_number=number,
        id_hash=lookup_hash(number),
        gender="F" if female else "M",
        birth_date=birth,
        phone=phone,
        phone_hash=lookup_hash(phone) if phone else "",
        grid=grid,
        household=household,
        **extra,
    )


def house(grid: Region, estate: Estate, building: str = "1", unit: str = "1", number: str | None = None) -> House:
    b, _ = Building.objects.get_or_create(estate=estate, number=building, defaults={"grid": grid})
    u, _ = Unit.objects.get_or_create(building=b, number=unit)
    return House.objects.create(
        unit=u,
        number=number or str(random.randint(101, 2999)),
        grid=grid,
        building_area="89.50",
        exclusive_area="76.20",
    )


@dataclass
class World:
    district: Region
    street_a: Region
    street_b: Region
    community_a1: Region
    community_a2: Region
    community_b1: Region
    grid_a1: Region
    grid_a1b: Region
    grid_a2: Region
    grid_b1: Region
    users: dict[str, User] = field(default_factory=dict)


def world() -> World:
    d = region(None, Region.Level.DISTRICT, "210103000000", "沈河区")
    sa = region(d, Region.Level.STREET, "210103001000", "甲街道")
    sb = region(d, Region.Level.STREET, "210103002000", "乙街道")
    ca1 = region(sa, Region.Level.COMMUNITY, "210103001001", "甲一社区")
    ca2 = region(sa, Region.Level.COMMUNITY, "210103001002", "甲二社区")
    cb1 = region(sb, Region.Level.COMMUNITY, "210103002001", "乙一社区")
    ga1 = region(ca1, Region.Level.GRID, "210103001001001", "甲一1号网格", grid_kind="small")
    ga1b = region(ca1, Region.Level.GRID, "210103001001002", "甲一2号网格", grid_kind="small")
    ga2 = region(ca2, Region.Level.GRID, "210103001002001", "甲二1号网格", grid_kind="small")
    gb1 = region(cb1, Region.Level.GRID, "210103002001001", "乙一1号网格", grid_kind="small")
    dept = Organization.objects.create(kind="department", name="区城市管理综合执法局", region=d)
    company = Organization.objects.create(kind="company", name="安居物业", region=d)
    pii = ("people.view_pii", "people.export_pii", "people.view_sensitive_tags")
    w = World(d, sa, sb, ca1, ca2, cb1, ga1, ga1b, ga2, gb1)
    w.users = {
        "admin": user("admin", Role.ADMIN),
        "district_staff": user("district_staff", Role.DISTRICT_STAFF, d),
        "street_staff": user("street_staff", Role.STREET_STAFF, sa, perms=pii),
        "community_worker": user("community_worker", Role.COMMUNITY_WORKER, ca1),
        "community_worker2": user("community_worker2", Role.COMMUNITY_WORKER, ca2),
        "grid_worker": user("grid_worker", Role.GRID_WORKER, ga1),
        "dept_handler": user("dept_handler", Role.DEPT_HANDLER, organization=dept),
        "company_staff": user("company_staff", Role.COMPANY_STAFF, organization=company),
    }
    return w


def resident(phone: str, person: Person | None = None, *, consent: bool = True):
    """A resident's portal account (fresh from the database), bound to `person` if given, having agreed to the
    privacy notice in force unless `consent=False`."""
    r = resident_account(phone)
    if consent:
        consent_accept(resident=r, version=NOTICE_VERSION)
    if person is not None:
        r.person, r.bound_at = person, timezone.now()
        r.save(update_fields=["person", "bound_at"])
    return type(r).objects.select_related("user", "person").get(pk=r.pk)


def install_case_catalogue(w: World) -> None:
    """The standard case categories and departments; the persona dept_handler works for 区城市管理综合执法局."""
    from linli.cases.services import catalogue_install

    catalogue_install(district=w.district)


def case(grid: Region, *, category: str = "0401", channel: str = "window", description: str = "小区门口路灯不亮三天了",
         **data):  # fmt: skip
    """A case received at a grid's front desk (state received), by the admin persona."""
    from linli.cases.models import Category
    from linli.cases.services import case_create

    admin = User.objects.get(username="admin")
    data = {"category_id": Category.objects.get(code=category).pk, "description": description, "region_id": grid.pk,
            "reporter_name": "王女士", "reporter_phone": "13912345678", **data}  # fmt: skip
    return case_create(user=admin, channel=channel, data=data)
