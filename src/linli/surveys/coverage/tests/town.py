"""A small census of street A of the persona district, built directly with the models: the registry (two
households in community A1, one in A2, one in street B), the frozen frame and the forms the enumerators returned."""

import uuid
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from linli.campaigns.models import Plan
from linli.people.models import Estate, Household, Person
from linli.surveys import rules as survey_rules
from linli.surveys.models import Form, FormVersion, Frame, FrameUnit, Response, Survey
from linli.testing import factories

SHORT_FORM = {
    "sections": [
        {
            "key": "H",
            "title": "户信息",
            "questions": [
                {"key": "H1", "label": "户别", "type": "choice", "required": True,
                 "options": [{"value": "1", "label": "家庭户"}, {"value": "2", "label": "集体户"}]},
                {"key": "P", "label": "人口登记", "type": "table", "min_rows": 1, "max_rows": 99, "columns": [
                    {"key": "R1", "label": "姓名", "type": "text", "max_length": 50},
                    {"key": "R3", "label": "性别", "type": "choice",
                     "options": [{"value": "1", "label": "男"}, {"value": "2", "label": "女"}]},
                    {"key": "R5", "label": "民族", "type": "choice",
                     "options": [{"value": "01", "label": "汉族"}, {"value": "03", "label": "回族"}]},
                ]},
            ],
        }
    ]
}  # fmt: skip


@dataclass
class Town:
    survey: Survey
    units: dict  # name → FrameUnit
    persons: dict  # name → Person
    households: dict  # name → Household


def _household(grid, estate, number, building="1") -> Household:
    house = factories.house(grid, estate, building=building, number=number)
    return Household.objects.create(number=f"H{number}{grid.pk}", house=house, grid=grid)


def town(world, moment_after=True) -> Town:
    estate = Estate.objects.create(region=world.community_a1, name="和平小区")
    estate_a2 = Estate.objects.create(region=world.community_a2, name="安宁小区")
    estate_b = Estate.objects.create(region=world.community_b1, name="乙街小区")
    h = {
        "zhang": _household(world.grid_a1, estate, "101"),
        "wang": _household(world.grid_a1, estate, "102"),
        "li": _household(world.grid_a2, estate_a2, "201"),
        "b": _household(world.grid_b1, estate_b, "301"),
    }
    p = {}
    for key, household, name, birth, female, extra in [
        ("zhang_san", "zhang", "张三", date(1980, 5, 1), False, {"relationship": "head"}),
        ("zhang_old", "zhang", "张老汉", date(1930, 2, 11), False, {"relationship": "parent"}),
        ("zhang_away", "zhang", "张外出", date(1995, 8, 8), False, {"relationship": "child"}),
        ("wang_fang", "wang", "王芳", date(1990, 3, 8), True, {"relationship": "head"}),
        ("wang_tenant", "wang", "赵租客", date(1999, 9, 9), False, {"residence_type": "floating"}),
        ("li_si", "li", "李四", date(1975, 1, 20), False, {"relationship": "head"}),
        ("liu_yang", "li", "刘洋", date(1995, 2, 14), False, {"relationship": "child"}),
        ("b_person", "b", "乙街人", date(1970, 1, 1), False, {}),
    ]:
        hh = h[household]
        p[key] = factories.person(hh.grid, hh, name=name, birth=birth, female=female, **extra)
    plan = Plan.objects.create(region=world.street_a, title="第七次人口普查", issuer="甲街道办事处")
    survey = Survey.objects.create(plan=plan, kind=survey_rules.CENSUS, title="甲街道人口普查",
                                   standard_moment=timezone.now(), state=survey_rules.RUNNING)  # fmt: skip
    frame = Frame.objects.create(survey=survey, moment=survey.standard_moment, digest="0" * 64)
    units = {}
    for position, key in enumerate(["zhang", "wang", "li"], start=1):
        hh = h[key]
        units[key] = FrameUnit.objects.create(frame=frame, position=position, household=hh,
                                              building=hh.house.unit.building, label=f"{key} 户")  # fmt: skip
    return Town(survey, units, p, h)


def form_version(code: str, definition: dict) -> FormVersion:
    form, _ = Form.objects.get_or_create(code=code, defaults={"name": code})
    version, _ = FormVersion.objects.get_or_create(
        form=form, number=1, defaults={"definition": definition, "published_at": timezone.now()}
    )
    return version


def returned(unit: FrameUnit, persons: list[dict], role=survey_rules.SHORT, table="P") -> Response:
    """The form a household returned: `persons` are its table's rows."""
    version = form_version(f"test-{role}", SHORT_FORM)
    answers = {"H1": "1", table: persons} if role != survey_rules.DEATH else {table: persons}
    return Response.objects.create(unit=unit, role=role, form_version=version, answers=answers,
                                   idempotency_key=uuid.uuid4(), read_back=True, filled_at=timezone.now())  # fmt: skip


def enumerate_town(t: Town) -> None:
    """What the enumerators found: each clean-up list once.

    张家: 张三 (户口在外乡镇: 人户分离 of a registered person), 张老汉 died (应销未销), 张外出 not there (漏登), a
    newborn without hukou (无户口), and 刘洋, whom the registry keeps in 李家 (人户分离 by moving).
    王家: as registered, plus 孙客人 the registry does not know (未登记); 赵租客 moved away (漏登, floating).
    李家: 李四 alone (刘洋 is enumerated at 张家)."""
    returned(t.units["zhang"], [
        {"R1": "张三", "R2": "0", "R3": "1", "R4": "1980-05", "R5": "01", "R6": "4"},
        {"R1": "张小宝", "R2": "7", "R3": "2", "R4": "2024-03", "R5": "01", "R6": "5"},
        {"R1": "刘 洋", "R2": "9", "R3": "1", "R4": "1995年2月", "R5": "01", "R6": "3"},
    ])  # fmt: skip
    returned(t.units["zhang"], [{"D1": "张老汉", "D2": "1", "D3": "1930-02"}], role=survey_rules.DEATH, table="D")
    returned(t.units["wang"], [
        {"R1": "王芳", "R2": "0", "R3": "2", "R4": "1990-03", "R5": "01", "R6": "1"},
        {"R1": "孙客人", "R2": "9", "R3": "1", "R4": "1985-11-02", "R5": "03", "R6": "4"},
    ])  # fmt: skip
    returned(t.units["li"], [{"R1": "李四", "R2": "0", "R3": "1", "R4": "1975-01", "R5": "01", "R6": "1"}])


def person_now(person: Person) -> Person:
    return Person.objects.get(pk=person.pk)


def census_b(world, t: Town) -> Survey:
    """A census of street B (out of street A's scope): its one household enumerated without its registered person."""
    plan = Plan.objects.create(region=world.street_b, title="乙街道人口普查", issuer="乙街道办事处")
    survey = Survey.objects.create(plan=plan, kind=survey_rules.CENSUS, title="乙街道人口普查",
                                   standard_moment=t.survey.standard_moment, state=survey_rules.RUNNING)  # fmt: skip
    frame = Frame.objects.create(survey=survey, moment=survey.standard_moment, digest="0" * 64)
    hh = t.households["b"]
    unit = FrameUnit.objects.create(frame=frame, position=1, household=hh, building=hh.house.unit.building,
                                    label="乙 户")  # fmt: skip
    returned(unit, [{"R1": "乙街人", "R3": "1", "R4": "1970-01", "R6": "4"}])
    return survey
