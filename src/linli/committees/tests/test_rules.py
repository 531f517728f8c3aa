from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linli.committees import rules
from linli.committees.rules import CHAIR, MEMBER, VICE_CHAIR


@pytest.mark.parametrize(
    "formed, ends",
    [
        (date(2021, 6, 1), date(2026, 6, 1)),  # the corresponding day five years on (Civil Code art. 202)
        (date(2024, 2, 29), date(2029, 2, 28)),  # no 29 February then: the month's last day
        (date(2023, 12, 31), date(2028, 12, 31)),
    ],
)
def test_a_term_ends_on_the_corresponding_day_five_years_on(formed, ends):
    assert rules.term_end(formed) == ends


@pytest.mark.parametrize(
    "today, due",
    [
        (date(2025, 11, 30), None),  # the day before the six-month reminder
        (date(2025, 12, 1), 6),  # six months before 1 June 2026
        (date(2026, 2, 28), 6),
        (date(2026, 3, 1), 3),  # three months before
        (date(2026, 6, 1), 3),  # the last day of the term
        (date(2026, 6, 2), 0),  # the term has run out
        (date(2030, 1, 1), 0),
    ],
)
def test_reminders_fall_due_six_and_three_months_before_and_after_the_end(today, due):
    assert rules.reminder_due(date(2026, 6, 1), today) == due


@pytest.mark.parametrize(
    "ends, months, day",
    [
        (date(2026, 8, 31), 6, date(2026, 2, 28)),  # no 31 February: its last day
        (date(2024, 8, 31), 6, date(2024, 2, 29)),
        (date(2026, 5, 31), 3, date(2026, 2, 28)),
        (date(2026, 5, 31), 0, date(2026, 6, 1)),
    ],
)
def test_reminder_days_at_month_ends(ends, months, day):
    assert rules.reminder_day(ends, months) == day


def test_what_a_reminder_says_of_the_term():
    assert rules.term_state(date(2031, 5, 31), 6) == "将于2031年5月31日届满（已进入届满前6个月）"
    assert rules.term_state(date(2031, 5, 31), 0) == "已于2031年5月31日届满"
    assert rules.term_state(date(2031, 5, 31), None) == "至2031年5月31日"


def _committee(n, chairs=1):
    roles = [CHAIR] * chairs + [VICE_CHAIR] + [MEMBER] * (n - chairs - 1)
    return roles[:n], list(range(1, n + 1))


@pytest.mark.parametrize("n, ok", [(3, False), (4, False), (5, True), (6, False), (7, True), (11, True), (13, False)])
def test_a_committee_has_five_to_eleven_members_an_odd_number(n, ok):
    assert (rules.member_errors(*_committee(n)) == []) is ok


@pytest.mark.parametrize("chairs", [0, 2])
def test_a_committee_has_one_chair(chairs):
    roles, people = _committee(5, chairs)
    if chairs == 0:
        roles = [MEMBER] * 5
    assert rules.member_errors(roles, people) == [f"业主委员会应有且只有一名主任，现为{chairs}名"]


def test_an_owner_holds_one_post_and_roles_are_known():
    assert rules.member_errors([CHAIR, MEMBER, MEMBER, MEMBER, MEMBER], [1, 2, 3, 4, 4]) == [
        "同一业主不能在一届业主委员会中担任两个职务"
    ]
    assert "委员职务应为" in rules.member_errors([CHAIR, MEMBER, MEMBER, MEMBER, "secretary"], [1, 2, 3, 4, 5])[0]


@pytest.mark.parametrize(
    "part, whole, shown",
    [(0, 0, "—"), (0, 3, "0%"), (1, 3, "33.3%"), (2, 3, "66.7%"), (5, 8, "62.5%"), (3, 3, "100%")],
)
def test_shares_are_exact_and_printed_to_a_tenth(part, whole, shown):
    value = rules.share(part, whole)
    assert value is None if whole == 0 else value == Fraction(part, whole)
    assert rules.percent(value) == shown


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


@given(formed=days, first=st.integers(0, 3000), later=st.integers(0, 3000))
def test_reminders_only_move_towards_the_end_as_days_pass(formed, first, later):
    ends = rules.term_end(formed)
    a, b = formed + timedelta(days=first), formed + timedelta(days=first + later)
    due_a, due_b = rules.reminder_due(ends, a), rules.reminder_due(ends, b)
    if due_a is not None:
        assert due_b is not None and due_b <= due_a


@given(formed=days)
def test_the_first_reminder_comes_before_the_term_ends(formed):
    ends = rules.term_end(formed)
    assert formed < rules.reminder_day(ends, 6) < rules.reminder_day(ends, 3) <= ends < rules.reminder_day(ends, 0)
