"""Page forms of plans and tasks. They only shape input: the services validate and decide."""

from django import forms
from django.utils.translation import gettext, gettext_lazy

from linli.burden.work.forms import BasisField
from linli.core.errors import FieldError
from linli.core.forms import DayField, DomainErrorsMixin, Form, IdField, VersionField
from linli.core.schemas import YEAR_MAX, YEAR_MIN

from . import rules

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = {"rows": 4}


class PlanFilterForm(Form):
    """The plan list's filters, read from the query: a bad value in one is shown and left out, not a failure."""

    status = forms.ChoiceField(
        label=gettext_lazy("状态"),
        required=False,
        choices=[("", gettext_lazy("全部")), *rules.PLAN_STATUS_LABELS.items()],
    )
    region = IdField(label=gettext_lazy("区域"), required=False)
    year = forms.IntegerField(label=gettext_lazy("年度"), required=False, min_value=YEAR_MIN, max_value=YEAR_MAX)

    def filters(self) -> dict:
        self.is_valid()
        return {name: self.cleaned_data.get(name) or None for name in self.fields}


class PlanForm(DomainErrorsMixin, Form):
    name_fields = ("title", "issuer")
    field_aliases = {"region_id": "region"}

    region = forms.ModelChoiceField(label=gettext_lazy("所属区域"), queryset=None, empty_label=None)
    title = forms.CharField(label=gettext_lazy("方案标题"), max_length=200)
    issuer = forms.CharField(label=gettext_lazy("发文机关"), max_length=100)
    doc_number = forms.CharField(
        label=gettext_lazy("发文字号"),
        max_length=60,
        required=False,
        help_text=gettext_lazy("如 沈河政办发〔2026〕8号"),
    )
    issued_on = DayField(label=gettext_lazy("成文日期"), required=False, widget=DATE)
    report_cycle = forms.ChoiceField(label=gettext_lazy("进度报送周期"), choices=rules.CYCLE_LABELS.items())
    preamble = forms.CharField(label=gettext_lazy("开头语"), required=False, widget=forms.Textarea(attrs=TEXT))
    guiding_idea = forms.CharField(label=gettext_lazy("指导思想"), required=False, widget=forms.Textarea(attrs=TEXT))
    scope = forms.CharField(label=gettext_lazy("范围"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    office = forms.CharField(
        label=gettext_lazy("领导小组办公室"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    requirements = forms.CharField(label=gettext_lazy("工作要求"), required=False, widget=forms.Textarea(attrs=TEXT))
    version = VersionField(required=False)

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions

    def to_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("region", "version")}
        return data | {"region_id": self.cleaned_data["region"].pk}


class TargetRowForm(Form):
    id = IdField(widget=forms.HiddenInput, required=False)
    indicator = forms.CharField(label=gettext_lazy("指标"), max_length=100)
    comparator = forms.ChoiceField(
        label=gettext_lazy("比较"),
        initial=">=",
        choices=[(k, rules.COMPARATOR_SIGNS[k] or "=") for k in rules.COMPARATORS],
    )
    value = forms.DecimalField(label=gettext_lazy("目标值"), max_digits=12, decimal_places=2)
    unit = forms.CharField(label=gettext_lazy("单位"), max_length=10, required=False, initial="%")
    measure = forms.ChoiceField(
        label=gettext_lazy("取数方式"), choices=rules.MEASURE_LABELS.items(), initial=rules.REPORTED
    )
    description = forms.CharField(label=gettext_lazy("说明"), max_length=300, required=False)


class GroupRowForm(Form):
    name_fields = ("name", "title", "unit")
    # Selects always submit a value: with these initials an untouched blank row does not count as filled in.
    duty = forms.ChoiceField(label=gettext_lazy("职务"), choices=rules.DUTY_LABELS.items(), initial="member")
    name = forms.CharField(label=gettext_lazy("姓名"), max_length=50, required=False)
    title = forms.CharField(label=gettext_lazy("职务全称"), max_length=100, required=False)
    unit = forms.CharField(label=gettext_lazy("单位"), max_length=100, required=False)


class PhaseRowForm(Form):
    name_fields = ("name",)
    name = forms.CharField(label=gettext_lazy("阶段"), max_length=50)
    starts_on = DayField(label=gettext_lazy("开始日期"), widget=DATE)
    ends_on = DayField(label=gettext_lazy("结束日期"), widget=DATE)
    description = forms.CharField(
        label=gettext_lazy("工作内容"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SectionRowForm(Form):
    name_fields = ("heading",)
    heading = forms.CharField(label=gettext_lazy("章节标题"), max_length=100)
    body = forms.CharField(label=gettext_lazy("正文"), required=False, widget=forms.Textarea(attrs={"rows": 6}))


ROWS = {
    "targets": (TargetRowForm, gettext_lazy("目标")),
    "group": (GroupRowForm, gettext_lazy("领导小组")),
    "phases": (PhaseRowForm, gettext_lazy("实施阶段")),
    "sections": (SectionRowForm, gettext_lazy("其他章节")),
}


def row_formsets(data=None, initial: dict | None = None) -> dict:
    """One formset per nested list of the plan, each with two empty rows to fill in and a 删除 box per row."""
    initial = initial or {}
    out = {}
    for key, (form, _label) in ROWS.items():
        cls = forms.formset_factory(form, extra=2, can_delete=True)
        out[key] = cls(data, initial=initial.get(key), prefix=key)
    return out


def kept_rows(formset) -> list:
    """The forms of a valid formset that hold a row: filled in and not ticked 删除."""
    return [f for f in formset.forms if f.has_changed() and not f.cleaned_data.get("DELETE")]


def rows_data(formsets: dict) -> dict:
    return {
        key: [{k: v for k, v in f.cleaned_data.items() if k != "DELETE"} for f in kept_rows(fs)]
        for key, fs in formsets.items()
    }


def add_row_errors(formsets: dict, errors: list[FieldError]) -> list[FieldError]:
    """Put a service's row errors (field "targets.value", row 2) on the row they name; return the others."""
    rest = []
    for e in errors:
        key, _, name = e.field.partition(".")
        if key in formsets and e.row:
            rows = kept_rows(formsets[key])
            if e.row <= len(rows):
                rows[e.row - 1].add_error(name if name in rows[e.row - 1].fields else None, e.message)
                continue
        rest.append(e)
    return rest


class TaskForm(DomainErrorsMixin, Form):
    name_fields = ("title", "direct_person", "handler")
    parent_id = forms.TypedChoiceField(label=gettext_lazy("上级任务"), required=False, coerce=int, empty_value=None)
    title = forms.CharField(label=gettext_lazy("任务"), max_length=200)
    content = forms.CharField(
        label=gettext_lazy("工作内容及标准"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    lead_units = forms.MultipleChoiceField(
        label=gettext_lazy("牵头单位"), required=False, help_text=gettext_lazy("按住Ctrl或⌘可多选")
    )
    responsible_units = forms.MultipleChoiceField(
        label=gettext_lazy("责任单位"), required=False, help_text=gettext_lazy("按住Ctrl或⌘可多选")
    )
    direct_person = forms.CharField(label=gettext_lazy("直接责任人"), max_length=100, required=False)
    handler = forms.CharField(label=gettext_lazy("承办人"), max_length=100, required=False)
    due_on = DayField(label=gettext_lazy("完成时限"), required=False, widget=DATE)
    deliverables = forms.CharField(label=gettext_lazy("成果形式"), max_length=300, required=False)
    weight = forms.IntegerField(label=gettext_lazy("权重"), min_value=1, max_value=100, initial=1)
    basis = BasisField()  # 社区工作准入 (burden): for the community units named
    version = VersionField(required=False)

    def __init__(self, *args, units=(), parents=(), basis=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["basis"].choices = basis
        self.fields["lead_units"].choices = units
        self.fields["responsible_units"].choices = units
        self.fields["parent_id"].choices = [("", gettext("（顶层任务）")), *parents]
        for name in ("lead_units", "responsible_units"):
            self.fields[name].widget.attrs["size"] = 8

    def to_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}
