"""摘牌 rules (001 篇7 动态评定), the flow table, validity and plate numbers: tables from the seed, then properties."""

import calendar
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linli.accounts import roles
from linli.honours import rules
from linli.honours.rules import NEW_INCIDENT, RECTIFICATION_OVERDUE, VERIFIED_COMPLAINT, CaseFact, Rule

SH = ZoneInfo("Asia/Shanghai")
GRANTED = datetime(2026, 3, 1, 10, 0, tzinfo=SH)
NOW = datetime(2026, 6, 1, 10, 0, tzinfo=SH)
EPIDEMIC, SANITATION_MAJOR, GARBAGE = 905, 2, 201  # category ids: 疫情防控, 环境卫生 (major), 垃圾清运 (minor of 2)


def fact(**kw) -> CaseFact:
    base = dict(case_id=1, number="2026-000100", kind="event", category_id=EPIDEMIC, major_id=9, state="registered",
                received_at=GRANTED + timedelta(days=10), category_name="疫情防控")  # fmt: skip
    return CaseFact(**(base | kw))


AFTER = GRANTED + timedelta(days=10)
BEFORE = GRANTED - timedelta(days=1)


@pytest.mark.parametrize(
    "rule, f, kind",
    [
        # 新增确诊病例，立即摘牌: any incident of the category received since the grant
        (Rule(NEW_INCIDENT, frozenset({EPIDEMIC})), fact(), NEW_INCIDENT),
        (Rule(NEW_INCIDENT, frozenset({EPIDEMIC})), fact(received_at=BEFORE), None),  # before the grant
        (Rule(NEW_INCIDENT, frozenset({EPIDEMIC})), fact(state="received"), None),  # reported, not yet confirmed
        (Rule(NEW_INCIDENT, frozenset({EPIDEMIC})), fact(state="rejected"), None),  # 不予受理: no incident
        (Rule(NEW_INCIDENT, frozenset({EPIDEMIC})), fact(state="merged"), None),  # a duplicate of one counted
        (Rule(NEW_INCIDENT, frozenset({EPIDEMIC})), fact(category_id=401, major_id=4), None),  # another category
        (Rule(NEW_INCIDENT, frozenset()), fact(), None),  # a rule watching nothing fires on nothing
        # 集中投诉查实: closed after its check
        (Rule(VERIFIED_COMPLAINT, frozenset({SANITATION_MAJOR})),
         fact(category_id=GARBAGE, major_id=2, state="closed", closed_at=AFTER + timedelta(days=2)),
         VERIFIED_COMPLAINT),
        (Rule(VERIFIED_COMPLAINT, frozenset({SANITATION_MAJOR})),
         fact(category_id=GARBAGE, major_id=2, state="feedback"), None),  # not yet checked
        (Rule(VERIFIED_COMPLAINT, frozenset({EPIDEMIC})),
         fact(kind="rectification", state="closed", closed_at=AFTER), None),  # a finding is not a complaint
        # 突出问题未整改到位
        (Rule(RECTIFICATION_OVERDUE), fact(kind="rectification", state="handling", due_at=AFTER),
         RECTIFICATION_OVERDUE),
        (Rule(RECTIFICATION_OVERDUE), fact(kind="rectification", state="feedback", due_at=AFTER,
                                           feedback_at=AFTER - timedelta(hours=1)), None),  # fixed in time
        (Rule(RECTIFICATION_OVERDUE), fact(kind="rectification", state="closed", due_at=AFTER,
                                           feedback_at=AFTER + timedelta(days=1), closed_at=AFTER + timedelta(days=2)),
         RECTIFICATION_OVERDUE),  # fixed, but late
        (Rule(RECTIFICATION_OVERDUE), fact(kind="rectification", state="handling", due_at=NOW + timedelta(days=1)),
         None),  # still time
        (Rule(RECTIFICATION_OVERDUE), fact(kind="rectification", state="handling", due_at=BEFORE,
                                           received_at=BEFORE - timedelta(days=9)), None),  # its deadline came before
        (Rule(RECTIFICATION_OVERDUE, frozenset({EPIDEMIC})),
         fact(kind="rectification", state="handling", due_at=AFTER, category_id=401, major_id=4), None),
    ],
)  # fmt: skip
def test_rule_table(rule, f, kind):
    firing = rules.fires(rule, f, granted_at=GRANTED, now=NOW)
    assert (firing.kind if firing else None) == kind
    if firing:
        assert f.number in firing.reason and firing.case_id == f.case_id


def test_reason_names_rule_case_and_date():
    firing = rules.fires(Rule(NEW_INCIDENT, frozenset({EPIDEMIC})), fact(), granted_at=GRANTED, now=NOW)
    assert firing.reason == "新发事件：2026年03月11日受理案件2026-000100（疫情防控）"


def test_first_firing_is_the_earliest():
    rs = [Rule(NEW_INCIDENT, frozenset({EPIDEMIC})), Rule(RECTIFICATION_OVERDUE)]
    facts = [
        fact(case_id=1, number="2026-000200", received_at=GRANTED + timedelta(days=30)),
        fact(case_id=2, number="2026-000150", kind="rectification", state="handling", due_at=AFTER,
             received_at=GRANTED + timedelta(days=1)),
    ]  # fmt: skip
    firing = rules.first_firing(rs, facts, granted_at=GRANTED, now=NOW)
    assert (firing.kind, firing.number) == (RECTIFICATION_OVERDUE, "2026-000150")
    assert rules.first_firing(rs, [], granted_at=GRANTED, now=NOW) is None


def test_future_facts_do_not_fire():
    f = fact(received_at=NOW + timedelta(hours=1))
    assert rules.first_firing([Rule(NEW_INCIDENT, frozenset({EPIDEMIC}))], [f], granted_at=GRANTED, now=NOW) is None


@pytest.mark.parametrize(
    "granted, months, until",
    [
        (date(2026, 3, 1), 12, date(2027, 2, 28)),
        (date(2026, 3, 31), 12, date(2027, 3, 30)),
        (date(2026, 1, 31), 1, date(2026, 2, 27)),
        (date(2024, 2, 29), 12, date(2025, 2, 27)),
        (date(2026, 9, 30), 24, date(2028, 9, 29)),
    ],
)
def test_valid_until(granted, months, until):
    assert rules.valid_until(granted, months) == until


def test_plate_number():
    assert rules.plate_number("无疫小区", 2026, 3) == "无疫小区〔2026〕第003号"


@pytest.mark.parametrize(
    "action, status, caps, outcome",
    [
        ("review", "applied", {roles.REVIEWER}, "reviewed"),
        ("review", "applied", {roles.DECIDER}, rules.NotPermitted),  # the district does not do the street's 初审
        ("grant", "applied", {roles.DECIDER}, rules.IllegalStep),  # not before 初审
        ("grant", "reviewed", {roles.DECIDER}, "granted"),
        ("reject", "reviewed", {roles.DECIDER}, "rejected"),
        ("revoke", "granted", {roles.DECIDER}, "revoked"),
        ("revoke", "granted", {roles.APPLICANT}, rules.NotPermitted),
        ("revoke", "revoked", {rules.SYSTEM}, rules.IllegalStep),  # idempotent: revoked once
        ("fly", "granted", {roles.DECIDER}, rules.IllegalStep),
    ],
)
def test_flow_table(action, status, caps, outcome):
    if isinstance(outcome, str):
        assert rules.check(action, status, caps).target == outcome
    else:
        with pytest.raises(outcome):
            rules.check(action, status, caps)


@pytest.mark.parametrize(
    "state, ok",
    [(None, True), ("closed", True), ("rejected", True), ("merged", True), ("handling", False), ("feedback", False),
     ("received", False)],
)  # fmt: skip
def test_may_reapply_once_the_revoking_case_is_closed_or_did_not_stand(state, ok):
    assert rules.may_reapply(state) is ok


# ---------------------------------------------------------------- properties

moments = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31)).map(
    lambda d: d.replace(tzinfo=SH)
)
facts = st.builds(
    CaseFact,
    case_id=st.integers(1, 10_000),
    number=st.integers(1, 999_999).map(lambda n: f"2026-{n:06d}"),
    kind=st.sampled_from(["event", "rectification"]),
    category_id=st.sampled_from([EPIDEMIC, GARBAGE, 401]),
    major_id=st.sampled_from([9, 2, 4]),
    state=st.sampled_from(["received", "handling", "feedback", "closed", "rejected", "merged"]),
    received_at=moments,
    closed_at=st.none() | moments,
    due_at=st.none() | moments,
    feedback_at=st.none() | moments,
)
rule_sets = st.lists(
    st.builds(Rule, st.sampled_from([NEW_INCIDENT, VERIFIED_COMPLAINT, RECTIFICATION_OVERDUE]),
              st.frozensets(st.sampled_from([EPIDEMIC, GARBAGE, 2, 401]))),
    max_size=3,
)  # fmt: skip


@given(rule_sets, st.lists(facts, max_size=8), moments, moments)
def test_a_firing_is_one_of_the_facts_after_the_grant_and_by_now(rs, fs, granted_at, now):
    firing = rules.first_firing(rs, fs, granted_at=granted_at, now=now)
    if firing is None:
        assert all(rules.fires(r, f, granted_at=granted_at, now=now) is None or f.received_at > now
                   or rules.fires(r, f, granted_at=granted_at, now=now).at > now for r in rs for f in fs)  # fmt: skip
        return
    assert firing.at <= now and firing.at >= granted_at or firing.kind == VERIFIED_COMPLAINT
    assert any(f.case_id == firing.case_id and f.number == firing.number for f in fs)


@given(rule_sets, st.lists(facts, max_size=8), moments, moments)
def test_more_facts_never_undo_a_firing(rs, fs, granted_at, now):
    """Adding a case can bring the revocation earlier, never cancel it: revocation is monotone in the facts."""
    firing = rules.first_firing(rs, fs[:-1], granted_at=granted_at, now=now)
    more = rules.first_firing(rs, fs, granted_at=granted_at, now=now)
    assert firing is None or (more is not None and more.at <= firing.at)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)), st.integers(1, 120))
def test_validity_ends_the_day_before_the_same_date_the_months_later(granted, months):
    """(An average month of 30.44 days with 4 days' slack failed for 73 months from 2001-02-01: 2,218 days.)"""
    until = rules.valid_until(granted, months)
    after = until + timedelta(days=1)
    assert until >= granted
    assert (after.year * 12 + after.month) - (granted.year * 12 + granted.month) == months
    assert after.day == min(granted.day, calendar.monthrange(after.year, after.month)[1])
