"""Return visits as pure rules: the visit actions in the transition table, their effects, 解决率 under each rule
for unreachable reporters (hand-worked numbers), and the call script."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linli.accounts.roles import DISPATCHER
from linli.cases import rules
from linli.cases.rules import CLOSED, RESIDENT, Counts, Facts
from linli.cases.visits import rules as visit_rules

T0 = datetime(2025, 3, 3, 1, tzinfo=UTC)


@dataclass
class Row:
    """The lifecycle fields the visit effects read."""

    visit_tries: int = 0
    rating: str = ""


def test_a_closed_case_is_visited_once_by_a_dispatcher_or_the_reporter():
    for caps in ({DISPATCHER}, {RESIDENT}):
        assert rules.check("visit", Facts(CLOSED), caps).target is None
    assert rules.check("visit_try", Facts(CLOSED), {DISPATCHER}).target is None
    with pytest.raises(rules.NotPermitted):
        rules.check("visit_try", Facts(CLOSED), {RESIDENT})  # the reporter answering online is reached
    for result in rules.VISIT_LABELS:
        for action in ("visit", "visit_try"):
            with pytest.raises(rules.IllegalTransition, match="本次办理已回访"):
                rules.check(action, Facts(CLOSED, visit_result=result), {DISPATCHER})
    with pytest.raises(rules.IllegalTransition, match="不能执行「回访」"):
        rules.check("visit", Facts(rules.HANDLING), {DISPATCHER})


# (rating, visit result, reopens so far, has a lead) → may the case be reopened
REOPEN = [
    ("", rules.UNSOLVED, 0, True, True),  # 未解决 reopens, whatever the rating
    (rules.SATISFIED, rules.UNSOLVED, 0, True, True),
    (rules.UNSATISFIED, rules.SOLVED, 0, True, True),  # 不满意 still does
    (rules.SATISFIED, rules.SOLVED, 0, True, False),
    ("", rules.UNREACHABLE, 0, True, False),
    ("", rules.UNSOLVED, 1, True, False),  # once only
    ("", rules.UNSOLVED, 0, False, False),
]


@pytest.mark.parametrize("rating, result, reopens, lead, allowed", REOPEN)
def test_an_unsolved_answer_reopens_the_case_once_as_unsatisfied_does(rating, result, reopens, lead, allowed):
    facts = Facts(CLOSED, rated=bool(rating), rating=rating, reopen_count=reopens, has_lead=lead, visit_result=result)
    assert rules.reopens(facts) is allowed


def test_the_visit_records_the_answers_and_the_rating_only_when_asked():
    effect = rules.effects("visit", Row(), T0, None, solved=False, rating=rules.BASIC)
    assert effect.changes == {"visit_result": rules.UNSOLVED, "visited_at": T0, "rating": rules.BASIC, "rated_at": T0}
    assert effect.data == {"solved": False, "rating": rules.BASIC}
    effect = rules.effects("visit", Row(rating=rules.SATISFIED), T0, None, solved=True)
    assert effect.changes == {"visit_result": rules.SOLVED, "visited_at": T0} and effect.data == {"solved": True}


@pytest.mark.parametrize("tries", [1, 2, 3, 5])
def test_the_nth_unanswered_call_records_the_reporter_as_unreachable(tries):
    row = Row()
    for n in range(1, tries + 1):
        effect = rules.effects("visit_try", row, T0, None, tries=tries)
        row.visit_tries = effect.changes["visit_tries"]
        assert row.visit_tries == n and effect.data == {"try": n, "unreachable": n == tries}
        assert ("visit_result" in effect.changes) is (n == tries)
    assert effect.changes["visit_result"] == rules.UNREACHABLE and effect.changes["visited_at"] == T0


class HourClock:
    """Every hour a working hour: enough for the deadlines a reopening sets."""

    def after(self, start, limit, unit):
        return start + timedelta(hours=float(limit) * (24 if unit == rules.DAYS else 1))

    def seconds(self, start, end):
        return int((end - start).total_seconds())


@dataclass
class Category:
    response_limit: int = 2
    response_unit: str = rules.HOURS
    handle_limit: int = 3
    handle_unit: str = rules.DAYS


def test_reopening_clears_the_visit_for_the_next_close():
    row = Row(visit_tries=2, rating=rules.SATISFIED)
    row.reopen_count, row.category = 0, Category()
    changes = rules.effects("reopen", row, T0, HourClock()).changes
    assert (changes["visit_result"], changes["visit_tries"], changes["visited_at"]) == ("", 0, None)
    assert changes["state"] == rules.HANDLING and changes["rating"] == ""


# ---------------------------------------------------------------- 解决率

# (visited, solved, unreachable) → 解决率 (%) when unreachable visits are excluded, counted unsolved, counted solved
SOLVE_RATES = [
    ((0, 0, 0), (None, None, None)),
    ((0, 0, 3), (None, Decimal("0.0"), Decimal("100.0"))),
    ((20, 19, 0), (Decimal("95.0"), Decimal("95.0"), Decimal("95.0"))),
    # 94 of 100 reached said solved, 6 never answered: 94/100, 94/106, 100/106
    ((100, 94, 6), (Decimal("94.0"), Decimal("88.7"), Decimal("94.3"))),
    ((3, 2, 1), (Decimal("66.7"), Decimal("50.0"), Decimal("75.0"))),
]


@pytest.mark.parametrize("counts, expected", SOLVE_RATES)
def test_solve_rate_under_each_rule_for_unreachable_visits(counts, expected):
    visited, solved, unreachable = counts
    c = Counts(cases=200, closed=150, visited=visited, solved=solved, unreachable=unreachable)
    rates = tuple(rules.solve_rate(c, rule) for rule in (rules.EXCLUDED, rules.AS_UNSOLVED, rules.AS_SOLVED))
    assert rates == expected
    assert rules.indicators(c, unreachable=rules.AS_UNSOLVED).solve_rate == expected[1]
    assert rules.indicators(c).solve_rate == expected[0]  # excluded unless configured otherwise


def test_solve_and_satisfaction_are_separate_answers():
    """A reporter may be satisfied with the effort and still say the problem is not solved."""
    c = Counts(cases=10, closed=10, rated=10, satisfied=9, visited=10, solved=6)
    values = rules.indicators(c)
    assert (values.satisfaction_rate, values.solve_rate) == (Decimal("90.0"), Decimal("60.0"))


def test_inconsistent_visit_counts_and_an_unknown_rule_are_refused():
    for c in (Counts(cases=5, closed=5, visited=1, solved=2), Counts(cases=5, closed=2, visited=2, unreachable=1)):
        with pytest.raises(ValueError, match="inconsistent"):
            rules.indicators(c)
    with pytest.raises(ValueError, match="unknown rule"):
        rules.solve_rate(Counts(), "ignored")


@st.composite
def visit_counts(draw):
    closed = draw(st.integers(0, 500))
    visited = draw(st.integers(0, closed))
    return Counts(
        cases=closed, closed=closed, visited=visited, solved=draw(st.integers(0, visited)),
        unreachable=draw(st.integers(0, closed - visited)),
    )  # fmt: skip


@given(visit_counts(), st.sampled_from(list(rules.UNREACHABLE_RULES)))
def test_solve_rate_stays_within_0_and_100_and_a_solved_visit_never_lowers_it(c, rule):
    rate = rules.solve_rate(c, rule)
    assert rate is None or 0 <= rate <= 100
    more = Counts(cases=c.cases + 1, closed=c.closed + 1, visited=c.visited + 1, solved=c.solved + 1,
                  unreachable=c.unreachable)  # fmt: skip
    assert rules.solve_rate(more, rule) >= (rate or 0)
    # the rules order themselves: counting the unreachable as solved never gives less than leaving them out
    low, mid, high = (rules.solve_rate(c, r) for r in (rules.AS_UNSOLVED, rules.EXCLUDED, rules.AS_SOLVED))
    if c.visited:
        assert low <= mid <= high


# ---------------------------------------------------------------- the script

FACTS = visit_rules.CallFacts(
    office="甲街道", received=date(2025, 3, 3), category="路灯不亮", department="区城市管理综合执法局",
    closed=date(2025, 3, 7), rated=False,
)  # fmt: skip


def test_the_script_asks_whether_solved_then_satisfaction_unless_rated_online():
    assert visit_rules.script(FACTS) == [
        "您好，我是甲街道的工作人员，就您3月3日反映的“路灯不亮”问题做个回访，耽误您一分钟。",
        "您反映的问题已由区城市管理综合执法局办理，于3月7日办结。",
        "请问您反映的问题解决了吗？（已解决／未解决）",
        "您对这次办理的结果满意吗？（满意／基本满意／不满意）",
        "感谢您对我们工作的支持，再见。",
    ]
    rated = visit_rules.script(visit_rules.CallFacts(**{**FACTS.__dict__, "rated": True, "department": ""}))
    assert rated[1] == "您反映的问题于3月7日办结。" and not any("满意吗" in line for line in rated)


def test_the_call_list_says_how_many_calls_went_unanswered():
    assert visit_rules.tries_left(0, 3) == ""
    assert visit_rules.tries_left(2, 3) == "已拨打2次未接通，再有1次未接通记为联系不上"


def test_the_timeline_line_of_a_visit():
    assert rules.visit_summary("visit", {"solved": True, "rating": rules.SATISFIED}) == "问题已解决，评价：满意"
    assert rules.visit_summary("visit", {"solved": False}) == "问题未解决"
    assert rules.visit_summary("visit_try", {"try": 3, "unreachable": True}) == "第3次未接通，记为联系不上"
    assert rules.visit_summary("rate", {"rating": rules.SATISFIED}) == ""


def test_wrong_visit_settings_stop_the_start(settings):
    from linli.cases.apps import visit_settings

    assert visit_settings() == []
    settings.VISIT_TRIES, settings.VISIT_UNREACHABLE = 0, "ignored"
    assert [e.id for e in visit_settings()] == ["cases.E001", "cases.E002"]
