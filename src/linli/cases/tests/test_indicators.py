"""selectors.indicators and totals on a small district driven through the services at chosen moments; every
expected number is counted by hand below. Period: March 2025, [03-01 00:00, 04-01 00:00) Beijing time, looked at
on 03-31 12:00.

    case  community  category (days)  story                                                     lead now
    C1    甲一       0401 (3)         dispatched Mon 03-03 10:00, fed back 03-05 10:00, closed   城管
                                      03-05 15:00 (on time; 6+7+4.5 = 17.5 h), resident 满意
    C2    甲一       0401 (3)         dispatched 03-03 10:30, fed back 03-05, 返工, fed back     城管
                                      03-10 10:00 after the deadline (Thu 03-06 17:30), closed 03-10 11:00
                                      (5.5+7+7+7+7+2 = 35.5 h), staff record 不满意
    C3    甲二       0402 (7)         dispatched 03-04 to 交通局, 退单, re-dispatched 03-05 09:00    城管
                                      to 城管 and accepted; due 03-14 17:30, still open: overdue
    C4    甲二       0401 (3)         dispatched Fri 03-28 10:00, due Wed 04-02: not yet due      城管
    C5    乙一       0402 (7)         dispatched 03-06 10:00, closed 03-07 11:00 (6+2 = 8 h)      交通局
    C6    乙一       0401             不予受理                                                    —
    C7    甲一       0401             merged into C1                                             —
    C8    甲一       0401             registered, not dispatched                                 —
    C9    甲一       0401             received 02-28 23:59:59: before the period                 —
    C10   甲二       0401             received 04-01 00:00:00: after the period (end excluded)   —
    C11   甲二       0401             received 03-01 00:00:00: in the period (start included)    —

Counted: C1 C2 C3 C4 C5 C8 C11 (C6 rejected and C7 merged never count; C9, C10 are outside the period).

Dispatches (派单, response deadline 4 working hours): C1, C2, C3's second and C5 signed for within the hour; C3's
first returned by 交通局 within its deadline, counted against 交通局; C4 never signed for, past its deadline by
03-31 (known late). Nothing is in 缓办 here (test_hotline_indicators.py).
"""

from dataclasses import astuple
from datetime import timedelta
from decimal import Decimal

import pytest

from linli.accounts.models import Role
from linli.cases import rules, selectors, services
from linli.cases.tests.support import act, at, receive
from linli.organizations.models import Organization
from linli.testing import factories

START, END, NOW = at(2025, 3, 1), at(2025, 4, 1), at(2025, 3, 31, 12)
D = Decimal
INDICATORS = list(rules.INDICATOR_LABELS)


@pytest.fixture
def district(w):
    w.users["traffic"] = factories.user(
        "traffic", Role.DEPT_HANDLER, organization=Organization.objects.get(name="区交通运输局")
    )
    w.users["worker_b1"] = factories.user("worker_b1", Role.COMMUNITY_WORKER, w.community_b1)
    cm, tr = (Organization.objects.get(name=n) for n in ("区城市管理综合执法局", "区交通运输局"))
    w.cm, w.tr = cm, tr

    def step(persona, case, action, when, **kw):
        return act(w, persona, case, action, now=when, **kw)

    c1 = receive(w, w.grid_a1, now=at(2025, 3, 3, 9))
    c1 = step("street_staff", c1, "register", at(2025, 3, 3, 9, 30))
    c1 = step("street_staff", c1, "dispatch", at(2025, 3, 3, 10))
    c1 = step("dept_handler", c1, "accept", at(2025, 3, 3, 10, 30))
    c1 = step("dept_handler", c1, "feedback", at(2025, 3, 5, 10), note="已修复")
    c1 = step("grid_worker", c1, "verify", at(2025, 3, 5, 15))
    c1 = services.public_rate(tracking_code=c1.tracking_code, rating=rules.SATISFIED, now=at(2025, 3, 6, 9))

    c2 = receive(w, w.grid_a1, now=at(2025, 3, 3, 9, 30))
    c2 = step("street_staff", c2, "register", at(2025, 3, 3, 9, 40))
    c2 = step("street_staff", c2, "dispatch", at(2025, 3, 3, 10, 30))
    c2 = step("dept_handler", c2, "accept", at(2025, 3, 3, 11))
    c2 = step("dept_handler", c2, "feedback", at(2025, 3, 5, 10), note="已修复")
    c2 = step("grid_worker", c2, "rework", at(2025, 3, 5, 14), note="仍不亮")
    c2 = step("dept_handler", c2, "feedback", at(2025, 3, 10, 10), note="更换线路")
    c2 = step("grid_worker", c2, "verify", at(2025, 3, 10, 11))
    c2 = step("street_staff", c2, "rate", at(2025, 3, 11, 9), rating=rules.UNSATISFIED)

    c3 = receive(w, w.grid_a2, category="0402", now=at(2025, 3, 4, 9))
    c3 = step("street_staff", c3, "register", at(2025, 3, 4, 9, 10))
    c3 = step("street_staff", c3, "dispatch", at(2025, 3, 4, 9, 30))
    c3 = step("traffic", c3, "return", at(2025, 3, 4, 14), note="路灯不归本局")
    c3 = step("street_staff", c3, "dispatch", at(2025, 3, 5, 9), department_id=cm.pk)
    c3 = step("dept_handler", c3, "accept", at(2025, 3, 5, 10))

    c4 = receive(w, w.grid_a2, now=at(2025, 3, 28, 9))
    c4 = step("street_staff", c4, "register", at(2025, 3, 28, 9, 30))
    c4 = step("street_staff", c4, "dispatch", at(2025, 3, 28, 10))

    c5 = receive(w, w.grid_b1, category="0402", now=at(2025, 3, 6, 9))
    c5 = step("district_staff", c5, "register", at(2025, 3, 6, 9, 30))
    c5 = step("district_staff", c5, "dispatch", at(2025, 3, 6, 10))
    c5 = step("traffic", c5, "accept", at(2025, 3, 6, 10, 30))
    c5 = step("traffic", c5, "feedback", at(2025, 3, 7, 10), note="已修补")
    c5 = step("worker_b1", c5, "verify", at(2025, 3, 7, 11))

    c6 = receive(w, w.grid_b1, now=at(2025, 3, 10, 9))
    step("district_staff", c6, "reject", at(2025, 3, 10, 9, 30), note="重复来电")
    c7 = receive(w, w.grid_a1, now=at(2025, 3, 10, 10))
    step("street_staff", c7, "merge", at(2025, 3, 10, 10, 30), original_id=c1.pk)
    c8 = receive(w, w.grid_a1, now=at(2025, 3, 11, 9))
    step("street_staff", c8, "register", at(2025, 3, 11, 9, 30))
    receive(w, w.grid_a1, now=at(2025, 3, 1) - timedelta(seconds=1))  # C9
    receive(w, w.grid_a2, now=at(2025, 4, 1))  # C10
    receive(w, w.grid_a2, now=at(2025, 3, 1))  # C11

    # The hand counts above rest on these facts; check them once here.
    assert (c1.on_time, c1.handling_seconds) == (True, 17.5 * 3600)
    assert (c2.on_time, c2.handling_seconds, c2.rework_count) == (False, 35.5 * 3600, 1)
    assert (c3.state, c3.lead_department, c3.return_count, c3.due_at) == (
        rules.HANDLING,
        cm,
        1,
        at(2025, 3, 14, 17, 30),
    )
    assert (c4.state, c4.due_at) == (rules.DISPATCHED, at(2025, 4, 2, 17, 30))
    assert (c5.on_time, c5.handling_seconds) == (True, 8 * 3600)
    return w


def values(*values) -> tuple:
    return tuple(None if v is None else D(v) for v in values)


def by_key(rows) -> dict:
    return {r.key: r for r in rows}


def check_row(row, name, count_values, indicator_values, ranks):
    assert row.name == name
    # Counts order: cases, dispatched, closed, due, on_time, deferred, reworked, assigned, returned, response_due,
    # responded, rated, satisfied, visited, solved, unreachable, seconds.
    assert astuple(row.counts) == count_values
    # Indicators order: 按期结案率, 结案率, 返工率, 退单率, 满意率, 平均处置时长 (hours), 响应率, 解决率, 缓办数.
    assert astuple(row.values)[1:] == values(*indicator_values)
    assert row.values.cases == count_values[0]
    assert [row.ranks[i] for i in INDICATORS] == [*ranks, None]  # no return visits here: no 解决率 to rank


def test_by_department(district):
    w = district
    rows = selectors.indicators(user=w.users["admin"], group="department", start=START, end=END, now=NOW)
    assert len(rows) == 3
    rows = by_key(rows)
    # 城管: C1 C2 C3 C4. due = C1, C2 (closed) + C3 (open, past 03-14); C4 is not due until 04-02.
    # on time 1/3; closed 2/4; reworked 1/2; 4 dispatches (C1, C2, C3's second, C4), none returned by 城管 (交通局
    # returned C3); signed in time 3 of 4 due (C4 unsigned and late); 满意 1 of 2 rated; (17.5 + 35.5) / 2 = 26.5 h.
    check_row(
        rows[w.cm.pk],
        "区城市管理综合执法局",
        (4, 4, 2, 3, 1, 0, 1, 4, 0, 4, 3, 2, 1, 0, 0, 0, 190800),
        ("33.3", "50.0", "50.0", "0.0", "50.0", "26.5", "75.0", None, 0),
        [2, 2, 2, 2, 1, 1, 2],
    )
    # 交通局: C5, and the dispatch of C3 it returned: 1 return of 2 dispatches. No rating, so no satisfaction rate
    # and no rank for it.
    check_row(
        rows[w.tr.pk],
        "区交通运输局",
        (1, 1, 1, 1, 1, 0, 0, 2, 1, 2, 2, 0, 0, 0, 0, 0, 28800),
        ("100.0", "100.0", "0.0", "50.0", None, "8.0", "100.0", None, 0),
        [1, 1, 1, 1, 2, None, 1],
    )
    # Not dispatched: C8 and C11. Counted in totals, never ranked.
    check_row(
        rows[None],
        "（未派遣）",
        (2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
        (None, "0.0", None, None, None, None, None, None, 0),
        [None] * 7,
    )
    # Totals: 7 cases, 5 dispatched, 3 closed, 4 due, 2 on time, 1 reworked, 6 dispatches, 1 returned, 5 of 6
    # signed in time, 2 rated, 1 满意, 17.5 + 35.5 + 8 = 61 h over 3 closed.
    total = selectors.totals(list(rows.values()))
    assert astuple(total) == (7, *values("50.0", "42.9", "33.3", "16.7", "50.0", "20.3", "83.3", None, 0))


def test_by_street(district):
    w = district
    rows = by_key(selectors.indicators(user=w.users["admin"], group="street", start=START, end=END, now=NOW))
    assert set(rows) == {w.street_a.pk, w.street_b.pk}
    # 甲: C1 C2 C3 C4 C8 C11.
    # 5 dispatches (C3 twice), 1 returned; 4 of 5 signed in time.
    check_row(
        rows[w.street_a.pk],
        "甲街道",
        (6, 4, 2, 3, 1, 0, 1, 5, 1, 5, 4, 2, 1, 0, 0, 0, 190800),
        ("33.3", "33.3", "50.0", "20.0", "50.0", "26.5", "80.0", None, 0),
        [2, 2, 2, 2, 2, 1, 2],
    )
    check_row(
        rows[w.street_b.pk],
        "乙街道",
        (1, 1, 1, 1, 1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0, 28800),
        ("100.0", "100.0", "0.0", "0.0", None, "8.0", "100.0", None, 0),
        [1, 1, 1, 1, 1, None, 1],
    )
    assert astuple(selectors.totals(list(rows.values()))) == (
        7,
        *values("50.0", "42.9", "33.3", "16.7", "50.0", "20.3", "83.3", None, 0),
    )


def test_by_community_with_a_tie(district):
    w = district
    rows = by_key(selectors.indicators(user=w.users["admin"], group="community", start=START, end=END, now=NOW))
    assert set(rows) == {w.community_a1.pk, w.community_a2.pk, w.community_b1.pk}
    # 甲一: C1 C2 C8 — 2 of 2 due closed, 1 on time; closed 2/3; 2 dispatches, none returned, both signed in time.
    check_row(
        rows[w.community_a1.pk],
        "甲一社区",
        (3, 2, 2, 2, 1, 0, 1, 2, 0, 2, 2, 2, 1, 0, 0, 0, 190800),
        ("50.0", "66.7", "50.0", "0.0", "50.0", "26.5", "100.0", None, 0),
        [1, 2, 2, 2, 1, 1, 2],
    )
    # 甲二: C3 C4 C11 — only C3 due (and late); nothing closed; 3 dispatches (C3 twice, C4), 1 returned; C4 late.
    check_row(
        rows[w.community_a2.pk],
        "甲二社区",
        (3, 2, 0, 1, 0, 0, 0, 3, 1, 3, 2, 0, 0, 0, 0, 0, 0),
        ("0.0", "0.0", None, "33.3", None, None, "66.7", None, 0),
        [3, 3, 3, None, 3, None, None],
    )
    # 乙一: C5. Its 退单率 0.0 ties with 甲一's, and its 响应率 100.0: both rank 1, 甲二 ranks 3.
    check_row(
        rows[w.community_b1.pk],
        "乙一社区",
        (1, 1, 1, 1, 1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0, 28800),
        ("100.0", "100.0", "0.0", "0.0", None, "8.0", "100.0", None, 0),
        [1, 1, 1, 1, 1, None, 1],
    )


def test_the_deadline_counts_only_once_passed(district):
    w = district
    # On 03-12 C3 (due 03-14) is not due yet: 城管 has 2 due, 1 on time.
    rows = by_key(
        selectors.indicators(user=w.users["admin"], group="department", start=START, end=END, now=at(2025, 3, 12))
    )
    assert rows[w.cm.pk].counts.due == 2 and rows[w.cm.pk].values.on_time_rate == D("50.0")
    # At 03-14 17:30 exactly it is still in time; a second later it is due.
    exact = at(2025, 3, 14, 17, 30)
    rows = by_key(selectors.indicators(user=w.users["admin"], group="department", start=START, end=END, now=exact))
    assert rows[w.cm.pk].counts.due == 2
    later = exact + timedelta(seconds=1)
    rows = by_key(selectors.indicators(user=w.users["admin"], group="department", start=START, end=END, now=later))
    assert rows[w.cm.pk].counts.due == 3


def test_street_staff_see_only_their_street(district):
    w = district
    user = w.users["street_staff"]
    rows = by_key(selectors.indicators(user=user, group="community", start=START, end=END, now=NOW))
    assert set(rows) == {w.community_a1.pk, w.community_a2.pk}
    assert astuple(rows[w.community_a1.pk].counts) == (3, 2, 2, 2, 1, 0, 1, 2, 0, 2, 2, 2, 1, 0, 0, 0, 190800)
    # Ranked among themselves only: 甲一 first in everything it has a value for.
    assert [rows[w.community_a1.pk].ranks[i] for i in INDICATORS] == [1, 1, 1, 1, 1, 1, 1, None]
    assert [rows[w.community_a2.pk].ranks[i] for i in INDICATORS] == [2, 2, 2, None, 2, None, None, None]
    streets = by_key(selectors.indicators(user=user, group="street", start=START, end=END, now=NOW))
    assert set(streets) == {w.street_a.pk}
    departments = by_key(selectors.indicators(user=user, group="department", start=START, end=END, now=NOW))
    # C5 of 交通局 lies in street 乙; 交通局 is here for the dispatch of C3 it returned, with no case of its own.
    assert set(departments) == {w.cm.pk, w.tr.pk, None}
    assert astuple(departments[w.tr.pk].counts)[:11] == (0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1)
    assert astuple(selectors.totals(list(departments.values()))) == (
        6,
        *values("33.3", "33.3", "50.0", "20.0", "50.0", "26.5", "80.0", None, 0),
    )


def test_departments_see_the_cases_sent_to_them(district):
    w = district
    rows = selectors.indicators(user=w.users["dept_handler"], group="department", start=START, end=END, now=NOW)
    assert [r.key for r in rows] == [w.cm.pk] and rows[0].counts.cases == 4
    rows = selectors.indicators(user=w.users["traffic"], group="street", start=START, end=END, now=NOW)
    # 交通局 leads C5 only: C3 left it when it was returned, but the return stays counted against it.
    assert [(r.key, r.counts.cases, r.counts.assigned, r.counts.returned) for r in rows] == [
        (w.street_a.pk, 0, 1, 1),
        (w.street_b.pk, 1, 1, 0),
    ]
    assert selectors.indicators(user=w.users["company_staff"], group="street", start=START, end=END, now=NOW) == []


def test_a_region_narrows_the_scope(district):
    w = district
    rows = selectors.indicators(
        user=w.users["admin"], group="community", start=START, end=END, now=NOW, region=w.street_b.pk
    )
    assert [(r.key, r.counts.cases) for r in rows] == [(w.community_b1.pk, 1)]


def test_the_period_includes_its_start_and_excludes_its_end(district):
    w = district
    admin = w.users["admin"]

    def cases(start, end):
        return sum(
            r.counts.cases for r in selectors.indicators(user=admin, group="street", start=start, end=end, now=NOW)
        )

    assert cases(at(2025, 2, 1), START) == 1  # C9 at 02-28 23:59:59
    assert cases(START, START + timedelta(seconds=1)) == 1  # C11 at 03-01 00:00:00
    assert cases(END, at(2025, 5, 1)) == 1  # C10 at 04-01 00:00:00
    assert cases(at(2025, 2, 1), at(2025, 5, 1)) == 9
    assert cases(START, START) == 0


def test_rejected_and_merged_cases_never_count(district):
    w = district
    rows = selectors.indicators(user=w.users["admin"], group="street", start=START, end=END, now=NOW)
    assert sum(r.counts.cases for r in rows) == 7
    # Both are in the period and in scope: the list shows them, the indicators do not.
    listed = selectors.case_list(
        user=w.users["admin"], filters=selectors.CaseFilter(received_from=START, received_to=END)
    )
    assert listed.count() == 9


def test_totals_of_nothing():
    assert selectors.totals([]) == rules.Indicators(0, None, None, None, None, None, None, None, None, 0)


def test_unknown_group(w):
    with pytest.raises(ValueError):
        selectors.indicators(user=w.users["admin"], group="grid", start=START, end=END)
