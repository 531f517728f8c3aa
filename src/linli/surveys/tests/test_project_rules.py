"""The phases a survey's plan starts with, and why a survey cannot start yet."""

from datetime import date

import pytest

from linli.surveys import rules


def test_a_census_is_phased_around_its_standard_day():
    phases = rules.phase_template(rules.CENSUS, date(2010, 11, 1))
    assert [(name, start.isoformat(), end.isoformat()) for name, start, end, _ in phases] == [
        ("组织部署", "2010-08-03", "2010-09-01"),
        ("摸底与小区划分", "2010-09-02", "2010-10-31"),
        ("入户登记", "2010-11-01", "2010-11-10"),
        ("复查", "2010-11-11", "2010-11-15"),
        ("汇总上报", "2010-11-16", "2010-12-15"),
    ]


def test_a_unit_survey_is_phased_as_the_occupational_health_plan():
    # 000 篇3: 组织部署 by 7月20日, forms back by 7月25日, re-checked by 8月5日, reported by 8月10日.
    phases = rules.phase_template(rules.UNITS, date(2027, 7, 1))
    assert [(name, f"{end:%m-%d}") for name, _, end, _ in phases] == [
        ("组织部署", "07-20"), ("调查", "07-25"), ("复核", "08-05"), ("录入与上报", "08-10")]  # fmt: skip


@pytest.mark.parametrize("kind", list(rules.KINDS))
def test_phases_follow_each_other_without_gaps(kind):
    phases = rules.phase_template(kind, date(2026, 1, 1))
    assert all(start <= end for _, start, end, _ in phases)
    assert all((b[1] - a[2]).days == 1 for a, b in zip(phases, phases[1:], strict=False))


CENSUS_ROLES = {rules.SHORT, rules.LONG, rules.DEATH}


@pytest.mark.parametrize(
    "kind, roles, areas, without, coverage, problems",
    [
        (rules.CENSUS, CENSUS_ROLES, 2, [], [], []),
        (rules.CENSUS, {rules.SHORT, rules.LONG}, 2, [], [], ["尚未指定死亡人口调查表"]),
        (rules.CENSUS, CENSUS_ROLES, 0, [], [], ["尚未划分普查小区"]),
        (rules.CENSUS, CENSUS_ROLES, 2, ["002"], ["有1处楼栋或住户未划入任何普查小区"],
         ["有1处楼栋或住户未划入任何普查小区", "以下小区尚未安排普查员：002"]),
        (rules.CENSUS, CENSUS_ROLES, 12, [f"{n:03}" for n in range(1, 12)], [],
         ["以下小区尚未安排普查员：001、002、003、004、005、006、007、008、009、010等"]),
        (rules.UNITS, {rules.UNIT, rules.RECHECK}, 0, [], [], []),  # a unit survey needs no areas
        (rules.UNITS, set(), 0, [], [], ["尚未指定用人单位调查表"]),
    ],
)  # fmt: skip
def test_what_keeps_a_survey_from_starting(kind, roles, areas, without, coverage, problems):
    got = rules.start_problems(kind, roles=roles, areas=areas, without_enumerators=without, coverage=coverage)
    assert got == problems
