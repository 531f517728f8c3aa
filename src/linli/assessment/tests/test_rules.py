"""The star rating of 001 篇5 with its own numbers, scoring methods, grades and ranks; Hypothesis properties."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linli.accounts.scope import contains
from linli.assessment import rules

ten = D(10)


@pytest.mark.parametrize(
    "scores, stars, level",
    [
        ([D("9.0")] + [D(5)] * 9, 1, rules.FAILED),  # 达到9分以上: 9.0 itself earns the star
        ([D("8.9")] + [ten] * 9, 9, rules.PASSED),  # 8.9 earns none
        ([D("8.99")] * 10, 0, rules.FAILED),
        ([D(9)] * 7 + [D(8)] * 3, 7, rules.PASSED),  # 七星以上为达标社区
        ([D(9)] * 6 + [D(8)] * 4, 6, rules.FAILED),
        ([D(9)] * 10, 10, rules.TEN_STAR),  # 十个方面都在9分以上
        ([ten] * 10, 10, rules.TEN_STAR),
        ([ten] * 9 + [D("8.5")], 9, rules.PASSED),
    ],
)
def test_star_rating_as_001_5_says(scores, stars, level):
    rating = rules.star_rating(scores)
    assert (rating.stars, rating.level) == (stars, level)


def test_star_labels():
    assert rules.star_level(10).label == "十星级和谐社区"
    assert rules.star_level(7).label == "达标社区"
    assert rules.star_level(6).label == "未达标"
    assert len(rules.STAR_ASPECTS) == 10


aspect = st.decimals(min_value=0, max_value=10, places=2)
aspects = st.lists(aspect, min_size=10, max_size=10)


@given(aspects)
def test_stars_never_exceed_aspects(scores):
    assert 0 <= rules.star_rating(scores).stars <= len(scores)


@given(aspects, st.integers(0, 9), aspect)
def test_stars_are_monotone_in_scores(scores, i, raise_to):
    higher = list(scores)
    higher[i] = max(scores[i], raise_to)
    order = [rules.FAILED, rules.PASSED, rules.TEN_STAR]
    before, after = rules.star_rating(scores), rules.star_rating(higher)
    assert after.stars >= before.stars
    assert order.index(after.level) >= order.index(before.level)


@given(aspects)
def test_level_follows_the_star_count(scores):
    r = rules.star_rating(scores)
    assert (r.level == rules.TEN_STAR) == (r.stars == 10)
    assert (r.level != rules.FAILED) == (r.stars >= 7)


# ---------------------------------------------------------------- scoring methods


@pytest.mark.parametrize(
    "method, entry, points, problem",
    [
        (rules.SCALE, {"points": "9.5"}, D("9.5"), ""),
        (rules.SCALE, {"points": 10}, ten, ""),
        (rules.SCALE, {"points": "10.01"}, None, "得分不能超过分值10分"),
        (rules.SCALE, {"points": "-1"}, None, "得分不能为负数"),
        (rules.SCALE, {"points": "abc"}, None, "请填写得分（最多两位小数）"),
        (rules.SCALE, {"points": "9.123"}, None, "请填写得分（最多两位小数）"),
        (rules.SCALE, {}, None, "请填写得分（最多两位小数）"),
        (rules.PASSFAIL, {"passed": True}, ten, ""),
        (rules.PASSFAIL, {"passed": False}, D(0), ""),
        (rules.PASSFAIL, {}, None, "请选择达标或不达标"),
        (rules.DEDUCTION, {}, ten, ""),
        (rules.DEDUCTION, {"findings": [{"points": 1, "reason": "楼道堆物"}] * 3}, D(7), ""),
        (rules.DEDUCTION, {"findings": [{"points": 4, "reason": "小广告"}] * 3}, D(0), ""),  # floor of zero
        (rules.DEDUCTION, {"findings": [{"points": 1, "reason": " "}]}, None, "第1处扣分须写明扣分原因"),
        (rules.DEDUCTION, {"findings": [{"points": 0, "reason": "x"}]}, None, "第1处扣分应为大于0的数（最多两位小数）"),
    ],
)
def test_item_score(method, entry, points, problem):
    assert rules.item_score(method, ten, **entry) == (points, problem)


@given(st.lists(st.decimals(min_value=D("0.01"), max_value=20, places=2), max_size=12))
def test_deduction_stays_between_zero_and_max(deductions):
    points, problem = rules.item_score(
        rules.DEDUCTION, ten, findings=[{"points": d, "reason": "发现一处"} for d in deductions]
    )
    assert problem == ""
    assert D(0) <= points <= ten
    assert points == max(D(0), ten - sum(deductions, D(0)))


# ---------------------------------------------------------------- grades and ranks


@pytest.mark.parametrize(
    "total, label", [(D(95), "优秀"), (D(90), "优秀"), (D("89.99"), "良好"), (D(60), "合格"), (D(59), "不合格")]
)
def test_grade(total, label):
    assert rules.grade(total, rules.DEFAULT_GRADES) == label


def test_no_grades_no_label():
    assert rules.grade(D(50), []) == ""


@pytest.mark.parametrize(
    "values, ranks",
    [
        ([90, 90, 80], [1, 1, 3]),
        ([70, 90, 80], [3, 1, 2]),
        ([5, 5, 5], [1, 1, 1]),
        ([], []),
        ([1, 2, 2, 0], [3, 1, 1, 4]),
    ],
)
def test_competition_ranks(values, ranks):
    assert rules.competition_ranks(values) == ranks


@given(st.lists(st.integers(0, 100)))
def test_ranks_count_the_better_ones(values):
    for value, rank in zip(values, rules.competition_ranks(values), strict=True):
        assert rank == 1 + sum(1 for v in values if v > value)


# ---------------------------------------------------------------- who scores in each stage

COMMUNITY, STREET_PATH, DISTRICT = "210103001001", "210103001", "210103"


@pytest.mark.parametrize(
    "stage, role, user_path, own, allowed",
    [
        (rules.SELF, "community_worker", COMMUNITY, True, True),
        (rules.SELF, "community_worker", "210103001002", False, False),  # another community
        (rules.SELF, "street_staff", STREET_PATH, False, False),
        (rules.SELF, "district_staff", DISTRICT, False, False),
        (rules.FIRST, "street_staff", STREET_PATH, False, True),
        (rules.FIRST, "street_staff", "210103002", False, False),  # another street
        (rules.FIRST, "community_worker", COMMUNITY, True, False),
        (rules.RECHECK, "street_staff", STREET_PATH, False, False),
        (rules.RECHECK, "district_staff", DISTRICT, False, True),
        (rules.CONFIRM, "admin", "", False, True),
        (rules.CONFIRM, "grid_worker", COMMUNITY + "001", False, False),
    ],
)
def test_who_scores_a_community(stage, role, user_path, own, allowed):
    assert (
        rules.may_score(stage, role=role, in_scope=contains(user_path, COMMUNITY), user_is_unit=own, unit_level=5)
        is allowed
    )


def test_a_street_assesses_itself_and_the_district_reviews_it():
    def may(stage, role, path, own):
        return rules.may_score(stage, role=role, in_scope=contains(path, STREET_PATH), user_is_unit=own, unit_level=4)

    assert may(rules.SELF, "street_staff", STREET_PATH, True)
    assert not may(rules.FIRST, "street_staff", STREET_PATH, True)
    assert may(rules.FIRST, "district_staff", DISTRICT, False)


def test_final_stage_is_the_last_completed_one():
    assert [rules.final_stage(s) for s in (*rules.STAGES, rules.DONE)] == [
        None,
        rules.SELF,
        rules.FIRST,
        rules.RECHECK,
        rules.CONFIRM,
    ]


@pytest.mark.parametrize(
    "entered, score",
    [("8.5", D("8.50")), (7, D("7.00")), ("8.505", None), ("1e30", None), ("1E+999999", None), ("NaN", None),
     ("-Infinity", None), ("1000", None), ("abc", None), (True, None), ("", None)],
)  # fmt: skip
def test_a_score_is_a_number_of_two_places_below_1000(entered, score):
    assert rules.decimal(entered) == score
