"""The pure rules of work given to communities: a basis decides the state, a decision moves held work only, and the
report's arithmetic (unlisted = everything outside the two lists, whatever became of it)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linli.burden import rules as burden_rules
from linli.burden.work import rules

ACCESS_STATES = list(burden_rules.ACCESS_STATE_LABELS)
WORK_STATES = list(burden_rules.WORK_STATE_LABELS)


@pytest.mark.parametrize(
    ("item_active", "access_state", "state"),
    [
        (True, None, rules.LISTED),  # 社区依法履行职责事项 / 协助政府工作事项: within the lists
        (None, burden_rules.APPROVED, rules.ADMITTED),  # 区委、区政府审批 approved
        (None, burden_rules.SUBMITTED, rules.HELD),  # waiting for 初审
        (None, burden_rules.FIRST_PASSED, rules.HELD),  # 初审通过, waiting for 审批
        (None, burden_rules.DRAFT, rules.HELD),
        (None, burden_rules.REFUSED, rules.DECLINED),
        (None, burden_rules.WITHDRAWN, rules.DECLINED),
        (None, None, rules.HELD),  # no basis: 待准入
    ],
)
def test_the_basis_decides_the_state(item_active, access_state, state):
    assert rules.work_state(item_active=item_active, access_state=access_state) == state


@given(st.sampled_from(ACCESS_STATES))
def test_only_an_approved_application_lets_unlisted_work_through(access_state):
    state = rules.work_state(access_state=access_state)
    assert rules.visible(state) == (access_state == burden_rules.APPROVED)


@pytest.mark.parametrize(
    ("value", "parsed"),
    [("", None), (None, None), ("  ", None), ("item:3", ("item", 3)), ("access:17", ("access", 17))],
)
def test_basis_keys(value, parsed):
    assert rules.parse_basis(value) == parsed


@pytest.mark.parametrize("value", ["item", "item:", "item:x", "access:-1", "access:0", "org:3", "3"])
def test_bad_basis_keys(value):
    with pytest.raises(ValueError):
        rules.parse_basis(value)


@given(st.sampled_from([rules.ITEM, rules.ACCESS]), st.integers(min_value=1, max_value=10**12))
def test_basis_keys_round_trip(kind, pk):
    assert rules.parse_basis(rules.basis_key(kind, pk)) == (kind, pk)


def test_an_application_covers_the_communities_it_names_within_its_period():
    day = date(2026, 5, 1)
    assert rules.covers(communities=[], community=9, starts_on=None, ends_on=None, today=day)  # none named: all
    assert rules.covers(communities=[8, 9], community=9, starts_on=date(2026, 1, 1), ends_on=day, today=day)
    assert not rules.covers(communities=[8], community=9, starts_on=None, ends_on=None, today=day)
    assert not rules.covers(communities=[], community=9, starts_on=None, ends_on=date(2026, 4, 30), today=day)
    assert not rules.covers(communities=[], community=9, starts_on=date(2026, 5, 2), ends_on=None, today=day)


def test_the_tally_counts_unlisted_work_whatever_became_of_it():
    t = rules.Tally()
    for kind, state in [("task", "listed"), ("task", "admitted"), ("report", "held"), ("form", "declined"),
                        ("form", "listed")]:  # fmt: skip
        t.add(kind, state)
    assert (t.total, t.unlisted, t.unlisted_share) == (5, 3, 60.0)
    assert dict(t.by_kind) == {"task": 2, "report": 1, "form": 2}
    assert rules.Tally().unlisted_share is None


@given(st.lists(st.tuples(st.sampled_from(["task", "report", "form"]), st.sampled_from(WORK_STATES),
                          st.integers(1, 50))))  # fmt: skip
def test_unlisted_and_listed_make_the_total(rows):
    t = rules.Tally()
    for kind, state, n in rows:
        t.add(kind, state, n)
    assert t.unlisted + t.by_state[rules.LISTED] == t.total == sum(n for *_, n in rows)


def test_months():
    assert rules.last_months(date(2026, 3, 15), 12) == rules.months(date(2025, 4, 1), date(2026, 3, 1))
    assert len(rules.last_months(date(2026, 3, 15), 24)) == 24
    assert rules.last_months(date(2026, 12, 31), 1) == [date(2026, 12, 1)]


@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2099, 12, 31)), st.integers(1, 36))
def test_last_months_are_n_consecutive_months_ending_with_today(today, n):
    ms = rules.last_months(today, n)
    assert len(ms) == n and ms[-1] == today.replace(day=1)
    assert all(m.day == 1 for m in ms) and ms == sorted(set(ms))


def test_enforcement_begins_with_the_lists():
    assert rules.enforced(has_lists=True) and not rules.enforced(has_lists=False)
