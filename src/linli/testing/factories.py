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

from django.contrib.auth.hashers import make_password
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
    return regions((parent, level, code, name, extra))[0]


def regions(*specs) -> list[Region]:
    """Regions from (parent, level, code, name, extra) in one insert; parents must exist already."""
    from linli.regions.rules import path_for

    return Region.objects.bulk_create(
        Region(parent=parent, level=level, code=code, name=name, path=path_for(code, level), **extra)
        for parent, level, code, name, extra in specs
    )


def user(username: str, role: str, region: Region | None = None, organization=None, perms=()) -> User:
    return users((username, role, region, organization, perms))[username]


def users(*specs) -> dict[str, User]:
    """Users from (username, role, region, organization, perms), by username, with the suite's PASSWORD: one insert
    and fresh rows (so permission caches start empty) instead of a save and a reload per user, as every test of a
    persona district makes eight of them."""
    rows = User.objects.bulk_create(
        User(
            username=username,
            password=make_password(PASSWORD),
            role=role,
            region=region,
            organization=organization,
            is_superuser=role == Role.ADMIN,
            is_staff=role == Role.ADMIN,
        )
        for username, role, region, organization, _ in specs
    )
    granted = {(u.pk, codename) for u, (*_, perms) in zip(rows, specs, strict=True) for codename in perms}
    if granted:
        wanted = {codename for _, codename in granted}
        permissions = {
            f"{p.content_type.app_label}.{p.codename}": p
            for p in Permission.objects.select_related("content_type").filter(
                codename__in=[c.split(".")[1] for c in wanted]
            )
            if f"{p.content_type.app_label}.{p.codename}" in wanted
        }
        User.user_permissions.through.objects.bulk_create(
            User.user_permissions.through(user_id=pk, permission=permissions[codename]) for pk, codename in granted
        )
    return {u.username: u for u in User.objects.filter(pk__in=[u.pk for u in rows])}


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
    level = Region.Level
    (d,) = regions((None, level.DISTRICT, "210103000000", "沈河区", {}))
    sa, sb = regions((d, level.STREET, "210103001000", "甲街道", {}), (d, level.STREET, "210103002000", "乙街道", {}))
    ca1, ca2, cb1 = regions(
        (sa, level.COMMUNITY, "210103001001", "甲一社区", {}),
        (sa, level.COMMUNITY, "210103001002", "甲二社区", {}),
        (sb, level.COMMUNITY, "210103002001", "乙一社区", {}),
    )
    small = {"grid_kind": "small"}
    ga1, ga1b, ga2, gb1 = regions(
        (ca1, level.GRID, "210103001001001", "甲一1号网格", small),
        (ca1, level.GRID, "210103001001002", "甲一2号网格", small),
        (ca2, level.GRID, "210103001002001", "甲二1号网格", small),
        (cb1, level.GRID, "210103002001001", "乙一1号网格", small),
    )
    dept, company = Organization.objects.bulk_create(
        [
            Organization(kind="department", name="区城市管理综合执法局", region=d),
            Organization(kind="company", name="安居物业", region=d),
        ]
    )
    pii = ("people.view_pii", "people.export_pii", "people.view_sensitive_tags")
    w = World(d, sa, sb, ca1, ca2, cb1, ga1, ga1b, ga2, gb1)
    made = users(
        ("admin", Role.ADMIN, None, None, ()),
        ("district_staff", Role.DISTRICT_STAFF, d, None, ()),
        ("street_staff", Role.STREET_STAFF, sa, None, pii),
        ("community_worker", Role.COMMUNITY_WORKER, ca1, None, ()),
        ("community_worker2", Role.COMMUNITY_WORKER, ca2, None, ()),
        ("grid_worker", Role.GRID_WORKER, ga1, None, ()),
        ("dept_handler", Role.DEPT_HANDLER, None, dept, ()),
        ("company_staff", Role.COMPANY_STAFF, None, company, ()),
    )
    w.users = {persona: made[persona] for persona in PERSONAS}
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
