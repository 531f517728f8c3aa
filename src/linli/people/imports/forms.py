"""Forms of the import and export page. They parse and render; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.core.forms import Form
from linli.people.models import ImportJob, Person
from linli.people.selectors import can_export_pii, tag_rows
from linli.regions.rules import GRID
from linli.regions.selectors import region_list

ALL = ("", "全部")


class UploadForm(Form):
    file = forms.FileField(
        label=_("Excel文件（.xlsx）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        error_messages={"required": _("请选择要上传的Excel文件")},
    )
    on_duplicate = forms.ChoiceField(
        label=_("证件号码已登记的人员"),
        choices=ImportJob.OnDuplicate.choices,
        initial=ImportJob.OnDuplicate.SKIP,
        widget=forms.RadioSelect,
    )


class ExportForm(Form):
    """The person list's filters, plus the PII choice; it only parses, services.persons_export decides."""

    name = forms.CharField(label=_("姓名"), required=False, max_length=50)
    region = forms.ChoiceField(label=_("街道/社区"), required=False)
    grid = forms.ChoiceField(label=_("网格"), required=False)
    tag = forms.ChoiceField(label=_("标签"), required=False)
    residence_type = forms.ChoiceField(
        label=_("人口类型"), required=False, choices=[ALL, *Person.ResidenceType.choices]
    )
    gender = forms.ChoiceField(label=_("性别"), required=False, choices=[ALL, *Person.Gender.choices])
    age_min = forms.IntegerField(label=_("年龄自"), required=False, min_value=0, max_value=150)
    age_max = forms.IntegerField(label=_("至"), required=False, min_value=0, max_value=150)
    unmasked = forms.BooleanField(label=_("导出完整证件号码和电话"), required=False)
    purpose = forms.CharField(label=_("导出用途"), required=False, max_length=200)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        areas, grids = [ALL], [ALL]
        for node in region_list(user=user):
            if node.level == GRID:
                grids.append((str(node.pk), f"{node.parent.name} · {node.name}" if node.parent else node.name))
            else:
                areas.append((str(node.pk), node.name))
        self.fields["region"].choices, self.fields["grid"].choices = areas, grids
        self.fields["tag"].choices = [ALL, *((t.code, t.name) for t in tag_rows(user))]
        if not can_export_pii(user):
            del self.fields["unmasked"], self.fields["purpose"]
