"""整改 rules: late, failed (整改不力), accountability (003 篇3 "两次以上整改不力"), and the rates (000 篇1 整改率)."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linli.campaigns.plans import rules as plan_rules
from linli.campaigns.rectification import rules
from linli.cases import rules as case_rules

SH = ZoneInfo("Asia/Shanghai")
DUE = datetime(2026, 6, 30, 23, 59, 59, tzinfo=SH)
BEFORE, AFTER = DUE - timedelta(days=2), DUE + timedelta(days=2)


@pytest.mark.parametrize(
    "state, feedback_at, now, late",
    [
        ("handling", None, BEFORE, False),  # still time
        ("handling", None, AFTER, True),  # deadline passed, nothing fixed
        ("dispatched", None, AFTER, True),  # never even signed for
        ("feedback", BEFORE, AFTER, False),  # fixed in time, waiting for the check: the clock stopped
        ("feedback", AFTER, AFTER + timedelta(days=1), True),  # fixed after the deadline
        ("closed", BEFORE, AFTER, False),  # 消号 in time
        ("closed", AFTER, AFTER, True),  # 消号, but the fix came late
        ("merged", None, AFTER, False),  # folded into another finding: not counted
        ("rejected", None, AFTER, False),
    ],
)
def test_finding_late(state, feedback_at, now, late):
    assert rules.finding_late(state=state, due_at=DUE, feedback_at=feedback_at, now=now) is late


def test_no_deadline_is_never_late():
    assert not rules.finding_late(state="handling", due_at=None, feedback_at=None, now=AFTER)


@pytest.mark.parametrize(
    "state, feedback_at, rework, now, failed",
    [
        ("closed", BEFORE, 0, AFTER, False),  # in time, first check passed
        ("closed", BEFORE, 1, AFTER, True),  # 返工 once: a failed rectification even though in time
        ("closed", AFTER, 0, AFTER, True),  # late
        ("handling", None, 0, AFTER, True),  # still open past the deadline
        ("handling", None, 0, BEFORE, False),
        ("merged", None, 3, AFTER, False),
    ],
)
def test_rectification_failed(state, feedback_at, rework, now, failed):
    got = rules.rectification_failed(state=state, due_at=DUE, feedback_at=feedback_at, rework_count=rework, now=now)
    assert got is failed


@pytest.mark.parametrize(
    "counts, flagged",
    [
        ({}, []),
        ({"物业A": 1, "住建局": 1}, []),  # once each: not yet 两次以上
        ({"物业A": 2, "住建局": 1}, ["物业A"]),
        ({"物业A": 2, "住建局": 5, "城管": 0}, ["住建局", "物业A"]),  # most failures first
        ({"物业A": 3, "住建局": 3}, ["物业A", "住建局"]),  # ties keep the order given
    ],
)
def test_accountability_flags(counts, flagged):
    assert rules.accountability_flags(counts) == flagged


@pytest.mark.parametrize(
    "n, d, rate",
    [(9, 10, Decimal("90.0")), (0, 0, None), (2, 3, Decimal("66.7")), (244, 244, Decimal("100.0"))],
)
def test_percent(n, d, rate):
    assert plan_rules.percent(n, d) == rate


def test_percent_refuses_inconsistent_counts():
    with pytest.raises(ValueError):
        plan_rules.percent(3, 2)


@given(st.dictionaries(st.text(min_size=1, max_size=3), st.integers(0, 20)), st.integers(1, 5))
def test_flags_are_exactly_the_units_at_or_over_threshold(counts, threshold):
    flagged = rules.accountability_flags(counts, threshold)
    assert set(flagged) == {u for u, n in counts.items() if n >= threshold}
    assert [counts[u] for u in flagged] == sorted((counts[u] for u in flagged), reverse=True)


moments = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31)).map(
    lambda d: d.replace(tzinfo=SH)
)


@given(st.sampled_from(sorted(case_rules.STATE_LABELS)), moments, st.none() | moments, moments, st.integers(0, 3))
def test_failed_is_rework_or_late_and_late_only_grows_with_time(state, due, feedback, now, rework):
    if state in (case_rules.RECEIVED, case_rules.REGISTERED, case_rules.DISPATCHED, case_rules.RETURNED):
        feedback = None  # no feedback before the owner handles it
    late = rules.finding_late(state=state, due_at=due, feedback_at=feedback, now=now)
    failed = rules.rectification_failed(state=state, due_at=due, feedback_at=feedback, rework_count=rework, now=now)
    if state in case_rules.NOT_COUNTED:
        assert not failed
    else:
        assert failed == (rework >= 1 or late)
    later = now + timedelta(days=30)
    assert not late or rules.finding_late(state=state, due_at=due, feedback_at=feedback, now=later)


@given(st.integers(0, 500), st.integers(0, 500))
def test_rate_is_between_0_and_100(a, b):
    n, d = min(a, b), max(a, b)
    rate = plan_rules.percent(n, d)
    assert rate is None if d == 0 else Decimal(0) <= rate <= Decimal(100)
