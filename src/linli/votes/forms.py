"""The forms of the votes' pages: setting up a vote, entering a paper or proxy ballot, an estate's clause, and the
owner's ballot in the portal. Choices come from the selectors; the services decide."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.forms import DayField, DomainErrorsMixin, Form, IdField

from . import rules, selectors


class VoteForm(DomainErrorsMixin, Form):
    name_fields = ("title",)
    field_aliases = {"estate_id": "estate"}

    estate = forms.ChoiceField(label=gettext_lazy("小区"))
    title = forms.CharField(label=gettext_lazy("表决事项"), max_length=rules.TITLE_MAX)
    motion = forms.CharField(
        label=gettext_lazy("议案内容"), max_length=rules.MOTION_MAX, widget=forms.Textarea(attrs={"rows": 8})
    )
    item = forms.ChoiceField(
        label=gettext_lazy("民法典第二百七十八条事项"), choices=[("", gettext_lazy("请选择")), *rules.ITEMS.items()],
        help_text=gettext_lazy("（六）（七）（八）须经参与表决专有部分面积和人数各四分之三以上同意，其余事项过半数"),
    )  # fmt: skip
    opens_on = DayField(label=gettext_lazy("投票开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = DayField(label=gettext_lazy("投票截止日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        estates = selectors.run_estates(user=user).select_related("region")
        self.fields["estate"].choices = [("", _("请选择")), *((e.pk, f"{e.region.name} · {e.name}") for e in estates)]

    def content(self) -> dict:
        data = self.cleaned_data
        return {"estate_id": int(data["estate"]), "title": data["title"], "motion": data["motion"],
                "item": data["item"], "opens_on": data["opens_on"], "closes_on": data["closes_on"]}  # fmt: skip


class BallotEntryForm(DomainErrorsMixin, Form):
    field_aliases = {"voter_id": "voter"}

    voter = forms.TypedChoiceField(label=gettext_lazy("业主（房屋）"), coerce=int)
    choice = forms.ChoiceField(
        label=gettext_lazy("表决意见"), choices=list(rules.CHOICES.items()), widget=forms.RadioSelect
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("投票方式"), choices=[(c, rules.CHANNELS[c]) for c in (rules.PAPER, rules.PROXY)],
        widget=forms.RadioSelect, initial=rules.PAPER,
    )  # fmt: skip
    scan = forms.FileField(label=gettext_lazy("纸质表决票扫描件"), required=False)
    proxy_name = forms.CharField(label=gettext_lazy("代理人姓名"), max_length=50, required=False)
    proxy_document = forms.CharField(
        label=gettext_lazy("授权委托书"), max_length=200, required=False, help_text=gettext_lazy("编号或说明")
    )

    def __init__(self, data=None, files=None, *, vote, **kwargs):
        super().__init__(data, files, **kwargs)
        self.fields["voter"].choices = [("", _("请选择")), *((v.pk, voter_label(v)) for v in selectors.not_voted(vote))]


def voter_label(voter) -> str:
    return _("建设单位未售出的房屋") if voter.developer else voter.units_label


class ClauseForm(DomainErrorsMixin, Form):
    silent = forms.ChoiceField(
        label=gettext_lazy("未投票业主的计票规定"),
        choices=list(rules.SILENT_RULES.items()),
        widget=forms.RadioSelect,
        help_text=gettext_lazy("只用于计算同意的比例，参与表决的面积和人数始终按实际投票计算"),
    )
    source = forms.CharField(
        label=gettext_lazy("依据"), max_length=200, required=False, help_text=gettext_lazy("如：管理规约第二十条")
    )


class OwnerBallotForm(DomainErrorsMixin, Form):
    field_aliases = {"voter_id": "voter"}

    voter = IdField(widget=forms.HiddenInput)
    choice = forms.ChoiceField(
        label=gettext_lazy("我的意见"), choices=list(rules.CHOICES.items()), widget=forms.RadioSelect
    )
