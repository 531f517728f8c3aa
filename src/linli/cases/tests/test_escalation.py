"""services.escalate_overdue: automatic 督办 of cases a department holds past their deadline: the 签收时限 while
unsigned, the 处置时限 after.

The case used throughout: 路灯不亮 (3 working days) dispatched Mon 2025-03-03 10:00, signed for at 10:30, due Thu
03-06 17:30.
Working time after the deadline counts 7 h a day: Fri 03-07, Mon 03-10, Tue 03-11 make three working days at
Tue 17:30, when the street's 督办 (level 1) becomes the district's 挂牌督办 (level 2)."""

from datetime import timedelta

import pytest

from linli.cases import rules, services
from linli.cases.models import CaseEvent
from linli.cases.tests.support import act, at, receive
from linli.workdays import services as workdays

DUE = at(2025, 3, 6, 17, 30)


def overdue_case(w, grid=None, *, signed=True):
    case = receive(w, grid, now=at(2025, 3, 3, 9))
    case = act(w, "admin", case, "register", now=at(2025, 3, 3, 9, 30))
    case = act(w, "admin", case, "dispatch", now=at(2025, 3, 3, 10))
    assert case.due_at == DUE
    return act(w, "dept_handler", case, "accept", now=at(2025, 3, 3, 10, 30)) if signed else case


def supervisions(case):
    return list(case.events.filter(action="supervise").values_list("actor", "actor_label", "note", "data", "at"))


def test_nothing_before_the_deadline_passes(w):
    case = overdue_case(w)
    assert services.escalate_overdue(now=DUE) == 0  # at the deadline it is still in time
    case.refresh_from_db()
    assert case.supervision_level == 0 and supervisions(case) == []


def test_level_one_then_level_two_after_three_more_working_days(w):
    case = overdue_case(w)
    first = DUE + timedelta(seconds=1)
    assert services.escalate_overdue(now=first) == 1
    case.refresh_from_db()
    assert case.supervision_level == 1 and case.version == 5 and case.state == rules.HANDLING
    assert supervisions(case) == [(None, "系统", "已超过处置时限，系统自动督办", {"level": 1}, first)]
    event = case.events.last()
    assert (event.from_state, event.to_state, event.public) == (rules.HANDLING, rules.HANDLING, False)

    # Two working days (Fri, Mon) and 6.5 h of Tuesday: still level 1, nothing written.
    for moment in (at(2025, 3, 7, 17, 30), at(2025, 3, 10, 9), at(2025, 3, 11, 17, 0)):
        assert services.escalate_overdue(now=moment) == 0
    case.refresh_from_db()
    assert case.supervision_level == 1 and len(supervisions(case)) == 1

    # Tue 17:30: 21 working hours = 3 working days after the deadline.
    second = at(2025, 3, 11, 17, 30)
    assert workdays.working_seconds_between(DUE, second) == 3 * 7 * 3600
    assert services.escalate_overdue(now=second) == 1
    case.refresh_from_db()
    assert case.supervision_level == 2
    assert supervisions(case)[1] == (None, "系统", "超过处置时限3个工作日，系统自动挂牌督办", {"level": 2}, second)
    assert [e.seq for e in case.events.all()] == [1, 2, 3, 4, 5, 6]


def test_running_twice_writes_nothing_more(w):
    case = overdue_case(w)
    late = at(2025, 3, 20, 10)
    assert services.escalate_overdue(now=late) == 1
    assert services.escalate_overdue(now=late) == 0
    assert services.escalate_overdue(now=late + timedelta(days=30)) == 0
    case.refresh_from_db()
    # Long overdue on its first run: straight to level 2, one entry.
    assert case.supervision_level == 2 and len(supervisions(case)) == 1
    assert supervisions(case)[0][2] == "超过处置时限9个工作日，系统自动挂牌督办"


def test_a_dispatch_not_signed_for_in_time_is_escalated_like_the_handling_deadline(w):
    case = overdue_case(w, signed=False)
    # 4 working hours from Mon 10:00.
    response_due = case.response_due
    assert workdays.working_seconds_between(at(2025, 3, 3, 10), response_due) == 4 * 3600
    assert services.escalate_overdue(now=response_due) == 0  # at the deadline it is still in time
    first = response_due + timedelta(seconds=1)
    assert services.escalate_overdue(now=first) == 1
    case.refresh_from_db()
    assert case.state == rules.DISPATCHED and case.supervision_level == 1
    assert supervisions(case) == [(None, "系统", "已超过签收时限，系统自动督办", {"level": 1}, first)]
    # Still unsigned three working days after its 签收时限: the district's 挂牌督办.
    second = workdays.deadline_after_working_days(response_due, rules.DISTRICT_ESCALATION_DAYS)
    assert services.escalate_overdue(now=second) == 1
    case.refresh_from_db()
    assert supervisions(case)[1][2:4] == ("超过签收时限3个工作日，系统自动挂牌督办", {"level": 2})


def test_signing_for_the_case_late_leaves_only_the_handling_deadline_to_watch(w):
    case = overdue_case(w, signed=False)
    late = case.response_due + timedelta(hours=1)
    assert services.escalate_overdue(now=late) == 1
    case.refresh_from_db()
    act(w, "dept_handler", case, "accept", now=late + timedelta(minutes=10))
    assert services.escalate_overdue(now=at(2025, 3, 6, 17, 30)) == 0  # in time for the 处置时限, level 1 already
    assert services.escalate_overdue(now=at(2025, 3, 11, 17, 30)) == 1
    case.refresh_from_db()
    assert case.supervision_level == 2 and supervisions(case)[-1][2] == "超过处置时限3个工作日，系统自动挂牌督办"


def closed(w):
    case = act(w, "dept_handler", overdue_case(w), "feedback", now=at(2025, 3, 10, 9), note="迟到的反馈")
    return act(w, "grid_worker", case, "verify", now=at(2025, 3, 10, 10))


def fed_back(w):
    return act(w, "dept_handler", overdue_case(w), "feedback", now=at(2025, 3, 10, 9), note="迟到的反馈")


def returned(w):
    return act(w, "dept_handler", overdue_case(w), "return", now=at(2025, 3, 3, 11), note="不属于本局")


@pytest.mark.parametrize("make", [closed, fed_back, returned, lambda w: receive(w, now=at(2025, 3, 3, 9))])
def test_cases_no_department_holds_are_left_alone(w, make):
    # Closed, waiting for the on-site check, back on the dispatcher's desk, or never dispatched.
    case = make(w)
    events = CaseEvent.objects.count()
    assert services.escalate_overdue(now=at(2025, 3, 20, 10)) == 0
    case.refresh_from_db()
    assert case.supervision_level == 0 and CaseEvent.objects.count() == events


def test_a_supervisor_may_be_ahead_of_the_system(w):
    case = act(w, "district_staff", overdue_case(w), "supervise", now=at(2025, 3, 5, 9), note="挂牌督办")
    assert case.supervision_level == 2
    assert services.escalate_overdue(now=at(2025, 3, 20, 10)) == 0
    street = act(w, "street_staff", overdue_case(w), "supervise", now=at(2025, 3, 5, 9), note="请加快")
    assert street.supervision_level == 1
    assert services.escalate_overdue(now=at(2025, 3, 7, 9)) == 0  # level 1 already
    assert services.escalate_overdue(now=at(2025, 3, 12, 9)) == 1
    street.refresh_from_db()
    assert street.supervision_level == 2
    case.refresh_from_db()
    assert len(supervisions(case)) == 1  # the district's own entry only


def test_only_overdue_cases_move(w):
    late = overdue_case(w)
    fresh = receive(w, w.grid_b1, now=at(2025, 3, 6, 9))
    fresh = act(w, "admin", fresh, "register", now=at(2025, 3, 6, 9, 30))
    fresh = act(w, "admin", fresh, "dispatch", now=at(2025, 3, 6, 10))  # due Tue 03-11 17:30
    fresh = act(w, "dept_handler", fresh, "accept", now=at(2025, 3, 6, 10, 30))
    assert services.escalate_overdue(now=at(2025, 3, 10, 9)) == 1
    late.refresh_from_db()
    fresh.refresh_from_db()
    assert (late.supervision_level, fresh.supervision_level) == (1, 0)
