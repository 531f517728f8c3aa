"""Surveys of the persona district for the projects' tests: a census of 甲街道 (community 甲一 gets one area with
an enumerator) and a unit survey of the district, with the default forms in place."""

from datetime import date

from django.utils import timezone

from linli.surveys import rules, services
from linli.surveys.models import Area, AreaEnumerator, Form, FormVersion

CENSUS_DAY = date(2026, 11, 1)
DEFINITION = {"sections": [{"key": "A", "title": "基本情况", "show_if": None, "questions": [
    {"key": "A1", "label": "名称", "type": "text", "max_length": 50, "required": True}]}]}  # fmt: skip


def default_forms() -> None:
    """The default forms by code, each with a published version (the forms package's migration ships them)."""
    for codes in rules.DEFAULT_FORMS.values():
        for code in codes.values():
            form, _ = Form.objects.get_or_create(code=code, defaults={"name": code})
            if not form.versions.filter(published_at__isnull=False).exists():
                FormVersion.objects.create(form=form, number=1, definition=DEFINITION, published_at=timezone.now())


def census(world, **extra):
    default_forms()
    return services.survey_create(user=world.users["street_staff"], kind=rules.CENSUS, title="第七次人口普查",
                                  region_id=world.street_a.pk, standard_day=CENSUS_DAY, **extra)  # fmt: skip


def unit_survey(world, **extra):
    default_forms()
    return services.survey_create(user=world.users["district_staff"], kind=rules.UNITS, title="职业健康状况调查",
                                  region_id=world.district.pk, registered_before=date(2026, 12, 31),
                                  hazard_only=True, starts_on=date(2027, 7, 1), **extra)  # fmt: skip


def staffed_area(world, survey, code="001") -> Area:
    """An area of community 甲一 with the grid worker as its enumerator."""
    area = Area.objects.create(survey=survey, community=world.community_a1, code=code, name="甲一社区第一小区")
    AreaEnumerator.objects.create(area=area, user=world.users["grid_worker"])
    return area
