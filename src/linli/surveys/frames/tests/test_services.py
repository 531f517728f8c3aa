from datetime import date

import pytest

from linli.core.errors import DomainError, PermissionDenied, ValidationFailed
from linli.organizations.models import Organization
from linli.people.models import Estate, Person
from linli.surveys import rules as survey_rules
from linli.surveys.frames import rules, selectors, services
from linli.surveys.models import Area, AreaBuilding, DrawPick, FrameUnit, Response
from linli.testing import factories

from .make import AFTER, MOMENT, census_frozen, form_version, household, survey


@pytest.fixture
def census(world):
    return survey(world)


def test_the_census_frame_is_the_registry_at_the_standard_moment(world, census):
    household(world, "0003", building="10", persons=2)
    household(world, "0002", building="2", house="502", persons=3)
    household(world, "0001", building="2", house="1201")
    household(world, "0009", when=AFTER)  # moved in after the moment
    household(world, "0100", grid=world.grid_b1)  # another street
    gone = household(world, "0004", building="3", persons=2)
    Person.objects.filter(household=gone).delete()  # deleted after the moment: counted as they were
    gone.delete()
    moved = household(world, "0005", building="3", house="102", persons=2)
    leaver = moved.members.first()
    leaver.household = None
    leaver.save()  # left after the moment: still counted
    newcomer = factories.person(world.grid_a1, moved, name="新成员")  # came after: not counted
    assert newcomer.history.count() == 1

    frame = services.frame_freeze(user=world.users["street_staff"], survey_id=census.pk)

    units = list(frame.frame_units.order_by("position"))
    # Building order (2 before 10), then house number (502 before 1201).
    assert [u.key for u in units] == ["0002", "0001", "0004", "0005", "0003"]
    assert [u.persons for u in units] == [3, 1, 2, 2, 2]
    assert [u.position for u in units] == [1, 2, 3, 4, 5]
    assert units[0].label == "2-1-502 0002"
    assert units[2].household_id is None and units[3].household_id == moved.pk
    assert (frame.units, frame.persons, frame.moment) == (5, 10, MOMENT)
    assert frame.digest == rules.digest(["0002", "0001", "0004", "0005", "0003"])
    assert {u.form_role for u in units} == {survey_rules.SHORT}


def test_a_household_moved_after_the_moment_is_framed_where_it_lived(world, census):
    h = household(world, "0001", grid=world.grid_b1)  # lived in the other street at the moment …
    h.house = factories.house(world.grid_a1, Estate.objects.create(region=world.grid_a1, name="新苑"), "1")
    h.save()  # … and moved into this street after it
    h.history.filter(history_type="~").update(history_date=AFTER)
    frame = services.frame_freeze(user=world.users["street_staff"], survey_id=census.pk)
    assert frame.units == 0


def test_units_take_the_area_of_their_building_and_its_order(world, census):
    a = household(world, "0001", building="1")
    b = household(world, "0002", building="2")
    first = Area.objects.create(survey=census, community=world.community_a1, code="002")
    second = Area.objects.create(survey=census, community=world.community_a1, code="001")
    AreaBuilding.objects.create(area=first, building=a.house.unit.building)
    AreaBuilding.objects.create(area=second, building=b.house.unit.building)
    frame = services.frame_freeze(user=world.users["street_staff"], survey_id=census.pk)
    assert [(u.key, u.area_id) for u in frame.frame_units.order_by("position")] == [
        ("0002", second.pk),
        ("0001", first.pk),
    ]


def test_a_frame_is_frozen_once_by_those_who_run_the_survey(world, census):
    with pytest.raises(PermissionDenied):
        services.frame_freeze(user=world.users["community_worker"], survey_id=census.pk)
    services.frame_freeze(user=world.users["street_staff"], survey_id=census.pk)
    with pytest.raises(DomainError, match="已经冻结"):
        services.frame_freeze(user=world.users["district_staff"], survey_id=census.pk)


def test_the_unit_frame_holds_the_hazard_enterprises_registered_before_the_cutoff(world):
    def org(name, code="", region=None, registered=date(2025, 5, 1), hazard=True, kind="enterprise"):
        return Organization.objects.create(kind=kind, name=name, region=region or world.community_a1,
                                           credit_code=code, registered_on=registered,
                                           occupational_hazard=hazard)  # fmt: skip

    b = org("乙厂", "91210103MA0B000002")
    a = org("甲厂", "91210103MA0A000001")
    c = org("丙厂")
    org("新厂", "91210103MA0C000003", registered=date(2026, 1, 1))  # on the cut-off: out
    org("无危害", "91210103MA0D000004", hazard=False)
    org("外街道", "91210103MA0E000005", region=world.community_b1)
    org("物业", "91210103MA0F000006", kind="company")
    units = survey(world, survey_rules.UNITS, hazard_only=True)
    frame = services.frame_freeze(user=world.users["street_staff"], survey_id=units.pk)
    rows = list(frame.frame_units.order_by("position").values_list("organization_id", "key", "form_role"))
    assert rows == [(a.pk, a.credit_code, "unit"), (b.pk, b.credit_code, "unit"), (c.pk, f"org-{c.pk}", "unit")]
    assert frame.digest == rules.digest([a.credit_code, b.credit_code, f"org-{c.pk}"])


def test_the_long_form_draw_is_recorded_stratified_and_recomputable(world, census):
    frame = census_frozen(world, census)
    draw = services.long_form_draw(user=world.users["street_staff"], survey_id=census.pk, seed="2026-11-01 福彩3D 527")
    units = list(frame.frame_units.order_by("position").select_related("area"))
    expected = rules.draw([u.key for u in units], 10, "2026-11-01 福彩3D 527", [u.area.code for u in units])
    picked = set(DrawPick.objects.filter(draw=draw).values_list("unit_id", flat=True))
    assert picked == {units[i].pk for i in expected}
    assert (draw.population, draw.drawn, draw.population_digest) == (40, 4, frame.digest)
    assert sum(s["drawn"] for s in draw.strata.values()) == 4 and set(draw.strata) == {"001", "002", "003"}
    assert set(FrameUnit.objects.filter(form_role=survey_rules.LONG).values_list("pk", flat=True)) == picked
    with pytest.raises(DomainError, match="不能重抽"):
        services.long_form_draw(user=world.users["street_staff"], survey_id=census.pk)


def test_no_long_form_draw_after_entry_began(world, census):
    frame = census_frozen(world, census, households=5, areas=1)
    unit = frame.frame_units.first()
    version = form_version()
    Response.objects.create(unit=unit, role="short", form_version=version, answers={},
                            idempotency_key="8c7d4a8e-8f35-4d36-9f1e-2a3b4c5d6e7f", filled_at=MOMENT)  # fmt: skip
    with pytest.raises(DomainError, match="不能再抽取长表户"):
        services.long_form_draw(user=world.users["street_staff"], survey_id=census.pk)


def test_the_recheck_is_drawn_from_returned_forms_at_least_one(world, census):
    frame = census_frozen(world, census, households=6, areas=1)
    with pytest.raises(DomainError, match="还没有收回"):
        services.recheck_draw(user=world.users["street_staff"], survey_id=census.pk)
    version = form_version()
    returned = list(frame.frame_units.order_by("position")[:3])
    for n, unit in enumerate(returned):
        key = f"8c7d4a8e-8f35-4d36-9f1e-2a3b4c5d6e7{n}"
        Response.objects.create(unit=unit, role="short", form_version=version, answers={},
                                idempotency_key=key, filled_at=MOMENT)  # fmt: skip
    draw = services.recheck_draw(user=world.users["street_staff"], survey_id=census.pk, seed="s")
    assert (draw.population, draw.drawn) == (3, 1)  # 2 % of 3 is 0.06: at least one
    assert draw.population_digest == rules.digest([u.key for u in returned])
    assert DrawPick.objects.get(draw=draw).unit in returned


def test_a_draw_verifies_and_a_changed_population_is_seen(world, census):
    census_frozen(world, census, households=30)
    draw = services.long_form_draw(user=world.users["street_staff"], survey_id=census.pk, seed="527")
    check = selectors.verify(draw)
    assert check.ok and check.recomputed == draw.drawn == 3
    FrameUnit.objects.filter(pk=DrawPick.objects.filter(draw=draw).first().unit_id).update(key="改过的户号")
    check = selectors.verify(draw)
    assert not check.digest_matches and not check.ok


def test_a_recheck_draw_verifies_after_more_forms_came_in(world, census):
    frame = census_frozen(world, census, households=4, areas=1)
    units = list(frame.frame_units.order_by("position"))
    version = form_version()
    Response.objects.create(unit=units[0], role="short", form_version=version, answers={},
                            idempotency_key="8c7d4a8e-8f35-4d36-9f1e-2a3b4c5d6e70", filled_at=MOMENT)  # fmt: skip
    draw = services.recheck_draw(user=world.users["street_staff"], survey_id=census.pk)
    assert len(draw.seed) == 16  # none given: a random one, published with the draw
    Response.objects.create(unit=units[1], role="short", form_version=version, answers={},
                            idempotency_key="8c7d4a8e-8f35-4d36-9f1e-2a3b4c5d6e71", filled_at=MOMENT)  # fmt: skip
    assert selectors.verify(draw).ok


@pytest.mark.parametrize(("seed", "message"), [("a\u200bb", "不可见"), ("x" * 65, "64")])
def test_a_seed_is_one_line_of_visible_characters(world, census, seed, message):
    census_frozen(world, census, households=2, areas=1)
    with pytest.raises(ValidationFailed) as caught:
        services.long_form_draw(user=world.users["street_staff"], survey_id=census.pk, seed=seed)
    assert caught.value.errors[0].field == "seed" and message in caught.value.errors[0].message
