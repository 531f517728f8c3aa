from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linli.burden import rules as b
from linli.burden.access import rules
from linli.burden.access.defaults import DEFAULT_LISTS


def test_the_default_lists_hold_the_seeds_36_items():
    assert {k: len(v) for k, v in DEFAULT_LISTS.items()} == {b.DUTIES: 20, b.ASSIST: 16}
    assert all(title and basis for entries in DEFAULT_LISTS.values() for _, title, basis in entries)


@pytest.mark.parametrize(
    "state, step, after",
    [
        (b.DRAFT, rules.SUBMIT, b.SUBMITTED),
        (b.DRAFT, rules.WITHDRAW, b.WITHDRAWN),
        (b.SUBMITTED, rules.FIRST_PASS, b.FIRST_PASSED),
        (b.SUBMITTED, rules.FIRST_REFUSE, b.REFUSED),
        (b.SUBMITTED, rules.WITHDRAW, b.WITHDRAWN),
        (b.FIRST_PASSED, rules.APPROVE, b.APPROVED),
        (b.FIRST_PASSED, rules.REFUSE, b.REFUSED),
        (b.FIRST_PASSED, rules.WITHDRAW, b.WITHDRAWN),
        (b.DRAFT, rules.APPROVE, None),
        (b.SUBMITTED, rules.APPROVE, None),
        (b.APPROVED, rules.WITHDRAW, None),
        (b.REFUSED, rules.SUBMIT, None),
        (b.WITHDRAWN, rules.SUBMIT, None),
    ],
)
def test_each_step_leads_where_the_table_says(state, step, after):
    assert rules.next_state(state, step) == after
    assert (rules.step_problem(state, step) is None) == (after is not None)


@given(st.lists(st.sampled_from(list(rules.STEP_LABELS)), max_size=8))
def test_any_run_of_steps_stays_in_the_machine_and_ends_once(steps):
    """Whatever is tried, the state is always one of STATES, a final state never changes, and approval needs a
    first review before it."""
    state, seen = b.DRAFT, [b.DRAFT]
    for step in steps:
        after = rules.next_state(state, step)
        if state in rules.FINAL:
            assert after is None
        if after is not None:
            state = after
            seen.append(state)
    assert state in rules.STATES
    if b.APPROVED in seen:
        assert seen.index(b.FIRST_PASSED) < seen.index(b.APPROVED)


def test_two_people_decide_and_nobody_reviews_their_own():
    p = rules.decider_problem
    assert p(rules.FIRST_PASS, user_id=1, applicant_id=1, first_reviewer_id=None) == "不能审核本人提出的申请"
    assert p(rules.APPROVE, user_id=2, applicant_id=1, first_reviewer_id=2) == "初审和审批须由不同的人作出"
    assert p(rules.APPROVE, user_id=3, applicant_id=1, first_reviewer_id=2) is None
    assert p(rules.WITHDRAW, user_id=1, applicant_id=1, first_reviewer_id=None) is None


def test_refusals_say_why_and_documents_are_required():
    assert rules.opinion_problem(rules.REFUSE, " ") and rules.opinion_problem(rules.FIRST_REFUSE, "")
    assert rules.opinion_problem(rules.APPROVE, "") is None
    assert rules.missing_documents([]) == ["政策、文件依据", "工作方案"]
    assert rules.missing_documents([rules.PLAN_DOC, rules.OTHER_DOC]) == ["政策、文件依据"]
    assert rules.missing_documents([rules.BASIS_DOC, rules.PLAN_DOC]) == []


def test_content_problems_name_the_fields():
    c = rules.Content(title="", content=" ", basis="", communities=0, starts_on=date(2026, 5, 1),
                      ends_on=date(2026, 4, 1))  # fmt: skip
    assert set(rules.content_problems(c)) == {"title", "content", "basis", "ends_on"}


@given(st.sampled_from(rules.STATES))
def test_only_a_decision_moves_the_held_work(state):
    assert rules.work_state_after(state) == {b.APPROVED: b.ADMITTED, b.REFUSED: b.DECLINED}.get(state)
