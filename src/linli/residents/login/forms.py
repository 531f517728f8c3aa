from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from linli.core.forms import DomainErrorsMixin, Form

from . import rules


class LoginForm(DomainErrorsMixin, Form):
    """Both steps on one form: 获取验证码 sends the phone, 登录 the phone and the code (services check both)."""

    phone = forms.CharField(
        label=_("手机号码"), max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel", "placeholder": _("11位手机号码")}),
    )  # fmt: skip
    code = forms.CharField(
        label=_("验证码"), max_length=20, required=False,
        widget=forms.TextInput(attrs={
            "inputmode": "numeric", "autocomplete": "one-time-code",
            "placeholder": format_lazy(_("{digits}位数字"), digits=rules.CODE_DIGITS),
        }),
    )  # fmt: skip
