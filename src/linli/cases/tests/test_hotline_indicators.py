"""缓办 through the services, and what it and the timed 签收 do to the indicators, counted by hand.

Three cases of 路灯不亮 (0401: 签收 within 4 working hours, handled within 3 working days) in community 甲一,
handled by 城管 (the persona dept_handler):
    H1  dispatched Mon 2025-03-03 10:00, signed for 10:30, due Thu 03-06 17:30; 缓办 asked Tue 03-04 09:00 to
        resume on 04-15, approved 10:00. Resumed Tue 04-15 09:00: due again 3 working days on, Fri 04-18 17:30.
    H2  dispatched Mon 03-03 10:00, signed for Tue 03-04 09:00 (after its 签收时限, Mon 15:30), fed back Wed 03-05
        10:00, closed 11:00: on time.
    H3  dispatched Mon 03-03 10:00 and never signed for.
Read on Thu 03-20 (H1 in 缓办, its first deadline passed) and on Mon 04-21 (H1 resumed and late again).
"""

from dataclasses import astuple
from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from linli.accounts.models import Role
from linli.cases import rules, selectors, services
from linli.cases.models import Assignment
from linli.cases.tests.support import act, at, receive, state_of
from linli.core.errors import DomainError, PermissionDenied, ValidationFailed
from linli.organizations.models import Organization
from linli.testing import factories
from linli.workdays import services as workdays

START, END = at(2025, 3, 1), at(2025, 5, 1)
DEFERRED_READ, RESUMED_READ = at(2025, 3, 20, 12), at(2025, 4, 21, 12)
RESUME_ON = date(2025, 4, 15)


def dispatched(w, *, signed_at=None):
    case = receive(w, w.grid_a1, now=at(2025, 3, 3, 9))
    case = act(w, "street_staff", case, "register", now=at(2025, 3, 3, 9, 30))
    case = act(w, "street_staff", case, "dispatch", now=at(2025, 3, 3, 10))
    return act(w, "dept_handler", case, "accept", now=signed_at) if signed_at else case


@pytest.fixture
def deferred(w):
    case = dispatched(w, signed_at=at(2025, 3, 3, 10, 30))
    case = act(w, "dept_handler", case, "request_deferral", now=at(2025, 3, 4, 9), note="需纳入维修资金计划",
               resume_on=RESUME_ON)  # fmt: skip
    return act(w, "street_staff", case, "approve_deferral", now=at(2025, 3, 4, 10))


def test_a_deferral_is_asked_by_the_department_and_approved_by_the_dispatching_office(w):
    case = dispatched(w, signed_at=at(2025, 3, 3, 10, 30))
    for persona in ("street_staff", "grid_worker"):
        with pytest.raises(PermissionDenied, match="您无权对该案件执行「申请缓办」"):
            act(w, persona, case, "request_deferral", note="等资金", resume_on=RESUME_ON)
    before = state_of(case)
    for value, message in (
        (None, "请填写预计恢复办理日期（如2026-03-15）"),
        ("4月15日", "请填写预计恢复办理日期（如2026-03-15）"),
        ("2025-03-04", "预计恢复办理日期应在今天之后的366天以内"),  # the day it is asked
        ("2026-03-06", "预计恢复办理日期应在今天之后的366天以内"),  # 367 days on
    ):
        with pytest.raises(ValidationFailed) as exc:
            act(w, "dept_handler", case, "request_deferral", now=at(2025, 3, 4, 9), note="等资金", resume_on=value)
        assert [(e.field, e.message) for e in exc.value.errors] == [("resume_on", message)]
    with pytest.raises(ValidationFailed) as exc:
        act(w, "dept_handler", case, "request_deferral", resume_on=RESUME_ON)
    assert [(e.field, e.message) for e in exc.value.errors] == [("note", "请填写申请缓办的说明")]
    assert state_of(case) == before

    case = act(w, "dept_handler", case, "request_deferral", now=at(2025, 3, 4, 9), note="需纳入维修资金计划",
               resume_on="2025-04-15")  # fmt: skip
    assert (case.state, case.resume_on, case.deferral_count) == (rules.HANDLING, RESUME_ON, 0)
    with pytest.raises(DomainError, match="已有缓办申请待审批"):
        act(w, "dept_handler", case, "request_deferral", note="再申请", resume_on=RESUME_ON)
    with pytest.raises(PermissionDenied, match="您无权对该案件执行「批准缓办」"):
        act(w, "dept_handler", case, "approve_deferral")
    case = act(w, "street_staff", case, "approve_deferral", now=at(2025, 3, 4, 10))
    assert (case.state, case.resume_on, case.deferral_count) == (rules.DEFERRED, RESUME_ON, 1)
    event = case.events.last()
    assert (event.action, event.actor.username, event.data) == ("approve_deferral", "street_staff",
                                                                {"resume_on": "2025-04-15"})  # fmt: skip
    # Nothing runs meanwhile: no escalation, no feedback.
    assert services.escalate_overdue(now=DEFERRED_READ) == 0
    with pytest.raises(DomainError, match="案件当前状态为「缓办中」，不能执行「处置反馈」"):
        act(w, "dept_handler", case, "feedback", note="已修复")


def test_a_refused_deferral_leaves_the_case_as_it_was_and_may_be_asked_again(w):
    case = dispatched(w, signed_at=at(2025, 3, 3, 10, 30))
    case = act(w, "dept_handler", case, "request_deferral", note="等资金", resume_on=date.today() + timedelta(30))
    with pytest.raises(ValidationFailed) as exc:
        act(w, "street_staff", case, "deny_deferral")
    assert [(e.field, e.message) for e in exc.value.errors] == [("note", "请填写驳回缓办的说明")]
    case = act(w, "street_staff", case, "deny_deferral", note="可先行临时处置")
    assert (case.state, case.resume_on, case.deferral_count, case.due_at) == (
        rules.HANDLING, None, 0, at(2025, 3, 6, 17, 30)
    )  # fmt: skip
    with pytest.raises(DomainError, match="没有待审批的缓办申请"):
        act(w, "street_staff", case, "approve_deferral")
    assert act(w, "dept_handler", case, "request_deferral", note="确需等待", resume_on=date.today() + timedelta(9))


@pytest.mark.parametrize("leave", ["return", "feedback"])
def test_a_pending_deferral_lapses_when_the_case_leaves_the_department(w, leave):
    case = dispatched(w, signed_at=at(2025, 3, 3, 10, 30))
    case = act(w, "dept_handler", case, "request_deferral", note="等资金", resume_on=date.today() + timedelta(30))
    case = act(w, "dept_handler", case, leave, note="不属于本局" if leave == "return" else "已修复")
    assert case.resume_on is None


def test_resuming_gives_the_department_its_full_handling_time_again(w, deferred):
    with pytest.raises(PermissionDenied):
        act(w, "grid_worker", deferred, "resume", note="资金到位")
    case = act(w, "dept_handler", deferred, "resume", now=at(2025, 4, 15, 9), note="资金已到位")
    assert case.state == rules.HANDLING and case.resume_on is None
    assert case.due_at == workdays.deadline_after_working_days(at(2025, 4, 15, 9), 3) == at(2025, 4, 18, 17, 30)
    history = selectors.case_history(case=case, now=at(2025, 4, 16, 9))
    assert history.clock.label == "处置时限" and history.clock.due == case.due_at and not history.clock.late
    assert history.entries[-1].details == ["新的处置时限：2025-04-18 17:30"]


def counts(w, now, persona="admin"):
    rows = selectors.indicators(user=w.users[persona], group="department", start=START, end=END, now=now)
    cm = Organization.objects.get(name="区城市管理综合执法局")
    return {r.key: r for r in rows}[cm.pk]


@pytest.mark.parametrize("persona", ["admin", "dept_handler"])  # the summaries, and counting the cases
def test_a_deferred_case_leaves_the_on_time_denominator_and_comes_back_when_resumed(w, deferred, persona):
    h2 = dispatched(w, signed_at=at(2025, 3, 4, 9))
    h2 = act(w, "dept_handler", h2, "feedback", now=at(2025, 3, 5, 10), note="已更换灯泡")
    act(w, "grid_worker", h2, "verify", now=at(2025, 3, 5, 11))
    h3 = dispatched(w)
    assert h3.response_due == at(2025, 3, 3, 15, 30)

    row = counts(w, DEFERRED_READ, persona)
    # 应结案: H2 closed, H1 in 缓办, H3 open past its deadline = 3; 缓办 1; on time 1: 1 / (3 − 1) = 50 %.
    # 签收: H1 in time, H2 late, H3 unsigned and past its 签收时限: 1 of 3.
    c = row.counts
    assert (c.cases, c.closed, c.due, c.deferred, c.on_time) == (3, 1, 3, 1, 1)
    assert (c.assigned, c.returned, c.response_due, c.responded) == (3, 0, 3, 1)
    assert (row.values.on_time_rate, row.values.deferred, row.values.response_rate) == (50, 1, D("33.3"))

    # At H3's 签收时限 exactly it is not known to be late yet: 1 of 2 (H1, H2 answered); a second later it is.
    early = counts(w, at(2025, 3, 3, 15, 30), persona)
    assert (early.counts.response_due, early.counts.responded) == (2, 1)
    assert counts(w, at(2025, 3, 3, 15, 30, 1), persona).counts.response_due == 3

    act(w, "dept_handler", deferred, "resume", now=at(2025, 4, 15, 9), note="资金已到位")
    row = counts(w, RESUMED_READ, persona)
    # H1 back, past its new deadline (04-18 17:30) and open: 应结案 3, 缓办 0, on time 1: 33.3 %.
    assert (row.counts.due, row.counts.deferred, row.values.on_time_rate, row.values.deferred) == (3, 0, D("33.3"), 0)


def test_an_unsigned_case_turns_yellow_then_red_on_its_response_deadline_in_the_lists(w):
    unsigned = dispatched(w)
    signed = dispatched(w, signed_at=at(2025, 3, 3, 10, 30))
    admin = w.users["admin"]

    def lit(light, now):
        f = selectors.CaseFilter(light=light)
        return set(selectors.case_list(user=admin, filters=f, now=now).values_list("pk", flat=True))

    # 4 working hours from Mon 10:00: due 15:30, yellow from 80 % of them (3.2 h), 14:42.
    assert (unsigned.response_due, unsigned.response_warn_at) == (at(2025, 3, 3, 15, 30), at(2025, 3, 3, 14, 42))
    for now, expected in ((at(2025, 3, 3, 14, 41), rules.GREEN), (at(2025, 3, 3, 14, 42), rules.YELLOW),
                          (at(2025, 3, 3, 15, 30), rules.YELLOW), (at(2025, 3, 3, 15, 31), rules.RED)):  # fmt: skip
        assert rules.case_light(now, unsigned) == expected
        assert {light for light in rules.LIGHT_LABELS if unsigned.pk in lit(light, now)} == {expected}
        assert {light for light in rules.LIGHT_LABELS if signed.pk in lit(light, now)} == {rules.GREEN}


def test_the_dispatches_of_a_case_returned_by_one_department_and_finished_by_another(w):
    traffic = Organization.objects.get(name="区交通运输局")
    case = receive(w, w.grid_a1, now=at(2025, 3, 3, 9))
    case = act(w, "street_staff", case, "register", now=at(2025, 3, 3, 9, 30))
    case = act(w, "street_staff", case, "dispatch", now=at(2025, 3, 3, 10), department_id=traffic.pk)
    handler = factories.user("traffic", Role.DEPT_HANDLER, organization=traffic)
    case = act(w, handler, case, "return", now=at(2025, 3, 3, 16), note="路灯不归本局")  # after its 签收时限
    case = act(w, "street_staff", case, "dispatch", now=at(2025, 3, 3, 16, 30))
    case = act(w, "dept_handler", case, "accept", now=at(2025, 3, 3, 17))
    rows = list(Assignment.objects.filter(case=case).order_by("dispatched_at").values_list(
        "department__name", "answered_at", "returned_at"))  # fmt: skip
    assert rows == [
        ("区交通运输局", at(2025, 3, 3, 16), at(2025, 3, 3, 16)),
        ("区城市管理综合执法局", at(2025, 3, 3, 17), None),
    ]
    by_department = {
        r.name: astuple(r.counts)[7:11]  # assigned, returned, response due, responded
        for r in selectors.indicators(
            user=w.users["admin"], group="department", start=START, end=END, now=at(2025, 3, 4, 9)
        )  # fmt: skip
    }
    assert by_department == {"区交通运输局": (1, 1, 1, 0), "区城市管理综合执法局": (1, 0, 1, 1)}
