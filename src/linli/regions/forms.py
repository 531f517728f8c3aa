"""Forms of the region pages. They parse and render; regions.services validates codes and boundaries."""

import json

from django import forms
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from linli.core.forms import DomainErrorsMixin, Form, VersionField

from . import rules
from .models import GridStaff, Region

BOUNDARY_HELP = gettext_lazy(
    '粘贴GeoJSON的Polygon或MultiPolygon，如 {"type": "Polygon", "coordinates": [[[123.45, 41.79], …]]}，留空表示无边界'
)


class DomainForm(DomainErrorsMixin, Form):
    pass


class RegionForm(DomainForm):
    name_fields = ("name",)
    name = forms.CharField(label=_("名称"), required=False, max_length=100)
    code = forms.CharField(label=_("区划代码"), required=False, max_length=24)
    grid_kind = forms.ChoiceField(
        label=_("网格类型"), required=False, choices=[("", _("（请选择）")), *Region.GridKind.choices]
    )
    households_planned = forms.IntegerField(
        label=_("服务户数"), required=False, min_value=0, max_value=rules.HOUSEHOLDS_PLANNED_MAX
    )
    boundary = forms.CharField(
        label=_("边界(GeoJSON)"),
        required=False,
        help_text=BOUNDARY_HELP,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "class": "mono"}),
    )
    version = VersionField(required=False)

    def __init__(self, *args, level: int, **kwargs):
        super().__init__(*args, **kwargs)
        if level != rules.GRID:
            del self.fields["grid_kind"]

    @staticmethod
    def initial_for(node: Region) -> dict:
        return {
            "name": node.name,
            "code": node.code,
            "grid_kind": node.grid_kind,
            "households_planned": node.households_planned,
            "boundary": json.dumps(node.boundary, ensure_ascii=False) if node.boundary else "",
            "version": node.version,
        }

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "code": data["code"],
            "boundary": data["boundary"] or None,
            "grid_kind": data.get("grid_kind", ""),
            "households_planned": data["households_planned"],
        }


class StaffForm(DomainForm):
    name_fields = ("name",)
    duty = forms.ChoiceField(label=_("职务"), choices=GridStaff.Duty.choices)
    name = forms.CharField(label=_("姓名"), required=False, max_length=50)
    phone = forms.CharField(label=_("电话"), required=False, max_length=20)
