"""Forms of the certificates' pages: the application (window and portal), the decision, revocation, a matter of the
list, and the public check of a code."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.forms import DomainErrorsMixin, Form, VersionField
from linli.core.uploads import EVIDENCE

from . import rules

OTHER = "other"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files for one field; the content check is the service's (core.uploads)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": EVIDENCE.accept_attr}))
        kwargs.setdefault("help_text", EVIDENCE.help_text)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [f for f in files if f]


class ApplicationForm(DomainErrorsMixin, Form):
    """What an application carries (004 篇十八). `matter` offers the district's list and "其他" (then `asked`)."""

    matter = forms.ChoiceField(label=gettext_lazy("证明事项"))
    asked = forms.CharField(label=gettext_lazy("需要证明的内容（清单外）"), max_length=100, required=False,
                            help_text=gettext_lazy("所需证明不在清单内时填写，系统会告知由哪个单位出具"))  # fmt: skip
    requester = forms.CharField(label=gettext_lazy("要求出具证明的单位"), max_length=100, required=False,
                                help_text=gettext_lazy("如：某某银行、某某学校、某某街道社会保障所"))  # fmt: skip
    article = forms.CharField(label=gettext_lazy("该单位依据的法律、法规、规章条款"), max_length=500, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=gettext_lazy("请对方提供具体条款内容；没有依据的，社区不予出具"))  # fmt: skip
    purpose = forms.CharField(label=gettext_lazy("证明用途"), max_length=200, required=False)
    reason = forms.CharField(
        label=gettext_lazy("申请原因"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    id_card = FilesField(label=gettext_lazy("身份证（正反面）"), required=False)
    hukou = FilesField(label=gettext_lazy("户口本（户主页和本人页）"), required=False)
    support = FilesField(label=gettext_lazy("佐证材料"), required=False)
    promised = forms.BooleanField(label=rules.PROMISE, required=False)
    field_aliases = {"matter_id": "matter"}

    def __init__(self, data=None, files=None, *, matters=(), **kwargs):
        super().__init__(data, files, **kwargs)
        self.fields["matter"].choices = [("", _("请选择")), *((str(m.pk), m.name) for m in matters),
                                         (OTHER, _("其他（清单外的证明）"))]  # fmt: skip

    def matter_id(self) -> int | None:
        value = self.cleaned_data["matter"]
        return None if value == OTHER else int(value)

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {"matter_id": self.matter_id(), "asked": data["asked"], "requester": data["requester"],
                "article": data["article"], "purpose": data["purpose"], "reason": data["reason"],
                "promised": data["promised"], "id_card": data["id_card"], "hukou": data["hukou"],
                "support": data["support"]}  # fmt: skip


class WindowForm(ApplicationForm):
    id_number = forms.CharField(label=gettext_lazy("申请人身份证号码"), max_length=18)
    field_order = ["id_number"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["promised"].label = _("申请人已阅读并在纸质承诺书上签字：") + rules.PROMISE


class IssueForm(DomainErrorsMixin, Form):
    version = VersionField()
    statement = forms.CharField(
        label=gettext_lazy("证明内容"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("核实后写明证明的事实；只写经核实的内容"),
    )


class RefuseForm(DomainErrorsMixin, Form):
    version = VersionField()
    note = forms.CharField(
        label=gettext_lazy("不予出具的理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class RevokeForm(DomainErrorsMixin, Form):
    reason = forms.CharField(label=gettext_lazy("作废原因"), max_length=200)


class MatterForm(DomainErrorsMixin, Form):
    version = VersionField(required=False)
    name = forms.CharField(label=gettext_lazy("证明事项"), max_length=60)
    basis = forms.CharField(
        label=gettext_lazy("依据（法律法规及具体条款）"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
    wording = forms.CharField(label=gettext_lazy("证明用语"), max_length=200)
    materials = forms.CharField(label=gettext_lazy("佐证材料"), max_length=200, required=False)
    active = forms.BooleanField(label=gettext_lazy("在清单内"), required=False, initial=True)


class VerifyForm(Form):
    code = forms.CharField(
        label=gettext_lazy("验证码"),
        max_length=30,
        help_text=gettext_lazy("证明下方的12位验证码，大小写均可，可含短横线"),
    )
