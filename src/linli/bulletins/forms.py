"""Page forms of bulletins: issuing one, and a region's scoring scheme. Their choices come from selectors."""

from datetime import date
from decimal import Decimal

from django import forms
from django.utils.translation import gettext, gettext_lazy

from linli.cases.supervision.rules import GROUP_LABELS
from linli.core.forms import DomainErrorsMixin, Form, VersionField

from . import rules, selectors

MONTHS_OFFERED = 12


class IssueForm(DomainErrorsMixin, Form):
    region = forms.TypedChoiceField(label=gettext_lazy("通报范围"), coerce=int)
    month = forms.TypedChoiceField(label=gettext_lazy("月份"), coerce=date.fromisoformat)
    group = forms.ChoiceField(label=gettext_lazy("通报对象"), choices=list(GROUP_LABELS.items()), initial="community")
    issuer = forms.CharField(
        label=gettext_lazy("发文机关"), max_length=100, required=False, help_text=gettext_lazy("不填则为通报范围的名称")
    )
    number = forms.CharField(label=gettext_lazy("发文字号"), max_length=60, required=False)

    def __init__(self, data=None, *, user, today: date, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["region"].choices = [(n.pk, n.name) for n in selectors.issuing_regions(user=user)]
        month, months = rules.last_month(today), []
        for _ in range(MONTHS_OFFERED):
            months.append(
                (month.isoformat(), gettext("%(year)s年%(month)s月") % {"year": month.year, "month": month.month})
            )
            month = rules.last_month(month)
        self.fields["month"].choices = months


POINTS = {"min_value": Decimal(0), "max_value": rules.FULL_MARKS, "decimal_places": 2, "max_digits": 6}


class SchemeForm(DomainErrorsMixin, Form):
    floor = forms.DecimalField(label=gettext_lazy("最低分"), **POINTS)
    version = VersionField(required=False)

    def __init__(self, data=None, *, scheme: rules.Scheme, **kwargs):
        super().__init__(data, **kwargs)
        for rate, label in rules.RATES.items():
            self.fields[f"w_{rate}"] = forms.DecimalField(
                label=gettext("%(label)s权重") % {"label": label},
                required=False,
                initial=scheme.weights.get(rate),
                **POINTS,
            )
        for event, e in rules.EVENTS.items():
            self.fields[f"d_{event}"] = forms.DecimalField(
                label=gettext("%(label)s每件扣分") % {"label": e.label},
                required=False,
                initial=scheme.deductions.get(event),
                **POINTS,
            )
            self.fields[f"c_{event}"] = forms.DecimalField(
                label=gettext("%(label)s每月最多扣") % {"label": e.label},
                required=False,
                initial=scheme.caps.get(event),
                help_text=gettext("不填则不设上限"),
                **POINTS,
            )
        self.fields["floor"].initial = scheme.floor

    def scheme(self) -> rules.Scheme:
        data = self.cleaned_data
        return rules.Scheme(
            weights={k: data[f"w_{k}"] for k in rules.RATES if data.get(f"w_{k}") is not None},
            deductions={k: data[f"d_{k}"] for k in rules.EVENTS if data.get(f"d_{k}") is not None},
            floor=data["floor"],
            caps={k: data[f"c_{k}"] for k in rules.EVENTS if data.get(f"c_{k}") is not None},
        )

    def weight_fields(self):
        return [self[f"w_{k}"] for k in rules.RATES]

    def deduction_fields(self):
        return [self[f"{kind}_{k}"] for k in rules.EVENTS for kind in ("d", "c")]
