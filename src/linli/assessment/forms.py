"""Assessment forms: choices come from the selectors, so a form offers only what the user's scope holds."""

from django import forms

from linli.core.forms import DomainErrorsMixin

from . import rules, selectors


class RoundForm(DomainErrorsMixin, forms.Form):
    scheme_id = forms.TypedChoiceField(label="指标体系", coerce=int)
    name = forms.CharField(label="轮次名称", max_length=100)
    period = forms.CharField(label="测评期间", max_length=40, help_text="如：2025年度、2026年第三季度")
    unit_ids = forms.TypedMultipleChoiceField(
        label="被测评单位", coerce=int, widget=forms.CheckboxSelectMultiple, help_text="本辖区内的社区或街道"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme_id"].choices = [(s.pk, s.name) for s in selectors.scheme_queryset(user=user)]
        self.fields["unit_ids"].choices = [
            (r.pk, ("\u3000" if r.level == rules.COMMUNITY_LEVEL else "") + r.name)
            for r in selectors.unit_regions(user=user)
        ]
        self.fields["unit_ids"].error_messages["required"] = "请选择被测评的社区或街道"
