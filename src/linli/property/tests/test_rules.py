"""The pure rules: the tender rule at its threshold, credit scores and grades at every band's boundary."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linli.property import rules
from linli.property.rules import AGREEMENT, INVITATION, JINAN, PUBLIC_TENDER, TenderRule

D = Decimal
SHENYANG = TenderRule()


# ---------------------------------------------------------------- tender rule (000 篇1: 5万㎡以上(含5万))


@pytest.mark.parametrize(
    "area, selection, invited, approval, errors",
    [
        ("49999.99", AGREEMENT, None, "区房产局批复〔2026〕3号", []),
        ("49999.99", INVITATION, 3, "区房产局批复〔2026〕4号", []),
        ("49999.99", INVITATION, 2, "区房产局批复〔2026〕4号", ["invited"]),
        ("49999.99", AGREEMENT, None, "  ", ["approval"]),
        ("49999.99", INVITATION, None, "", ["invited", "approval"]),
        ("49999.99", PUBLIC_TENDER, None, "", []),
        ("50000", PUBLIC_TENDER, None, "", []),
        ("50000", INVITATION, 5, "区房产局批复", ["selection"]),
        ("50000", AGREEMENT, None, "区房产局批复", ["selection"]),
        ("50000.01", PUBLIC_TENDER, None, "", []),
        ("50000.01", AGREEMENT, None, "区房产局批复", ["selection"]),
    ],
)
def test_the_first_company_is_chosen_as_the_area_requires(area, selection, invited, approval, errors):
    found = rules.tender_errors(
        SHENYANG, preliminary=True, area=D(area), selection=selection, invited=invited, approval=approval
    )
    assert [field for field, _ in found] == errors


def test_the_message_names_the_area_and_the_threshold():
    [(_, message)] = rules.tender_errors(SHENYANG, preliminary=True, area=D("50000"), selection=AGREEMENT,
                                         invited=None, approval="x")  # fmt: skip
    assert message == "建筑面积50,000㎡，达到50,000㎡，前期物业须公开招标"


def test_later_companies_are_chosen_as_the_owners_decide():
    assert rules.tender_errors(SHENYANG, preliminary=False, area=D("90000"), selection=AGREEMENT, invited=None,
                               approval="") == []  # fmt: skip


def test_an_unknown_selection_is_refused_whatever_the_area():
    assert rules.tender_errors(SHENYANG, preliminary=False, area=D(1), selection="lottery", invited=None,
                               approval="")[0][0] == "selection"  # fmt: skip


def test_a_locality_sets_its_own_threshold():
    rule = TenderRule.of({"public_tender_area": "30000", "min_invited": 5})
    assert rule == TenderRule(D("30000"), 5)
    assert TenderRule.of({}) == SHENYANG
    errors = rules.tender_errors(rule, preliminary=True, area=D("30000"), selection=INVITATION, invited=5,
                                 approval="x")  # fmt: skip
    assert [f for f, _ in errors] == ["selection"]


# ---------------------------------------------------------------- credit grades (济南: AAA ≥ 85, AA 80–85 …)


@pytest.mark.parametrize(
    "score, grade",
    [
        ("100", "AAA"), ("85", "AAA"), ("84.9", "AA"), ("80", "AA"), ("79.9", "A"), ("70", "A"),
        ("69.9", "B"), ("60", "B"), ("59.9", "C"), ("0", "C"),
    ],
)  # fmt: skip
def test_each_band_is_closed_below_and_open_above(score, grade):
    assert rules.grade(JINAN, D(score)) == grade


@pytest.mark.parametrize(
    "good, bad, score",
    [("0", "0", "80"), ("5", "0", "85"), ("3", "2", "81"), ("0", "20", "60"), ("30", "0", "100"), ("0", "95", "0")],
)
def test_the_year_score_is_base_plus_good_minus_bad_within_0_and_100(good, bad, score):
    assert rules.score(JINAN, D(good), D(bad)) == D(score)


@pytest.mark.parametrize(
    "grade, low, high",
    [("AAA", "85", None), ("AA", "80", "85"), ("A", "70", "80"), ("B", "60", "70"), ("C", None, "60")],
)
def test_grade_ranges_match_the_grades(grade, low, high):
    assert rules.grade_range(JINAN, grade) == (low and D(low), high and D(high))


@given(st.decimals(min_value=0, max_value=100, places=1))
def test_a_score_lies_in_the_range_of_its_grade(value):
    low, high = rules.grade_range(JINAN, rules.grade(JINAN, value))
    assert (low is None or value >= low) and (high is None or value < high)


@given(st.decimals(min_value=0, max_value=50, places=1), st.decimals(min_value=0, max_value=50, places=1))
def test_a_bad_record_never_raises_the_score(good, bad):
    assert rules.score(JINAN, good, bad + 1) <= rules.score(JINAN, good, bad)


def test_a_scheme_from_settings():
    scheme = rules.Scheme.of({
        "name": "某市", "base": 100, "lowest_grade": "D", "bands": [[90, "A"], [75, "B"], [60, "C"]],
        "items": [{"code": "X1", "kind": "bad", "label": "违规收费", "points": "10", "severity": "较重"}],
    })  # fmt: skip
    assert scheme.grades == ["A", "B", "C", "D"]
    assert scheme.catalogue["X1"].points == D(10)
    assert rules.grade(scheme, rules.score(scheme, D(0), D(10))) == "A"
    assert rules.grade(scheme, D("59.9")) == "D"


def test_the_seeded_catalogue_has_unique_codes_and_both_kinds():
    assert len(JINAN.catalogue) == len(JINAN.items)
    assert {i.kind for i in JINAN.items} == {rules.BAD, rules.GOOD}
    assert all(i.severity for i in JINAN.items if i.kind == rules.BAD)


# ---------------------------------------------------------------- rates


def test_rates():
    assert rules.percent(0, 0) is None
    assert rules.percent(2, 3) == D("66.7")
    assert rules.per_hundred(3, 0) is None
    assert rules.per_hundred(3, 200) == D("1.50")


def test_a_certificate_is_valid_through_its_last_day():
    from datetime import date

    assert not rules.certificate_expired(date(2026, 12, 6), date(2026, 12, 6))
    assert rules.certificate_expired(date(2026, 12, 5), date(2026, 12, 6))
