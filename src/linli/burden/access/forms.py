"""The forms of the lists' and the applications' pages. Choices come from the selectors; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from linli.burden import rules as burden_rules
from linli.burden import selectors
from linli.core import uploads
from linli.core.forms import DayField, DomainErrorsMixin, Form, VersionField

from . import rules

DATE = forms.DateInput(attrs={"type": "date"})
REASON_HELP = gettext_lazy("将记入清单修改记录")


def _file(label: str, required_note: str) -> forms.FileField:
    return forms.FileField(
        label=label, required=False, help_text=f"{required_note}{uploads.EVIDENCE.help_text}",
        widget=forms.ClearableFileInput(attrs={"accept": uploads.EVIDENCE.accept_attr}),
    )  # fmt: skip


class ItemForm(DomainErrorsMixin, Form):
    list = forms.ChoiceField(label=_("清单"), choices=list(burden_rules.LIST_LABELS.items()), widget=forms.RadioSelect)
    category = forms.CharField(label=_("类别"), max_length=40, required=False)
    title = forms.CharField(label=_("事项"), max_length=200)
    basis = forms.CharField(label=_("法律法规依据"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    reason = forms.CharField(label=_("理由"), max_length=rules.REASON_MAX, help_text=REASON_HELP)
    version = VersionField(required=False)

    def __init__(self, data=None, *, item=None, **kwargs):
        if item is not None:
            kwargs["initial"] = {"category": item.category, "title": item.title, "basis": item.basis,
                                 "version": item.version}  # fmt: skip
        super().__init__(data, **kwargs)
        if item is not None:
            del self.fields["list"]


class ReasonForm(DomainErrorsMixin, Form):
    reason = forms.CharField(label=_("理由"), max_length=rules.REASON_MAX, help_text=REASON_HELP)
    version = VersionField(required=False)


class ApplicationForm(DomainErrorsMixin, Form):
    name_fields = ("title",)
    field_aliases = {"community_ids": "communities", "district_id": "district", "documents": "basis_file",
                     "work_ids": "work"}  # fmt: skip

    district = forms.TypedChoiceField(label=_("区"), coerce=int)
    title = forms.CharField(label=_("事项名称"), max_length=rules.TITLE_MAX)
    kind = forms.ChoiceField(label=_("工作类型"), choices=list(burden_rules.WORK_KIND_LABELS.items()),
                             widget=forms.RadioSelect, initial=burden_rules.TASK)  # fmt: skip
    content = forms.CharField(label=_("工作内容"), max_length=rules.TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("要社区做什么、怎样做、报送什么"))  # fmt: skip
    basis = forms.CharField(
        label=_("政策、文件依据"),
        max_length=rules.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("法律、法规、规章或上级文件的名称和条款"),
    )
    reason = forms.CharField(label=_("确需社区协办的理由"), max_length=rules.TEXT_MAX, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    communities = forms.TypedMultipleChoiceField(label=_("涉及社区"), coerce=int, required=False,
                                                 widget=forms.CheckboxSelectMultiple,
                                                 help_text=_("不选即为本区全部社区"))  # fmt: skip
    starts_on = DayField(label=_("开始日期"), widget=DATE, required=False)
    ends_on = DayField(label=_("结束日期"), widget=DATE, required=False)
    basis_file = _file(_("政策、文件依据（文件）"), _("提交前必须上传；"))
    plan_file = _file(_("工作方案"), _("提交前必须上传；"))
    other_file = _file(_("其他材料"), "")
    work = forms.CharField(required=False, widget=forms.HiddenInput)
    version = VersionField(required=False)

    def __init__(self, data=None, files=None, *, user, application=None, work=(), **kwargs):
        initial = kwargs.setdefault("initial", {})
        if application is not None:
            initial.update({
                "title": application.title, "kind": application.kind, "content": application.content,
                "basis": application.basis, "reason": application.reason, "starts_on": application.starts_on,
                "ends_on": application.ends_on, "version": application.version,
                "communities": [c.pk for c in application.communities.all()],
            })  # fmt: skip
        elif work:
            communities = sorted({w.community_id for w in work})
            initial.update({"title": work[0].title, "kind": work[0].kind, "communities": communities,
                            "work": ",".join(str(w.pk) for w in work)})  # fmt: skip
        super().__init__(data, files, **kwargs)
        if application is not None:
            district = application.district
            del self.fields["district"], self.fields["basis_file"], self.fields["plan_file"]
            del self.fields["other_file"], self.fields["work"]
        else:
            districts = list(selectors.apply_districts(user=user).order_by("path"))
            self.fields["district"].choices = [(d.pk, d.name) for d in districts]
            district = districts[0] if districts else None
            if len(districts) <= 1:
                self.fields["district"].required = False
                self.fields["district"].widget = forms.HiddenInput()
        communities = selectors.apply_communities(user=user, district=district) if district else []
        self.fields["communities"].choices = [(c.pk, c.name) for c in communities]

    def work_ids(self) -> list[int]:
        raw = self.cleaned_data.get("work") or ""
        return [int(p) for p in raw.split(",") if p.strip().isdigit()][:50]

    def values(self) -> dict:
        d = self.cleaned_data
        data = {k: d[k] for k in ("title", "kind", "content", "basis", "reason", "starts_on", "ends_on")}
        data["community_ids"] = d.get("communities") or []
        return data

    def create_content(self, submit: bool) -> dict:
        d = self.cleaned_data
        docs = [(kind, d.get(f"{kind}_file")) for kind in rules.DOC_LABELS]
        return {**self.values(), "district_id": d.get("district") or None, "work_ids": self.work_ids(),
                "documents": [(k, f) for k, f in docs if f], "submit": submit}  # fmt: skip


class DocumentForm(DomainErrorsMixin, Form):
    kind = forms.ChoiceField(label=_("材料类型"), choices=list(rules.DOC_LABELS.items()))
    file = forms.FileField(label=_("文件"), help_text=uploads.EVIDENCE.help_text,
                           widget=forms.ClearableFileInput(attrs={"accept": uploads.EVIDENCE.accept_attr}))  # fmt: skip
