"""Forms of the quality-control pages: the re-check record (each item beside what the enumerator entered, one extra
row in each table for a person or line the form left out) and a correction's reason."""

import re
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.forms import DomainErrorsMixin, Form, VersionField, checked_text
from linli.core.text import Kind

from . import rules

OWN = gettext_lazy("复核情况")  # the group of a record's own questions
_WHOLE = re.compile(r"-?\d{1,15}")
_DECIMAL = re.compile(r"-?\d{1,15}\.\d{1,6}")


class RecheckForm(DomainErrorsMixin, Form):
    conclusion = forms.CharField(
        label=gettext_lazy("复核结论"),
        max_length=rules.CONCLUSION_MAX,
        required=False,
        help_text=gettext_lazy("不填时按比对结果记为“复核一致”或“发现n项差错”"),
    )


class CorrectionForm(DomainErrorsMixin, Form):
    path = forms.CharField(max_length=60, widget=forms.HiddenInput)
    version = VersionField()
    reason = forms.CharField(
        label=gettext_lazy("更正原因"), max_length=rules.REASON_MAX, initial=gettext_lazy("经入户复核更正")
    )


@dataclass
class Field:
    """One input of the re-check record: the item's path as its name."""

    name: str
    label: str
    type: str
    options: list[dict]
    original: str | None  # what the enumerator entered, in words; None for the record's own questions
    value: Any = None  # what the re-checker entered (after a refused submission)
    error: str = ""
    unit: str = ""

    @property
    def chosen(self) -> set[str]:
        if isinstance(self.value, list):
            return {str(v) for v in self.value}
        return set() if self.value is None else {str(self.value)}


@dataclass
class Group:
    title: str
    fields: list[Field] = field(default_factory=list)


def _field(
    q: dict, name: str, label: str, original: Any, answers: dict | None, errors: dict, compared: bool = True
) -> Field:
    value = None if answers is None else rules.value_or_none(answers, name)
    return Field(
        name,
        label,
        q.get("type", "text"),
        q.get("options") or [],
        rules.words(q, original) if compared else None,
        value,
        errors.get(name, ""),
        str(q.get("unit") or ""),
    )


def table_rows(original: dict, key: str) -> int:
    """The rows the record offers for a table: the enumerator's, and one more."""
    rows = original.get(key)
    return (len(rows) if isinstance(rows, list) else 0) + 1


def groups(
    definition: dict, original: dict, compared: dict, answers: dict | None = None, errors: dict | None = None
) -> list[Group]:
    """The record's inputs: one group for the compared questions outside tables, one per table row, and one for
    the record's own questions (a quality-control record's 复核结论), which have no original."""
    errors = errors or {}
    main, own = Group(""), Group(OWN)
    out = [main]
    keys = {q["key"] for q in rules.questions(compared)}
    for q in rules.questions(definition):
        if q["key"] not in keys:
            own.fields.append(_field(q, q["key"], str(q.get("label") or q["key"]), None, answers, errors, False))
        elif q.get("type") != "table":
            main.fields.append(
                _field(q, q["key"], str(q.get("label") or q["key"]), original.get(q["key"]), answers, errors)
            )
            continue
        rows = original.get(q["key"]) if isinstance(original.get(q["key"]), list) else []
        for n in range(1, table_rows(original, q["key"]) + 1):
            row = rows[n - 1] if n <= len(rows) and isinstance(rows[n - 1], dict) else {}
            title = _("%(value)s 第%(n)s行") % {"value": q.get("label") or q["key"], "n": n} + (
                "" if row else _("（原表没有，漏填时补录）")
            )
            group = Group(title)
            for col in q.get("columns") or []:
                name = f"{q['key']}.{n}.{col['key']}"
                group.fields.append(
                    _field(col, name, str(col.get("label") or col["key"]), row.get(col["key"]), answers, errors)
                )
            out.append(group)
    return [g for g in [*out, own] if g.fields]


def _value(q: dict, data: QueryDict, name: str) -> Any:
    if q.get("type") == "multi":
        return [checked_text(v.strip(), Kind.LINE, name) for v in data.getlist(name) if v.strip()] or None
    text = checked_text(data.get(name, "").strip(), Kind.LINE, name)
    if text == "":
        return None
    if q.get("type") == "number":
        if _WHOLE.fullmatch(text):
            return int(text)
        if _DECIMAL.fullmatch(text):
            return float(text)
    return text


def answers_from(definition: dict, original: dict, data: QueryDict) -> dict:
    """The re-checker's answers from the posted record, in the form's shape; blank items left out. A
    value the form refuses (a number that is not one) is kept as typed, for the form's rules to name."""
    answers: dict[str, Any] = {}
    for q in rules.questions(definition):
        key = q["key"]
        if q.get("type") != "table":
            value = _value(q, data, key)
            if value is not None:
                answers[key] = value
            continue
        rows = []
        for n in range(1, table_rows(original, key) + 1):
            row = {c["key"]: _value(c, data, f"{key}.{n}.{c['key']}") for c in q.get("columns") or []}
            rows.append({k: v for k, v in row.items() if v is not None})
        # A blank row inside the table stays (its place names the person); blank rows at its end are left out.
        while rows and not rows[-1]:
            rows.pop()
        if rows:
            answers[key] = rows
    return answers


def differences(definition: dict, items: list[dict]) -> list[dict]:
    """The items a re-check found wrong, their values in words."""
    questions = rules.item_questions(definition)
    out = []
    for i in items:
        if i["same"]:
            continue
        q = questions.get(i["item"], ("", {}))[1]
        out.append(i | {"original_words": rules.words(q, i["original"]), "recheck_words": rules.words(q, i["recheck"])})
    return out


def correction_rows(definition: dict, corrections: list[dict]) -> list[dict]:
    questions = rules.item_questions(definition)
    out = []
    for c in corrections:
        q = questions.get(rules.item_of(c["path"]), ("", {}))[1]
        out.append(
            c
            | {
                "label": rules.path_label(definition, c["path"]),
                "old_words": rules.words(q, c["old"]),
                "new_words": rules.words(q, c["new"]),
            }
        )
    return out
