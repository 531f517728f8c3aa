"""A running census of street 甲 of the persona district, built directly (the other parts' services are tested
beside them): area 001 of 甲一社区 entered by the grid worker, area 002 of 甲二社区 by community_worker2, two
households each; the short form and the death form in the contract's shape (short form keys H1…H3 and the P table)."""

from dataclasses import dataclass
from datetime import datetime
from uuid import uuid4

from django.utils import timezone

from linli.campaigns.models import Plan
from linli.people.models import Estate, Household
from linli.surveys import rules
from linli.surveys.models import (
    Area,
    AreaBuilding,
    AreaEnumerator,
    Form,
    FormVersion,
    Frame,
    FrameUnit,
    Survey,
    SurveyForm,
)
from linli.testing import factories

CHOICE_SEX = [{"value": "1", "label": "男"}, {"value": "2", "label": "女"}]
SHORT = {"sections": [
    {"key": "H", "title": "户信息", "show_if": None, "questions": [
        {"key": "H1", "label": "户别", "type": "choice", "required": True,
         "options": [{"value": "1", "label": "家庭户"}, {"value": "2", "label": "集体户"}]},
        {"key": "H2", "label": "本户应登记人数", "type": "number", "min": 0, "max": 99, "unit": "人", "required": True},
        {"key": "H3", "label": "本户死亡人数", "type": "number", "min": 0, "max": 9, "unit": "人", "required": True},
    ]},
    {"key": "PP", "title": "人口登记", "questions": [
        {"key": "P", "label": "人口登记", "type": "table", "min_rows": 1, "max_rows": 99, "columns": [
            {"key": "R1", "label": "姓名", "type": "text", "max_length": 20, "required": True},
            {"key": "R3", "label": "性别", "type": "choice", "options": CHOICE_SEX, "required": True},
            {"key": "R4", "label": "出生日期", "type": "date", "required": True},
            {"key": "R6", "label": "户口登记地", "type": "choice", "required": True, "options": [
                {"value": "1", "label": "本普查小区"}, {"value": "4", "label": "其他乡(镇、街道)"}]},
            {"key": "R7", "label": "离开户口登记地时间", "type": "choice", "show_if": {"question": "R6", "in": ["4"]},
             "required": True, "options": [{"value": "1", "label": "不满半年"}, {"value": "2", "label": "半年以上"}]},
        ]},
    ]},
]}  # fmt: skip
DEATH = {"sections": [
    {"key": "D", "title": "死亡人口", "questions": [
        {"key": "D1", "label": "姓名", "type": "text", "max_length": 20, "required": True},
        {"key": "D2", "label": "性别", "type": "choice", "options": CHOICE_SEX, "required": True},
    ]},
]}  # fmt: skip


def short_answers(deaths: int = 0, **person) -> dict:
    row = {"R1": "王芳", "R3": "2", "R4": "1980-05-01", "R6": "1", **person}
    return {"H1": "1", "H2": 1, "H3": deaths, "P": [row]}


def submission(**overrides) -> dict:
    """Keyword arguments of response_submit for a short form, a fresh key each time."""
    return {"role": rules.SHORT, "answers": short_answers(), "idempotency_key": uuid4(),
            "filled_at": timezone.now(), "read_back": True, **overrides}  # fmt: skip


@dataclass
class Census:
    survey: Survey
    area: Area  # 001, 甲一社区, entered by grid_worker
    other: Area  # 002, 甲二社区, entered by community_worker2
    unit: FrameUnit  # in area
    unit2: FrameUnit  # in area
    far: FrameUnit  # in other

    def url_values(self) -> dict:
        return {"survey": self.survey.pk, "area": self.area.pk, "other": self.other.pk, "unit": self.unit.pk,
                "far": self.far.pk}  # fmt: skip


def census(w: factories.World, state: str = rules.RUNNING) -> Census:
    plan = Plan.objects.create(region=w.street_a, title="第七次人口普查甲街道实施方案", issuer="甲街道办事处")
    survey = Survey.objects.create(
        plan=plan, kind=rules.CENSUS, title="甲街道人口普查", state=state,
        standard_moment=timezone.make_aware(datetime(2026, 11, 1)),
    )  # fmt: skip
    for role, code, definition in ((rules.SHORT, "t-short", SHORT), (rules.DEATH, "t-death", DEATH)):
        form = Form.objects.create(code=code, name=rules.FORM_ROLES[role])
        version = FormVersion.objects.create(form=form, number=1, definition=definition, published_at=timezone.now())
        SurveyForm.objects.create(survey=survey, role=role, version=version)
    frame = Frame.objects.create(survey=survey, moment=survey.standard_moment, digest="0" * 64)
    areas, units = [], []
    for code, community, grid, enumerator in (
        ("001", w.community_a1, w.grid_a1, "grid_worker"),
        ("002", w.community_a2, w.grid_a2, "community_worker2"),
    ):
        area = Area.objects.create(survey=survey, community=community, code=code, name=f"{community.name}{code}")
        AreaEnumerator.objects.create(area=area, user=w.users[enumerator])
        estate = Estate.objects.create(region=community, name=f"{community.name}小区")
        for n in (1, 2):
            house = factories.house(grid, estate, building="1", unit="1", number=f"{n}01")
            household = Household.objects.create(number=f"{code}-{n}", house=house, grid=grid)
            units.append(FrameUnit.objects.create(
                frame=frame, position=len(units) + 1, household=household, building=house.unit.building, area=area,
                persons=1, label=f"1-1-{n}01 {household.number}",
            ))  # fmt: skip
        AreaBuilding.objects.get_or_create(area=area, building=units[-1].building)
        areas.append(area)
    return Census(survey, areas[0], areas[1], units[0], units[1], units[2])
