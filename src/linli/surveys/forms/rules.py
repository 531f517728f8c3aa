"""Forms as data: what a form's definition may hold, which questions an answer shows, and what is wrong with a set of
answers. The device renders the same definition and applies the same skip rules; the server's check here is the
authority.

A definition is `{"sections": [section, …]}`; a section is `{"key", "title", "show_if"?, "questions": […]}`; a
question is `{"key", "label", "type", "required"?, "help"?, "show_if"?, …}` with, by type:

- text: `max_length` (default 200), `multiline` (default false: one line);
- number: `min`, `max`, `decimals` (default 0: a whole number), `unit`;
- choice / multi: `options`, a list of `{"value", "label"}`;
- date: `min`, `max` ("YYYY-MM-DD");
- table: `columns` (questions of the other types), `min_rows`, `max_rows`.

Every key is unique in the whole form, columns included, so that a path names one place: "H2" a question, "P.2.R3"
the column R3 of the table P's second row (rows count from 1, as the messages do: "第2行 性别：请选择").

`show_if: {"question": K, "in": [values]}` shows a section or question only when the choice (or one of the choices of
a multi) answered to K is among the values. K must be an earlier choice or multi question: of the form, or, for a
column, an earlier column of the same row. A question is hidden when its section is, and when the question it
depends on is itself hidden, so a chain of rules settles in one pass in form order. A hidden question must be left
unanswered; a required question that is hidden is not required.
"""

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext, gettext_lazy

from linli.core import text
from linli.surveys.rules import CENSUS, DEATH, LONG, RECHECK, SHORT, UNIT, UNITS

TEXT, NUMBER, CHOICE, MULTI, DATE, TABLE = "text", "number", "choice", "multi", "date", "table"
TYPES = {
    TEXT: gettext_lazy("文字"),
    NUMBER: gettext_lazy("数字"),
    CHOICE: gettext_lazy("单选"),
    MULTI: gettext_lazy("多选"),
    DATE: gettext_lazy("日期"),
    TABLE: gettext_lazy("表格"),
}

KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,19}$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Bounds that keep a form (and the answers to it) of a size a phone renders and a request carries.
SECTIONS_MAX, QUESTIONS_MAX, OPTIONS_MAX, ROWS_MAX = 40, 400, 200, 999
LABEL_MAX, HELP_MAX, VALUE_MAX, TEXT_MAX, TEXT_DEFAULT = 100, 500, 20, 2000, 200
DECIMALS_MAX = 6
NUMBER_LIMIT = 10**12  # larger than any count or amount a survey asks; keeps arithmetic on answers exact
DATE_MIN, DATE_MAX = date(1900, 1, 1), date(2100, 12, 31)

_COMMON = {"key", "label", "type", "required", "help", "show_if"}
_FIELDS = {
    TEXT: _COMMON | {"max_length", "multiline"},
    NUMBER: _COMMON | {"min", "max", "decimals", "unit"},
    CHOICE: _COMMON | {"options"},
    MULTI: _COMMON | {"options"},
    DATE: _COMMON | {"min", "max"},
    TABLE: _COMMON | {"columns", "min_rows", "max_rows"},
}
_SECTION_FIELDS = {"key", "title", "show_if", "questions"}


# ---------------------------------------------------------------- walking a definition


def sections(d: dict) -> list[dict]:
    return d.get("sections") or []


def questions(d: dict) -> Iterator[tuple[dict, dict]]:
    """(section, question) for every question of the form in order, tables as one question (not their columns)."""
    for section in sections(d):
        for question in section.get("questions") or []:
            yield section, question


def index(d: dict) -> dict[str, dict]:
    """Every question and column by key."""
    found = {}
    for _, q in questions(d):
        found[q["key"]] = q
        for column in q.get("columns") or []:
            found[column["key"]] = column
    return found


def label(q: dict) -> str:
    return q.get("label") or q["key"]


def option_label(q: dict, value: Any) -> str:
    """An answer in words: the label of a choice, the labels of a multi's choices."""
    labels = {o["value"]: o["label"] for o in q.get("options") or []}
    if isinstance(value, list):
        return "、".join(str(labels.get(v, str(v))) for v in value)
    return labels.get(value, "" if value is None else str(value))


def empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


# ---------------------------------------------------------------- skip rules


def _rule_holds(rule: dict | None, value: Any) -> bool:
    values = set(rule["in"])
    if isinstance(value, list):
        return bool(values.intersection(v for v in value if isinstance(v, str)))
    return isinstance(value, str) and value in values


def _holds(d: dict, answers: dict, rule: dict | None, row: dict | None, columns: dict[str, dict]) -> bool:
    if not rule:
        return True
    key = rule["question"]
    if row is not None and key in columns:
        column = columns[key]
        return _holds(d, answers, column.get("show_if"), row, columns) and _rule_holds(rule, row.get(key))
    return visible(d, answers, key) and _rule_holds(rule, answers.get(key))


def visible(d: dict, answers: dict, key: str, row: int | None = None) -> bool:
    """Whether the question (or column, with `row` the table row counted from 1) `key` is shown for `answers`."""
    for section, q in questions(d):
        columns = {c["key"]: c for c in q.get("columns") or []}
        if q["key"] != key and key not in columns:
            continue
        if not _holds(d, answers, section.get("show_if"), None, {}):
            return False
        if not _holds(d, answers, q.get("show_if"), None, {}):
            return False
        if q["key"] == key:
            return True
        rows = answers.get(q["key"])
        cells = rows[row - 1] if isinstance(rows, list) and row and 0 < row <= len(rows) else None
        return _holds(d, answers, columns[key].get("show_if"), cells if isinstance(cells, dict) else {}, columns)
    return False


def condition_text(d: dict, rule: dict | None) -> str:
    """A skip rule in words, for the preview a clerk checks against the paper form: "户别为“家庭户”时填写"."""
    if not rule:
        return ""
    q = index(d).get(rule["question"])
    if q is None:
        return ""
    chosen = gettext("”或“").join(option_label(q, v) for v in rule["in"])
    return gettext("%(label)s为“%(chosen)s”时填写") % {"label": label(q), "chosen": chosen}


# ---------------------------------------------------------------- the definition


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) <= NUMBER_LIMIT


def _iso_date(value: Any) -> date | None:
    if not isinstance(value, str) or not ISO_DATE.match(value):
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return day if DATE_MIN <= day <= DATE_MAX else None


def _short_text(value: Any, limit: int) -> bool:
    return isinstance(value, str) and 0 < len(value.strip()) <= limit and text.check(value, text.Kind.LINE) is None


class _Checker:
    """Walks a definition once, in order, collecting its errors: which keys came before decides what a skip rule may
    refer to."""

    def __init__(self):
        self.errors: list[str] = []
        self.keys: set[str] = set()
        self.earlier: dict[str, dict] = {}  # choice and multi questions of the form so far, for skip rules

    def error(self, where: str, message: str) -> None:
        self.errors.append(f"{where}：{message}")

    def show_if(self, where: str, rule: Any, columns: dict[str, dict] | None = None) -> None:
        if rule is None:
            return
        if not isinstance(rule, dict) or set(rule) != {"question", "in"}:
            self.error(where, gettext('跳转条件应为 {"question": 题号, "in": [选项值…]}'))
            return
        target = (columns or {}).get(rule["question"]) or self.earlier.get(rule["question"])
        if target is None:
            self.error(where, gettext("跳转条件引用的“%(rule)s”不是此前的单选或多选题") % {"rule": rule["question"]})
            return
        values = rule["in"]
        options = {o["value"] for o in target.get("options") or []}
        if not isinstance(values, list) or not values or not all(isinstance(v, str) and v in options for v in values):
            self.error(where, gettext("跳转条件的取值应为“%(label)s”的选项值") % {"label": label(target)})

    def options(self, where: str, q: dict) -> None:
        options = q.get("options")
        if not isinstance(options, list) or not options or len(options) > OPTIONS_MAX:
            self.error(where, gettext("选项应为1至%(OPTIONS_MAX)s项") % {"OPTIONS_MAX": OPTIONS_MAX})
            return
        seen = set()
        for n, option in enumerate(options, 1):
            if not isinstance(option, dict) or set(option) != {"value", "label"}:
                self.error(where, gettext('第%(n)s个选项应为 {"value", "label"}') % {"n": n})
            elif not _short_text(option["value"], VALUE_MAX) or not _short_text(option["label"], LABEL_MAX):
                self.error(where, gettext("第%(n)s个选项的值或名称为空、过长或含有不可见字符") % {"n": n})
            elif option["value"] in seen:
                self.error(where, gettext("选项值“%(option)s”重复") % {"option": option["value"]})
            else:
                seen.add(option["value"])

    def bounds(self, where: str, q: dict, parse, name: str) -> None:
        low, high = q.get("min"), q.get("max")
        if low is not None and parse(low) is None:
            self.error(where, gettext("最小值应为%(name)s") % {"name": name})
        elif high is not None and parse(high) is None:
            self.error(where, gettext("最大值应为%(name)s") % {"name": name})
        elif low is not None and high is not None and parse(low) > parse(high):
            self.error(where, gettext("最小值大于最大值"))

    def question(self, where: str, q: Any, columns: dict[str, dict] | None = None) -> None:
        if not isinstance(q, dict):
            self.error(where, gettext("应为一个题目"))
            return
        key = q.get("key")
        if not isinstance(key, str) or not KEY.match(key):
            self.error(where, gettext("题号应以字母开头，由字母、数字和下划线组成，不超过20个字符"))
            return
        where = f"{where}({key})"
        if key in self.keys:
            self.error(where, gettext("题号重复"))
        self.keys.add(key)
        kind = q.get("type")
        if kind not in TYPES or (columns is not None and kind == TABLE):
            allowed = "、".join(f"{k}({v})" for k, v in TYPES.items() if columns is None or k != TABLE)
            self.error(where, gettext("题型应为%(allowed)s") % {"allowed": allowed})
            return
        for field in sorted(set(q) - _FIELDS[kind]):
            self.error(where, gettext("%(TYPES)s题没有“%(field)s”这一项") % {"TYPES": TYPES[kind], "field": field})
        if not _short_text(q.get("label"), LABEL_MAX):
            self.error(where, gettext("题目名称为空、超过%(LABEL_MAX)s字或含有不可见字符") % {"LABEL_MAX": LABEL_MAX})
        if not isinstance(q.get("required", False), bool):
            self.error(where, gettext("required 应为 true 或 false"))
        if q.get("help") is not None and not (
            isinstance(q["help"], str) and len(q["help"]) <= HELP_MAX and text.check(q["help"], text.Kind.TEXT) is None
        ):
            self.error(where, gettext("填写说明应为不超过%(HELP_MAX)s字的文字") % {"HELP_MAX": HELP_MAX})
        self.show_if(where, q.get("show_if"), columns)
        if kind in (CHOICE, MULTI):
            self.options(where, q)
        elif kind == NUMBER:
            self.bounds(where, q, lambda v: v if _is_number(v) else None, gettext("数字"))
            decimals = q.get("decimals", 0)
            if not isinstance(decimals, int) or isinstance(decimals, bool) or not 0 <= decimals <= DECIMALS_MAX:
                self.error(where, gettext("小数位数应为0至%(DECIMALS_MAX)s") % {"DECIMALS_MAX": DECIMALS_MAX})
            if q.get("unit") is not None and not _short_text(q["unit"], VALUE_MAX):
                self.error(where, gettext("单位应为简短的文字"))
        elif kind == DATE:
            self.bounds(
                where,
                q,
                _iso_date,
                gettext("%(DATE_MIN)s至%(DATE_MAX)s间的日期(YYYY-MM-DD)")
                % {"DATE_MIN": DATE_MIN, "DATE_MAX": DATE_MAX},
            )
        elif kind == TEXT:
            length = q.get("max_length", TEXT_DEFAULT)
            if not isinstance(length, int) or isinstance(length, bool) or not 1 <= length <= TEXT_MAX:
                self.error(where, gettext("最大长度应为1至%(TEXT_MAX)s") % {"TEXT_MAX": TEXT_MAX})
            if not isinstance(q.get("multiline", False), bool):
                self.error(where, gettext("multiline 应为 true 或 false"))
        elif kind == TABLE:
            self.table(where, q)
        if kind in (CHOICE, MULTI) and columns is not None:
            columns[key] = q
        elif kind in (CHOICE, MULTI):
            self.earlier[key] = q

    def table(self, where: str, q: dict) -> None:
        low, high = q.get("min_rows", 0), q.get("max_rows", ROWS_MAX)
        if not all(isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= ROWS_MAX for v in (low, high)):
            self.error(where, gettext("行数应为0至%(ROWS_MAX)s") % {"ROWS_MAX": ROWS_MAX})
        elif low > high:
            self.error(where, gettext("最少行数大于最多行数"))
        cols = q.get("columns")
        if not isinstance(cols, list) or not cols:
            self.error(where, gettext("表格至少要有一列"))
            return
        columns: dict[str, dict] = {}
        for n, column in enumerate(cols, 1):
            self.question(gettext("%(where)s第%(n)s列") % {"where": where, "n": n}, column, columns)


def definition_errors(d: Any) -> list[str]:
    """What is wrong with a form's definition, in Chinese, each naming the section and question ("第2部分第3题(H3)：…");
    [] when it may be published."""
    if not isinstance(d, dict) or set(d) != {"sections"} or not isinstance(d["sections"], list) or not d["sections"]:
        return [gettext('表式定义应为 {"sections": [部分…]}，至少一个部分')]
    if len(d["sections"]) > SECTIONS_MAX:
        return [gettext("部分不能超过%(SECTIONS_MAX)s个") % {"SECTIONS_MAX": SECTIONS_MAX}]
    checker = _Checker()
    section_keys: set[str] = set()
    count = 0
    for s, section in enumerate(d["sections"], 1):
        where = gettext("第%(s)s部分") % {"s": s}
        if not isinstance(section, dict):
            checker.error(where, gettext("应为一个部分"))
            continue
        for field in sorted(set(section) - _SECTION_FIELDS):
            checker.error(where, gettext("部分没有“%(field)s”这一项") % {"field": field})
        key = section.get("key")
        if not isinstance(key, str) or not KEY.match(key) or key in section_keys:
            checker.error(where, gettext("部分代码应以字母开头、由字母和数字组成且不重复"))
        section_keys.add(key)
        if not _short_text(section.get("title"), LABEL_MAX):
            checker.error(where, gettext("标题为空、过长或含有不可见字符"))
        checker.show_if(where, section.get("show_if"))
        items = section.get("questions")
        if not isinstance(items, list) or not items:
            checker.error(where, gettext("至少要有一个题目"))
            continue
        for n, q in enumerate(items, 1):
            count += 1 + len(q.get("columns") or []) if isinstance(q, dict) else 1
            checker.question(gettext("%(where)s第%(n)s题") % {"where": where, "n": n}, q)
    if count > QUESTIONS_MAX:
        checker.error(
            gettext("表式"), gettext("题目(含表格各列)不能超过%(QUESTIONS_MAX)s个") % {"QUESTIONS_MAX": QUESTIONS_MAX}
        )
    return checker.errors


# ---------------------------------------------------------------- answers


def _value_error(q: dict, value: Any) -> str | None:
    """What is wrong with a non-empty answer to a question that is not a table."""
    kind = q["type"]
    if kind == TEXT:
        if not isinstance(value, str):
            return gettext("请填写文字")
        limit = q.get("max_length", TEXT_DEFAULT)
        if len(value) > limit:
            return gettext("不能超过%(limit)s个字") % {"limit": limit}
        problem = text.check(value, text.Kind.TEXT if q.get("multiline") else text.Kind.LINE)
        return problem.message if problem else None
    if kind == NUMBER:
        if not _is_number(value) or value != value:
            return gettext("请填写数字")
        decimals = q.get("decimals", 0)
        try:
            exponent = Decimal(str(value)).normalize().as_tuple().exponent
        except InvalidOperation:
            return gettext("请填写数字")
        if isinstance(exponent, int) and -exponent > decimals:
            return (
                gettext("应为整数") if decimals == 0 else gettext("最多保留%(decimals)s位小数") % {"decimals": decimals}
            )
        low, high, unit = q.get("min"), q.get("max"), q.get("unit", "")
        if low is not None and high is not None and not low <= value <= high:
            return gettext("应在%(low)s至%(high)s%(unit)s之间") % {"low": low, "high": high, "unit": unit}
        if low is not None and value < low:
            return gettext("不能小于%(low)s%(unit)s") % {"low": low, "unit": unit}
        if high is not None and value > high:
            return gettext("不能大于%(high)s%(unit)s") % {"high": high, "unit": unit}
        return None
    if kind == CHOICE:
        values = {o["value"] for o in q["options"]}
        return None if isinstance(value, str) and value in values else gettext("请从选项中选择")
    if kind == MULTI:
        values = {o["value"] for o in q["options"]}
        if not isinstance(value, list) or not all(isinstance(v, str) and v in values for v in value):
            return gettext("请从选项中选择")
        return gettext("选项重复") if len(set(value)) != len(value) else None
    if kind == DATE:
        day = _iso_date(value)
        if day is None:
            return gettext("请填写日期(年-月-日)")
        low, high = _iso_date(q.get("min")), _iso_date(q.get("max"))
        if low and day < low or high and day > high:
            if low and high:
                return gettext("应在%(low)s至%(high)s之间") % {"low": low, "high": high}
            return gettext("不能早于%(low)s") % {"low": low} if low else gettext("不能晚于%(high)s") % {"high": high}
    return None


def _required_message(q: dict) -> str:
    return gettext("请选择") if q["type"] in (CHOICE, MULTI) else gettext("请填写")


HIDDEN_ANSWERED = gettext_lazy("按前面的回答此题不用填写，请清空")


def answer_errors(d: dict, answers: Any) -> list[tuple[str, str]]:
    """What is wrong with `answers` to the (valid) definition `d`: (path, message) in form order, the message naming
    the question and, in a table, the row ("第2行 性别：请选择"); [] when they may be stored."""
    if not isinstance(answers, dict):
        return [("", gettext("填报内容应为一组题目的回答"))]
    errors: list[tuple[str, str]] = []
    known = {q["key"] for _, q in questions(d)}
    for key in answers:
        if key not in known:
            errors.append((str(key), gettext("“%(key)s”不是本表的题目") % {"key": key}))
    for _, q in questions(d):
        key, value = q["key"], answers.get(q["key"])
        shown = visible(d, answers, key)
        if not shown or empty(value):
            if not shown and not empty(value):
                errors.append((key, f"{label(q)}：{HIDDEN_ANSWERED}"))
            elif shown and (q.get("required") or (q["type"] == TABLE and q.get("min_rows", 0) > 0)):
                errors.append((key, f"{label(q)}：{_required_message(q)}"))
            continue
        if q["type"] == TABLE:
            errors.extend(_table_errors(d, answers, q, value))
        elif message := _value_error(q, value):
            errors.append((key, f"{label(q)}：{message}"))
    return errors


def _table_errors(d: dict, answers: dict, q: dict, rows: Any) -> list[tuple[str, str]]:
    key, name = q["key"], label(q)
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        return [(key, gettext("%(name)s：应为若干行") % {"name": name})]
    low, high = q.get("min_rows", 0), q.get("max_rows", ROWS_MAX)
    if not low <= len(rows) <= high:
        return [
            (
                key,
                gettext("%(name)s：应填写%(low)s至%(high)s行") % {"name": name, "low": low, "high": high}
                if low
                else gettext("%(name)s：最多填写%(high)s行") % {"name": name, "high": high},
            )
        ]
    errors = []
    columns = {c["key"]: c for c in q["columns"]}
    for n, row in enumerate(rows, 1):
        for column in sorted(set(row) - set(columns)):
            errors.append(
                (
                    f"{key}.{n}.{column}",
                    gettext("第%(n)s行：“%(column)s”不是%(name)s的一栏") % {"n": n, "column": column, "name": name},
                )
            )
        for column in q["columns"]:
            ckey, value, path = column["key"], row.get(column["key"]), f"{key}.{n}.{column['key']}"
            shown = visible(d, answers, ckey, n)
            if not shown and not empty(value):
                errors.append(
                    (
                        path,
                        gettext("第%(n)s行 %(label)s：%(HIDDEN_ANSWERED)s")
                        % {"n": n, "label": label(column), "HIDDEN_ANSWERED": HIDDEN_ANSWERED},
                    )
                )
            elif shown and empty(value) and column.get("required"):
                errors.append(
                    (
                        path,
                        gettext("第%(n)s行 %(label)s：%(required_message)s")
                        % {"n": n, "label": label(column), "required_message": _required_message(column)},
                    )
                )
            elif shown and not empty(value) and (message := _value_error(column, value)):
                errors.append(
                    (
                        path,
                        gettext("第%(n)s行 %(label)s：%(message)s")
                        % {"n": n, "label": label(column), "message": message},
                    )
                )
    return errors


# ---------------------------------------------------------------- forms in a survey

# What the other packages read from a form in a role (the frame's entry, coverage against the registry, results),
# so a new version used in that role must keep these keys with these types: {key: type} and, for a table, its
# columns as {"P.R1": type}.
_PERSON_KEYS = {"P": TABLE, "P.R1": TEXT, "P.R2": CHOICE, "P.R3": CHOICE, "P.R4": DATE, "P.R5": CHOICE,
                "P.R6": CHOICE, "P.R7": CHOICE, "P.R8": CHOICE}  # fmt: skip
_HOUSEHOLD_KEYS = {"H1": CHOICE, "H2": NUMBER, "H3": NUMBER}
_UNIT_KEYS = {"U1": TEXT, "U2": CHOICE, "U3": NUMBER, "U4": NUMBER, "U5": MULTI, "U6": NUMBER}
# The roles a form plays in each kind of survey (a census household is re-checked on its own form: surveys.quality).
ROLE_KEYS = {
    CENSUS: {SHORT: _HOUSEHOLD_KEYS | _PERSON_KEYS, LONG: _HOUSEHOLD_KEYS | _PERSON_KEYS,
             DEATH: {"D": TABLE, "D.D1": TEXT, "D.D2": CHOICE, "D.D3": DATE, "D.D4": DATE}},
    UNITS: {UNIT: _UNIT_KEYS, RECHECK: _UNIT_KEYS},
}  # fmt: skip


def role_errors(d: dict, kind: str, form_role: str) -> list[str]:
    """What a (valid) definition lacks to serve in `form_role` of a survey of `kind`: the keys the other parts of the
    survey read. A role the kind has no use for is refused too."""
    needed = ROLE_KEYS.get(kind, {}).get(form_role)
    if needed is None:
        return [gettext("此类调查不使用这一表式")]
    found = {}
    for _, q in questions(d):
        found[q["key"]] = q["type"]
        for column in q.get("columns") or []:
            found[f"{q['key']}.{column['key']}"] = column["type"]
    return [
        gettext("用作此表式须有%(TYPES)s题“%(key)s”（登记、核查和汇总按此题号读取）")
        % {"TYPES": TYPES[want], "key": key}
        for key, want in needed.items()
        if found.get(key) != want
    ]


# ---------------------------------------------------------------- the preview a clerk checks against the paper form


def _range_text(q: dict) -> str:
    low, high, unit = q.get("min"), q.get("max"), q.get("unit", "")
    if q["type"] == NUMBER:
        parts = [
            gettext("%(low)s至%(high)s%(unit)s") % {"low": low, "high": high, "unit": unit}
            if low is not None and high is not None
            else ""
        ]
        parts.append(gettext("整数") if not q.get("decimals") else gettext("最多%(q)s位小数") % {"q": q["decimals"]})
        return "，".join(p for p in parts if p)
    if q["type"] == DATE:
        return gettext("%(value)s至%(value2)s") % {"value": low or DATE_MIN, "value2": high or DATE_MAX}
    if q["type"] == TEXT:
        return gettext("%(value)s不超过%(get)s字") % {
            "value": "可多行，" if q.get("multiline") else "",
            "get": q.get("max_length", TEXT_DEFAULT),
        }
    if q["type"] == TABLE:
        return gettext("%(get)s至%(get2)s行") % {"get": q.get("min_rows", 0), "get2": q.get("max_rows", ROWS_MAX)}
    return gettext("可多选") if q["type"] == MULTI else ""


def _preview_question(d: dict, q: dict) -> dict:
    return {
        "key": q["key"], "label": label(q), "type": TYPES[q["type"]], "required": bool(q.get("required")),
        "help": q.get("help", ""), "condition": condition_text(d, q.get("show_if")), "range": _range_text(q),
        "unit": q.get("unit", ""), "options": q.get("options") or [],
        "columns": [_preview_question(d, c) for c in q.get("columns") or []],
    }  # fmt: skip


def preview(d: dict) -> list[dict]:
    """A (valid) definition in words: sections with their questions, each with its type, range, options and skip
    rule."""
    return [
        {"key": s["key"], "title": s["title"], "condition": condition_text(d, s.get("show_if")),
         "questions": [_preview_question(d, q) for q in s["questions"]]}
        for s in sections(d)
    ]  # fmt: skip
