"""Forms of the hours' pages: a district's 星级标准 and revoking a certificate."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.forms import DomainErrorsMixin, Form, VersionField

from . import rules


class StarsForm(DomainErrorsMixin, Form):
    version = VersionField()

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        for i in range(1, rules.STARS + 1):
            self.fields[f"star{i}"] = forms.IntegerField(
                label=_("%(value)s %(i)s星") % {"value": "★" * i, "i": i}, min_value=1, max_value=rules.THRESHOLD_MAX
            )

    def thresholds(self) -> list[int]:
        return [self.cleaned_data[f"star{i}"] for i in range(1, rules.STARS + 1)]

    def add_domain_error(self, exc, errors=None):
        for e in exc.errors:
            self.add_error(None, e.message)
        if not exc.errors:
            self.add_error(None, exc.detail)


class RevokeForm(DomainErrorsMixin, Form):
    reason = forms.CharField(label=gettext_lazy("作废原因"), max_length=200)


class VerifyForm(Form):
    code = forms.CharField(
        label=gettext_lazy("验证码"), max_length=30, help_text=gettext_lazy("证明右下角的12位验证码，可含短横线")
    )
