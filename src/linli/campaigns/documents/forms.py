"""The form of the task-table import page: it parses the upload; the services check and import."""

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.core.forms import Form

from . import task_table


class ImportForm(Form):
    file = forms.FileField(
        label=_("任务分解表（.xlsx）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        error_messages={"required": _("请选择要上传的Excel文件")},
    )
    mode = forms.ChoiceField(
        label=_("导入方式"),
        choices=list(task_table.MODE_LABELS.items()),
        initial=task_table.APPEND,
        widget=forms.RadioSelect,
    )
