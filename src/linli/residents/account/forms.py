from django import forms
from django.utils.translation import gettext_lazy as _

from linli.core.forms import DomainErrorsMixin, Form


class ConsentForm(DomainErrorsMixin, Form):
    version = forms.CharField(max_length=20, widget=forms.HiddenInput)  # the version the page showed
    agree = forms.BooleanField(
        label=_("我已阅读并同意《个人信息保护告知书》"), error_messages={"required": _("请勾选同意后继续")}
    )


class DeleteForm(Form):
    confirm = forms.BooleanField(
        label=_("我已了解注销后账号无法恢复"), error_messages={"required": _("请勾选确认后再注销")}
    )
