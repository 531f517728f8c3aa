"""Rules the plan pages use: targets against the seeds' figures, completion roll-up."""

from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linli.campaigns.plans import rules

D = Decimal
TZ = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("indicator", "comparator", "value", "actual", "met", "label", "sentence"),
    [
        ("整改率", ">=", D(90), D("89.9"), False, "整改率≥90%", "整改率不低于90%"),  # 000 篇1
        ("整改率", ">=", D(90), D(90), True, "整改率≥90%", "整改率不低于90%"),
        ("物业化率", "=", D(100), D("100.0"), True, "物业化率100%", "物业化率达到100%"),
        # 001 篇13
        ("社会保险基金征缴率", ">", D(95), D(95), False, "社会保险基金征缴率>95%", "社会保险基金征缴率大于95%"),
        ("城市登记失业人员再就业率", ">", D(70), D("70.1"), True, "城市登记失业人员再就业率>70%",
         "城市登记失业人员再就业率大于70%"),
        ("业主大会成立率", ">=", D(80), None, None, "业主大会成立率≥80%", "业主大会成立率不低于80%"),
        ("投诉率", "<", D("2.5"), D(2), True, "投诉率<2.5%", "投诉率低于2.5%"),
    ],
)  # fmt: skip
def test_targets_from_the_seeds(indicator, comparator, value, actual, met, label, sentence):
    assert rules.target_met(actual, comparator, value) is met
    assert rules.target_label(indicator, comparator, value) == label
    assert rules.target_sentence(indicator, comparator, value) == sentence


def test_rollup_table():
    # 1 (weight 2) → 1.1 (80), 1.2 (0); 2 (weight 1) leaf 50
    parents = {1: None, 11: 1, 12: 1, 2: None}
    weights = {1: 2, 11: 1, 12: 1, 2: 1}
    done = rules.rollup(parents, weights, {11: D(80), 2: D(50)})
    assert done == {1: D(40), 11: D(80), 12: D(0), 2: D(50)}
    assert rules.plan_completion([1, 2], weights, done) == D("43.3")
    assert rules.mean_progress([100, 50, 0]) == D(50) and rules.mean_progress([]) == D(0)


@st.composite
def trees(draw):
    n = draw(st.integers(1, 25))
    parents = {i: (draw(st.integers(0, i - 1)) if i and draw(st.booleans()) else None) for i in range(n)}
    weights = {i: draw(st.integers(1, 10)) for i in range(n)}
    leaves = {i: D(draw(st.integers(0, 100))) for i in range(n)}
    return parents, weights, leaves


@given(trees())
def test_rollup_stays_within_0_and_100(tree):
    parents, weights, leaves = tree
    done = rules.rollup(parents, weights, leaves)
    assert set(done) == set(parents)
    assert all(D(0) <= v <= D(100) for v in done.values())
    roots = [t for t, p in parents.items() if p is None]
    assert D(0) <= rules.plan_completion(roots, weights, done) <= D(100)


@given(trees(), st.integers(0, 24), st.integers(1, 100))
def test_rollup_is_monotone(tree, leaf, more):
    parents, weights, leaves = tree
    leaf %= len(parents)
    before = rules.rollup(parents, weights, leaves)
    after = rules.rollup(parents, weights, leaves | {leaf: min(D(100), leaves[leaf] + more)})
    assert all(after[t] >= before[t] for t in parents)


@given(st.integers(0, 100), st.integers(0, 100), st.integers(1, 20), st.integers(1, 20))
def test_rollup_weights_pull_towards_the_heavier_child(a, b, wa, wb):
    done = rules.rollup({0: None, 1: 0, 2: 0}, {0: 1, 1: wa, 2: wb}, {1: D(a), 2: D(b)})
    assert min(a, b) <= done[0] <= max(a, b)
    if wa > wb and a > b:
        assert done[0] >= (D(a) + D(b)) / 2 - D("0.05")
