"""The scoring rules from hand-worked numbers, and their properties."""

from dataclasses import fields
from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linli.bulletins import rules
from linli.cases import rules as cases

SCHEME = rules.Scheme(
    weights={"on_time_rate": D(40), "close_rate": D(20), "satisfaction_rate": D(40)},
    deductions={"late_close": D(1), "rework": D("0.5")},
    floor=D(60),
)


def unit(**counts) -> tuple[cases.Counts, cases.Indicators]:
    c = cases.Counts(**counts)
    return c, cases.indicators(c)


@pytest.mark.parametrize(
    "counts, base, deducted, total",
    [
        # 按期 18/20 = 90.0, 结案 20/25 = 80.0, 满意 9/10 = 90.0: (40×90 + 20×80 + 40×90) / 100 = 88.00;
        # 2 late closes × 1 + 1 rework × 0.5 = 2.50 → 85.50.
        (dict(cases=25, dispatched=25, closed=20, due=20, on_time=18, reworked=1, rated=10, satisfied=9),
         D("88.00"), D("2.50"), D("85.50")),
        # No rating yet: 满意率 has no base, the other weights carry the mean: (40×50 + 20×100) / 60 = 66.67;
        # 5 late closes, 2 reworks: 6.00 → 60.67.
        (dict(cases=10, dispatched=10, closed=10, due=10, on_time=5, reworked=2),
         D("66.67"), D("6.00"), D("60.67")),
        # Below the floor: 按期 0/10, 结案 10/10, 满意 0/10 → 20.00, less 10: the floor, 60.
        (dict(cases=10, dispatched=10, closed=10, due=10, on_time=0, rated=10, satisfied=0),
         D("20.00"), D("10.00"), D("60")),
    ],
)  # fmt: skip
def test_score_from_hand_worked_numbers(counts, base, deducted, total):
    s = rules.score(*unit(**counts), SCHEME)
    assert (s.base, s.deducted, s.total) == (base, deducted, total)


def test_every_deduction_keeps_its_reason():
    s = rules.score(*unit(cases=4, dispatched=4, closed=4, due=4, on_time=1, reworked=1), SCHEME)
    assert [(d.event, d.count, d.points, d.reason) for d in s.deductions] == [
        ("late_close", 3, D("3.00"), "逾期结案 3 件，每件扣 1 分，计 3 分"),
        ("rework", 1, D("0.50"), "返工 1 件，每件扣 0.5 分，计 0.5 分"),
    ]


def test_a_kind_of_event_is_deducted_up_to_its_cap():
    capped = rules.Scheme(weights=SCHEME.weights, deductions={"late_close": D(1), "rework": D("0.5")},
                          caps={"late_close": D(10), "rework": D(5)})  # fmt: skip
    # 按期 0/40, 结案 40/40, 满意 none: (40×0 + 20×100) / 60 = 33.33; 40 late closes × 1 = 40 → capped at 10;
    # 6 reworks × 0.5 = 3, under its cap of 5 → 13 deducted, 20.33.
    s = rules.score(*unit(cases=40, dispatched=40, closed=40, due=40, on_time=0, reworked=6), capped)
    assert [(d.event, d.count, d.points, d.reason) for d in s.deductions] == [
        ("late_close", 40, D("10.00"), "逾期结案 40 件，每件扣 1 分，计 40 分，超过上限，按 10 分扣"),
        ("rework", 6, D("3.00"), "返工 6 件，每件扣 0.5 分，计 3 分"),
    ]
    assert (s.base, s.deducted, s.total) == (D("33.33"), D("13.00"), D("20.33"))


def test_the_default_scheme_ranks_streets_at_a_streets_volume():
    """Without caps the demo's streets (700–800 cases a month) all lost over 150 points and tied at the floor."""
    busy = dict(cases=800, dispatched=780, closed=700, due=760, on_time=650, reworked=30, assigned=800,
                response_due=800, responded=720, rated=500, satisfied=460, visited=600, solved=560)  # fmt: skip
    better = {**busy, "on_time": 700, "responded": 780, "satisfied": 480, "solved": 580}
    worse, best = (rules.score(*unit(**c), rules.DEFAULT_SCHEME) for c in (busy, better))
    assert worse.deducted == D(30)  # every kind at its cap: 5 + 10 + 5 + 10
    assert rules.DEFAULT_SCHEME.floor < worse.total < best.total


def test_a_rate_where_lower_is_better_counts_as_its_complement():
    scheme = rules.Scheme(weights={"rework_rate": D(1)}, deductions={})
    s = rules.score(*unit(cases=5, dispatched=5, closed=5, due=5, on_time=5, reworked=1), scheme)
    assert s.total == D("80.00")  # 返工率 20.0 → 80


def test_a_unit_without_any_weighted_rate_has_no_score_and_no_rank():
    scheme = rules.Scheme(weights={"satisfaction_rate": D(1)}, deductions={"late_close": D(1)})
    quiet = rules.Unit(1, "甲", *unit(cases=1, due=1), rules.score(*unit(cases=1, due=1), scheme))
    assert quiet.score.total is None
    assert [d.count for d in quiet.score.deductions] == [1]  # the deduction is still listed
    rated = unit(cases=1, dispatched=1, closed=1, due=1, on_time=1, rated=1, satisfied=1)
    best = rules.Unit(2, "乙", *rated, rules.score(*rated, scheme))
    same = rules.Unit(3, "丙", *rated, rules.score(*rated, scheme))
    assert [(u.name, u.rank) for u in rules.ranked([quiet, same, best])] == [("丙", 1), ("乙", 1), ("甲", None)]


def test_every_rate_of_the_indicators_may_be_weighted():
    assert set(rules.RATES) == {f.name for f in fields(cases.Indicators) if f.name.endswith("_rate")}


@pytest.mark.parametrize(
    "scheme, fields",
    [
        (rules.Scheme(weights={"nope": D(1)}, deductions={}), ["weights"]),
        (rules.Scheme(weights={"close_rate": D(0)}, deductions={}), ["weights"]),
        (rules.Scheme(weights={"close_rate": D(1)}, deductions={"late_close": D(-1)}), ["deductions"]),
        (rules.Scheme(weights={"close_rate": D(1)}, deductions={"x": D(1)}), ["deductions"]),
        (rules.Scheme(weights={"close_rate": D(1)}, deductions={}, floor=D(100)), ["floor"]),
        (rules.Scheme(weights={"close_rate": D(1)}, deductions={}, caps={"rework": D(101), "x": D(1)}), ["caps"] * 2),
        (rules.DEFAULT_SCHEME, []),
    ],
)
def test_scheme_errors(scheme, fields):
    assert [f for f, _ in rules.scheme_errors(scheme)] == fields


@pytest.mark.parametrize(
    "today, month, bounds",
    [
        (date(2026, 12, 6), date(2026, 11, 1), (date(2026, 11, 1), date(2026, 11, 30))),
        (date(2026, 1, 31), date(2025, 12, 1), (date(2025, 12, 1), date(2025, 12, 31))),
        (date(2024, 3, 1), date(2024, 2, 1), (date(2024, 2, 1), date(2024, 2, 29))),
    ],
)
def test_last_month_and_its_bounds(today, month, bounds):
    assert rules.last_month(today) == month
    assert rules.month_bounds(month) == bounds


@st.composite
def counts(draw):
    n = draw(st.integers(0, 200))
    closed = draw(st.integers(0, n))
    dispatched = draw(st.integers(closed, n))
    due = draw(st.integers(closed, n))
    deferred = draw(st.integers(0, due - closed))
    rated = draw(st.integers(0, closed))
    visited = draw(st.integers(0, closed))
    assigned = draw(st.integers(dispatched, 2 * dispatched))
    response_due = draw(st.integers(0, assigned))
    return cases.Counts(
        cases=n, dispatched=dispatched, closed=closed, due=due, deferred=deferred,
        on_time=draw(st.integers(0, due - deferred)), reworked=draw(st.integers(0, closed)), assigned=assigned,
        returned=draw(st.integers(0, assigned)), response_due=response_due,
        responded=draw(st.integers(0, response_due)), rated=rated, satisfied=draw(st.integers(0, rated)),
        visited=visited, solved=draw(st.integers(0, visited)),
    )  # fmt: skip


schemes = st.builds(
    rules.Scheme,
    weights=st.dictionaries(st.sampled_from(sorted(rules.RATES)), st.integers(1, 100).map(D), min_size=1),
    deductions=st.dictionaries(st.sampled_from(sorted(rules.EVENTS)), st.decimals(0, 10, places=2)),
    floor=st.integers(0, 99).map(D),
    caps=st.dictionaries(st.sampled_from(sorted(rules.EVENTS)), st.decimals(0, 100, places=2)),
)


@given(counts(), schemes)
def test_a_score_lies_between_the_floor_and_full_marks(c, scheme):
    s = rules.score(c, cases.indicators(c), scheme)
    assert s.total is None or scheme.floor <= s.total <= rules.FULL_MARKS
    assert s.base is None or 0 <= s.base <= rules.FULL_MARKS


@given(counts(), schemes)
def test_no_kind_of_event_costs_more_than_its_cap(c, scheme):
    for d in rules.score(c, cases.indicators(c), scheme).deductions:
        assert d.points == min(d.each * d.count, scheme.caps.get(d.event, d.points))


@given(counts(), schemes)
def test_one_more_late_close_never_raises_the_score(c, scheme):
    worse = cases.Counts(**{**c.__dict__, "cases": c.cases + 1, "due": c.due + 1})
    before = rules.score(c, cases.indicators(c), scheme).total
    after = rules.score(worse, cases.indicators(worse), scheme).total
    if before is not None and after is not None:
        assert after <= before
