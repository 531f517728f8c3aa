"""The page forms of 调查表: a draft's definition as JSON with its note, a survey's form for one role."""

import json

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.forms import DomainErrorsMixin, Form, VersionField

from .services import NOTE_MAX

# A definition as JSON text: the census long form is about 19 000 characters; ten times that is a form no phone shows.
DEFINITION_TEXT_MAX = 200_000


class DefinitionForm(DomainErrorsMixin, Form):
    definition = forms.CharField(
        label=gettext_lazy("表式定义(JSON)"), max_length=DEFINITION_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false", "class": "code"}),
        help_text=gettext_lazy("部分(sections)、题目(questions)、选项(options)和跳转条件(show_if)；保存时逐条检查"),
    )  # fmt: skip
    note = forms.CharField(label=gettext_lazy("修订说明"), max_length=NOTE_MAX, required=False)
    revision = VersionField()

    def clean_definition(self) -> dict:
        try:
            return json.loads(self.cleaned_data["definition"])
        except json.JSONDecodeError as exc:
            message = _("不是有效的JSON，请检查第%(lineno)s行第%(colno)s列附近的引号、逗号和括号") % {
                "lineno": exc.lineno,
                "colno": exc.colno,
            }
            raise forms.ValidationError(message) from exc


def _leaf(value) -> bool:
    """A scalar or a list of scalars."""
    return not isinstance(value, (dict, list)) or isinstance(value, list) and not any(map(_is_container, value))


def _is_container(value) -> bool:
    return isinstance(value, (dict, list))


def _simple(value) -> bool:
    """A leaf, or an object of leaves (an option, a skip rule)."""
    return _leaf(value) or isinstance(value, dict) and all(map(_leaf, value.values()))


# The order a clerk reads a question's fields in; PostgreSQL's jsonb keeps an object's keys in an order of its own.
FIELD_ORDER = (
    "key", "value", "title", "label", "type", "question", "in", "required", "min", "max", "decimals", "unit",
    "max_length", "multiline", "min_rows", "max_rows", "help", "show_if", "options", "columns", "questions",
)  # fmt: skip


def _ordered(value: dict) -> dict:
    rank = {name: n for n, name in enumerate(FIELD_ORDER)}
    return dict(sorted(value.items(), key=lambda item: rank.get(item[0], len(rank))))


def definition_text(value, indent: str = "") -> str:
    """A definition as JSON a clerk edits: one option, skip rule or plain question per line, not one value per line
    (the census long form would run to 2 000 lines), each object's fields in FIELD_ORDER."""
    inner = indent + "  "
    if isinstance(value, dict):
        value = _ordered(value)
    if isinstance(value, dict) and not all(map(_simple, value.values())):
        items = (f"{inner}{json.dumps(k, ensure_ascii=False)}: {definition_text(v, inner)}" for k, v in value.items())
        return "{\n" + ",\n".join(items) + f"\n{indent}}}"
    if isinstance(value, list) and not _leaf(value):
        return "[\n" + ",\n".join(f"{inner}{definition_text(v, inner)}" for v in value) + f"\n{indent}]"
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


class NoteForm(Form):
    note = forms.CharField(label=gettext_lazy("新版本的修订说明"), max_length=NOTE_MAX, required=False)


class SurveyFormForm(DomainErrorsMixin, Form):
    field_aliases = {"version_id": "version"}

    version = forms.TypedChoiceField(label=gettext_lazy("表式版本"), coerce=int)

    def __init__(self, data=None, *, versions, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["version"].choices = [("", _("请选择"))] + [(v.pk, str(v)) for v in versions]
