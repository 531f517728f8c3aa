"""The page form of 入户登记: recording a visit state."""

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.core.forms import DomainErrorsMixin, Form, VersionField

from . import rules


class StateForm(DomainErrorsMixin, Form):
    state = forms.ChoiceField(label=_("入户状态"), choices=[(s, s) for s in rules.SETTABLE_STATES])
    note = forms.CharField(label=_("情况说明"), max_length=rules.NOTE_MAX, required=False)
    version = VersionField()
