"""The vote arithmetic of Civil Code art. 278 and the SPC interpretation arts. 8–9: thresholds at every boundary,
the electorate's counting, the silent-owner clause, and properties of the tally."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linli.votes import rules

A, X, B = rules.AGREE, rules.AGAINST, rules.ABSTAIN
ORDINARY, MAJOR = "4", "6"


def casts(*rows) -> list[rules.Cast]:
    return [rules.Cast(Decimal(area), choice) for area, choice in rows]


def equal(n: int, choices: str) -> list[rules.Cast]:
    """n owners of 1 ㎡ each; `choices` spells their ballots (a agree, x against, b abstain)."""
    by = {"a": A, "x": X, "b": B}
    return [rules.Cast(Decimal(1), by[c]) for c in choices]


def result(item, total_area, total_owners, ballots, silent=rules.SILENT_NONE):
    return rules.tally(item=item, silent=silent, total_area=Decimal(total_area), total_owners=total_owners,
                       casts=ballots)  # fmt: skip


def met(r: rules.Result) -> tuple[bool, bool, bool, bool]:
    return tuple(t.met for t in r.thresholds)


# ---------------------------------------------------------------- participation: ≥ 2/3 of area AND of owners


@pytest.mark.parametrize(
    "cast_area, cast_owners, area_met, owners_met",
    [
        ("200.00", 2, True, True),  # exactly 2/3 of 300 ㎡ and 2 of 3 owners
        ("199.99", 2, False, True),  # area just under
        ("200.01", 2, True, True),
        ("300.00", 1, True, False),  # all the area, 1 of 3 owners
    ],
)
def test_participation_needs_two_thirds_of_area_and_of_owners(cast_area, cast_owners, area_met, owners_met):
    per = Decimal(cast_area) / cast_owners
    r = result(ORDINARY, "300.00", 3, [rules.Cast(per, A)] * cast_owners)
    assert met(r)[:2] == (area_met, owners_met)
    assert r.participation_met is (area_met and owners_met)


def test_just_under_two_thirds_of_the_owners_fails_participation():
    # 66 of 99 owners is exactly 2/3; 65 is just under, even with every voter agreeing.
    assert met(result(ORDINARY, 99, 99, equal(66, "a" * 66)))[:2] == (True, True)
    r = result(ORDINARY, 99, 99, equal(65, "a" * 65))
    assert met(r)[:2] == (False, False) and not r.passed and r.verdict == "未通过：参与表决的业主不足"


# ---------------------------------------------------------------- ordinary: > 1/2; major: ≥ 3/4


@pytest.mark.parametrize(
    "item, ballots, passed",
    [
        (ORDINARY, "aabb", False),  # exactly half agree: not more than half
        (ORDINARY, "aaab", True),
        (ORDINARY, "aaxx", False),
        (MAJOR, "aaab", True),  # exactly 3/4
        (MAJOR, "aaabbbbb", False),
        ("7", "aaax", True),
        ("8", "aabx", False),  # 1/2 of a major item
        ("5", "aaxb", False),  # using the maintenance fund is ordinary: half is not enough
        ("5", "aaab", True),
    ],
)
def test_majority_by_item(item, ballots, passed):
    r = result(item, len(ballots), len(ballots), equal(len(ballots), ballots))
    assert r.participation_met and r.passed is passed


@pytest.mark.parametrize("agree, passed", [("75.00", True), ("74.99", False), ("75.01", True)])
def test_major_item_at_exactly_three_quarters_of_the_area_passes_and_just_under_fails(agree, passed):
    third = Decimal(agree) / 3
    r = result(MAJOR, "100.00", 4, [rules.Cast(third, A)] * 3 + [rules.Cast(Decimal(100) - Decimal(agree), X)])
    assert r.thresholds[3].met and r.passed is passed


def test_major_item_just_under_three_quarters_of_area_fails_though_owners_reach_it():
    # The demo's 筹集维修资金: 74% of the participating area agrees, 3 of 4 owners.
    r = result(MAJOR, "100.00", 4, casts(("26.00", A), ("24.00", A), ("24.00", A), ("26.00", X)))
    assert met(r) == (True, True, False, True)
    assert r.thresholds[2].share == Fraction(74, 100) and not r.passed


def test_abstentions_participate_but_do_not_agree():
    r = result(ORDINARY, 4, 4, equal(4, "abbb"))
    assert r.participation_met and not r.passed
    assert (r.abstain_owners, r.cast_owners, r.agree_owners) == (3, 4, 1)


def test_both_measures_must_pass():
    # The agreeing owners are the majority by count but hold less than half the participating area.
    r = result(ORDINARY, "100.00", 3, casts(("10.00", A), ("10.00", A), ("80.00", X)))
    assert met(r) == (True, True, False, True) and not r.passed


def test_an_empty_electorate_never_passes():
    r = result(ORDINARY, 0, 0, [])
    assert not r.passed and r.thresholds[0].share is None


# ---------------------------------------------------------------- the silent-owner clause


def test_silent_agree_counts_in_the_majority_never_in_participation():
    # 7 of 10 voted (participation met): 3 agree, 4 against; the 3 silent count as agreeing, 6/10 > 1/2.
    r = result(ORDINARY, 10, 10, equal(7, "aaaxxxx"), rules.SILENT_AGREE)
    assert r.passed and (r.silent_owners, r.silent_area) == (3, Decimal(3))
    assert (r.thresholds[0].numerator, r.thresholds[1].numerator) == (Decimal(7), 7)
    assert r.thresholds[2].denominator == Decimal(10)
    # Without the clause, the same ballots fail.
    assert not result(ORDINARY, 10, 10, equal(7, "aaaxxxx")).passed


def test_silent_owners_never_make_up_participation():
    r = result(ORDINARY, 10, 10, equal(6, "aaaaaa"), rules.SILENT_AGREE)
    assert not r.participation_met and not r.passed and r.silent_owners == 0


@pytest.mark.parametrize("ballots, passed", [("aaaaxxx", True), ("aaaxxxx", False), ("aaxxbbb", False)])
def test_silent_follow_the_majority_of_those_who_voted(ballots, passed):
    assert result(ORDINARY, 10, 10, equal(7, ballots), rules.SILENT_MAJORITY).passed is passed


def test_the_result_names_the_clause_it_applied():
    shown = rules.shown(result(ORDINARY, 10, 10, equal(7, "aaaxxxx"), rules.SILENT_AGREE))
    assert shown["clause"].startswith("未投票的业主视为同意：未投票的 3 位业主")
    assert shown["rows"][2]["label"].endswith("（含视为同意）")
    assert shown["rows"][0]["label"] == "参与表决的专有部分面积"
    assert rules.shown(result(ORDINARY, 3, 3, equal(3, "aaa")))["clause"] == "未投票的业主不计入同意"


def test_shown_prints_each_threshold_with_its_numbers():
    shown = rules.shown(result(MAJOR, "300.00", 3, casts(("100.00", A), ("100.00", A))))
    assert shown["rows"][0] == {"label": "参与表决的专有部分面积", "actual": "200.00 / 300.00 ㎡", "share": "66.67%",
                                "required": "≥ 2/3（66.67%）", "met": True}  # fmt: skip
    assert shown["rows"][3]["required"] == "≥ 3/4（75.00%）" and shown["verdict"] == "通过"


# ---------------------------------------------------------------- the electorate


def unit(house_id, owners=(), exclusive="80.00", built="95.00"):
    return rules.UnitRow(house_id, f"1号楼1单元{house_id}", None if exclusive is None else Decimal(exclusive),
                         None if built is None else Decimal(built), frozenset(owners))  # fmt: skip


def test_several_units_of_one_buyer_count_as_one_owner_with_their_area_summed():
    (voter,) = rules.electorate([unit(1, {7}), unit(2, {7}, exclusive="40.50")])
    assert (voter.key, voter.area, len(voter.units)) == ("p:7", Decimal("120.50"), 2)


def test_the_developers_unsold_units_count_as_one_owner():
    voters = rules.electorate([unit(1), unit(2), unit(3), unit(4, {9})])
    assert [(v.key, v.area) for v in voters] == [("p:9", Decimal("80.00")), ("developer", Decimal("240.00"))]
    assert voters[1].developer


def test_joint_owners_are_one_owner_and_an_overlapping_set_another():
    voters = rules.electorate([unit(1, {1, 2}), unit(2, {2, 1}), unit(3, {1})])
    assert [(v.key, len(v.units)) for v in voters] == [("p:1,2", 2), ("p:1", 1)]


def test_area_falls_back_to_the_building_area_and_says_so():
    (voter,) = rules.electorate([unit(1, {1}, exclusive=None), unit(2, {1})])
    assert (voter.area, voter.fallback) == (Decimal("175.00"), True)
    assert rules.missing_area([unit(1, exclusive=None, built=None), unit(2)]) == [unit(1, exclusive=None, built=None)]


@pytest.mark.parametrize(
    "share, text", [(Fraction(2, 3), "66.67%"), (Fraction(1, 2), "50.00%"), (Fraction(1, 200000), "0.00%"), (None, "—")]
)
def test_percent_is_for_display(share, text):
    assert rules.percent(share) == text


# ---------------------------------------------------------------- properties

ballot = st.builds(rules.Cast, st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500"), places=2),
                   st.sampled_from(list(rules.CHOICES)))  # fmt: skip
elections = st.tuples(
    st.lists(ballot, max_size=30), st.integers(0, 10), st.sampled_from(list(rules.ITEMS)),
    st.sampled_from(list(rules.SILENT_RULES)),
)  # fmt: skip


def _tally(ballots, absent, item, silent, extra_area=Decimal("100.00")):
    total_area = sum((b.area for b in ballots), Decimal(0)) + extra_area * absent
    return rules.tally(item=item, silent=silent, total_area=total_area, total_owners=len(ballots) + absent,
                       casts=ballots)  # fmt: skip


@given(elections, st.randoms())
def test_the_result_does_not_depend_on_the_order_of_the_ballots(election, random):
    ballots, absent, item, silent = election
    shuffled = list(ballots)
    random.shuffle(shuffled)
    assert _tally(shuffled, absent, item, silent) == _tally(ballots, absent, item, silent)


@given(elections, st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500"), places=2))
def test_an_absent_owner_who_comes_to_agree_never_turns_a_pass_into_a_fail(election, area):
    ballots, absent, item, silent = election
    # The same electorate: the newcomer was counted as an absent owner holding `area`.
    total_area = sum((b.area for b in ballots), Decimal(0)) + area + Decimal(100) * absent
    total_owners = len(ballots) + 1 + absent
    before = rules.tally(item=item, silent=silent, total_area=total_area, total_owners=total_owners, casts=ballots)
    after = rules.tally(item=item, silent=silent, total_area=total_area, total_owners=total_owners,
                        casts=[*ballots, rules.Cast(area, A)])  # fmt: skip
    assert not before.passed or after.passed
