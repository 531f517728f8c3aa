from django import forms
from django.utils.translation import gettext_lazy as _

from linli.core.forms import Form

from . import rules


class PreferenceForm(Form):
    kind = forms.ChoiceField(choices=list(rules.KINDS.items()), widget=forms.HiddenInput)
    channels = forms.MultipleChoiceField(
        label=_("接收渠道"), choices=list(rules.CHANNELS.items()), required=False, widget=forms.CheckboxSelectMultiple
    )
