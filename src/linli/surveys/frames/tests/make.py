"""Surveys, registry households dated before or after the standard moment, and frozen frames for the tests."""

from datetime import UTC, date, datetime, timedelta

from linli.campaigns.models import Plan
from linli.people.models import Estate, Household
from linli.surveys import rules as survey_rules
from linli.surveys.frames import services
from linli.surveys.models import Area, AreaBuilding, Form, FormVersion, Survey
from linli.testing import factories

MOMENT = datetime(2026, 10, 31, 16, 0, tzinfo=UTC)  # 11月1日零时, Beijing time
BEFORE, AFTER = MOMENT - timedelta(days=30), MOMENT + timedelta(days=3)


def survey(world, kind=survey_rules.CENSUS, region=None, **extra) -> Survey:
    region = region or world.street_a
    plan = Plan.objects.create(region=region, title="普查方案", issuer="甲街道办事处")
    if kind == survey_rules.CENSUS:
        extra.setdefault("standard_moment", MOMENT)
    else:
        extra.setdefault("registered_before", date(2026, 1, 1))
    return Survey.objects.create(plan=plan, kind=kind, title="第七次人口普查", **extra)


def at(obj, when):
    """Date the registry's history of `obj` as if the change had been made at `when`."""
    obj.history.all().update(history_date=when)


def household(world, number, building="1", unit="1", house="101", grid=None, when=BEFORE, persons=1):
    grid = grid or world.grid_a1
    estate, _ = Estate.objects.get_or_create(region=grid, name="金域花园")
    h = Household.objects.create(number=number, house=factories.house(grid, estate, building, unit, house))
    at(h, when)
    for i in range(persons):
        at(factories.person(grid, h, name=f"成员{i}"), when)
    return h


def census_frozen(world, census, households=40, areas=3, grid=None):
    buildings = []
    for i in range(households):
        h = household(
            world, f"{census.pk}-{i:04d}", building=str(i % areas + 1), house=str(census.pk * 1000 + i), grid=grid
        )
        buildings.append(h.house.unit.building)
    for n, b in enumerate(sorted({b.pk: b for b in buildings}.values(), key=lambda b: b.number)):
        area = Area.objects.create(survey=census, community=b.grid.parent, code=f"{n + 1:03d}")
        AreaBuilding.objects.create(area=area, building=b)
    return services.frame_freeze(user=world.users["admin"], survey_id=census.pk)


def form_version() -> FormVersion:
    form, _ = Form.objects.get_or_create(code="test-short", defaults={"name": "短表"})
    return FormVersion.objects.get_or_create(form=form, number=1, defaults={"definition": {"sections": []}})[0]
