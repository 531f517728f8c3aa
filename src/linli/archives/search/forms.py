from django import forms

from linli.core.forms import Form, IdField

from .selectors import QUERY_MAX


class SearchForm(Form):
    q = forms.CharField(label="检索词", max_length=QUERY_MAX, required=False,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": "如：扫黄打非 工作方案",
                                                      "autofocus": True}))  # fmt: skip
    category = forms.TypedChoiceField(label="类别", required=False, coerce=int, empty_value=None)
    year = forms.TypedChoiceField(label="年度", required=False, coerce=int, empty_value=None)
    region = forms.TypedChoiceField(label="区域", required=False, coerce=int, empty_value=None)
    box = IdField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, categories=(), years=(), regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "全部类别"), *categories]
        self.fields["year"].choices = [("", "全部年度"), *((y, f"{y}年") for y in years)]
        self.fields["region"].choices = [("", "全部区域"), *regions]
