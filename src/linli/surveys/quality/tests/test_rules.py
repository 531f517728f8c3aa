from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linli.surveys.quality import rules

CHOICE = {"type": "choice", "options": [{"value": "1", "label": "男"}, {"value": "2", "label": "女"}]}
DEFINITION = {
    "sections": [
        {
            "key": "H",
            "title": "户信息",
            "questions": [
                {"key": "H1", "label": "户别", **CHOICE},
                {"key": "H2", "label": "本户应登记人数", "type": "number", "min": 0, "max": 99},
                {"key": "X", "type": "multi", "options": [{"value": "a"}, {"value": "b"}]},
                {
                    "key": "P",
                    "label": "人口登记",
                    "type": "table",
                    "columns": [
                        {"key": "R1", "label": "姓名", "type": "text"},
                        {"key": "R3", "label": "性别", **CHOICE},
                    ],
                },
            ],
        }
    ]
}
ORIGINAL = {"H1": "1", "H2": 2, "X": ["a", "b"], "P": [{"R1": "张三", "R3": "1"}, {"R1": "李四", "R3": "2"}]}


def paths(items):
    return {i.path: i.same for i in items}


@pytest.mark.parametrize(
    "q_type, a, b, same",
    [
        ("number", 3, "3", True),
        ("number", "３", 3, True),  # full-width digit
        ("number", "3.0", 3, True),
        ("number", 3, 4, False),
        ("text", " 张 三 ", "张 三", True),
        ("text", "张三", "张  三", False),  # a space inside a name is a difference, its width is not
        ("text", "ＡＢ１", "AB1", True),
        ("text", "a\u3000b", "a b", True),  # ideographic space
        ("choice", "1", "2", False),
        ("multi", ["a", "b"], ["b", "a"], True),
        ("multi", ["a"], ["a", "b"], False),
        ("date", "2010-11-01", " 2010-11-01", True),
    ],
)
def test_answers_are_normalised_before_comparing(q_type, a, b, same):
    assert (rules.normalise(q_type, a) == rules.normalise(q_type, b)) is same


def test_compare_names_each_item_with_its_row():
    recheck = {"H1": "1", "H2": 3, "X": ["b", "a"], "P": [{"R1": "张三", "R3": "1"}, {"R1": "李四", "R3": "1"}]}
    items = rules.compare(DEFINITION, ORIGINAL, recheck)
    assert paths(items) == {
        "H1": True,
        "H2": False,
        "X": True,
        "P.1.R1": True,
        "P.1.R3": True,
        "P.2.R1": True,
        "P.2.R3": False,
    }
    wrong = [i for i in items if not i.same]
    assert [(i.label, i.item, i.original, i.recheck) for i in wrong] == [
        ("本户应登记人数", "H2", 2, 3),
        ("第2行 性别", "P.R3", "2", "1"),
    ]


def test_items_both_leave_blank_are_not_counted_and_a_missing_row_is_wrong():
    original = {"H1": "1", "P": [{"R1": "张三", "R3": "1"}]}
    recheck = {"H1": "1", "X": [], "P": [{"R1": "张三", "R3": "1"}, {"R1": "王五", "R3": "2"}]}
    assert paths(rules.compare(DEFINITION, original, recheck)) == {
        "H1": True,
        "P.1.R1": True,
        "P.1.R3": True,
        "P.2.R1": False,
        "P.2.R3": False,
    }


def test_shared_keeps_the_items_of_the_checked_form():
    record = {"sections": [{"key": "Q", "questions": [{"key": "H2", "type": "number"}, {"key": "C", "type": "text"}]}]}
    assert [q["key"] for q in rules.questions(rules.shared(record, ["H1", "H2"]))] == ["H2"]


@pytest.mark.parametrize(
    "wrong, checked, rate, shown",
    [
        (0, 10, Decimal("0"), "0.00%"),
        (1, 3, Decimal("0.3333"), "33.33%"),
        (2, 3, Decimal("0.6667"), "66.67%"),  # half up
        (1, 8, Decimal("0.1250"), "12.50%"),
        (1, 16, Decimal("0.0625"), "6.25%"),
        (1, 20000, Decimal("0.0001"), "0.01%"),  # exactly half of the last place: up
        (1, 20001, Decimal("0"), "0.00%"),
        (3, 3, Decimal("1"), "100.00%"),
        (0, 0, None, "—"),
    ],
)
def test_error_rate_rounds_half_up_to_a_hundredth_of_a_percent(wrong, checked, rate, shown):
    assert rules.error_rate(wrong, checked) == rate
    assert rules.percent(rules.error_rate(wrong, checked)) == shown


def test_error_rate_refuses_more_wrong_than_checked():
    with pytest.raises(ValueError):
        rules.error_rate(4, 3)


def test_rates_sum_per_key_and_item_rates_follow_the_form():
    by = rules.rates([("a", "甲", 10, 1), ("b", "乙", 5, 0), ("a", "甲", 10, 3)])
    assert [(r.key, r.checked, r.wrong, r.forms, r.percent) for r in by] == [
        ("a", 20, 4, 2, "20.00%"),
        ("b", 5, 0, 1, "0.00%"),
    ]
    first = [i.as_dict() for i in rules.compare(DEFINITION, ORIGINAL, {**ORIGINAL, "H1": "2"})]
    second = [i.as_dict() for i in rules.compare(DEFINITION, ORIGINAL, ORIGINAL)]
    items = rules.item_rates([first, second], rules.item_labels(DEFINITION))
    assert [(r.key, r.label, r.checked, r.wrong, r.forms) for r in items] == [
        ("H1", "户别", 2, 1, 2),
        ("H2", "本户应登记人数", 2, 0, 2),
        ("X", "X", 2, 0, 2),
        ("P.R1", "人口登记·姓名", 4, 0, 2),
        ("P.R3", "人口登记·性别", 4, 0, 2),
    ]


@pytest.mark.parametrize(
    "path, value, expected",
    [
        ("H2", 3, {**ORIGINAL, "H2": 3}),
        ("H2", "", {k: v for k, v in ORIGINAL.items() if k != "H2"}),
        ("P.2.R3", "1", {**ORIGINAL, "P": [{"R1": "张三", "R3": "1"}, {"R1": "李四", "R3": "1"}]}),
    ],
)
def test_with_value_changes_one_answer_of_a_copy(path, value, expected):
    before = repr(ORIGINAL)
    assert rules.with_value(ORIGINAL, path, value) == expected
    assert repr(ORIGINAL) == before


@pytest.mark.parametrize("path", ["P.3.R3", "P.0.R3", "P.x.R3", "", "H2.1", "H1.1.R3"])
def test_a_path_to_no_answer_is_refused(path):
    with pytest.raises(rules.BadPath):
        rules.with_value(ORIGINAL, path, "1")


# ---------------------------------------------------------------- properties

values = st.one_of(
    st.none(),
    st.integers(-5, 120),
    st.text(alphabet="12ab 张三１２\u3000", max_size=6),
    st.lists(st.sampled_from(["a", "b"]), max_size=2),
)
row = st.fixed_dictionaries({}, optional={"R1": values, "R3": values})
answers = st.fixed_dictionaries({}, optional={"H1": values, "H2": values, "X": values, "P": st.lists(row, max_size=3)})


@settings(max_examples=40)
@given(answers)
def test_identical_answers_have_no_error(a):
    items = rules.compare(DEFINITION, a, a)
    assert all(i.same for i in items)
    assert rules.error_rate(0, len(items)) in (None, Decimal(0))


@settings(max_examples=40)
@given(answers, answers)
def test_the_error_rate_lies_between_0_and_1_and_comparing_is_symmetric(a, b):
    items = rules.compare(DEFINITION, a, b)
    wrong = sum(not i.same for i in items)
    rate = rules.error_rate(wrong, len(items))
    assert rate is None or Decimal(0) <= rate <= Decimal(1)
    assert paths(rules.compare(DEFINITION, b, a)) == paths(items)
