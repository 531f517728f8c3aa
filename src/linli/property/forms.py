"""Forms of the 物业监管 pages; choices come from the selectors, the checks from the services."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.forms import DayField, DomainErrorsMixin, Form, IdField, VersionField
from linli.core.schemas import YEAR_MAX, YEAR_MIN

from . import rules, selectors


class ProfileForm(DomainErrorsMixin, Form):
    name_fields = ("legal_representative",)

    legal_representative = forms.CharField(label=gettext_lazy("法定代表人"), max_length=50, required=False)
    qualification = forms.ChoiceField(
        label=gettext_lazy("原资质等级"), choices=list(rules.QUALIFICATION_LABELS.items()),
        help_text=gettext_lazy("全国物业服务企业资质等级已于2018年取消，仅作历史记录"),
    )  # fmt: skip
    contact_phone = forms.CharField(label=gettext_lazy("联系电话"), max_length=20, required=False)
    address = forms.CharField(label=gettext_lazy("办公地址"), max_length=200, required=False)
    version = VersionField(required=False)


class ManagerForm(DomainErrorsMixin, Form):
    name_fields = ("name",)
    field_aliases = {"valid_until": "certificate_valid_until"}

    name = forms.CharField(label=gettext_lazy("姓名"), max_length=50)
    certificate_kind = forms.CharField(
        label=gettext_lazy("证书名称"), max_length=60, initial=gettext_lazy("物业管理企业经理岗位证书")
    )
    certificate_number = forms.CharField(label=gettext_lazy("证书编号"), max_length=40)
    certificate_valid_until = DayField(label=gettext_lazy("有效期至"), widget=forms.DateInput(attrs={"type": "date"}))


class ProjectForm(DomainErrorsMixin, Form):
    field_aliases = {"estate_version": "estate", "estate_id": "estate"}

    estate = forms.ChoiceField(label=gettext_lazy("小区"))
    contract_start = DayField(label=gettext_lazy("合同开始"), widget=forms.DateInput(attrs={"type": "date"}))
    contract_end = DayField(
        label=gettext_lazy("合同结束"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    fee = forms.DecimalField(label=gettext_lazy("物业费标准(元/㎡·月)"), min_value=0, max_digits=6, decimal_places=2)
    selection = forms.ChoiceField(label=gettext_lazy("选聘方式"), choices=list(rules.SELECTION_LABELS.items()))
    invited = forms.IntegerField(label=gettext_lazy("邀请企业数"), required=False, min_value=0, max_value=100)
    approval = forms.CharField(
        label=gettext_lazy("批准记录"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("协议选聘或邀请招标时，区房产行政主管部门的批准文号"),
    )
    area = forms.DecimalField(
        label=gettext_lazy("总建筑面积(㎡)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=gettext_lazy("不填则按房屋登记的建筑面积合计；新建小区按规划许可填写"),
    )
    manager = forms.ChoiceField(label=gettext_lazy("项目经理"), required=False)

    def __init__(self, data=None, *, user, company, **kwargs):
        super().__init__(data, **kwargs)
        estates = selectors.estates_for_projects(user=user).select_related("region").order_by("region__path", "name")
        self.fields["estate"].choices = [("", _("请选择"))] + [
            (f"{e.pk}:{e.version}", f"{e.region.name} · {e.name}（{e.get_management_display()}"
             f"{'：' + e.property_company.name if e.property_company else ''}）") for e in estates
        ]  # fmt: skip
        self.fields["manager"].choices = [("", _("暂不指定"))] + [
            (m.pk, m.name) for m in selectors.managers_of(company)
        ]

    def arguments(self) -> dict:
        data = self.cleaned_data
        estate_id, version = (int(v) for v in data["estate"].split(":"))
        return {
            "estate_id": estate_id, "estate_version": version, "contract_start": data["contract_start"],
            "contract_end": data["contract_end"], "fee": data["fee"], "selection": data["selection"],
            "invited": data["invited"], "approval": data["approval"], "area": data["area"],
            "manager_id": int(data["manager"]) if data["manager"] else None,
        }  # fmt: skip


class RecordForm(DomainErrorsMixin, Form):
    field_aliases = {"case_id": "case"}

    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=YEAR_MIN, max_value=YEAR_MAX)
    item = forms.ChoiceField(label=gettext_lazy("事项"))
    evidence = forms.CharField(
        label=gettext_lazy("事实与证据"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    case = forms.ChoiceField(
        label=gettext_lazy("关联投诉事件"),
        required=False,
        help_text=gettext_lazy("查实的投诉：已办结、派给本企业的事件"),
    )

    def __init__(self, data=None, *, company, **kwargs):
        super().__init__(data, **kwargs)
        scheme = selectors.credit_scheme()
        self.fields["item"].choices = [("", _("请选择"))] + [
            (
                label,
                [
                    (
                        i.code,
                        _("%(code)s %(label)s（%(value)s%(points)s分%(value2)s）")
                        % {
                            "code": i.code,
                            "label": i.label,
                            "value": "+" if i.kind == rules.GOOD else "−",
                            "points": i.points,
                            "value2": "，" + i.severity if i.severity else "",
                        },
                    )
                    for i in scheme.items
                    if i.kind == kind
                ],
            )
            for kind, label in rules.KIND_LABELS.items()
        ]
        self.fields["case"].choices = [("", _("无"))] + [
            (c.pk, f"{c.number} {c.category.name}：{c.description[:24]}")
            for c in selectors.complaint_cases(company)[:200]
        ]

    def arguments(self) -> dict:
        data = self.cleaned_data
        return {"year": data["year"], "item": data["item"], "evidence": data["evidence"],
                "case_id": int(data["case"]) if data["case"] else None}  # fmt: skip


class VoidForm(DomainErrorsMixin, Form):
    reason = forms.CharField(label=gettext_lazy("作废理由"), max_length=200)
    version = VersionField()


class ManagementForm(DomainErrorsMixin, Form):
    management = forms.ChoiceField(
        label=gettext_lazy("物业化状态"),
        choices=[("self", gettext_lazy("自管")), ("none", gettext_lazy("无物业·弃管"))],
    )
    version = VersionField()
    estate = IdField(widget=forms.HiddenInput)
