"""Forms of the volunteers' and teams' pages (staff and portal). Choices come from the vocabulary and selectors;
the services decide."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.forms import DomainErrorsMixin, Form, IdField, VersionField

from .. import rules as vocabulary
from . import rules


def _skills():
    return forms.MultipleChoiceField(label=_("技能特长"), required=False, choices=list(vocabulary.SKILLS.items()),
                                     widget=forms.CheckboxSelectMultiple)  # fmt: skip


def _availability():
    return forms.MultipleChoiceField(label=_("可服务时间"), required=False,
                                     choices=list(vocabulary.AVAILABILITY.items()),
                                     widget=forms.CheckboxSelectMultiple)  # fmt: skip


class RegisterForm(DomainErrorsMixin, Form):
    """社区代为登记: the person is found by the ID number on the signed paper form."""

    field_aliases = {"person_id": "id_number"}

    id_number = forms.CharField(
        label=gettext_lazy("身份证号码"),
        max_length=18,
        help_text=gettext_lazy("按纸质登记表填写，须是本辖区人员档案中的人员"),
    )
    skills = _skills()
    availability = _availability()
    paper_consent = forms.BooleanField(
        label=gettext_lazy("本人已在纸质登记表上签字，同意《志愿者个人信息告知书》"), required=False
    )  # the service names the missing consent


class SkillsForm(DomainErrorsMixin, Form):
    version = VersionField()
    skills = _skills()
    availability = _availability()


class StateForm(DomainErrorsMixin, Form):
    version = VersionField()
    state = forms.ChoiceField(label=gettext_lazy("状态"), choices=list(vocabulary.VOLUNTEER_STATES.items()))


class PortalRegisterForm(DomainErrorsMixin, Form):
    skills = _skills()
    availability = _availability()
    agreed = forms.BooleanField(label=gettext_lazy("我已阅读并同意《志愿者个人信息告知书》"), required=False)


class TeamForm(DomainErrorsMixin, Form):
    name_fields = ("name",)
    field_aliases = {"region_id": "region", "leader_id": "leader"}

    region = forms.TypedChoiceField(label=gettext_lazy("所属区域"), coerce=int)
    name = forms.CharField(label=gettext_lazy("队伍名称"), max_length=rules.NAME_MAX)
    kind = forms.ChoiceField(
        label=gettext_lazy("队伍类型"), choices=[("", gettext_lazy("请选择")), *vocabulary.TEAM_KINDS.items()]
    )
    description = forms.CharField(label=gettext_lazy("简介"), required=False, max_length=rules.DESCRIPTION_MAX,
                                  widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip

    def __init__(self, data=None, *, regions, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["region"].choices = [("", _("请选择")), *((r.pk, r.name) for r in regions)]


class TeamEditForm(DomainErrorsMixin, Form):
    name_fields = ("name",)
    field_aliases = {"leader_id": "leader"}

    version = VersionField()
    name = forms.CharField(label=gettext_lazy("队伍名称"), max_length=rules.NAME_MAX)
    kind = forms.ChoiceField(label=gettext_lazy("队伍类型"), choices=list(vocabulary.TEAM_KINDS.items()))
    description = forms.CharField(label=gettext_lazy("简介"), required=False, max_length=rules.DESCRIPTION_MAX,
                                  widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    leader = forms.TypedChoiceField(label=gettext_lazy("队长"), coerce=int, required=False, empty_value=None)
    active = forms.BooleanField(label=gettext_lazy("在用"), required=False)

    def __init__(self, data=None, *, members, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["leader"].choices = [("", _("暂无")), *((m.volunteer_id, m.volunteer.person.name) for m in members)]


class MemberForm(DomainErrorsMixin, Form):
    field_aliases = {"volunteer_id": "volunteer"}

    volunteer = IdField(label=gettext_lazy("志愿者"))
