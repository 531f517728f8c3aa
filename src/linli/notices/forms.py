"""The notice form of the staff pages: title, body, audience (one choice among the communities, grids, estates and
buildings of the user's scope, from the selectors) and whether to send an in-app message."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.forms import DomainErrorsMixin, Form, VersionField

from . import rules, selectors


def audience_choices(user) -> list:
    buildings = {}
    for b in selectors.audience_buildings(user=user):
        buildings.setdefault(b.estate.name, []).append((f"{rules.BUILDING}:{b.pk}", f"{b.estate.name}{b}"))
    return [
        ("", _("请选择")),
        (_("社区和网格"), [(f"{rules.REGION_AUDIENCES[r.level]}:{r.pk}", r.name)
                     for r in selectors.audience_regions(user=user)]),
        (_("小区"), [(f"{rules.ESTATE}:{e.pk}", e.name) for e in selectors.audience_estates(user=user)]),
        *((_("楼栋 · %(estate)s") % {"estate": estate}, rows) for estate, rows in buildings.items()),
    ]  # fmt: skip


class NoticeForm(DomainErrorsMixin, Form):
    name_fields = ("title",)
    field_aliases = {"audience": "target"}

    title = forms.CharField(label=gettext_lazy("标题"), max_length=rules.TITLE_MAX)
    body = forms.CharField(
        label=gettext_lazy("正文"),
        max_length=rules.BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=gettext_lazy("每行一段"),
    )
    target = forms.ChoiceField(
        label=gettext_lazy("发布范围"), help_text=gettext_lazy("范围内已实名认证的居民可在居民端看到")
    )
    notify = forms.BooleanField(label=gettext_lazy("发布时给范围内的居民发送站内消息"), required=False, initial=True)
    version = VersionField(required=False)

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["target"].choices = audience_choices(user)

    def content(self) -> dict:
        """The service's arguments for the notice's content."""
        audience, target = self.cleaned_data["target"].split(":")
        data = self.cleaned_data
        return {"title": data["title"], "body": data["body"], "audience": audience, "target": int(target),
                "notify": data["notify"]}  # fmt: skip


def initial(notice) -> dict:
    target = {rules.ESTATE: notice.estate_id, rules.BUILDING: notice.building_id}.get(notice.audience, notice.region_id)
    return {"title": notice.title, "body": notice.body, "target": f"{notice.audience}:{target}",
            "notify": notice.notify, "version": notice.version}  # fmt: skip
