"""A running survey in the persona district, built straight from the models: a census of street 甲 with one area
in 甲一 (entered by the grid worker) and one in 甲二 (entered by community_worker2), its frame, returned forms and
the re-check draw; or a unit survey of enterprises. Quality and results tests share it."""

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone

from linli.campaigns.models import Plan
from linli.organizations.models import Organization
from linli.people.models import Estate, Household
from linli.surveys import rules
from linli.surveys.models import (
    Area,
    AreaEnumerator,
    Draw,
    DrawPick,
    Form,
    FormVersion,
    Frame,
    FrameUnit,
    Response,
    Survey,
    SurveyForm,
)
from linli.testing import factories

SEX = {"type": "choice", "options": [{"value": "1", "label": "男"}, {"value": "2", "label": "女"}], "required": True}
SHORT = {
    "sections": [
        {
            "key": "H",
            "title": "户信息",
            "show_if": None,
            "questions": [
                {
                    "key": "H1",
                    "label": "户别",
                    "type": "choice",
                    "required": True,
                    "options": [{"value": "1", "label": "家庭户"}, {"value": "2", "label": "集体户"}],
                },
                {
                    "key": "H2",
                    "label": "本户应登记人数",
                    "type": "number",
                    "min": 0,
                    "max": 99,
                    "unit": "人",
                    "required": True,
                },
                {
                    "key": "P",
                    "label": "人口登记",
                    "type": "table",
                    "min_rows": 1,
                    "max_rows": 99,
                    "columns": [
                        {"key": "R1", "label": "姓名", "type": "text", "max_length": 50, "required": True},
                        {"key": "R3", "label": "性别", **SEX},
                        {"key": "R4", "label": "出生日期", "type": "date", "required": True},
                    ],
                },
            ],
        }
    ]
}
UNIT = {
    "sections": [
        {
            "key": "U",
            "title": "单位基本情况",
            "show_if": None,
            "questions": [
                {"key": "U1", "label": "单位名称", "type": "text", "max_length": 100, "required": True},
                {
                    "key": "U2",
                    "label": "行业",
                    "type": "choice",
                    "required": True,
                    "options": [{"value": "C", "label": "制造业"}, {"value": "E", "label": "建筑业"}],
                },
                {"key": "U3", "label": "职工总数", "type": "number", "min": 0, "max": 100000, "required": True},
                {"key": "U4", "label": "接触职业病危害因素人数", "type": "number", "min": 0, "max": 100000},
                {
                    "key": "U5",
                    "label": "危害因素种类",
                    "type": "multi",
                    "options": [{"value": "dust", "label": "粉尘"}, {"value": "noise", "label": "噪声"}],
                },
                {"key": "U6", "label": "职业病病例数", "type": "number", "min": 0, "max": 1000},
            ],
        }
    ]
}
RECHECK = {
    "sections": [
        {
            "key": "Q",
            "title": "复核",
            "show_if": None,
            "questions": [
                *UNIT["sections"][0]["questions"][2:5],
                {"key": "C1", "label": "复核结论", "type": "text", "max_length": 200},
            ],
        }
    ]
}
_forms = iter(range(1, 10**6))


def form_version(definition: dict) -> FormVersion:
    form = Form.objects.create(code=f"test-{next(_forms)}", name="测试表")
    return FormVersion.objects.create(form=form, number=1, definition=definition, published_at=timezone.now())


def person_row(name: str, sex: str, birth: str) -> dict:
    return {"R1": name, "R3": sex, "R4": birth}


@dataclass
class Built:
    survey: Survey
    area_a1: Area
    area_a2: Area
    units: list[FrameUnit]
    responses: list[Response] = field(default_factory=list)
    draw: Draw | None = None

    def url_values(self) -> dict:
        return {"survey": self.survey.pk, "response": self.responses[0].pk, "role": rules.SHORT}


def _survey(world, kind: str, region) -> Survey:
    plan = Plan.objects.create(region=region, title="第七次人口普查", issuer="甲街道办事处")
    extra = (
        {"standard_moment": timezone.make_aware(datetime(2026, 11, 1))}
        if kind == rules.CENSUS
        else {"registered_before": date(2026, 1, 1)}
    )
    return Survey.objects.create(plan=plan, kind=kind, title=plan.title, state=rules.RUNNING, **extra)


def _areas(world, survey: Survey, elsewhere: bool = False) -> tuple[Area, Area]:
    """Two areas, in 甲一 and 甲二 with their enumerators; `elsewhere`: both in 乙一, nobody assigned."""
    c1, c2 = (world.community_b1, world.community_b1) if elsewhere else (world.community_a1, world.community_a2)
    a1 = Area.objects.create(survey=survey, community=c1, code="001", name=f"{c1.name[:2]}第1小区")
    a2 = Area.objects.create(
        survey=survey, community=c2, code="002", name=f"{c2.name[:2]}第{2 if elsewhere else 1}小区"
    )
    if not elsewhere:
        AreaEnumerator.objects.create(area=a1, user=world.users["grid_worker"])
        AreaEnumerator.objects.create(area=a2, user=world.users["community_worker2"])
    return a1, a2


def census(world, *, elsewhere: bool = False, households: int = 4) -> Built:
    """Households alternate between the two areas; the first two have returned short forms (one entered by each
    area's enumerator) and are drawn for the re-check. `elsewhere`: a census of street 乙 instead."""
    survey = _survey(world, rules.CENSUS, world.street_b if elsewhere else world.street_a)
    version = form_version(SHORT)
    SurveyForm.objects.create(survey=survey, role=rules.SHORT, version=version)
    a1, a2 = _areas(world, survey, elsewhere)
    frame = Frame.objects.create(survey=survey, moment=survey.standard_moment, digest="0" * 64)
    estate = Estate.objects.create(name=f"测试小区{survey.pk}", region=world.community_a1)
    units = []
    for n in range(households):
        area = (a1, a2)[n % 2]
        grid = (world.grid_a1, world.grid_a2)[n % 2]
        house = factories.house(grid, estate, building=str(n % 2 + 1), number=f"{101 + n}")
        household = Household.objects.create(number=f"H{survey.pk}-{n}", house=house, grid=grid)
        units.append(
            FrameUnit.objects.create(
                frame=frame,
                position=n + 1,
                household=household,
                building=house.unit.building,
                area=area,
                persons=2,
                label=f"{house.unit.building.number}-1-{house.number} {household.number}",
            )
        )
    built = Built(survey, a1, a2, units)
    answers = [
        {"H1": "1", "H2": 2, "P": [person_row("张三", "1", "1950-03-02"), person_row("李梅", "2", "2015-11-01")]},
        {"H1": "1", "H2": 1, "P": [person_row("王五", "1", "1990-06-30")]},
    ]
    for unit, a, who in zip(units, answers, ["grid_worker", "community_worker2"], strict=False):
        built.responses.append(respond(unit, rules.SHORT, version, a, world.users[who]))
    built.draw = draw(survey, built.units[:2])
    return built


def respond(unit: FrameUnit, role: str, version: FormVersion, answers: dict, user) -> Response:
    unit.state, unit.visited_by, unit.visited_at = rules.DONE, user, timezone.now()
    unit.save()
    return Response.objects.create(
        unit=unit,
        role=role,
        form_version=version,
        answers=answers,
        idempotency_key=uuid.uuid4(),
        read_back=True,
        entered_by=user,
        filled_at=timezone.now(),
    )


def draw(survey: Survey, units: list[FrameUnit]) -> Draw:
    d = Draw.objects.create(
        survey=survey,
        purpose=rules.DRAW_RECHECK,
        seed="test",
        percent=2,
        population=len(units),
        population_digest="0" * 64,
        drawn=len(units),
        method="test",
    )
    DrawPick.objects.bulk_create([DrawPick(draw=d, unit=u) for u in units])
    return d


def unit_survey(world) -> Built:
    """Three enterprises in 甲一 (area 001), all returned; the first two drawn for the re-check."""
    survey = _survey(world, rules.UNITS, world.street_a)
    unit_form, record = form_version(UNIT), form_version(RECHECK)
    SurveyForm.objects.create(survey=survey, role=rules.UNIT, version=unit_form)
    SurveyForm.objects.create(survey=survey, role=rules.RECHECK, version=record)
    a1, a2 = _areas(world, survey)
    frame = Frame.objects.create(survey=survey, moment=timezone.now(), digest="0" * 64)
    built = Built(survey, a1, a2, [])
    rows = [("C", 120, 30, ["dust"], 1), ("C", 80, 0, [], 0), ("E", 50, 20, ["noise", "dust"], 2)]
    for n, (industry, workers, exposed, hazards, cases) in enumerate(rows):
        org = Organization.objects.create(kind="enterprise", name=f"测试企业{n}", region=world.community_a1)
        unit = FrameUnit.objects.create(
            frame=frame, position=n + 1, organization=org, area=a1, label=org.name, form_role=rules.UNIT
        )
        built.units.append(unit)
        answers = {"U1": org.name, "U2": industry, "U3": workers, "U4": exposed, "U5": hazards, "U6": cases}
        built.responses.append(respond(unit, rules.UNIT, unit_form, answers, world.users["grid_worker"]))
    built.draw = draw(survey, built.units[:2])
    return built
