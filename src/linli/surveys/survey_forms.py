"""The forms of the survey projects' pages: setting up a survey and editing it while in preparation (named so
beside the forms package, which holds the survey forms themselves). Choices come from the selectors; the
services decide."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.forms import DayField, DomainErrorsMixin, Form, VersionField

from . import rules, selectors


class SurveyFields(Form):
    title = forms.CharField(label=gettext_lazy("调查名称"), max_length=100)
    standard_day = DayField(
        label=gettext_lazy("标准时间"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("人口普查：以该日零时为标准时间，如11月1日"),
    )
    registered_before = DayField(
        label=gettext_lazy("注册截止日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("单位调查：此日期前注册的企业为调查对象"),
    )
    hazard_only = forms.BooleanField(label=gettext_lazy("仅存在职业病危害的企业"), required=False)
    area_people = forms.IntegerField(
        label=gettext_lazy("普查小区人数（约）"), min_value=20, max_value=2000, initial=300, required=False
    )
    long_form_percent = forms.DecimalField(
        label=gettext_lazy("长表抽取比例（%）"),
        min_value=0.01,
        max_value=100,
        decimal_places=2,
        initial=10,
        required=False,
        help_text=gettext_lazy("按普查小区分层随机抽取"),
    )
    recheck_percent = forms.DecimalField(
        label=gettext_lazy("复核抽取比例（%）"),
        min_value=0.01,
        max_value=100,
        decimal_places=2,
        initial=2,
        required=False,
        help_text=gettext_lazy("从已交回的调查表中随机抽取，至少1份"),
    )


class SurveyCreateForm(DomainErrorsMixin, SurveyFields):
    name_fields = ("title",)
    field_aliases = {"region_id": "region", "plan_id": "plan"}

    kind = forms.ChoiceField(
        label=gettext_lazy("调查类型"),
        choices=list(rules.KINDS.items()),
        widget=forms.RadioSelect,
        initial=rules.CENSUS,
    )
    region = forms.ChoiceField(
        label=gettext_lazy("所属区域"), required=False, help_text=gettext_lazy("新建工作方案时选择")
    )
    plan = forms.ChoiceField(
        label=gettext_lazy("工作方案"),
        required=False,
        help_text=gettext_lazy("可选：在草拟中的工作方案上建立；不选则按类型新建方案和实施阶段"),
    )
    issuer = forms.CharField(
        label=gettext_lazy("发文机关"), max_length=100, required=False, help_text=gettext_lazy("新建方案时填写，可留空")
    )
    starts_on = DayField(label=gettext_lazy("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                         help_text=gettext_lazy("单位调查：各阶段日期由此日起算，默认今天"))  # fmt: skip

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        regions = selectors.region_choices(user)
        self.fields["region"].choices = [("", _("请选择")), *((r.pk, r.name) for r in regions)]
        plans = selectors.plan_choices(user)
        named = ((p.pk, f"{p.region.name} · {p.title}") for p in plans)
        self.fields["plan"].choices = [("", _("新建工作方案")), *named]

    def content(self) -> dict:
        """The service's arguments; a number left empty takes the service's default."""
        data = {k: v for k, v in self.cleaned_data.items() if v is not None and k not in ("region", "plan")}
        return data | {"region_id": int(self.cleaned_data["region"] or 0) or None,
                       "plan_id": int(self.cleaned_data["plan"] or 0) or None}  # fmt: skip


class SurveyEditForm(DomainErrorsMixin, SurveyFields):
    name_fields = ("title",)

    version = VersionField()

    def content(self) -> dict:
        """The changes; what the page does not show for the survey's kind (or left empty) keeps its value."""
        return {k: v for k, v in self.cleaned_data.items() if k != "version" and v is not None}
