"""The forms of the donation pages: a drive, a beneficiary, a pledge, a receipt, a disbursement with its evidence,
closing. Choices come from the selectors; the services decide."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core import uploads
from linli.core.forms import DayField, DomainErrorsMixin, Form, VersionField

from . import rules, selectors

DATE = forms.DateInput(attrs={"type": "date"})


def money(label: str, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, max_digits=12, decimal_places=2, min_value=rules.CENT, max_value=rules.AMOUNT_MAX, **kwargs
    )


class DriveForm(DomainErrorsMixin, Form):
    name_fields = ("title",)
    field_aliases = {"region_id": "region"}

    region = forms.TypedChoiceField(label=gettext_lazy("发起单位"), coerce=int)
    title = forms.CharField(label=gettext_lazy("活动名称"), max_length=rules.TITLE_MAX)
    purpose = forms.CharField(
        label=gettext_lazy("募集目的"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("为谁、为什么募集，款物怎样使用"),
    )
    target = money(gettext_lazy("目标金额（元）"), help_text=gettext_lazy("物资按折价计入"))
    starts_on = DayField(label=gettext_lazy("开始日期"), widget=DATE)
    ends_on = DayField(label=gettext_lazy("截止日期"), widget=DATE)
    version = VersionField(required=False)

    def __init__(self, data=None, *, user, drive=None, **kwargs):
        if drive is not None:
            kwargs["initial"] = {
                "title": drive.title,
                "purpose": drive.purpose,
                "target": drive.target,
                "starts_on": drive.starts_on,
                "ends_on": drive.ends_on,
                "version": drive.version,
            }
        super().__init__(data, **kwargs)
        if drive is None:
            regions = selectors.run_regions(user=user)
            self.fields["region"].choices = [(r.pk, r.name) for r in regions]
        else:
            del self.fields["region"]

    def content(self) -> dict:
        data = dict(self.cleaned_data)
        if "region" in data:
            data["region_id"] = data.pop("region")
            data.pop("version", None)
        return data


class BeneficiaryForm(DomainErrorsMixin, Form):
    name_fields = ("name",)

    name = forms.CharField(label=gettext_lazy("姓名"), max_length=rules.NAME_MAX)
    need = forms.CharField(label=gettext_lazy("困难情况"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    consent_on = DayField(
        label=gettext_lazy("同意日期"),
        widget=DATE,
        required=False,
        help_text=gettext_lazy("本人（或监护人）同意受助情况在公示中出现（姓名打码）的日期；未同意的不能登记"),
    )
    consent_note = forms.CharField(
        label=gettext_lazy("同意方式"), max_length=200, help_text=gettext_lazy("如：本人签署书面同意书、监护人代签")
    )


class PledgeForm(DomainErrorsMixin, Form):
    name_fields = ("donor_name",)

    donor_name = forms.CharField(label=gettext_lazy("捐赠人"), max_length=rules.NAME_MAX, required=False)
    donor_kind = forms.ChoiceField(
        label=gettext_lazy("捐赠人类型"),
        choices=list(rules.DONOR_KINDS.items()),
        widget=forms.RadioSelect,
        initial=rules.PERSON,
    )
    anonymous = forms.BooleanField(label=gettext_lazy("匿名（公示为“爱心人士”）"), required=False)
    fund = forms.ChoiceField(
        label=gettext_lazy("认捐类型"), choices=list(rules.FUNDS.items()), widget=forms.RadioSelect, initial=rules.MONEY
    )
    amount = money(gettext_lazy("金额或物资折价（元）"))
    goods = forms.CharField(label=gettext_lazy("物资"), max_length=200, required=False)
    pledged_on = DayField(label=gettext_lazy("认捐日期"), widget=DATE)


class ReceiptForm(DomainErrorsMixin, Form):
    name_fields = ("donor_name",)
    field_aliases = {"pledge_id": "pledge"}

    donor_name = forms.CharField(
        label=gettext_lazy("捐赠人"),
        max_length=rules.NAME_MAX,
        required=False,
        help_text=gettext_lazy("匿名捐赠可不填"),
    )
    donor_kind = forms.ChoiceField(
        label=gettext_lazy("捐赠人类型"),
        choices=list(rules.DONOR_KINDS.items()),
        widget=forms.RadioSelect,
        initial=rules.PERSON,
    )
    anonymous = forms.BooleanField(label=gettext_lazy("匿名（公示为“爱心人士”）"), required=False)
    method = forms.ChoiceField(
        label=gettext_lazy("方式"), choices=list(rules.METHODS.items()), widget=forms.RadioSelect, initial=rules.CASH
    )
    amount = money(gettext_lazy("金额或物资折价（元）"))
    goods = forms.CharField(
        label=gettext_lazy("物资名称及数量"), max_length=200, required=False, help_text=gettext_lazy("如：大米50袋")
    )
    valuation = forms.CharField(
        label=gettext_lazy("折价依据"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("如：按超市零售价、按发票"),
    )
    reference = forms.CharField(label=gettext_lazy("转账流水号或收据号"), max_length=100, required=False)
    received_on = DayField(label=gettext_lazy("收到日期"), widget=DATE)
    pledge = forms.TypedChoiceField(label=gettext_lazy("对应认捐"), coerce=int, required=False, empty_value=None)

    def __init__(self, data=None, *, drive, **kwargs):
        super().__init__(data, **kwargs)
        choices = [
            (p.pk, _("%(value)s %(yuan)s元") % {"value": p.donor_name or rules.ANONYMOUS, "yuan": rules.yuan(p.amount)})
            for p in selectors.pledges(drive)
        ]
        self.fields["pledge"].choices = [("", _("无")), *choices]

    def content(self) -> dict:
        data = dict(self.cleaned_data)
        data["pledge_id"] = data.pop("pledge")
        return data


class DisbursementForm(DomainErrorsMixin, Form):
    field_aliases = {"beneficiary_id": "beneficiary"}

    fund = forms.ChoiceField(
        label=gettext_lazy("支出类型"), choices=list(rules.FUNDS.items()), widget=forms.RadioSelect, initial=rules.MONEY
    )
    amount = money(gettext_lazy("金额或物资折价（元）"))
    goods = forms.CharField(label=gettext_lazy("物资名称及数量"), max_length=200, required=False)
    purpose = forms.CharField(
        label=gettext_lazy("用途"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("用途会在公示页面显示，请勿填写姓名、电话、身份证号等个人信息"),
    )
    beneficiary = forms.TypedChoiceField(label=gettext_lazy("受助对象"), coerce=int, required=False, empty_value=None)
    evidence = forms.FileField(
        label=gettext_lazy("支出凭证"),
        help_text=format_lazy(gettext_lazy("发放签收表、转账凭证等；{files}"), files=uploads.EVIDENCE.help_text),
        widget=forms.ClearableFileInput(attrs={"accept": uploads.EVIDENCE.accept_attr}),
    )

    def __init__(self, data=None, files=None, *, drive, **kwargs):
        super().__init__(data, files, **kwargs)
        self.fields["beneficiary"].choices = [
            ("", _("不指定")),
            *((b.pk, b.name) for b in selectors.beneficiaries(drive)),
        ]

    def content(self) -> dict:
        data = dict(self.cleaned_data)
        data["beneficiary_id"] = data.pop("beneficiary")
        return data


class CloseForm(DomainErrorsMixin, Form):
    summary = forms.CharField(
        label=gettext_lazy("结项说明"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("募集和使用情况，结余款物如何处理"),
    )
    version = VersionField(required=False)
