"""The forms of the archive pages: a box, an item with its file, a district's own category. Choices come from the
selectors; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.core.forms import DayField, DomainErrorsMixin, Form, VersionField

from . import rules, selectors, services

DATE = forms.DateInput(attrs={"type": "date"})
REGION_CHOICES_MAX = 300


class BoxForm(DomainErrorsMixin, Form):
    name_fields = ("topic",)
    field_aliases = {"region_id": "region"}

    region = forms.TypedChoiceField(label=_("所属单位"), coerce=int)
    topic = forms.CharField(
        label=_("主题"), max_length=rules.TOPIC_MAX, help_text=_("如：扫黄打非、创建文明城区、社区减负")
    )
    year = forms.IntegerField(label=_("年度"), min_value=rules.YEAR_MIN, max_value=rules.YEAR_MAX)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)
    version = VersionField(required=False)

    def __init__(self, data=None, *, user, box=None, **kwargs):
        if box is not None:
            kwargs["initial"] = {"topic": box.topic, "year": box.year, "note": box.note, "version": box.version}
        super().__init__(data, **kwargs)
        offices = list(selectors.keep_regions(user=user)[:REGION_CHOICES_MAX]) if box is None else []
        if len(offices) > 1:
            self.fields["region"].choices = [(r.pk, r.name) for r in offices]
        else:
            del self.fields["region"]

    def content(self) -> dict:
        data = dict(self.cleaned_data)
        if "region" in data:
            data["region_id"] = data.pop("region")
        return data


class ItemForm(DomainErrorsMixin, Form):
    name_fields = ("title",)
    field_aliases = {"category_id": "category", "region_id": "region"}

    category = forms.TypedChoiceField(label=_("类别"), coerce=int)
    title = forms.CharField(label=_("标题"), max_length=rules.TITLE_MAX)
    date = DayField(label=_("日期"), widget=DATE)
    region = forms.TypedChoiceField(label=_("所涉区域"), coerce=int)
    tags = forms.CharField(label=_("标签"), max_length=250, required=False, help_text=_("多个标签用逗号或空格分开"))
    text = forms.CharField(label=_("正文"), max_length=rules.TEXT_MAX, required=False,
                           widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=_("可留空；上传文件的文字会自动提取，供全文检索"))  # fmt: skip
    file = forms.FileField(label=_("文件"), required=False, help_text=services.FILES.help_text)
    remove_file = forms.BooleanField(label=_("删除已上传的文件"), required=False)
    version = VersionField(required=False)

    def __init__(self, data=None, files=None, *, box, item=None, category_id=None, **kwargs):
        if item is not None:
            kwargs["initial"] = {"category": item.category_id, "title": item.title, "date": item.date,
                                 "region": item.region_id, "tags": "，".join(item.tags or []), "text": item.text,
                                 "version": item.version}  # fmt: skip
        else:
            kwargs["initial"] = {"category": category_id, "region": box.region_id}
        super().__init__(data, files, **kwargs)
        self.fields["category"].choices = [(c.pk, c.name) for c in selectors.categories_for(box.region)]
        regions = selectors.item_regions(box)[:REGION_CHOICES_MAX]
        self.fields["region"].choices = [(r.pk, r.name) for r in regions]
        self.fields["file"].widget.attrs["accept"] = services.FILES.accept_attr
        if item is None or not item.file:
            del self.fields["remove_file"]
        if item is None:
            del self.fields["version"]

    def content(self) -> dict:
        data = dict(self.cleaned_data)
        data["category_id"], data["region_id"] = data.pop("category"), data.pop("region")
        return data


class CategoryForm(DomainErrorsMixin, Form):
    name_fields = ("name",)
    field_aliases = {"district_id": "district"}

    district = forms.TypedChoiceField(label=_("区"), coerce=int)
    name = forms.CharField(label=_("类别名称"), max_length=rules.CATEGORY_MAX)
    order = forms.IntegerField(
        label=_("顺序"), min_value=0, max_value=999, required=False, help_text=_("排在八个默认类别之后，数小的在前")
    )
    active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, data=None, *, user, category=None, **kwargs):
        if category is not None:
            kwargs["initial"] = {"name": category.name, "order": category.order, "active": category.active}
        super().__init__(data, **kwargs)
        if category is None:
            self.fields["district"].choices = [(d.pk, d.name) for d in selectors.configurable_districts(user=user)]
            del self.fields["active"]
        else:
            del self.fields["district"]

    def content(self) -> dict:
        data = dict(self.cleaned_data)
        if "district" in data:
            data["district_id"] = data.pop("district")
        return data
