"""Forms of the rectification pages: they parse and render; the services validate and act."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.cases import rules as case_rules
from linli.core.forms import DayField, DomainErrorsMixin, Form

from ..plans.selectors import plan_queryset
from . import selectors

STATE_CHOICES = [("", gettext_lazy("全部状态"))] + [
    (k, v) for k, v in case_rules.STATE_LABELS.items() if k not in (case_rules.MERGED, case_rules.REJECTED)
]


class RegisterFilterForm(Form):
    plan = forms.TypedChoiceField(label=gettext_lazy("工作方案"), required=False, coerce=int, empty_value=None)
    estate = forms.TypedChoiceField(label=gettext_lazy("小区"), required=False, coerce=int, empty_value=None)
    owner = forms.TypedChoiceField(label=gettext_lazy("责任单位"), required=False, coerce=int, empty_value=None)
    state = forms.ChoiceField(label=gettext_lazy("状态"), required=False, choices=STATE_CHOICES)
    overdue = forms.BooleanField(label=gettext_lazy("只看超期未整改"), required=False)
    failed = forms.BooleanField(label=gettext_lazy("只看整改不力"), required=False)
    q = forms.CharField(label=gettext_lazy("关键词"), required=False, max_length=50)

    def __init__(self, data, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["plan"].choices = [("", _("全部方案"))] + [(p.pk, p.title) for p in plan_queryset(user)]
        self.fields["estate"].choices = [("", _("全部小区"))] + [
            (e.pk, f"{e.name}（{e.region.name}）") for e in selectors.estates_in_scope(user=user)
        ]
        self.fields["owner"].choices = [("", _("全部单位"))] + [(o.pk, o.name) for o in selectors.owner_choices()]

    def filters(self) -> selectors.FindingFilter:
        if not self.is_valid():
            return selectors.FindingFilter(plan=-1)  # an unknown choice (an old bookmark) finds nothing
        return selectors.FindingFilter(**self.cleaned_data)


class FindingForm(DomainErrorsMixin, Form):
    plan_id = forms.TypedChoiceField(label=gettext_lazy("工作方案"), coerce=int)
    estate_id = forms.TypedChoiceField(label=gettext_lazy("小区"), required=False, coerce=int, empty_value=None)
    region_id = forms.TypedChoiceField(
        label=gettext_lazy("或：所在社区/网格"), required=False, coerce=int, empty_value=None
    )
    category_id = forms.TypedChoiceField(label=gettext_lazy("问题分类"), coerce=int)
    description = forms.CharField(
        label=gettext_lazy("问题描述"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    owner_id = forms.TypedChoiceField(label=gettext_lazy("责任单位"), coerce=int)
    due_on = DayField(label=gettext_lazy("整改时限"), widget=forms.DateInput(attrs={"type": "date"}))
    photos = forms.FileField(label=gettext_lazy("现场照片"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photos"].widget.attrs.update({"multiple": True, "accept": "image/*"})
        plans = selectors.finding_plans(user=user)
        self.fields["plan_id"].choices = [("", _("请选择"))] + [(p.pk, p.title) for p in plans]
        self.fields["estate_id"].choices = [("", _("请选择"))] + [
            (e.pk, f"{e.name}（{e.region.name}）") for e in selectors.estates_in_scope(user=user)
        ]
        self.fields["region_id"].choices = [("", _("（已选小区则不填）"))] + [
            (r.pk, r.name) for r in selectors.places_in_scope(user=user)
        ]
        leaves = selectors.category_choices()
        self.fields["category_id"].choices = [("", _("请选择"))] + [
            (c.pk, f"{c.parent.name}／{c.name}") for c in leaves
        ]
        if selectors.can_dispatch(user):
            self.fields["owner_id"].choices = [("", _("请选择"))] + [
                (o.pk, f"{o.name}（{o.get_kind_display()}）") for o in selectors.owner_choices()
            ]
        else:
            del self.fields["owner_id"]  # the street's dispatcher names the owner when dispatching
        for field in self.fields.values():
            field.error_messages.setdefault("required", f"请填写{field.label}")
            field.error_messages["invalid_choice"] = _("请选择有效的%(label)s") % {"label": field.label}
