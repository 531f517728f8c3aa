from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.forms import DomainErrorsMixin, Form

from .. import rules
from . import selectors

INPUT = {"autocomplete": "off", "spellcheck": "false"}


class BindForm(DomainErrorsMixin, Form):
    name_fields = ("name",)
    name = forms.CharField(
        label=gettext_lazy("姓名"), max_length=50, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    id_number = forms.CharField(
        label=gettext_lazy("证件号码"), max_length=30, widget=forms.TextInput(attrs={**INPUT, "inputmode": "text"}),
        help_text=gettext_lazy("居民身份证18位，末位X大小写均可"),
    )  # fmt: skip


def _choices(field: str):
    """A correctable field's choices, read when a form is built (a callable: the registry's models load later)."""
    return lambda: [("", _("（未填写）")), *selectors.correctable_choices()[field]]


def _text(field: str, **attrs) -> forms.CharField:
    return forms.CharField(label=rules.CORRECTABLE[field], required=False, max_length=200,
                           widget=forms.TextInput(attrs=attrs))  # fmt: skip


def _choice(field: str) -> forms.ChoiceField:
    return forms.ChoiceField(label=rules.CORRECTABLE[field], required=False, choices=_choices(field))


class CorrectionForm(DomainErrorsMixin, Form):
    """The correctable fields (rules.CORRECTABLE), filled with what is on file: the resident changes what is wrong
    and says why."""

    phone = _text("phone", inputmode="tel", autocomplete="tel")
    current_address = _text("current_address")
    hukou_address = _text("hukou_address")
    ethnicity = _text("ethnicity")
    education = _choice("education")
    employment = _choice("employment")
    employer = _text("employer")
    political_status = _choice("political_status")
    marital_status = _choice("marital_status")
    reason = forms.CharField(
        label=gettext_lazy("更正原因"), max_length=rules.REASON_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )

    def changes(self) -> dict[str, str]:
        """Every correctable field as submitted: the service keeps those that differ from the record."""
        return {name: self.cleaned_data.get(name) or "" for name in rules.CORRECTABLE}


class DecideForm(DomainErrorsMixin, Form):
    note = forms.CharField(
        label=gettext_lazy("审核说明"),
        required=False,
        max_length=rules.REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("不通过时必填，居民将看到该说明"),
    )
