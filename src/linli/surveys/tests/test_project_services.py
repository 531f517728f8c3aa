"""Survey projects: created on a plan with the phases of their kind and the default forms, edited in preparation
(409 on a stale version), started once the checks pass (frame frozen, long form drawn), finished."""

from datetime import date

import pytest
from django.http import Http404

from linli.campaigns.plans import services as plan_services
from linli.core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from linli.organizations.models import Organization
from linli.surveys import rules, selectors, services
from linli.surveys.models import Draw, Frame, Survey

from .projects import CENSUS_DAY, census, default_forms, staffed_area, unit_survey

pytestmark = pytest.mark.django_db


def test_a_census_gets_a_plan_with_its_phases_and_the_default_forms(world):
    survey = census(world)
    plan = survey.plan
    assert (plan.region, plan.title, plan.issuer) == (world.street_a, "第七次人口普查", "甲街道人口普查领导小组办公室")
    assert [p.name for p in plan.phases.all()] == ["组织部署", "摸底与小区划分", "入户登记", "复查", "汇总上报"]
    assert plan.phases.get(name="入户登记").starts_on == CENSUS_DAY
    assert dict(survey.forms.values_list("role", "version__form__code")) == rules.DEFAULT_FORMS[rules.CENSUS]
    assert survey.state == rules.DRAFT and survey.standard_moment.hour == 0


def test_a_unit_survey_is_set_up_on_a_draft_plan_of_the_office(world):
    staff = world.users["district_staff"]
    plan = plan_services.plan_create(user=staff, data={"region_id": world.district.pk, "title": "职业健康状况调查方案",
                                                       "issuer": "区卫生健康局"})  # fmt: skip
    survey = unit_survey(world, plan_id=plan.pk)
    assert survey.plan_id == plan.pk and survey.registered_before == date(2026, 12, 31) and survey.hazard_only
    assert [(p.name, f"{p.ends_on:%m-%d}") for p in plan.phases.all()][0] == ("组织部署", "07-20")
    with pytest.raises(ValidationFailed) as refused:
        unit_survey(world, plan_id=plan.pk)
    assert refused.value.errors[0].message == "该工作方案已建立调查"


def test_what_a_survey_is_refused_for_names_the_field(world):
    default_forms()
    staff = world.users["street_staff"]
    with pytest.raises(ValidationFailed) as refused:
        services.survey_create(user=staff, kind=rules.CENSUS, title=" ", region_id=world.street_a.pk,
                               long_form_percent=0, area_people=5)  # fmt: skip
    assert {e.field: e.message for e in refused.value.errors} == {
        "title": "请填写调查名称",
        "standard_day": "请填写普查标准时间（该日零时）",
        "area_people": "普查小区人数应为20到2000的整数",
        "long_form_percent": "长表抽取比例应为大于0、不超过100的数，最多两位小数",
    }
    assert not Survey.objects.exists()


def test_only_offices_running_surveys_set_them_up_where_they_serve(world):
    with pytest.raises(PermissionDenied):
        services.survey_create(
            user=world.users["community_worker"], kind=rules.CENSUS, title="普查", region_id=world.community_a1.pk,
            standard_day=CENSUS_DAY)  # fmt: skip
    with pytest.raises(Http404):  # 乙街道 is not the street office's
        services.survey_create(user=world.users["street_staff"], kind=rules.CENSUS, title="普查",
                               region_id=world.street_b.pk, standard_day=CENSUS_DAY)  # fmt: skip


def test_a_survey_in_preparation_is_edited_with_its_version(world):
    survey = census(world)
    staff = world.users["street_staff"]
    edited = services.survey_update(user=staff, survey_id=survey.pk, version=survey.version, area_people=250,
                                    standard_day=date(2026, 11, 2))  # fmt: skip
    assert (edited.area_people, edited.standard_moment.day, edited.version) == (250, 2, survey.version + 1)
    with pytest.raises(Conflict):
        services.survey_update(user=staff, survey_id=survey.pk, version=survey.version, title="改名")
    with pytest.raises(PermissionDenied):  # the community reads the street's census, it does not run it
        services.survey_update(user=world.users["community_worker"], survey_id=survey.pk, version=edited.version)
    with pytest.raises(Http404):
        services.survey_update(user=world.users["dept_handler"], survey_id=survey.pk, version=edited.version)


def test_a_census_starts_only_with_its_areas_and_enumerators(world):
    survey = census(world)
    staff = world.users["street_staff"]
    with pytest.raises(DomainError) as refused:
        services.survey_start(user=staff, survey_id=survey.pk, version=survey.version)
    assert [e.message for e in refused.value.errors] == ["尚未划分普查小区"]
    staffed_area(world, survey)
    started = services.survey_start(user=staff, survey_id=survey.pk, version=survey.version)
    assert started.state == rules.RUNNING and started.started_at is not None
    assert Frame.objects.filter(survey=survey).exists()
    assert Draw.objects.filter(survey=survey, purpose=rules.DRAW_LONG_FORM).exists()
    with pytest.raises(Conflict):
        services.survey_start(user=staff, survey_id=survey.pk, version=started.version)
    with pytest.raises(Conflict):
        services.survey_update(user=staff, survey_id=survey.pk, version=started.version, title="改名")


def test_a_unit_survey_starts_without_areas_and_draws_no_long_form(world):
    survey = unit_survey(world)
    staff = world.users["district_staff"]
    started = services.survey_start(user=staff, survey_id=survey.pk, version=survey.version)
    assert started.state == rules.RUNNING and not Draw.objects.filter(survey=survey).exists()
    finished = services.survey_finish(user=staff, survey_id=survey.pk, version=started.version)
    assert finished.state == rules.FINISHED and finished.finished_at is not None
    with pytest.raises(Conflict):
        services.survey_finish(user=staff, survey_id=survey.pk, version=finished.version)


def test_a_unit_surveys_organisations_are_seen_by_the_offices_over_it(world):
    Organization.objects.create(kind="enterprise", name="沈阳东宇化工有限公司", region=world.district,
                                registered_on=date(2020, 5, 1), industry="C", occupational_hazard=True)  # fmt: skip
    survey = unit_survey(world)
    services.survey_start(user=world.users["district_staff"], survey_id=survey.pk, version=survey.version)
    personas = ("admin", "district_staff", "street_staff", "grid_worker")
    seen = {p: selectors.unit_queryset(world.users[p], survey).count() for p in personas}
    # The district's survey lies above the street: the street reads it but its units are the district's.
    assert seen == {"admin": 1, "district_staff": 1, "street_staff": 0, "grid_worker": 0}
