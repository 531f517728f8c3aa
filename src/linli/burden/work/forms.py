"""The "依据" field that every form giving communities work carries: a list item, an access application, or none
(待准入). Its choices come from `selectors.basis_choices(user)`."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.forms import Form

from . import rules

BASIS_HELP = gettext_lazy(
    "交办社区的工作须在社区工作事项清单内，或已获社区工作准入批准；没有依据的，社区暂不可见（待准入）"
)


class BasisField(forms.ChoiceField):
    def __init__(self, *, choices=(), **kwargs):
        kwargs.setdefault("label", "依据")
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", BASIS_HELP)
        super().__init__(choices=choices, **kwargs)


class BasisForm(Form):
    """The basis alone, for a page whose own form is hand-written (a survey's areas): `{{ basis_form.basis }}`."""

    basis = BasisField()

    def __init__(self, *args, choices=(), **kwargs):
        kwargs.setdefault("auto_id", False)
        super().__init__(*args, **kwargs)
        self.fields["basis"].choices = choices


class ReportFilterForm(Form):
    """The report's period (the last 6, 12 or 24 months) and, optionally, one community and one requesting body."""

    months = forms.TypedChoiceField(
        label=gettext_lazy("期间"),
        choices=[(6, gettext_lazy("近6个月")), (12, gettext_lazy("近12个月")), (24, gettext_lazy("近24个月"))],
        coerce=int,
        required=False,
        empty_value=12,
        initial=12,
    )
    community = forms.TypedChoiceField(label=gettext_lazy("社区"), coerce=int, required=False, empty_value=None)
    requester = forms.CharField(label=gettext_lazy("交办单位"), max_length=100, required=False)

    def __init__(self, *args, communities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].choices = [("", _("全部社区")), *communities]

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {"months": data.get("months") or 12, "community_id": data.get("community"),
                "requester": data.get("requester") or ""}  # fmt: skip


class WorkFilterForm(Form):
    state = forms.ChoiceField(
        label=gettext_lazy("准入状态"),
        required=False,
        choices=[("", gettext_lazy("全部")), *rules.burden_rules.WORK_STATE_LABELS.items()],
    )
