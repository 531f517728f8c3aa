from django import forms
from django.utils.translation import gettext_lazy as _

from linli.core.forms import DomainErrorsMixin, Form

from .services import SEED_MAX


class DrawForm(DomainErrorsMixin, Form):
    name_fields = ("seed",)
    seed = forms.CharField(
        label=_("随机种子"), max_length=SEED_MAX, required=False,
        help_text=_("公开、事先无法预知的文字或数字（如抽取当日的福利彩票开奖号码）；不填则由系统随机生成并公示"),
    )  # fmt: skip
