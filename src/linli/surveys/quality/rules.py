"""质量控制: a re-check compared item by item with the form it checks, and the error rate (差错率) of the items.

An item is one question of the form, or one cell of a table question (row by row: "P.2.R3" is 第2行 性别). Both
answers are normalised before they are compared: text is NFKC-folded (full-width digits, letters and spaces become
their half-width forms), trimmed and its runs of spaces made one; numbers compare by value (3, "3" and "３" are the
same); a multiple choice compares as a set (order does not matter). An item both sides leave blank (skipped by a
rule, or not applicable) is not counted: the rate is over the items at least one side answered.

差错率 = items wrong ÷ items checked, as a fraction rounded half up to 4 places, i.e. a percentage to 2 places
(1 wrong of 3 checked is 0.3333, shown 33.33%); no rate when nothing was checked.
"""

import copy
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext, gettext_lazy

RATE_PLACES = Decimal("0.0001")
CONCLUSION_MAX = 200
REASON_MAX = 200
NO_AREA = gettext_lazy("（未划入小区）")  # a unit survey's organisation outside every area

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Item:
    path: str  # where the answer sits: "H2", or "P.2.R3" for the 2nd row's R3
    item: str  # the question it belongs to, rows folded: "H2", "P.R3"
    label: str  # 本户应登记人数, 第2行 性别
    original: Any
    recheck: Any
    same: bool

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "item": self.item,
            "label": self.label,
            "original": self.original,
            "recheck": self.recheck,
            "same": self.same,
        }


@dataclass(frozen=True)
class Question:
    key: str
    label: str
    type: str
    spec: dict


def questions(definition: dict) -> Iterator[dict]:
    """The questions of a form definition in order, tables as one question."""
    for section in definition.get("sections") or []:
        yield from section.get("questions") or []


def _label(q: dict) -> str:
    return str(q.get("label") or q["key"])


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _text(value: Any) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", str(value))).strip()


def normalise(q_type: str, value: Any) -> Any:
    """The answer as compared: None when blank, a Decimal for a number that reads as one, a frozenset for a
    multiple choice, folded text otherwise."""
    if _empty(value):
        return None
    if q_type == "multi":
        values = value if isinstance(value, (list, tuple, set, frozenset)) else [value]
        folded = frozenset(_text(v) for v in values if not _empty(v))
        return folded or None
    text = _text(value)
    if text == "":
        return None
    if q_type == "number":
        try:
            return Decimal(text).normalize()
        except InvalidOperation:
            return text
    return text


def _item(q: dict, path: str, item: str, label: str, original: Any, recheck: Any) -> Item | None:
    a, b = normalise(q.get("type", "text"), original), normalise(q.get("type", "text"), recheck)
    if a is None and b is None:
        return None
    return Item(path, item, label, original, recheck, a == b)


def _rows(value: Any) -> list[dict]:
    return [r if isinstance(r, dict) else {} for r in value] if isinstance(value, list) else []


def compare(definition: dict, original: dict, recheck: dict) -> list[Item]:
    """Every item of `definition` that the original or the re-check answered, in the form's order, table cells row
    by row (a row only one side has compares with blanks)."""
    items = []
    for q in questions(definition):
        key = q["key"]
        if q.get("type") != "table":
            items.append(_item(q, key, key, _label(q), original.get(key), recheck.get(key)))
            continue
        a_rows, b_rows = _rows(original.get(key)), _rows(recheck.get(key))
        for n in range(1, max(len(a_rows), len(b_rows)) + 1):
            a = a_rows[n - 1] if n <= len(a_rows) else {}
            b = b_rows[n - 1] if n <= len(b_rows) else {}
            for col in q.get("columns") or []:
                c = col["key"]
                items.append(
                    _item(
                        col,
                        f"{key}.{n}.{c}",
                        f"{key}.{c}",
                        gettext("第%(n)s行 %(label)s") % {"n": n, "label": _label(col)},
                        a.get(c),
                        b.get(c),
                    )
                )
    return [i for i in items if i is not None]


def shared(definition: dict, keys: Iterable[str]) -> dict:
    """`definition` kept to the questions whose key is in `keys`: the items a quality-control record shares with
    the form it checks (its own questions, such as 复核结论, are not compared)."""
    keep = set(keys)
    return {
        "sections": [
            {**s, "questions": [q for q in s.get("questions") or [] if q["key"] in keep]}
            for s in definition.get("sections") or []
        ]
    }


def item_questions(definition: dict) -> dict[str, tuple[str, dict]]:
    """Each item's name for the per-item table ("本户应登记人数", "人口登记·性别") and its question."""
    out = {}
    for q in questions(definition):
        if q.get("type") == "table":
            for col in q.get("columns") or []:
                out[f"{q['key']}.{col['key']}"] = (f"{_label(q)}·{_label(col)}", col)
        else:
            out[q["key"]] = (_label(q), q)
    return out


def item_labels(definition: dict) -> dict[str, str]:
    return {item: label for item, (label, _) in item_questions(definition).items()}


def path_label(definition: dict, path: str) -> str:
    """An answer's place in words: "本户应登记人数", "人口登记·性别（第2行）"."""
    try:
        _, row, _ = _split(path)
        label = item_labels(definition).get(item_of(path), path)
    except BadPath:
        return path
    return label if row is None else gettext("%(label)s（第%(row)s行）") % {"label": label, "row": row}


def words(q: dict, value: Any) -> str:
    """An answer as the respondent would hear it read back: option labels, not codes."""
    if _empty(value):
        return "—"
    labels = {str(o["value"]): str(o.get("label") or o["value"]) for o in q.get("options") or []}
    if isinstance(value, list):
        return "、".join(str(labels.get(str(v), str(v))) for v in value)
    return labels.get(str(value), str(value))


def error_rate(wrong: int, checked: int) -> Decimal | None:
    """差错率 as a fraction, rounded half up to 4 places (a percentage to 2); None when nothing was checked."""
    if checked <= 0:
        return None
    if not 0 <= wrong <= checked:
        raise ValueError("wrong items must be between 0 and the items checked")
    return (Decimal(wrong) / Decimal(checked)).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def percent(rate: Decimal | None) -> str:
    return "—" if rate is None else f"{rate * 100:.2f}%"


@dataclass
class Rate:
    key: Any
    label: str
    checked: int = 0
    wrong: int = 0
    forms: int = 0  # re-checked forms counted in this row

    @property
    def rate(self) -> Decimal | None:
        return error_rate(self.wrong, self.checked)

    @property
    def percent(self) -> str:
        return percent(self.rate)


def rates(rows: Iterable[tuple[Any, str, int, int]]) -> list[Rate]:
    """(key, label, checked, wrong) of each re-checked form summed per key, in the order keys first appear."""
    out: dict[Any, Rate] = {}
    for key, label, checked, wrong in rows:
        r = out.setdefault(key, Rate(key, label))
        r.checked += checked
        r.wrong += wrong
        r.forms += 1
    return list(out.values())


def item_rates(differences: Iterable[list[dict]], labels: dict[str, str]) -> list[Rate]:
    """Per item over the re-checks' stored differences (Item.as_dict lists): how often each was checked and wrong,
    in the form's order (`labels`), items no longer in the form last."""
    out = {key: Rate(key, label) for key, label in labels.items()}
    for items in differences:
        seen = set()
        for i in items:
            r = out.setdefault(i["item"], Rate(i["item"], i["item"]))
            r.checked += 1
            r.wrong += 0 if i["same"] else 1
            if i["item"] not in seen:
                seen.add(i["item"])
                r.forms += 1
    return [r for r in out.values() if r.checked]


def summary(wrong: int, checked: int) -> str:
    """The conclusion a re-checker leaves unwritten."""
    if checked == 0:
        return gettext("无可核对的项目")
    return (
        gettext("复核一致")
        if wrong == 0
        else gettext("发现%(wrong)s项差错（核对%(checked)s项）") % {"wrong": wrong, "checked": checked}
    )


# ---------------------------------------------------------------- corrections


class BadPath(ValueError):
    pass


def _split(path: str) -> tuple[str, int | None, str | None]:
    parts = path.split(".")
    if len(parts) == 1 and parts[0]:
        return parts[0], None, None
    if len(parts) == 3 and parts[0] and parts[2] and parts[1].isdigit() and int(parts[1]) >= 1:
        return parts[0], int(parts[1]), parts[2]
    raise BadPath(path)


def item_of(path: str) -> str:
    """The item a path belongs to: "P.2.R3" → "P.R3"."""
    key, row, col = _split(path)
    return key if row is None else f"{key}.{col}"


def value_at(answers: dict, path: str) -> Any:
    key, row, col = _split(path)
    if row is None:
        return answers.get(key)
    rows = answers.get(key)
    if not isinstance(rows, list) or row > len(rows) or not isinstance(rows[row - 1], dict):
        raise BadPath(path)
    return rows[row - 1].get(col)


def value_or_none(answers: dict, path: str) -> Any:
    try:
        return value_at(answers, path)
    except BadPath:
        return None


def with_value(answers: dict, path: str, value: Any) -> dict:
    """A copy of `answers` with `path` set to `value` (blank removes it); the row of a table cell must exist."""
    out = copy.deepcopy(answers)
    key, row, col = _split(path)
    target = out
    if row is not None:
        value_at(answers, path)  # the row exists
        target, key = out[key][row - 1], col
    if _empty(value):
        target.pop(key, None)
    else:
        target[key] = value
    return out
