"""普查小区 services and reads: the proposal over the registry, the coverage report on areas edited into overlaps
and gaps, moves with versions, enumerators' eligibility, and who may do it."""

import pytest
from django.http import Http404

from linli.core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from linli.surveys.areas import selectors, services
from linli.surveys.models import Area, AreaBuilding

from .place import census


@pytest.fixture
def c(world):
    return census(world)


def codes_and_buildings(survey) -> dict[str, list[str]]:
    return {
        a.code: [f"{b.estate.name}{b.number}" for b in (ab.building for ab in a.area_buildings.order_by("order"))]
        for a in survey.areas.order_by("code").prefetch_related("area_buildings__building__estate")
    }


def test_the_proposal_groups_each_community_by_walking_order(world, c):
    made = services.areas_propose(user=world.users["street_staff"], survey_id=c.survey.pk)
    assert len(made) == 4
    assert codes_and_buildings(c.survey) == {
        "001001-001": ["和平里1", "和平里2"],  # 4 + 3 people: nearer 6 than 4 alone
        "001001-002": ["和平里3"],  # 5; adding the 10-person building would overshoot
        "001001-003": ["和平里10", "和平里11"],  # 10 ≥ 6 is an area of its own; the empty 11 rides along
        "001002-001": ["朝阳苑1"],
    }
    report = selectors.coverage_report(c.survey)
    assert report.ok and report.errors == []
    assert [(r.area.code, r.households, r.people) for r in report.areas] == [
        ("001001-001", 3, 7), ("001001-002", 2, 5), ("001001-003", 3, 10), ("001002-001", 2, 6),
    ]  # fmt: skip
    assert (report.buildings, report.households, report.people) == (6, 10, 28)
    assert report.areas[0].area.name == "和平里1至2号楼"
    # the building of street 乙 is not in street 甲's census
    assert c.buildings["b1-1"].pk not in selectors.building_areas(c.survey)
    assert selectors.building_areas(c.survey)[c.buildings["a1-10"].pk] == made[2].pk


def test_proposing_again_replaces_the_areas(world, c):
    user = world.users["street_staff"]
    services.areas_propose(user=user, survey_id=c.survey.pk)
    c.survey.area_people = 100
    c.survey.save()
    services.areas_propose(user=user, survey_id=c.survey.pk)
    assert list(codes_and_buildings(c.survey).values()) == [["和平里1", "和平里2", "和平里3", "和平里10", "和平里11"],
                                                          ["朝阳苑1"]]  # fmt: skip


def test_the_report_lists_buildings_and_households_counted_twice_and_left_out(world, c):
    user = world.users["street_staff"]
    first, second, third, other = services.areas_propose(user=user, survey_id=c.survey.pk)
    # an overlap, as an edit outside the map could leave it: 和平里3 in two areas
    AreaBuilding.objects.create(area=first, building=c.buildings["a1-3"], order=9)
    # a gap: 朝阳苑1's area deleted
    services.area_delete(user=user, survey_id=c.survey.pk, area_id=other.pk, version=other.version)
    report = selectors.coverage_report(c.survey)
    assert not report.ok
    (twice,) = report.overlaps
    assert (twice.building, twice.areas, twice.community) == ("和平里3号楼", ["001001-001", "001001-002"], "甲一社区")
    assert len(twice.households) == 2 and report.households_twice == 2
    (gap,) = report.gaps
    assert (gap.building, gap.areas, gap.community) == ("朝阳苑1号楼", [], "甲二社区")
    assert len(gap.households) == 2 and report.households_left_out == 2
    assert report.errors == ["和平里3号楼同时划入001001-001、001001-002", "朝阳苑1号楼未划入任何普查小区"]


def test_moving_a_building_takes_it_out_of_its_old_area_and_checks_versions(world, c):
    user = world.users["street_staff"]
    first, second, *_ = services.areas_propose(user=user, survey_id=c.survey.pk)
    moved = services.building_move(user=user, survey_id=c.survey.pk, area_id=first.pk,
                                   building_id=c.buildings["a1-3"].pk, version=first.version)  # fmt: skip
    assert moved.version == 2
    assert codes_and_buildings(c.survey)["001001-001"] == ["和平里1", "和平里2", "和平里3"]
    assert codes_and_buildings(c.survey)["001001-002"] == []
    assert Area.objects.get(pk=second.pk).version == 2  # its holder changed too
    assert selectors.coverage_report(c.survey).ok
    with pytest.raises(Conflict):
        services.building_move(user=user, survey_id=c.survey.pk, area_id=first.pk,
                               building_id=c.buildings["a1-3"].pk, version=1)  # fmt: skip
    # an area never crosses its community, nor the census's street
    for key in ("a2-1", "b1-1"):
        with pytest.raises(ValidationFailed) as refused:
            services.building_move(user=user, survey_id=c.survey.pk, area_id=first.pk,
                                   building_id=c.buildings[key].pk, version=2)  # fmt: skip
        assert refused.value.errors[0].field == "building_id"
    services.building_remove(user=user, survey_id=c.survey.pk, area_id=first.pk,
                             building_id=c.buildings["a1-3"].pk, version=2)  # fmt: skip
    assert [g.building for g in selectors.coverage_report(c.survey).gaps] == ["和平里3号楼"]


def test_create_rename_and_codes_per_community(world, c):
    user = world.users["street_staff"]
    services.areas_propose(user=user, survey_id=c.survey.pk)
    area = services.area_create(user=user, survey_id=c.survey.pk, community_id=world.community_a1.pk)
    assert (area.code, area.name) == ("001001-004", "甲一社区第4普查小区")
    area = services.area_update(user=user, survey_id=c.survey.pk, area_id=area.pk, version=1, name="和平里北区")
    assert (area.name, area.version) == ("和平里北区", 2)
    with pytest.raises(ValidationFailed):
        services.area_update(user=user, survey_id=c.survey.pk, area_id=area.pk, version=2, name="北区\u202e")
    with pytest.raises(ValidationFailed):  # 乙一社区 is not in street 甲's census
        services.area_create(user=user, survey_id=c.survey.pk, community_id=world.community_b1.pk)


def test_enumerators_must_enumerate_and_hold_the_community(world, c):
    user = world.users["street_staff"]
    area = services.areas_propose(user=user, survey_id=c.survey.pk)[0]  # in 甲一社区
    names = {u.username for u in selectors.enumerator_candidates(area)}
    assert names == {"street_staff", "community_worker", "grid_worker"}
    services.enumerator_assign(user=user, survey_id=c.survey.pk, area_id=area.pk,
                               user_id=world.users["grid_worker"].pk)  # fmt: skip
    services.enumerator_assign(user=user, survey_id=c.survey.pk, area_id=area.pk,
                               user_id=world.users["community_worker"].pk, duty="supervisor")  # fmt: skip
    enumerators = selectors.coverage_report(c.survey).areas[0].enumerators
    assert [(e["name"], e["duty_label"]) for e in enumerators] == [("grid_worker", "普查员"),
                                                                   ("community_worker", "普查指导员")]  # fmt: skip
    for persona in ("community_worker2", "district_staff", "dept_handler"):
        with pytest.raises(ValidationFailed):
            services.enumerator_assign(user=user, survey_id=c.survey.pk, area_id=area.pk,
                                       user_id=world.users[persona].pk)  # fmt: skip
    # enumerators may change while the survey runs; areas may not
    c.survey.state = "running"
    c.survey.save()
    services.enumerator_remove(user=user, survey_id=c.survey.pk, area_id=area.pk, user_id=world.users["grid_worker"].pk)
    with pytest.raises(DomainError):
        services.areas_propose(user=user, survey_id=c.survey.pk)
    with pytest.raises(DomainError):
        services.area_update(user=user, survey_id=c.survey.pk, area_id=area.pk, version=1, name="改名")


@pytest.mark.parametrize(
    "persona, refused",
    [("community_worker", PermissionDenied), ("grid_worker", Http404), ("community_worker2", PermissionDenied),
     ("dept_handler", Http404)],
)  # fmt: skip
def test_only_those_running_the_survey_divide_it(world, c, persona, refused):
    with pytest.raises(refused):
        services.areas_propose(user=world.users[persona], survey_id=c.survey.pk)
    assert not c.survey.areas.exists()
