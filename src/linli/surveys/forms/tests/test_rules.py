"""Forms as data: what a definition may hold, the skip rules, and the check of answers (surveys.forms.rules)."""

import copy
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linli.surveys.forms import rules

DEFAULTS = Path(rules.__file__).parent / "defaults"


def opts(*values):
    return [{"value": v, "label": f"选项{v}"} for v in values]


# A small census-like form: household questions, a skip rule on a section and on a column.
FORM = {
    "sections": [
        {"key": "H", "title": "户信息", "questions": [
            {"key": "H1", "label": "户别", "type": "choice", "options": opts("1", "2"), "required": True},
            {"key": "H2", "label": "本户应登记人数", "type": "number", "min": 0, "max": 99, "unit": "人",
             "required": True},
            {"key": "H4", "label": "住房面积", "type": "number", "min": 0, "max": 9999, "decimals": 1,
             "show_if": {"question": "H1", "in": ["1"]}},
            {"key": "X", "label": "设施", "type": "multi", "options": opts("a", "b", "c")},
            {"key": "D", "label": "登记日期", "type": "date", "min": "2010-11-01", "max": "2010-11-15"},
            {"key": "T", "label": "备注", "type": "text", "max_length": 5},
        ]},
        {"key": "C", "title": "集体户", "show_if": {"question": "H1", "in": ["2"]}, "questions": [
            {"key": "C1", "label": "集体户名称", "type": "text", "required": True},
        ]},
        {"key": "P", "title": "人口", "questions": [
            {"key": "P", "label": "人口登记", "type": "table", "min_rows": 1, "max_rows": 3, "columns": [
                {"key": "R1", "label": "姓名", "type": "text", "max_length": 50, "required": True},
                {"key": "R3", "label": "性别", "type": "choice", "options": opts("1", "2"), "required": True},
                {"key": "R6", "label": "户口登记地", "type": "choice", "options": opts("1", "2", "3", "4", "5"),
                 "required": True},
                {"key": "R7", "label": "离开户口登记地时间", "type": "choice", "options": opts("1", "2"),
                 "required": True, "show_if": {"question": "R6", "in": ["3", "4"]}},
                {"key": "L6", "label": "生育子女数", "type": "number", "min": 0, "max": 20,
                 "show_if": {"question": "H1", "in": ["1"]}},
            ]},
        ]},
    ]
}  # fmt: skip

VALID = {
    "H1": "1", "H2": 2, "H4": 80.5, "X": ["a", "c"], "D": "2010-11-01", "T": "无",
    "P": [{"R1": "张三", "R3": "1", "R6": "1"}, {"R1": "李四", "R3": "2", "R6": "3", "R7": "2", "L6": 1}],
}  # fmt: skip


def test_the_example_form_and_answers_are_valid():
    assert rules.definition_errors(FORM) == []
    assert rules.answer_errors(FORM, VALID) == []


@pytest.mark.parametrize("code", ["census-short", "census-long", "census-death", "ohs-unit", "ohs-recheck"])
def test_the_default_forms_are_valid_and_serve_their_roles(code):
    definition = json.loads((DEFAULTS / f"{code}.json").read_text(encoding="utf-8"))["definition"]
    assert rules.definition_errors(definition) == []
    for kind, roles in rules.DEFAULT_FORMS.items():
        for role in (role for role, default in roles.items() if default == code):
            assert rules.role_errors(definition, kind, role) == []


def test_the_census_ethnic_groups_are_the_56_and_two_more():
    definition = json.loads((DEFAULTS / "census-short.json").read_text(encoding="utf-8"))["definition"]
    ethnic = rules.index(definition)["R5"]["options"]
    assert len(ethnic) == 58 and ethnic[0]["label"] == "汉族" and ethnic[55]["label"] == "基诺族"
    assert [o["label"] for o in rules.index(definition)["R8"]["options"]][::6] == ["未上过学", "研究生"]


def with_question(**question):
    d = copy.deepcopy(FORM)
    d["sections"][0]["questions"].append({"key": "Z", "label": "新题", **question})
    return d


def edited(path, value):
    """FORM with the item at `path` (keys and indexes) replaced by `value` (or removed when value is ...)."""
    d = copy.deepcopy(FORM)
    target = d
    for step in path[:-1]:
        target = target[step]
    if value is ...:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return d


Q = ("sections", 0, "questions")
COL = ("sections", 2, "questions", 0, "columns")

# fmt: off
DEFINITION_CASES = [
    ("not a dict", [], "表式定义应为"),
    ("no sections", {"sections": []}, "至少一个部分"),
    ("unknown top field", {**FORM, "title": "x"}, "表式定义应为"),
    ("unknown type", with_question(type="slider"), "第1部分第7题(Z)：题型应为"),
    ("duplicate key", with_question(type="text", key="H2"), "第1部分第7题(H2)：题号重复"),
    ("key of a column reused", with_question(type="text", key="R1"), "题号重复"),
    ("bad key", with_question(type="text", key="1a"), "题号应以字母开头"),
    ("no label", edited((*Q, 0, "label"), ...), "第1部分第1题(H1)：题目名称为空"),
    ("typo in a field", with_question(type="text", requried=True), "文字题没有“requried”这一项"),
    ("no options", with_question(type="choice", options=[]), "选项应为1至200项"),
    ("duplicate option", with_question(type="choice", options=opts("1", "1")), "选项值“1”重复"),
    ("option without label", with_question(type="multi", options=[{"value": "1"}]), "第1个选项应为"),
    ("min above max", with_question(type="number", min=5, max=1), "最小值大于最大值"),
    ("bool as a bound", with_question(type="number", min=True), "最小值应为数字"),
    ("decimals", with_question(type="number", decimals=9), "小数位数应为0至6"),
    ("bad date bound", with_question(type="date", min="2010-13-01"), "最小值应为"),
    ("date bounds reversed", with_question(type="date", min="2011-01-01", max="2010-01-01"), "最小值大于最大值"),
    ("text length", with_question(type="text", max_length=0), "最大长度应为1至2000"),
    ("label with a bidi control", with_question(type="text", label="\u202e名"), "题目名称为空"),
    ("show_if unknown question", with_question(type="text", show_if={"question": "Q9", "in": ["1"]}),
     "跳转条件引用的“Q9”不是此前的单选或多选题"),
    ("show_if on a number", with_question(type="text", show_if={"question": "H2", "in": ["1"]}),
     "跳转条件引用的“H2”不是此前的单选或多选题"),
    ("show_if on a later question", edited((*Q, 0, "show_if"), {"question": "X", "in": ["a"]}),
     "第1部分第1题(H1)：跳转条件引用的“X”不是此前的单选或多选题"),
    ("show_if on itself", edited((*Q, 0, "show_if"), {"question": "H1", "in": ["1"]}), "不是此前的单选或多选题"),
    ("show_if value not an option", with_question(type="text", show_if={"question": "H1", "in": ["9"]}),
     "跳转条件的取值应为“户别”的选项值"),
    ("show_if shape", with_question(type="text", show_if={"question": "H1"}), "跳转条件应为"),
    ("section show_if on its own question", edited(("sections", 1, "show_if"), {"question": "C1", "in": ["1"]}),
     "第2部分：跳转条件引用的“C1”"),
    ("column show_if on a later column", edited((*COL, 1, "show_if"), {"question": "R6", "in": ["1"]}),
     "跳转条件引用的“R6”"),
    ("nested table", edited((*COL, 0), {"key": "N", "label": "套表", "type": "table", "columns": []}),
     "第3部分第1题(P)第1列(N)：题型应为"),
    ("table without columns", edited((*COL[:-1], "columns"), []), "表格至少要有一列"),
    ("rows reversed", edited((*COL[:-1], "min_rows"), 5), "最少行数大于最多行数"),
    ("section without questions", edited(("sections", 1, "questions"), []), "第2部分：至少要有一个题目"),
    ("duplicate section", edited(("sections", 1, "key"), "H"), "部分代码应以字母开头、由字母和数字组成且不重复"),
]
# fmt: on


@pytest.mark.parametrize("definition, message", [c[1:] for c in DEFINITION_CASES], ids=[c[0] for c in DEFINITION_CASES])
def test_definition_errors(definition, message):
    errors = rules.definition_errors(definition)
    assert any(message in e for e in errors), errors


def answers(**changes):
    return {**copy.deepcopy(VALID), **changes}


def person(n, **changes):
    rows = copy.deepcopy(VALID["P"])
    rows[n - 1].update(changes)
    return answers(P=rows)


# fmt: off
ANSWER_CASES = [
    ("required choice", answers(H1=None, H4=None, P=VALID["P"][:1]), [("H1", "户别：请选择")]),
    ("required number", answers(H2=""), [("H2", "本户应登记人数：请填写")]),
    ("number below the range", answers(H2=-1), [("H2", "本户应登记人数：应在0至99人之间")]),
    ("number above the range", answers(H2=100), [("H2", "本户应登记人数：应在0至99人之间")]),
    ("not a whole number", answers(H2=2.5), [("H2", "本户应登记人数：应为整数")]),
    ("a whole number written as 2.0", answers(H2=2.0), []),
    ("too many decimals", answers(H4=80.25), [("H4", "住房面积：最多保留1位小数")]),
    ("number as text", answers(H2="2"), [("H2", "本户应登记人数：请填写数字")]),
    ("bool is no number", answers(H2=True), [("H2", "本户应登记人数：请填写数字")]),
    ("choice not an option", answers(H1="3", H4=None, P=VALID["P"][:1]), [("H1", "户别：请从选项中选择")]),
    ("multi not a list", answers(X="a"), [("X", "设施：请从选项中选择")]),
    ("multi with an unknown option", answers(X=["a", "z"]), [("X", "设施：请从选项中选择")]),
    ("multi with a repeated option", answers(X=["a", "a"]), [("X", "设施：选项重复")]),
    ("date format", answers(D="2010/11/01"), [("D", "登记日期：请填写日期(年-月-日)")]),
    ("date that does not exist", answers(D="2010-11-31"), [("D", "登记日期：请填写日期(年-月-日)")]),
    ("date before the bound", answers(D="2010-10-31"), [("D", "登记日期：应在2010-11-01至2010-11-15之间")]),
    ("text too long", answers(T="一二三四五六"), [("T", "备注：不能超过5个字")]),
    ("text with a line break", answers(T="一\n二"), [("T", "备注：只能填写一行，请删除其中的换行符或制表符")]),
    ("text with a bidi control", answers(T="\u202e无"), [("T", "备注：含有改变文字显示方向的控制字符，请删除后重试")]),
    ("unknown question", answers(Q9="1"), [("Q9", "“Q9”不是本表的题目")]),
    ("hidden question answered", answers(H1="2", C1="宿舍", P=[{"R1": "王五", "R3": "1", "R6": "1"}]),
     [("H4", "住房面积：按前面的回答此题不用填写，请清空")]),
    ("required question in a hidden section is not required", answers(C1=None), []),
    ("hidden section answered", answers(C1="宿舍"), [("C1", "集体户名称：按前面的回答此题不用填写，请清空")]),
    ("shown section required", answers(H1="2", H4=None, C1="", P=[{"R1": "王五", "R3": "1", "R6": "1"}]),
     [("C1", "集体户名称：请填写")]),
    ("table missing", answers(P=[]), [("P", "人口登记：请填写")]),
    ("table too long", answers(P=[VALID["P"][0]] * 4), [("P", "人口登记：应填写1至3行")]),
    ("table not rows", answers(P={"R1": "张三"}), [("P", "人口登记：应为若干行")]),
    ("cell required", person(2, R3=None), [("P.2.R3", "第2行 性别：请选择")]),
    ("cell wrong", person(1, R1="x" * 51), [("P.1.R1", "第1行 姓名：不能超过50个字")]),
    ("cell shown by its row", person(2, R7=None), [("P.2.R7", "第2行 离开户口登记地时间：请选择")]),
    ("cell hidden by its row", person(1, R7="1"),
     [("P.1.R7", "第1行 离开户口登记地时间：按前面的回答此题不用填写，请清空")]),
    ("cell hidden by a form question", answers(H1="2", H4=None, C1="宿舍"),
     [("P.2.L6", "第2行 生育子女数：按前面的回答此题不用填写，请清空")]),
    ("unknown column", person(1, R99="x"), [("P.1.R99", "第1行：“R99”不是人口登记的一栏")]),
    ("not a dict", ["H1"], [("", "填报内容应为一组题目的回答")]),
]
# fmt: on


@pytest.mark.parametrize("given_answers, want", [c[1:] for c in ANSWER_CASES], ids=[c[0] for c in ANSWER_CASES])
def test_answer_errors(given_answers, want):
    assert rules.answer_errors(FORM, given_answers) == want


@pytest.mark.parametrize(
    "key, row, want",
    [("H4", None, True), ("C1", None, False), ("R7", 1, False), ("R7", 2, True), ("R7", None, False),
     ("R7", 9, False), ("L6", 2, True), ("R1", 1, True), ("nothing", None, False)],
)  # fmt: skip
def test_visible(key, row, want):
    assert rules.visible(FORM, VALID, key, row) is want


def test_a_rule_on_a_hidden_question_hides_what_depends_on_it():
    d = with_question(type="text", show_if={"question": "Z0", "in": ["1"]})
    d["sections"][0]["questions"].insert(-1, {"key": "Z0", "label": "前置", "type": "choice", "options": opts("1"),
                                              "show_if": {"question": "H1", "in": ["2"]}})  # fmt: skip
    assert rules.definition_errors(d) == []
    # Z0 answered although hidden: Z depends on a hidden question, so it stays hidden too.
    assert rules.visible(d, {**VALID, "Z0": "1"}, "Z") is False
    assert rules.visible(d, {**VALID, "H1": "2", "Z0": "1"}, "Z") is True


def test_the_preview_states_rules_in_words():
    preview = rules.preview(FORM)
    assert preview[1]["condition"] == "户别为“选项2”时填写"
    r7 = preview[2]["questions"][0]["columns"][3]
    assert r7["condition"] == "户口登记地为“选项3”或“选项4”时填写"
    assert preview[0]["questions"][1]["range"] == "0至99人，整数"


# ---------------------------------------------------------------- properties

# Twenty-five forms of up to a dozen questions each exercise every type and skip rule; more only costs the suite time.
few = settings(max_examples=25)

keys = st.integers(0, 10**6).map(lambda n: f"K{n}")


@st.composite
def definitions(draw):
    """Valid definitions: random questions of every type, skip rules on earlier choice questions."""
    used: set[str] = set()
    choices: list[dict] = []

    def new_key():
        key = draw(keys.filter(lambda k: k not in used))
        used.add(key)
        return key

    def show_if(pool):
        if not pool or not draw(st.booleans()):
            return None
        target = draw(st.sampled_from(pool))
        values = [o["value"] for o in target["options"]]
        return {"question": target["key"], "in": draw(st.lists(st.sampled_from(values), min_size=1, unique=True))}

    def question(pool, in_table=False):
        kind = draw(st.sampled_from([t for t in rules.TYPES if not (in_table and t == rules.TABLE)]))
        q = {"key": new_key(), "label": draw(st.sampled_from(["姓名", "性别", "人数", "日期"])), "type": kind,
             "required": draw(st.booleans())}  # fmt: skip
        if rule := show_if(pool):
            q["show_if"] = rule
        if kind in (rules.CHOICE, rules.MULTI):
            q["options"] = opts(*[str(n) for n in range(draw(st.integers(1, 4)))])
        elif kind == rules.NUMBER:
            low = draw(st.integers(-5, 5))
            q.update(min=low, max=low + draw(st.integers(0, 20)), decimals=draw(st.integers(0, 2)))
        elif kind == rules.DATE:
            q.update(min="2000-01-01", max="2000-12-31")
        elif kind == rules.TEXT:
            q["max_length"] = draw(st.integers(1, 10))
        elif kind == rules.TABLE:
            columns, local = [], list(pool)
            for _ in range(draw(st.integers(1, 3))):
                column = question(local, in_table=True)
                columns.append(column)
                if column["type"] in (rules.CHOICE, rules.MULTI):
                    local.append(column)
            q.update(columns=columns, min_rows=draw(st.integers(0, 1)), max_rows=draw(st.integers(1, 3)))
        return q

    result = []
    for s in range(draw(st.integers(1, 3))):
        section = {"key": f"S{s}", "title": "部分", "questions": []}
        if rule := show_if(choices):
            section["show_if"] = rule
        for _ in range(draw(st.integers(1, 4))):
            q = question(choices)
            section["questions"].append(q)
            if q["type"] in (rules.CHOICE, rules.MULTI):
                choices.append(q)
        result.append(section)
    return {"sections": result}


def value_for(draw, q):
    kind = q["type"]
    if kind in (rules.CHOICE, rules.MULTI):
        values = [o["value"] for o in q["options"]]
        if kind == rules.CHOICE:
            return draw(st.sampled_from(values))
        return draw(st.lists(st.sampled_from(values), min_size=1, unique=True))
    if kind == rules.NUMBER:
        return draw(st.integers(q["min"], q["max"]))
    if kind == rules.DATE:
        return draw(st.dates(min_value=rules.DATE_MIN.replace(year=2000), max_value=rules.DATE_MIN.replace(year=2000,
                    month=12, day=31))).isoformat()  # fmt: skip
    return draw(st.text(st.sampled_from("甲乙丙丁abc 1"), min_size=1, max_size=q["max_length"]).filter(str.strip))


@st.composite
def valid_answers(draw, d):
    """Answers that follow the form in order: a shown question answered (or left out when optional), a hidden one
    left out."""
    result: dict = {}
    for _, q in rules.questions(d):
        if not rules.visible(d, result, q["key"]):
            continue
        if q["type"] == rules.TABLE:
            rows = []
            for n in range(1, draw(st.integers(max(q["min_rows"], 1 if q["required"] else 0), q["max_rows"])) + 1):
                row: dict = {}
                rows.append(row)
                result[q["key"]] = rows
                for column in q["columns"]:
                    if rules.visible(d, result, column["key"], n) and (column["required"] or draw(st.booleans())):
                        row[column["key"]] = value_for(draw, column)
            if rows:
                result[q["key"]] = rows
            else:
                result.pop(q["key"], None)
        elif q["required"] or draw(st.booleans()):
            result[q["key"]] = value_for(draw, q)
    return result


@st.composite
def form_and_answers(draw):
    d = draw(definitions())
    return d, draw(valid_answers(d))


@few
@given(definitions())
def test_generated_definitions_are_valid(d):
    assert rules.definition_errors(d) == []


@few
@given(form_and_answers())
def test_answers_that_follow_the_form_pass(case):
    d, given_answers = case
    assert rules.answer_errors(d, given_answers) == []


@few
@given(form_and_answers())
def test_removing_a_hidden_question_keeps_valid_answers_valid(case):
    d, given_answers = case
    hidden = [q["key"] for _, q in rules.questions(d) if not rules.visible(d, given_answers, q["key"])]
    for key in hidden:
        smaller = copy.deepcopy(d)
        for section in smaller["sections"]:
            section["questions"] = [q for q in section["questions"] if q["key"] != key]
        smaller["sections"] = [s for s in smaller["sections"] if s["questions"]]
        if smaller["sections"] and rules.definition_errors(smaller) == []:
            assert rules.answer_errors(smaller, given_answers) == []


junk = st.recursive(
    st.none() | st.booleans() | st.integers(-1000, 1000) | st.floats(allow_nan=True) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=10,
)


def real_paths(d, given_answers) -> set[str]:
    paths = {""} | {q["key"] for _, q in rules.questions(d)} | {str(k) for k in given_answers}
    for _, q in rules.questions(d):
        rows = given_answers.get(q["key"])
        for n, row in enumerate(rows if isinstance(rows, list) else [], 1):
            names = [c["key"] for c in q.get("columns") or []] + (list(row) if isinstance(row, dict) else [])
            paths |= {f"{q['key']}.{n}.{name}" for name in names}
    return paths


@few
@given(st.data())
def test_every_error_names_a_real_path(data):
    d = data.draw(definitions())
    base = data.draw(valid_answers(d))
    keys_to_spoil = data.draw(st.lists(st.sampled_from([q["key"] for _, q in rules.questions(d)] + ["Z9"])))
    spoiled = {**base, **{k: data.draw(junk) for k in keys_to_spoil}}
    errors = rules.answer_errors(d, spoiled)
    paths = real_paths(d, spoiled)
    for path, message in errors:
        assert path in paths and message
