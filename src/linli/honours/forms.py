"""挂牌 forms: choices come from the selectors, so a form offers only what the user may apply for."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.accounts.roles import APPLY_FOR_COMMUNITY, HONOURS, can
from linli.core import uploads
from linli.core.forms import DomainErrorsMixin, Form

from . import rules, selectors


class FilterForm(Form):
    honour_type = forms.TypedChoiceField(label=gettext_lazy("荣誉类型"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label=gettext_lazy("状态"),
        required=False,
        choices=[("", gettext_lazy("全部状态")), *rules.STATUS_LABELS.items()],
    )
    q = forms.CharField(label=gettext_lazy("小区/社区/编号"), required=False, max_length=50)

    def __init__(self, data, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["honour_type"].choices = [("", _("全部类型"))] + [(t.pk, t.name) for t in selectors.honour_types()]


class ApplyForm(DomainErrorsMixin, Form):
    honour_type_id = forms.TypedChoiceField(label=gettext_lazy("荣誉类型"), coerce=int)
    estate_id = forms.TypedChoiceField(label=gettext_lazy("申报小区"), required=False, coerce=int, empty_value=None)
    community_id = forms.TypedChoiceField(label=gettext_lazy("申报社区"), required=False, coerce=int, empty_value=None)
    statement = forms.CharField(
        label=gettext_lazy("申报说明"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=2000,
        help_text=gettext_lazy("对照创建标准，说明本单位的创建情况（14天以上无新发病例、措施落实等）"),
    )
    evidence = forms.FileField(
        label=gettext_lazy("佐证材料"),
        required=False,
        help_text=uploads.EVIDENCE.help_text,
        widget=forms.ClearableFileInput(attrs={"accept": uploads.EVIDENCE.accept_attr}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        types = selectors.honour_types(active_only=True)
        if not can(user, HONOURS, APPLY_FOR_COMMUNITY):
            types = types.filter(level=rules.ESTATE)
        self.fields["honour_type_id"].choices = [("", _("请选择"))] + [
            (t.pk, f"{t.name}（{t.get_level_display()}）") for t in types
        ]
        estates = selectors.estates_to_apply_for(user=user)
        self.fields["estate_id"].choices = [("", _("（社区类荣誉不填）"))] + [(e.pk, e.name) for e in estates]
        if can(user, HONOURS, APPLY_FOR_COMMUNITY):
            communities = selectors.communities_to_apply_for(user=user)
            self.fields["community_id"].choices = [("", _("（小区类荣誉不填）"))] + [
                (r.pk, r.name) for r in communities
            ]
        else:
            del self.fields["community_id"]
        for field in self.fields.values():
            field.error_messages.setdefault("required", f"请填写{field.label}")
            field.error_messages["invalid_choice"] = _("请选择有效的%(label)s") % {"label": field.label}
