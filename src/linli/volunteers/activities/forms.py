"""The forms of the activities' pages: an activity's content (staff and resident team leaders), cancelling, and a
correction of hours. The confirm-hours sheet is read by the view (one field per sign-up). The services decide."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.forms import DomainErrorsMixin, Form, VersionField

from .. import rules
from . import selectors

LOCAL = {"type": "datetime-local"}


class ActivityForm(DomainErrorsMixin, Form):
    name_fields = ("title", "place")
    field_aliases = {"region_id": "region", "team_id": "team"}

    region = forms.TypedChoiceField(label=gettext_lazy("组织单位"), coerce=int)
    team = forms.TypedChoiceField(label=gettext_lazy("服务队"), coerce=int, required=False, empty_value=None)
    title = forms.CharField(label=gettext_lazy("活动名称"), max_length=80)
    kind = forms.ChoiceField(
        label=gettext_lazy("活动类型"), choices=[("", gettext_lazy("请选择")), *rules.ACTIVITY_KINDS.items()]
    )
    description = forms.CharField(label=gettext_lazy("活动内容"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip
    place = forms.CharField(label=gettext_lazy("活动地点"), max_length=120)
    latitude = forms.DecimalField(required=False, max_digits=9, decimal_places=6, widget=forms.HiddenInput)
    longitude = forms.DecimalField(required=False, max_digits=9, decimal_places=6, widget=forms.HiddenInput)
    starts_at = forms.DateTimeField(label=gettext_lazy("开始时间"), widget=forms.DateTimeInput(attrs=LOCAL))
    ends_at = forms.DateTimeField(label=gettext_lazy("结束时间"), widget=forms.DateTimeInput(attrs=LOCAL))
    signup_until = forms.DateTimeField(label=gettext_lazy("报名截止时间"), widget=forms.DateTimeInput(attrs=LOCAL))
    min_people = forms.IntegerField(label=gettext_lazy("最少人数"), min_value=1, max_value=9999, initial=1)
    max_people = forms.IntegerField(label=gettext_lazy("最多人数"), min_value=1, max_value=9999)
    on_short = forms.ChoiceField(
        label=gettext_lazy("截止时人数不足"), choices=list(rules.ON_SHORT.items()), initial=rules.SHORT_CANCEL
    )
    hours = forms.DecimalField(
        label=gettext_lazy("每人计入时长（小时）"), min_value=Decimal("0.1"), max_value=Decimal("24"), decimal_places=1
    )
    version = VersionField(required=False)

    def __init__(self, data=None, *, user, resident_leader: bool = False, edit: bool = False, **kwargs):
        super().__init__(data, **kwargs)
        teams = selectors.organiser_teams(user)
        self.fields["team"].choices = [("", _("不指定")), *((t.pk, f"{t.region.name} · {t.name}") for t in teams)]
        if resident_leader or edit:
            # a resident organises for the team they lead, in its region; an edit keeps both
            del self.fields["region"]
            if edit:
                del self.fields["team"]
            else:
                self.fields["team"].required = True
                self.fields["team"].choices = self.fields["team"].choices[1:]
        else:
            regions = selectors.organiser_regions(user)
            self.fields["region"].choices = [("", _("请选择")), *((r.pk, r.name) for r in regions)]

    def content(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        out = {k: v for k, v in data.items() if k not in ("region", "team")}
        if "region" in data:
            out["region_id"] = data["region"]
        if "team" in data:
            out["team_id"] = data["team"]
        return out


class CancelForm(DomainErrorsMixin, Form):
    reason = forms.CharField(
        label=gettext_lazy("取消原因"), max_length=200, help_text=gettext_lazy("报名的志愿者会收到这条原因")
    )
    version = VersionField(required=False)


class CorrectionForm(DomainErrorsMixin, Form):
    hours = forms.DecimalField(
        label=gettext_lazy("更正后时长（小时）"), min_value=Decimal("0"), max_value=Decimal("24"), decimal_places=1
    )
    reason = forms.CharField(label=gettext_lazy("更正原因"), max_length=200)
    version = VersionField(required=False)


def sheet_hours(post, signups) -> dict[int, str | None]:
    """The confirm-hours sheet: `hours_<id>` per confirmed sign-up, blank for a no-show."""
    return {s.pk: (post.get(f"hours_{s.pk}") or "").strip() or None for s in signups}
