"""Page forms: a committee (its dates, filing and up to eleven members chosen among the estate's owners), a Party
organisation, a cross-office holding. Choices come from the selectors."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.forms import DayField, DomainErrorsMixin, Form, VersionField

from . import rules, selectors
from .services import Member

ROLE_CHOICES = list(rules.MEMBER_ROLES.items())
HOST_CHOICES = list(rules.HOSTS.items())


class CommitteeForm(DomainErrorsMixin, Form):
    """`estate` is the estate whose owners may be chosen; a new committee (no `committee`) asks its dates too."""

    assembly_on = DayField(label=gettext_lazy("业主大会召开日期"), widget=forms.DateInput(attrs={"type": "date"}))
    formed_on = DayField(
        label=gettext_lazy("成立日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("任期自该日起算，五年"),
    )
    filed_on = DayField(
        label=gettext_lazy("街道备案日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    filing_number = forms.CharField(label=gettext_lazy("备案编号"), max_length=50, required=False)
    version = VersionField(required=False)

    def __init__(self, data=None, *, estate, committee=None, **kwargs):
        super().__init__(data, **kwargs)
        if committee is not None:
            del self.fields["assembly_on"], self.fields["formed_on"]
        owners = [("", "—")] + [(str(p.pk), p.name) for p in selectors.estate_owners(estate.pk)]
        members = list(committee.members.all()) if committee is not None else []
        for i in range(1, rules.MAX_MEMBERS + 1):
            m = members[i - 1] if i <= len(members) else None
            self.fields[f"person_{i}"] = forms.ChoiceField(
                label=_("第%(i)s名") % {"i": i}, choices=owners, required=False, initial=m.person_id if m else ""
            )
            self.fields[f"role_{i}"] = forms.ChoiceField(
                label=_("职务"),
                choices=ROLE_CHOICES,
                initial=m.role if m else (rules.CHAIR if i == 1 else rules.MEMBER),
            )
            self.fields[f"party_{i}"] = forms.BooleanField(
                label=_("党员"), required=False, initial=m and m.party_member
            )

    def rows(self):
        """(person, role, party) bound fields of each member row, for the template."""
        return [(self[f"person_{i}"], self[f"role_{i}"], self[f"party_{i}"]) for i in range(1, rules.MAX_MEMBERS + 1)]

    def members(self) -> list[Member]:
        data = self.cleaned_data
        return [
            Member(int(data[f"person_{i}"]), data[f"role_{i}"], data[f"party_{i}"])
            for i in range(1, rules.MAX_MEMBERS + 1)
            if data.get(f"person_{i}")
        ]


class PartyForm(DomainErrorsMixin, Form):
    name_fields = ("name", "secretary")

    kind = forms.ChoiceField(label=gettext_lazy("组织形式"), choices=list(rules.PARTY_KINDS.items()))
    name = forms.CharField(label=gettext_lazy("名称"), max_length=100)
    host = forms.ChoiceField(label=gettext_lazy("建在"), choices=HOST_CHOICES)
    committee_id = forms.TypedChoiceField(
        label=gettext_lazy("业主委员会"), coerce=int, required=False, empty_value=None
    )
    organization_id = forms.TypedChoiceField(
        label=gettext_lazy("物业企业"), coerce=int, required=False, empty_value=None
    )
    secretary = forms.CharField(label=gettext_lazy("书记（组长）"), max_length=50)
    members = forms.IntegerField(label=gettext_lazy("党员人数"), min_value=0, max_value=10_000)
    founded_on = DayField(label=gettext_lazy("成立日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        hosts(self, user)


class CrossOfficeForm(DomainErrorsMixin, Form):
    name_fields = ("name",)

    name = forms.CharField(label=gettext_lazy("姓名"), max_length=50)
    home = forms.ChoiceField(label=gettext_lazy("本职单位"), choices=HOST_CHOICES)
    home_post = forms.CharField(
        label=gettext_lazy("本职职务"), max_length=50, help_text=gettext_lazy("如：社区党委书记、物业项目经理")
    )
    serves = forms.ChoiceField(label=gettext_lazy("兼任单位"), choices=HOST_CHOICES, initial=rules.COMMITTEE)
    serves_post = forms.CharField(
        label=gettext_lazy("兼任职务"), max_length=50, help_text=gettext_lazy("如：业委会副主任、物业企业党支部委员")
    )
    committee_id = forms.TypedChoiceField(
        label=gettext_lazy("业主委员会"), coerce=int, required=False, empty_value=None
    )
    organization_id = forms.TypedChoiceField(
        label=gettext_lazy("物业企业"), coerce=int, required=False, empty_value=None
    )
    since = DayField(label=gettext_lazy("任职日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        hosts(self, user)


def hosts(form: Form, user) -> None:
    """The committee and company choices of the user's scope, with a blank for "not this kind"."""
    committees = selectors.committee_list(user=user)
    form.fields["committee_id"].choices = [("", "—")] + [
        (c.pk, _("%(name)s业主委员会") % {"name": c.estate.name}) for c in committees
    ]
    companies = selectors.company_choices(user=user)
    form.fields["organization_id"].choices = [("", "—")] + [(o.pk, o.name) for o in companies]
    form.fields["committee_id"].help_text = _("建在或涉及业主委员会时选择")
    form.fields["organization_id"].help_text = _("建在或涉及物业企业时选择")
