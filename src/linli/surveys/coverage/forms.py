"""The forms of the 覆盖核查 page: applying a finding (with the ID number a new registry person needs) and
dismissing one with its reason."""

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.core.forms import DomainErrorsMixin, Form, VersionField

from . import selectors


class ApplyForm(DomainErrorsMixin, Form):
    version = VersionField()
    id_type = forms.ChoiceField(label=_("证件类型"), choices=selectors.ID_TYPES, required=False)
    id_number = forms.CharField(label=_("证件号码"), max_length=30, required=False)


class DismissForm(DomainErrorsMixin, Form):
    version = VersionField()
    reason = forms.CharField(label=_("核销理由"), max_length=200)
