"""The poll arithmetic at its bounds (quorum by share and by count, simple majority, two thirds, ties) and its
invariants; what a proposal, a comment and a poll may hold."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linli.consultation import rules
from linli.consultation.rules import COUNT, SHARE, SIMPLE, TWO_THIRDS


@pytest.mark.parametrize(
    "turnout, eligible, kind, value, met",
    [
        (50, 100, SHARE, 50, True),  # exactly the share: met (closed bound)
        (49, 100, SHARE, 50, False),
        (2, 3, SHARE, 67, False),  # 66.67% < 67%
        (2, 3, SHARE, 66, True),
        (1, 1, SHARE, 100, True),
        (0, 0, SHARE, 1, False),  # nobody eligible: no quorum, never a division by zero
        (20, 500, COUNT, 20, True),  # exactly the count
        (19, 500, COUNT, 20, False),
    ],
)
def test_quorum_at_its_bounds(turnout, eligible, kind, value, met):
    assert rules.quorum_met(turnout, eligible, kind, value) is met


@pytest.mark.parametrize(
    "votes, turnout, rule, carried",
    [
        (51, 100, SIMPLE, True),
        (50, 100, SIMPLE, False),  # exactly half is not a majority
        (2, 3, TWO_THIRDS, True),  # exactly two thirds carries
        (66, 100, TWO_THIRDS, False),  # 66% < 2/3
        (67, 100, TWO_THIRDS, True),
        (0, 0, SIMPLE, False),
    ],
)
def test_pass_rules_at_their_bounds(votes, turnout, rule, carried):
    assert rules.carries(votes, turnout, rule) is carried


def test_outcome_names_the_leading_option_and_whether_it_carries():
    got = rules.outcome([6, 3, 1], eligible=20, quorum_kind=SHARE, quorum_value=50, rule=SIMPLE)
    assert (got.turnout, got.quorum_met, got.leading, got.passed) == (10, True, 0, True)
    assert got.turnout_percent == Fraction(50)
    assert rules.outcome([6, 3, 1], eligible=21, quorum_kind=SHARE, quorum_value=50, rule=SIMPLE).passed is False
    assert rules.outcome([5, 5], eligible=10, quorum_kind=SHARE, quorum_value=50, rule=SIMPLE).leading is None
    assert rules.outcome([0, 0], eligible=10, quorum_kind=COUNT, quorum_value=1, rule=SIMPLE).leading is None
    plurality = rules.outcome([4, 3, 3], eligible=10, quorum_kind=SHARE, quorum_value=50, rule=SIMPLE)
    assert (plurality.leading, plurality.passed) == (0, False)  # most votes, but not more than half


@pytest.mark.parametrize(
    "share, shown", [(Fraction(200, 3), "66.6%"), (Fraction(50), "50.0%"), (Fraction(1, 3), "0.3%"), (None, "—")]
)
def test_percentages_are_rounded_down(share, shown):
    assert rules.percent(share) == shown


counts = st.lists(st.integers(min_value=0, max_value=40), min_size=2, max_size=5)
settings_ = st.tuples(
    st.sampled_from([SHARE, COUNT]), st.integers(min_value=1, max_value=100), st.sampled_from([SIMPLE, TWO_THIRDS])
)


@given(counts, settings_, st.randoms())
def test_the_result_does_not_depend_on_the_order_of_the_votes(votes, setting, random):
    kind, value, rule = setting
    ballots = [i for i, n in enumerate(votes) for _ in range(n)]
    random.shuffle(ballots)
    tallied = [ballots.count(i) for i in range(len(votes))]
    eligible = sum(votes) + 5
    assert rules.outcome(tallied, eligible=eligible, quorum_kind=kind, quorum_value=value, rule=rule) == rules.outcome(
        votes, eligible=eligible, quorum_kind=kind, quorum_value=value, rule=rule
    )


@given(counts, settings_, st.integers(min_value=0, max_value=20))
def test_one_more_vote_for_the_carried_option_never_undoes_it(votes, setting, spare):
    kind, value, rule = setting
    eligible = sum(votes) + 1 + spare  # room for the extra voter among the eligible
    before = rules.outcome(votes, eligible=eligible, quorum_kind=kind, quorum_value=value, rule=rule)
    if before.passed:
        more = list(votes)
        more[before.leading] += 1
        after = rules.outcome(more, eligible=eligible, quorum_kind=kind, quorum_value=value, rule=rule)
        assert after.passed and after.leading == before.leading


@pytest.mark.parametrize(
    "options, kind, value, fields",
    [
        (["同意", "不同意"], SHARE, 50, []),
        (["同意"], SHARE, 50, ["options"]),
        (["同意", " 同意 "], SHARE, 50, ["options"]),
        (["同意", "", "不同意"], COUNT, 1, []),  # blank lines are not options
        (["同意", "不同意"], SHARE, 101, ["quorum_value"]),
        (["同意", "不同意"], COUNT, 0, ["quorum_value"]),
        (["同意", "不同意"], "x", 5, ["quorum_kind"]),
        ([str(i) for i in range(9)], SHARE, 50, ["options"]),
    ],
)
def test_poll_settings(options, kind, value, fields):
    assert [f for f, _ in rules.poll_errors(options, kind, value)] == fields


def test_text_rules_name_the_field():
    assert [f for f, _ in rules.text_errors(" ", "")] == ["title", "body"]
    assert [f for f, _ in rules.text_errors("题" * 61, "内容")] == ["title"]
    assert rules.comment_error("  ") and rules.comment_error("字" * 501) and rules.comment_error("好") is None
    assert rules.reason_error("", what="隐藏") == "请填写隐藏的理由"
