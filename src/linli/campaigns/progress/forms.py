"""Forms of the progress pages. They parse and render; progress_services validates and acts."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core import uploads
from linli.core.forms import DomainErrorsMixin, Form, VersionField

from . import services


class ReportForm(DomainErrorsMixin, Form):
    # Chosen on the page above the form (a GET, so that the form is pre-filled for that period), carried here.
    period = forms.ChoiceField(label=gettext_lazy("报送期"), widget=forms.HiddenInput)
    progress = forms.IntegerField(
        label=gettext_lazy("累计完成进度（%）"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": 100, "step": 1}),
        error_messages={
            "required": gettext_lazy("请填写完成进度"),
            "invalid": gettext_lazy("完成进度应为0至100之间的整数"),
            "min_value": gettext_lazy("完成进度应为0至100之间的整数"),
            "max_value": gettext_lazy("完成进度应为0至100之间的整数"),
        },
    )
    content = forms.CharField(
        label=gettext_lazy("工作进展"),
        max_length=services.TEXT_MAX,
        widget=forms.Textarea(
            attrs={"rows": 5, "placeholder": gettext_lazy("本期做了什么，如：清理楼道3处，清运垃圾12车")}
        ),
        error_messages={"required": gettext_lazy("请填写工作进展")},
    )
    problems = forms.CharField(
        label=gettext_lazy("存在问题"),
        required=False,
        max_length=services.TEXT_MAX,
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "placeholder": gettext_lazy("没有可不填；进度低于此前或高于此后已报送的进度时，请在此说明原因"),
            }
        ),
    )
    attachment = forms.FileField(
        label=gettext_lazy("佐证材料"),
        required=False,
        help_text=uploads.EVIDENCE.help_text,
        widget=forms.ClearableFileInput(attrs={"accept": uploads.EVIDENCE.accept_attr}),
    )
    version = VersionField(required=False)

    def __init__(self, *args, periods: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = periods
        self.fields["period"].error_messages["invalid_choice"] = _("该报送期不能报送或已锁定，请重新选择")
        for name in ("content", "problems"):
            self.fields[name].error_messages["max_length"] = _("不能超过%(TEXT_MAX)s个字") % {
                "TEXT_MAX": services.TEXT_MAX
            }
