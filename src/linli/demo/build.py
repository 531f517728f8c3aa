"""Writes the demo district into the database, through the same rules as real data.

- Region codes and boundaries pass regions.rules.validate_code / validate_boundary.
- Every house passes people.services.house_clean, every household household_values, every person
  person_clean (ID number checks, birth date and gender against the number, 56 民族, phone formats): the
  validation of the forms, the API and the Excel import. A value they refuse stops the build.
- The registry goes in through the bulk writer (bulk.py: COPY on PostgreSQL, executemany on SQLite) with the
  history rows an import writes: each record created (households without their head), then the heads set. With
  `bulk_load=False` it goes in as the import writes it, through persons_insert_batch and households_insert_batch;
  both give the same rows.
- Departments and case categories are the case catalogue's (cases.services.catalogue_install); organisations'
  credit codes pass people.rules.validate_credit_code.
- Cases are played step by step through cases.rules, with the services' deadlines (cases.py).
The build runs in one transaction, one community at a time, so memory stays flat and a failure leaves
nothing behind. Generation and the play of cases run in worker processes beside the writing.
"""

import hashlib
import multiprocessing
import os
import random
import time
import traceback
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from queue import Empty

from django.apps import apps
from django.contrib.auth.models import Permission
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from linli.accounts import roles
from linli.accounts.models import Role, User
from linli.assessment.models import Score
from linli.audit.models import AuditEntry
from linli.audit.services import audit_record
from linli.campaigns.models import ProgressReport, TaskUnit
from linli.cases.models import Case, CaseEvent
from linli.cases.services import catalogue_install
from linli.honours.models import Honour
from linli.organizations.models import Organization
from linli.people import rules as people_rules
from linli.people.models import (
    Building,
    Estate,
    House,
    Household,
    HouseOwner,
    Person,
    PersonTag,
    Rental,
    RentalTenant,
    Tag,
    Unit,
)
from linli.people.services import (
    house_clean,
    household_values,
    households_insert_batch,
    person_clean,
    persons_insert_batch,
)
from linli.regions import rules as region_rules
from linli.regions.models import GridStaff, Region
from linli.stats import services as stats_services
from linli.stats.models import CaseChange, Change

from . import archives as archives_demo  # 电子台账
from . import (
    binding,
    bulk,
    bulletins,
    campaigns,
    cases,
    catalog,
    committees,
    consultation,
    geometry,
    housing,
    identity,
    notices,
    population,
    reports,
    surveys,
    votes,
)
from . import burden as burden_demo  # 社区减负
from . import certificates as certificates_demo  # 居委会证明
from . import donations as donations_demo
from . import property as property_demo
from . import volunteers as volunteers_demo  # 志愿服务

DEMO_PASSWORD = "linli-demo-2026"
# The residents' portal signs in by a code sent to a phone; the demo's SMS land in the outbox (docs/demo.md).
DEMO_PHONE = binding.DEMO_PHONE
DEFAULT_SEED = 20260701
HOUSES_PER_COMMUNITY = 2650  # about 21,000 houses → about 20,000 households and 50,000 residents
ESTATES_PER_COMMUNITY = (8, 7)  # alternating: 60 estates in 8 communities
GRIDS_PER_COMMUNITY = 5
# The big tables: on PostgreSQL they are loaded before their indexes and foreign keys are made (bulk.indexes_later).
BULK_LOADED = [
    House,
    Household,
    Household.history.model,
    Person,
    Person.history.model,
    PersonTag,
    PersonTag.history.model,
    HouseOwner,
    Rental,
    RentalTenant,
    Case,
    Case.assisting.through,
    CaseEvent,
]
# Reference data seeded by migrations: kept when the demo is rebuilt.
REFERENCE_MODELS = {"people.tag", "workdays.calendarday"}
PII_PERMISSIONS = ("people.view_pii", "people.export_pii", "people.view_sensitive_tags")

# username, role, English role, where the account is attached (see _accounts)
ACCOUNTS = [
    ("admin", Role.ADMIN),
    ("district_staff", Role.DISTRICT_STAFF),
    ("street_staff", Role.STREET_STAFF),
    ("community_worker", Role.COMMUNITY_WORKER),
    ("community_worker2", Role.COMMUNITY_WORKER),
    ("grid_worker", Role.GRID_WORKER),
    ("dept_handler", Role.DEPT_HANDLER),
    ("dept_housing", Role.DEPT_HANDLER),
    ("dept_sanitation", Role.DEPT_HANDLER),
    ("dept_heating", Role.DEPT_HANDLER),
    ("company_staff", Role.COMPANY_STAFF),
]
# The department of each dept_handler account: the ones handling most of the demo's cases (catalogue names).
DEPARTMENT_ACCOUNTS = {
    "dept_handler": "区城市管理综合执法局",
    "dept_housing": "区住房和城乡建设局",
    "dept_sanitation": "区环境卫生服务中心",
    "dept_heating": "市供热公司",
}


@dataclass
class Report:
    seconds: float = 0.0
    counts: dict = field(default_factory=dict)
    phases: dict = field(default_factory=dict)  # seconds spent in each phase, shown by demo_build -v 2


_phases: dict[str, float] = {}


@contextmanager
def _phase(name: str):
    started = time.perf_counter()
    try:
        yield
    finally:
        _phases[name] = _phases.get(name, 0.0) + time.perf_counter() - started


def demo_exists() -> bool:
    return Region.objects.filter(code=catalog.DISTRICT[0]).exists() and User.objects.filter(username="admin").exists()


def has_domain_data() -> bool:
    return any(m.objects.exists() for m in (Region, Organization, Person, User))


# Django's own apps whose tables hold what the demo leaves behind: sessions, lockouts, the admin's log.
FLUSHED_APPS = ("sessions", "axes", "admin")


def _flushable_tables() -> list[str]:
    tables = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if not meta.managed or meta.proxy or meta.label_lower in REFERENCE_MODELS:
            continue
        if meta.app_config.name.startswith("linli.") or meta.app_label in FLUSHED_APPS:
            tables.append(meta.db_table)
    return sorted(set(tables))


def reset() -> None:
    """Empty the domain tables (people, regions, organisations, accounts, audit, sessions, lockouts).

    Reference data that migrations seed (tags, the holiday calendar), content types and permissions stay.
    """
    statements = connection.ops.sql_flush(no_style(), _flushable_tables(), reset_sequences=True, allow_cascade=True)
    with transaction.atomic():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Rows written earlier in the same transaction leave deferred foreign-key checks pending, and
                # PostgreSQL refuses to TRUNCATE a table with pending trigger events: run the checks now.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for sql in statements:
                cursor.execute(sql)
            # SQLite deletes table after table, and the registry's triggers log each deletion for the summaries
            # (stats/migrations/0002): a log flushed before the people tables fills again. Empty the logs last.
            for sql in connection.ops.sql_flush(no_style(), [m._meta.db_table for m in (Change, CaseChange)]):
                cursor.execute(sql)


# --- regions and organisations ----------------------------------------------------------------------------


def _region(parent: Region | None, level: int, code: str, name: str, boundary: dict, **extra) -> Region:
    code = region_rules.validate_code(code, level, parent.code if parent else None, parent.level if parent else None)
    boundary = region_rules.validate_boundary(boundary)
    return Region(
        parent=parent,
        level=level,
        code=code,
        name=name,
        path=region_rules.path_for(code, level),
        boundary=boundary,
        **extra,
    )


@dataclass
class Regions:
    district: Region
    streets: list[Region]
    communities: list[list[Region]]  # per street
    grids: dict[int, list[Region]]  # community pk → its grids
    layout: geometry.Layout


def _regions(rng: random.Random) -> Regions:
    layout = geometry.district_layout(rng, catalog.CENTER, len(catalog.STREETS), 4, GRIDS_PER_COMMUNITY)
    code, name = catalog.DISTRICT
    district = _region(None, Region.Level.DISTRICT, code, name, layout.district.polygon())
    district.save()
    streets = Region.objects.bulk_create(
        _region(district, Region.Level.STREET, s_code, s_name, rect.polygon())
        for (s_code, s_name, _), rect in zip(catalog.STREETS, layout.streets, strict=True)
    )
    communities = []
    for street, (_, _, names), rects in zip(streets, catalog.STREETS, layout.communities, strict=True):
        communities.append(
            Region.objects.bulk_create(
                _region(street, Region.Level.COMMUNITY, f"{street.code[:9]}{i:03d}", c_name, rect.polygon())
                for i, (c_name, rect) in enumerate(zip(names, rects, strict=True), start=1)
            )
        )
    grids = []
    for s, street_communities in enumerate(communities):
        for c, community in enumerate(street_communities):
            for g, rect in enumerate(layout.grids[s][c], start=1):
                grids.append(
                    _region(
                        community,
                        Region.Level.GRID,
                        f"{community.path}{g:03d}",
                        f"{community.name}第{g}网格",
                        rect.polygon(),
                        grid_kind=Region.GridKind.SMALL,
                    )
                )
    grids = Region.objects.bulk_create(grids)
    by_community: dict[int, list[Region]] = {}
    for grid in grids:
        by_community.setdefault(grid.parent_id, []).append(grid)
    return Regions(district, streets, communities, by_community, layout)


def _organizations(rng: random.Random, district: Region) -> tuple[list[Organization], list[Organization]]:
    """The case catalogue's departments (cases.services.catalogue_install, with its categories) given credit
    codes, and the property companies."""
    catalogue_install(district=district)
    departments = list(Organization.objects.filter(kind=Organization.Kind.DEPARTMENT).order_by("pk"))
    for org in departments:
        prefix = catalog.DEPARTMENT_CREDIT_PREFIXES.get(org.name, catalog.DISTRICT_ORGAN)
        org.credit_code = people_rules.validate_credit_code(identity.credit_code(rng, prefix))
    Organization.objects.bulk_update(departments, ["credit_code"])
    companies = Organization.objects.bulk_create(
        Organization(
            kind=Organization.Kind.COMPANY,
            name=name,
            region=district,
            credit_code=people_rules.validate_credit_code(identity.credit_code(rng, prefix)),
        )
        for name, prefix in catalog.PROPERTY_COMPANIES
    )
    return departments, companies


def _grid_staff(ctx: population.Context, regions: Regions) -> dict[int, list[GridStaff]]:
    """网格长 and 网格员 for every grid, and two or three 楼栋长."""
    rng = ctx.rng
    staff = []
    for grids in regions.grids.values():
        for grid in grids:
            duties = [GridStaff.Duty.LEADER, GridStaff.Duty.WORKER] + [GridStaff.Duty.WORKER] * (rng.random() < 0.4)
            duties += [GridStaff.Duty.BUILDING] * rng.randint(2, 3)
            for duty in duties:
                male = rng.random() < (0.35 if duty != GridStaff.Duty.BUILDING else 0.5)
                born = rng.randint(1966, 1998) if duty != GridStaff.Duty.BUILDING else rng.randint(1950, 1975)
                name = ctx.surname() + ctx.given_name(male, born)
                staff.append(
                    GridStaff(grid=grid, duty=duty, name=name, phone=people_rules.validate_phone(ctx.phones.mobile()))
                )
    by_grid: dict[int, list[GridStaff]] = {}
    for s in GridStaff.objects.bulk_create(staff):
        by_grid.setdefault(s.grid_id, []).append(s)
    return by_grid


def _accounts(ctx, regions: Regions, departments, companies, staff: dict[int, list[GridStaff]]) -> dict[str, User]:
    street = regions.streets[0]
    community, community2 = regions.communities[0][0], regions.communities[0][1]
    grid = regions.grids[community.pk][0]
    attach = {
        "admin": {},
        "district_staff": {"region": regions.district},
        "street_staff": {"region": street},
        "community_worker": {"region": community},
        "community_worker2": {"region": community2},
        "grid_worker": {"region": grid},
        "company_staff": {"organization": companies[0]},
    }
    by_name = {d.name: d for d in departments}
    attach |= {username: {"organization": by_name[name]} for username, name in DEPARTMENT_ACCOUNTS.items()}
    grid_worker_staff = next(s for s in staff[grid.pk] if s.duty == GridStaff.Duty.WORKER)
    # The grid worker's account is the grid's 网格员 of the registry; the others get a name of their own.
    names = {"grid_worker": grid_worker_staff.name}
    # One PBKDF2 run for all the demo accounts: they share a published password, so a salt per account would
    # protect nothing, and each run costs about a second on a small machine.
    hashed = User()
    hashed.set_password(DEMO_PASSWORD)
    users = {}
    for username, role in ACCOUNTS:
        name = names.get(username) or ctx.surname() + ctx.given_name(
            ctx.rng.random() < 0.5, ctx.rng.randint(1970, 1995)
        )
        user = User(username=username, role=role, first_name=name, **attach[username])
        user.is_superuser = user.is_staff = roles.is_admin(user)
        user.password = hashed.password
        user.save()
        users[username] = user
    perms = []
    for label in PII_PERMISSIONS:
        app_label, codename = label.split(".")
        perms.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    users["street_staff"].user_permissions.add(*perms)
    GridStaff.objects.filter(pk=grid_worker_staff.pk).update(user=users["grid_worker"])
    return users


# --- housing and population -------------------------------------------------------------------------------


def _insert_housing(community: Region, grids: list[Region], estates: list[housing.EstateSpec]) -> list[House]:
    estate_rows = Estate.objects.bulk_create(
        Estate(
            region=community,
            name=e.name,
            address=e.address,
            built_year=e.built_year,
            longitude=f"{e.lon:.6f}",
            latitude=f"{e.lat:.6f}",
            outline=e.outline,
        )
        for e in estates
    )
    building_rows = Building.objects.bulk_create(
        Building(
            estate=row,
            number=b.number,
            grid=grids[b.grid],
            floors=b.floors,
            longitude=f"{b.lon:.6f}",
            latitude=f"{b.lat:.6f}",
        )
        for row, e in zip(estate_rows, estates, strict=True)
        for b in e.buildings
    )
    specs = [b for e in estates for b in e.buildings]
    unit_rows = Unit.objects.bulk_create(
        Unit(building=row, number=u.number) for row, b in zip(building_rows, specs, strict=True) for u in b.units
    )
    unit_specs = [u for b in specs for u in b.units]
    houses = []
    for row, u in zip(unit_rows, unit_specs, strict=True):
        for h in u.houses:
            houses.append(
                House(
                    unit=row,
                    number=h.number,
                    floor=h.floor,
                    grid=grids[h.grid],
                    building_area=h.building_area,
                    exclusive_area=h.exclusive_area,
                    use=h.use,
                )
            )
    return House.objects.bulk_create(houses, batch_size=1000)


# --- generation (pure, possibly in a worker process) and insertion (this process) ---------------------------


@dataclass(frozen=True)
class CommunityPlan:
    """What generation needs to know of a community; plain data, so it can cross to a worker process."""

    code: str
    path: str
    estates: int
    houses: int
    grid_rects: list[geometry.Rect]


@dataclass
class CommunityData:
    estates: list[housing.EstateSpec]
    population: population.CommunityPopulation
    persons: list[dict]  # person_clean values, household by household, member by member


def _house_infos(estates: list[housing.EstateSpec]) -> list[population.HouseInfo]:
    return [
        population.HouseInfo(
            h.use,
            h.building_area,
            f"{catalog.CITY_PREFIX}{e.address}{e.name}{b.number}号楼{u.number}单元{h.number}室",
            e.built_year,
        )
        for e in estates
        for b, u, h in e.houses()
    ]


def generate(seed: int, plans: list[CommunityPlan]) -> Iterator[CommunityData]:
    """Estates, households and validated persons of each community, in order. No database access."""
    ctx = population.Context(random.Random(f"{seed}:people"))
    today = max(date.today(), population.REFERENCE_DATE)
    used_names: set[str] = set()
    for plan in plans:
        estates = housing.community_housing(
            random.Random(f"{seed}:{plan.code}"),
            houses=plan.houses,
            estates=plan.estates,
            grid_rects=plan.grid_rects,
            used_names=used_names,
        )
        for e in estates:
            for b, u, h in e.houses():
                values, errors = house_clean(
                    {"building": b.number, "unit": u.number, "number": h.number, "floor": h.floor, "use": h.use,
                     "building_area": h.building_area, "exclusive_area": h.exclusive_area}
                )  # fmt: skip
                if errors:
                    raise ValueError(f"demo house {values} fails validation: {[e.as_dict() for e in errors]}")
                h.building_area, h.exclusive_area, h.use = (
                    values["building_area"],
                    values["exclusive_area"],
                    values["use"],
                )
        pop = population.populate_community(ctx, houses=_house_infos(estates), number_prefix=plan.path)
        for hh in pop.households:
            hh.number, hh.kind, hh.note = household_values(
                {"number": hh.number, "kind": hh.kind, "note": hh.note}
            ).values()
        persons = []
        for hh in pop.households:
            for m in hh.members:
                values, errors = person_clean(m.fields, today=today)
                if errors:
                    raise ValueError(f"demo person {m.fields} fails validation: {[e.as_dict() for e in errors]}")
                persons.append(values)
                m.fields = {}  # cleaned values travel in `persons`
        yield CommunityData(estates, pop, persons)


def _generate_into(queue, seed: int, plans: list[CommunityPlan]) -> None:
    try:
        for data in generate(seed, plans):
            queue.put(("data", data))
        queue.put(("done", None))
    except BaseException:  # noqa: BLE001 — reported to the parent, which raises it
        queue.put(("error", traceback.format_exc()))


def _community_stream(seed: int, plans: list[CommunityPlan], parallel: bool) -> Iterator[CommunityData]:
    """generate(), run in a forked worker when asked so that generation and validation use the second core
    while this process writes. The worker touches no database; the result is the same either way."""
    if not parallel:
        yield from generate(seed, plans)
        return
    mp = multiprocessing.get_context("fork")
    try:
        queue = mp.Queue(maxsize=2)  # at most a couple of communities wait in memory
        worker = mp.Process(target=_generate_into, args=(queue, seed, plans), daemon=True)
        worker.start()
    except OSError:  # no semaphores (a container without /dev/shm) or no processes left: generate here
        yield from generate(seed, plans)
        return
    try:
        while True:
            try:
                kind, payload = queue.get(timeout=5)
            except Empty:
                if not worker.is_alive():
                    raise RuntimeError(f"demo generator exited with code {worker.exitcode}") from None
                continue
            if kind == "done":
                break
            if kind == "error":
                raise RuntimeError(f"demo generator failed:\n{payload}")
            yield payload
    finally:
        if worker.is_alive():
            worker.terminate()
        worker.join()


def _tag_links(pop: population.CommunityPopulation, index: list[list], tags: dict[str, Tag]) -> Iterator[tuple]:
    """(person, tag, grade) of every member's tags; `index` holds the persons (or their ids) by household."""
    for hh, members in zip(pop.households, index, strict=True):
        for m, person in zip(hh.members, members, strict=True):
            for code, grade in m.tags:
                tag = tags[code]
                if tag.graded != (grade is not None):
                    raise ValueError(f"tag {code} grade {grade}")
                yield person, tag, grade


def _insert_population(data: CommunityData, houses: list[House], tags: dict[str, Tag]) -> None:
    pop = data.population
    with _phase("households"):
        household_rows = households_insert_batch(
            user=None,
            rows=[
                {
                    "number": hh.number,
                    "kind": hh.kind,
                    "house_id": houses[hh.house].pk,
                    "grid_id": houses[hh.house].grid_id,
                    "note": hh.note,
                }
                for hh in pop.households
            ],
        )
    rows, values = [], iter(data.persons)
    for hh, row in zip(pop.households, household_rows, strict=True):
        for _ in hh.members:
            rows.append({**next(values), "grid_id": houses[hh.house].grid_id, "household_id": row.pk})
    with _phase("persons"):
        persons = persons_insert_batch(user=None, rows=rows)
    del rows

    # (household index, member index) → Person
    at, index = 0, []
    for hh in pop.households:
        index.append(persons[at : at + len(hh.members)])
        at += len(hh.members)

    # Heads: one UPDATE per chunk of households (each has exactly one member entered as 户主), then the history
    # rows of that change, as bulk_update_with_history would write them, without its CASE WHEN per row.
    with _phase("heads"):
        heads = []
        for hh, row, members in zip(pop.households, household_rows, index, strict=True):
            if hh.head is not None:
                row.head_id = members[hh.head].pk
                heads.append(row)
        head_of = Person.objects.filter(household=OuterRef("pk"), relationship=Person.Relationship.HEAD).values("pk")
        updated = 0
        for start in range(0, len(heads), 900):  # SQLite builds may allow only 999 parameters a statement
            chunk = [row.pk for row in heads[start : start + 900]]
            updated += Household.objects.filter(pk__in=chunk).update(head=Subquery(head_of[:1]))
        if updated != len(heads):
            raise ValueError("household heads were not all set")
        Household.history.bulk_history_create(heads, batch_size=1000, update=True)

    with _phase("tags"):
        links = [PersonTag(person=p, tag=tag, grade=grade) for p, tag, grade in _tag_links(pop, index, tags)]
        bulk_create_with_history(links, PersonTag, batch_size=1000)

    with _phase("owners and rentals"):
        owners = {}
        for o in pop.owners:
            key = (houses[o.house].pk, index[o.person[0]][o.person[1]].pk)
            owners.setdefault(key, HouseOwner(house_id=key[0], person_id=key[1], since=o.since))
        HouseOwner.objects.bulk_create(owners.values(), batch_size=1000)
        rentals = Rental.objects.bulk_create(
            Rental(
                house=houses[r.house],
                landlord=index[r.landlord[0]][r.landlord[1]],
                starts_on=r.starts_on,
                ends_on=r.ends_on,
                rent=r.rent,
            )
            for r in pop.rentals
        )
        RentalTenant.objects.bulk_create(
            (
                RentalTenant(rental=rental, person=index[hi][mi], registered_on=r.registered_on)
                for rental, r in zip(rentals, pop.rentals, strict=True)
                for hi, mi in r.tenants
            ),
            batch_size=1000,
        )


def _write_community(w: bulk.Writer, community: Region, grids: list[Region], data: CommunityData, tags) -> int:
    """What _insert_housing and _insert_population write, the same rows, through the bulk writer. Returns the
    number of houses."""
    estates = data.estates
    pop = data.population
    with _phase("housing"):
        estate_ids = w.ids(Estate, len(estates))
        w.insert(
            Estate,
            ("id", "region_id", "name", "address", "built_year", "longitude", "latitude", "outline"),
            [
                (
                    pk,
                    community.pk,
                    e.name,
                    e.address,
                    e.built_year,
                    Decimal(f"{e.lon:.6f}"),
                    Decimal(f"{e.lat:.6f}"),
                    e.outline,
                )
                for pk, e in zip(estate_ids, estates, strict=True)
            ],
        )
        buildings = [(estate_pk, b) for estate_pk, e in zip(estate_ids, estates, strict=True) for b in e.buildings]
        building_ids = w.ids(Building, len(buildings))
        w.insert(
            Building,
            ("id", "estate_id", "number", "grid_id", "floors", "longitude", "latitude"),
            [
                (pk, e, b.number, grids[b.grid].pk, b.floors, Decimal(f"{b.lon:.6f}"), Decimal(f"{b.lat:.6f}"))
                for pk, (e, b) in zip(building_ids, buildings, strict=True)
            ],
        )
        units = [(building_pk, u) for building_pk, (_, b) in zip(building_ids, buildings, strict=True) for u in b.units]
        unit_ids = w.ids(Unit, len(units))
        w.insert(
            Unit,
            ("id", "building_id", "number"),
            [(pk, b, u.number) for pk, (b, u) in zip(unit_ids, units, strict=True)],
        )
        house_specs = [(unit_pk, h) for unit_pk, (_, u) in zip(unit_ids, units, strict=True) for h in u.houses]
        house_ids = w.ids(House, len(house_specs))
        house_grid = [grids[h.grid].pk for _, h in house_specs]
        w.insert(
            House,
            ("id", "unit_id", "number", "floor", "grid_id", "building_area", "exclusive_area", "use"),
            [
                (pk, u, h.number, h.floor, g, h.building_area, h.exclusive_area, h.use)
                for pk, (u, h), g in zip(house_ids, house_specs, house_grid, strict=True)
            ],
        )

    # (household index, member index) → person id, in the order of data.persons
    household_ids = w.ids(Household, len(pop.households))
    person_ids = iter(w.ids(Person, len(data.persons)))
    index = [[next(person_ids) for _ in hh.members] for hh in pop.households]
    with _phase("persons"):
        columns = [*data.persons[0], "id", "grid_id", "household_id"]
        rows, values = [], iter(data.persons)
        for hh, pk, members in zip(pop.households, household_ids, index, strict=True):
            grid = house_grid[hh.house]
            rows.extend((*next(values).values(), person, grid, pk) for person in members)
        w.insert_with_history(Person, columns, rows)
        del rows
    with _phase("households"):
        columns = ("id", "number", "kind", "house_id", "grid_id", "note", "head_id")
        rows = [
            (
                pk,
                hh.number,
                hh.kind,
                house_ids[hh.house],
                house_grid[hh.house],
                hh.note,
                None if hh.head is None else members[hh.head],
            )
            for hh, pk, members in zip(pop.households, household_ids, index, strict=True)
        ]
        w.insert(Household, columns, rows)
        # The history an import leaves: the household created without a head, then the change that sets it.
        w.history(Household, columns, [(*r[:-1], None) for r in rows], history_type="+")
    with _phase("heads"):
        w.history(Household, columns, [r for r in rows if r[-1] is not None], history_type="~")

    with _phase("tags"):
        links = [(person, tag.pk, grade) for person, tag, grade in _tag_links(pop, index, tags)]
        link_ids = w.ids(PersonTag, len(links))
        w.insert_with_history(
            PersonTag,
            ("id", "person_id", "tag_id", "grade"),
            [(pk, *link) for pk, link in zip(link_ids, links, strict=True)],
        )

    with _phase("owners and rentals"):
        owners = {}
        for o in pop.owners:
            owners.setdefault((house_ids[o.house], index[o.person[0]][o.person[1]]), o.since)
        w.insert(
            HouseOwner,
            ("id", "house_id", "person_id", "since"),
            [
                (pk, h, p, since)
                for pk, ((h, p), since) in zip(w.ids(HouseOwner, len(owners)), owners.items(), strict=True)
            ],
        )
        rental_ids = w.ids(Rental, len(pop.rentals))
        w.insert(
            Rental,
            ("id", "house_id", "landlord_id", "starts_on", "ends_on", "rent"),
            [
                (pk, house_ids[r.house], index[r.landlord[0]][r.landlord[1]], r.starts_on, r.ends_on, r.rent)
                for pk, r in zip(rental_ids, pop.rentals, strict=True)
            ],
        )
        tenants = [
            (rental, index[hi][mi], r.registered_on)
            for rental, r in zip(rental_ids, pop.rentals, strict=True)
            for hi, mi in r.tenants
        ]
        w.insert(
            RentalTenant,
            ("id", "rental_id", "person_id", "registered_on"),
            [(pk, *t) for pk, t in zip(w.ids(RentalTenant, len(tenants)), tenants, strict=True)],
        )
    return len(house_ids)


def build(
    *,
    seed: int = DEFAULT_SEED,
    scale: float = 1.0,
    parallel: bool | None = None,
    progress: Callable[[str], None] | None = None,
    now: datetime | None = None,
    campaigns_too: bool = True,
    cases_count: int | None = None,
    bulk_load: bool = True,
) -> Report:
    """Build the whole demo district into an empty database. Same seed, scale and `now` → same data.

    `parallel` (default: when the machine has two cores or more) generates in a forked worker process.
    `now` (default: cases.reference_now(), the start of today) is when the year of cases ends.
    `campaigns_too=False` stops after the cases, for tests of the parts before (the campaign work adds cases).
    """
    if not connection.features.can_return_rows_from_bulk_insert:
        # The builder links rows by the ids bulk_create returns, which SQLite gives from version 3.35 on.
        raise RuntimeError(
            f"演示数据需要 SQLite 3.35 或更高版本，当前为 {connection.Database.sqlite_version} "
            "(the demo builder needs SQLite 3.35 or newer, or PostgreSQL)"
        )
    started = time.perf_counter()
    _phases.clear()
    say = progress or (lambda message: None)
    if parallel is None:
        parallel = (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()
    rng = random.Random(seed)
    staff_ctx = population.Context(random.Random(f"{seed}:staff"))
    # The statistics' summaries are recounted once at the end (stats.services.bulk_load) instead of logging a
    # change for each of a million rows.
    with transaction.atomic(), stats_services.bulk_load():
        with _phase("regions, organisations, accounts"):
            regions = _regions(rng)
            departments, companies = _organizations(rng, regions.district)
            staff = _grid_staff(staff_ctx, regions)
            _accounts(staff_ctx, regions, departments, companies, staff)
        tags = {t.code: t for t in Tag.objects.all()}
        communities = [
            (street, c, community)
            for s, street in enumerate(regions.streets)
            for c, community in enumerate(regions.communities[s])
        ]
        plans = [
            CommunityPlan(
                code=community.code,
                path=community.path,
                estates=max(1, round(ESTATES_PER_COMMUNITY[c % 2] * scale)),
                houses=max(10, round(HOUSES_PER_COMMUNITY * scale)),
                grid_rects=regions.layout.grids[regions.streets.index(street)][c],
            )
            for street, c, community in communities
        ]
        stream = _community_stream(seed, plans, parallel)
        writer = bulk.Writer(timezone.now())
        restore = bulk.indexes_later(BULK_LOADED) if bulk_load else lambda: None
        for (street, _, community), data in zip(communities, stream, strict=True):
            if bulk_load:
                houses = _write_community(writer, community, regions.grids[community.pk], data, tags)
            else:
                with _phase("housing"):
                    rows = _insert_housing(community, regions.grids[community.pk], data.estates)
                _insert_population(data, rows, tags)
                houses = len(rows)
            say(
                f"  {street.name} {community.name}: {len(data.estates)} 个小区 estates, {houses} 套房屋 houses, "
                f"{len(data.population.households)} 户 households, {len(data.persons)} 人 residents"
            )
        writer.finish()
        _audit(seed, scale)
        _analyze()
        _planned_households()
        with _phase("cases"):
            received = cases.build_cases(
                seed=seed,
                scale=scale,
                now=now or cases.reference_now(),
                count=cases_count,
                writer=writer,
                parallel=parallel,
            )
        say(f"  {received} 件事件 cases")
        with _phase("indexes and foreign keys"):
            restore()
        with _phase("residents' accounts"):
            say(f"  {binding.build(seed=seed, now=now or cases.reference_now())}")
        if campaigns_too:
            with _phase("campaigns"):
                for line in campaigns.build_campaigns(seed=seed, now=now or cases.reference_now()):
                    say(f"  {line}")
            with _phase("property supervision"), transaction.atomic():
                for line in property_demo.build(seed=seed, now=now or cases.reference_now()):
                    say(f"  {line}")
    if campaigns_too:
        # After the summaries are recounted (bulk_load's end): the bulletins read the indicators from them.
        with _phase("bulletins"), transaction.atomic():
            for line in bulletins.build(now=now or cases.reference_now()):
                say(f"  {line}")
    with _phase("notices"), transaction.atomic():
        for line in notices.build(now=now or cases.reference_now(), seed=seed):
            say(f"  {line}")
    with _phase("committees"), transaction.atomic():
        for line in committees.build(now=now or cases.reference_now(), seed=seed):
            say(f"  {line}")
    # After the residents' accounts: the open vote is in the estate where the demo phone's person lives.
    with _phase("votes"), transaction.atomic():
        for line in votes.build(now=now or cases.reference_now(), seed=seed):
            say(f"  {line}")
    with _phase("consultation"), transaction.atomic():
        for line in consultation.build(now=now or cases.reference_now(), seed=seed):
            say(f"  {line}")
    with _phase("surveys"), transaction.atomic():
        for line in surveys.build(now=now or cases.reference_now(), seed=seed):
            say(f"  {line}")
    # 公益捐助: two donation drives, through the services
    with _phase("donations"), transaction.atomic():
        for line in donations_demo.build(now=now or cases.reference_now(), seed=seed):
            say(f"  {line}")
    # 志愿服务: after the residents' accounts, so the demo phone's person is among the volunteers.
    with _phase("volunteers"), transaction.atomic():
        for line in volunteers_demo.build(now=now or cases.reference_now(), seed=seed, scale=scale):
            say(f"  {line}")
    # 电子台账: boxes and items with files for each community, indexed in bulk.
    with _phase("archives"), transaction.atomic():
        for line in archives_demo.build(now=now or cases.reference_now(), seed=seed, scale=scale):
            say(f"  {line}")
    # 居委会证明: a year of certificates across the communities
    with _phase("certificates"), transaction.atomic():
        for line in certificates_demo.build(now=now or cases.reference_now(), seed=seed):
            say(f"  {line}")
    # 社区减负: the two lists and work-access applications in each state, through the services
    with _phase("burden lists and access"), transaction.atomic():
        for line in burden_demo.build_lists_and_access(now=now or cases.reference_now(), seed=seed):
            say(f"  {line}")
    # 社区减负: a year of work given to the communities, naming the items and applications made just before
    with _phase("burden: work given to communities"), transaction.atomic():
        for line in burden_demo.build_work(now=now or cases.reference_now(), seed=seed):
            say(f"  {line}")
    # Last: the residents' accounts (the demo phone's among them) must exist to be given their reports.
    with _phase("residents' reports"), transaction.atomic():
        say(f"  {reports.build(seed=seed, now=now or cases.reference_now())}")
    _analyze()
    return Report(seconds=time.perf_counter() - started, counts=counts(), phases=dict(_phases))


def _audit(seed: int, scale: float) -> None:
    """The audit entry an import leaves (one per job: who, how many persons, what went in), for the registry the
    build wrote; nobody ran it from an account, so it has no actor."""
    persons, households = Person.objects.count(), Household.objects.count()
    audit_record(
        actor=None,
        action=AuditEntry.Action.IMPORT,
        object_type="person",
        count=persons,
        detail=f"演示数据生成（种子{seed}，规模{scale:g}）：新增{persons}人、{households}户",
    )


def _analyze() -> None:
    # Fresh statistics for the query planner, after the registry is in and at the end: without them the
    # cases and campaigns that follow read the registry with plans made for empty tables, SQLite picks the
    # single-column birth-date index for age filters, and PostgreSQL would wait for autovacuum.
    with _phase("analyze"), connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _planned_households() -> None:
    """服务户数 of each grid and community: the households living there."""
    per_grid = dict(Household.objects.values_list("grid").annotate(n=Count("id")).values_list("grid", "n"))
    nodes = list(Region.objects.filter(level__in=[Region.Level.GRID, Region.Level.COMMUNITY]))
    for node in nodes:
        if node.level == Region.Level.GRID:
            node.households_planned = per_grid.get(node.pk, 0)
    by_parent: dict[int, int] = {}
    for node in nodes:
        if node.level == Region.Level.GRID:
            by_parent[node.parent_id] = by_parent.get(node.parent_id, 0) + node.households_planned
    for node in nodes:
        if node.level == Region.Level.COMMUNITY:
            node.households_planned = by_parent.get(node.pk, 0)
    Region.objects.bulk_update(nodes, ["households_planned"])


# --- reporting --------------------------------------------------------------------------------------------


def counts() -> dict[str, int]:
    levels = dict(Region.objects.values_list("level").annotate(n=Count("id")).values_list("level", "n"))
    uses = dict(House.objects.values_list("use").annotate(n=Count("id")).values_list("use", "n"))
    kinds = dict(Household.objects.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    types = dict(
        Person.objects.values_list("residence_type").annotate(n=Count("id")).values_list("residence_type", "n")
    )
    result = {
        "districts 区县": levels.get(Region.Level.DISTRICT, 0),
        "streets 街道": levels.get(Region.Level.STREET, 0),
        "communities 社区": levels.get(Region.Level.COMMUNITY, 0),
        "grids 网格": levels.get(Region.Level.GRID, 0),
        "grid staff 网格人员": GridStaff.objects.count(),
        "estates 小区": Estate.objects.count(),
        "buildings 楼栋": Building.objects.count(),
        "units 单元": Unit.objects.count(),
        "houses 房屋": sum(uses.values()),
    }
    result |= {f"  {label} {value}": uses.get(value, 0) for value, label in House.Use.choices}
    result["households 户"] = sum(kinds.values())
    result |= {f"  {label} {value}": kinds.get(value, 0) for value, label in Household.Kind.choices}
    result["residents 人员"] = sum(types.values())
    result |= {f"  {label} {value}": types.get(value, 0) for value, label in Person.ResidenceType.choices}
    result["person tags 人员标签"] = PersonTag.objects.count()
    result["house owners 产权人"] = HouseOwner.objects.count()
    result["rentals 出租屋"] = Rental.objects.count()
    result["tenants 承租人"] = RentalTenant.objects.count()
    result["organisations 组织机构"] = Organization.objects.count()
    result["accounts 账号"] = User.objects.count()
    states = dict(Case.objects.values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    result["cases 事件"] = sum(states.values())
    result |= {f"  {label} {value}": states.get(value, 0) for value, label in Case.State.choices}
    result["case events 事件时间线"] = CaseEvent.objects.count()
    return result


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def accounts_table() -> str:
    """The demo accounts, in Chinese and English, as a fixed-width table."""
    users = {
        u.username: u
        for u in User.objects.select_related("region", "organization").filter(
            username__in=[name for name, _ in ACCOUNTS]
        )
    }
    rows = [("用户名 Username", "角色 Role", "范围 Scope", "个人信息 PII")]
    for username, role in ACCOUNTS:
        u = users.get(username)
        if u is None:
            continue
        if roles.is_admin(u):
            scope = "全部 everything"
        elif u.region_id:
            scope = f"{u.region.name} ({Region.Level(u.region.level).label})"
        else:
            scope = f"{u.organization.name} ({u.organization.get_kind_display()})"
        pii = "有 yes" if u.has_perm("people.view_pii") else "无 no"
        rows.append((username, f"{Role(role).label} {role.replace('_', ' ')}", scope, pii))
    widths = [max(_width(r[i]) for r in rows) + 2 for i in range(4)]
    lines = [f"演示账号 Demo accounts — 密码 password: {DEMO_PASSWORD}"]
    lines += ["".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    url = f"http://127.0.0.1:{os.environ.get('PORT') or '8000'}"
    lines.append(f"地址 URL: {url}")
    lines.append(f"居民端 Residents' portal: {url}/portal/login/ — 演示手机号 demo phone: {DEMO_PHONE}")
    lines.append(f"  验证码见短信发件箱 the code is in the outbox (admin): {url}/notifications/outbox/")
    if person := binding.demo_person():
        lines.append(f"  实名认证 to bind, give 姓名 name {person.name} 证件号码 ID number {person.id_number}")
    return "\n".join(lines)


def fingerprint() -> str:
    """A digest of the demo data that does not depend on database ids or encryption keys."""
    digest = hashlib.sha256()

    def add(lines) -> None:
        for line in sorted(lines):
            digest.update(line.encode() + b"\n")

    add(f"R{r.code}|{r.name}|{r.boundary}|{r.households_planned}" for r in Region.objects.all())
    add(f"O{o.kind}|{o.name}|{o.credit_code}" for o in Organization.objects.all())
    add(
        f"S{s.grid.code}|{s.duty}|{s.name}|{s.phone}|{s.user_id is not None}"
        for s in GridStaff.objects.select_related("grid")
    )
    add(
        f"U{u.username}|{u.role}|{u.first_name}|{u.region.code if u.region else ''}|"
        f"{u.organization.name if u.organization else ''}|{sorted(u.get_all_permissions())}"
        for u in User.objects.select_related("region", "organization")
    )
    houses = House.objects.select_related("unit__building__estate", "grid")

    def house_key(h: House) -> str:
        b = h.unit.building
        return f"{b.estate.name}|{b.number}|{h.unit.number}|{h.number}"

    add(
        f"H{house_key(h)}|{h.unit.building.estate.address}|{h.unit.building.estate.built_year}|"
        f"{h.unit.building.estate.latitude}|{h.unit.building.estate.longitude}|{h.unit.building.floors}|"
        f"{h.floor}|{h.building_area}|{h.exclusive_area}|{h.use}|{h.grid.code}"
        for h in houses.iterator(chunk_size=500)
    )
    add(
        f"W{house_key(o.house)}|{o.person.id_number}|{o.since}"
        for o in HouseOwner.objects.select_related("house__unit__building__estate", "person").iterator(chunk_size=500)
    )
    add(
        f"F{h.number}|{h.kind}|{h.note}|{house_key(h.house)}|{h.grid.code}"
        for h in Household.objects.select_related("house__unit__building__estate", "grid").iterator(chunk_size=500)
    )
    persons = Person.objects.select_related("household", "grid").prefetch_related("person_tags__tag")
    add(
        f"P{p.id_type}|{p.id_number}|{p.name}|{p.gender}|{p.birth_date}|{p.phone}|{p.ethnicity}|{p.residence_type}|"
        f"{p.hukou_address}|{p.current_address}|{p.education}|{p.employment}|{p.employer}|{p.political_status}|"
        f"{p.marital_status}|{p.household.number if p.household else ''}|{p.relationship}|"
        f"{p.household.head_id == p.pk if p.household else None}|{p.grid.code}|{p.note}|"
        + ",".join(sorted(f"{t.tag.code}{t.grade or ''}{t.note}" for t in p.person_tags.all()))
        for p in persons.iterator(chunk_size=500)
    )
    rentals = Rental.objects.select_related("landlord", "house__unit__building__estate").prefetch_related(
        "tenants__person"
    )
    add(
        f"L{house_key(r.house)}|{r.landlord.id_number}|{r.starts_on}|{r.ends_on}|{r.rent}|"
        f"{sorted((t.person.id_number, str(t.registered_on)) for t in r.tenants.all())}"
        for r in rentals.iterator(chunk_size=500)
    )
    demo_cases = Case.objects.values_list(
        "number", "state", "category__code", "lead_department__name", "due_at", "rating", "channel", "region__code",
        "received_at", "closed_at", "on_time", "handling_seconds", "supervision_level", "tracking_code",
        "description", "merged_into__number",
    )  # fmt: skip
    add("C" + "|".join(map(str, row)) for row in demo_cases.iterator(chunk_size=500))
    events = CaseEvent.objects.values_list("case__number", "seq", "action", "to_state", "at", "actor_label", "note")
    add("E" + "|".join(map(str, row)) for row in events.iterator(chunk_size=2000))
    # Campaign work: task trees with their units, the reports, the plates and the assessment scores.
    for prefix, qs in (
        ("T", TaskUnit.objects.values_list("task__plan__doc_number", "task__title", "task__due_on", "role",
                                           "organization__name", "region__code")),
        ("R", ProgressReport.objects.values_list("task_unit__task__title", "task_unit__organization__name",
                                                 "task_unit__region__code", "period", "submitted_at", "progress")),
        ("H", Honour.objects.values_list("honour_type__name", "region__code", "estate__name", "status", "number",
                                         "granted_on", "revocation_kind", "revocation_case__number")),
        ("S", Score.objects.values_list("sheet__unit__region__code", "sheet__stage", "item__content", "points")),
    ):  # fmt: skip
        add(prefix + "|".join(map(str, row)) for row in qs.order_by("pk").iterator(chunk_size=2000))
    return digest.hexdigest()
