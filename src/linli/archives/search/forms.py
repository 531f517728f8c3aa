from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.forms import Form, IdField

from .selectors import QUERY_MAX


class SearchForm(Form):
    q = forms.CharField(
        label=gettext_lazy("检索词"),
        max_length=QUERY_MAX,
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": gettext_lazy("如：扫黄打非 工作方案"), "autofocus": True}
        ),
    )
    category = forms.TypedChoiceField(label=gettext_lazy("类别"), required=False, coerce=int, empty_value=None)
    year = forms.TypedChoiceField(label=gettext_lazy("年度"), required=False, coerce=int, empty_value=None)
    region = forms.TypedChoiceField(label=gettext_lazy("区域"), required=False, coerce=int, empty_value=None)
    box = IdField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, categories=(), years=(), regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("全部类别")), *categories]
        self.fields["year"].choices = [("", _("全部年度")), *((y, _("%(y)s年") % {"y": y}) for y in years)]
        self.fields["region"].choices = [("", _("全部区域")), *regions]
