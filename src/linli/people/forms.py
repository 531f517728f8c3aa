"""Forms of the registry pages. They parse and render; the services validate (people.services.person_clean)."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy

from linli.accounts import scope
from linli.core.forms import DomainErrorsMixin, Form, VersionField
from linli.core.pii import mask_id_number, mask_phone
from linli.regions.rules import DISTRICT, GRID
from linli.regions.selectors import region_list, scope_nodes

from . import rules
from .models import House, Household, Person
from .selectors import PersonFilter, estate_list, estate_options, household_list, tag_rows

ALL = ("", gettext_lazy("全部"))
# The most estates a filter offers as a select (a community's; the demo district has 150 per community).
ESTATES_MAX = 200


def _blank(choices, label: str = "（未填写）") -> list:
    return [("", label), *choices]


def _grid_label(grid, names: dict[int, str]) -> str:
    """ "community · grid", or the grid's name alone when its community lies outside the scope (a grid worker's)."""
    parent = names.get(grid.parent_id)
    return f"{parent} · {grid.name}" if parent else grid.name


def grid_options(user) -> list[tuple[str, str]]:
    """Every grid of the user's scope as (id, "community · grid"), for choosing a person's grid."""
    # Values, not model instances: a street at district size has hundreds of grids, each a node and its parent.
    rows = region_list(user=user, level=GRID).values_list("pk", "name", "parent__name")
    return [(str(pk), f"{parent} · {name}" if parent else name) for pk, name, parent in rows]


class RegionFilterMixin:
    """The 街道/社区 and 网格 selects of a list's filter.

    The grid select offers the grids of the chosen street or community (else of the scope) when there are at most
    GRIDS_MAX: a select of a street's hundreds of grids is of no use to a clerk and costs a template node per option,
    so past the bound the field asks for a community first, and choosing one reloads the list with its grids. A grid
    already chosen (a link from the region tree) stays offered and selected.
    """

    GRIDS_MAX = 60

    def _region_filters(self, user) -> None:
        nodes = scope_nodes(user=user)
        names = {node.pk: node.name for node in nodes}
        self.fields["region"].choices = [
            ALL,
            *((str(n.pk), "\u3000" * max(n.level - DISTRICT, 0) + n.name) for n in nodes if n.level != GRID),
        ]
        self.fields["region"].widget.attrs["data-autosubmit"] = ""
        grids = [n for n in nodes if n.level == GRID]
        region = self._valid("region")
        if region is not None:
            under = next(n.path for n in nodes if n.pk == region)
            grids = [n for n in grids if scope.contains(under, n.path)]
        options = grids[: self.GRIDS_MAX + 1]
        if len(options) > self.GRIDS_MAX:
            options = []
            self.fields["grid"].help_text = gettext("网格较多，请先选择社区")
        chosen = self._valid_int("grid")
        if chosen and chosen not in {n.pk for n in options}:
            options += [n for n in nodes if n.pk == chosen and n.level == GRID]
        self.fields["grid"].choices = [ALL, *((str(n.pk), _grid_label(n, names)) for n in options)]

    def _valid(self, name: str) -> int | None:
        """The field's value if it is one of its choices (the scope's regions), else None; before full_clean."""
        try:
            return self.fields[name].clean(self[name].data)
        except forms.ValidationError:
            return None

    def _valid_int(self, name: str) -> int | None:
        try:
            return int(self[name].data)
        except (TypeError, ValueError):
            return None


# Typed by the user and never saved by the browser's form history.
NUMBER_INPUT = {"autocomplete": "off", "spellcheck": "false"}


class PersonFilterForm(RegionFilterMixin, Form):
    # Full numbers are posted and wait in the session, never in a URL (core.searches).
    NUMBERS = ("id_number", "phone")

    name = forms.CharField(label=gettext_lazy("姓名"), required=False, max_length=50)
    id_number = forms.CharField(
        label=gettext_lazy("证件号码"), required=False, max_length=30, widget=forms.TextInput(attrs=NUMBER_INPUT)
    )
    phone = forms.CharField(
        label=gettext_lazy("联系电话"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={**NUMBER_INPUT, "inputmode": "tel"}),
    )
    region = forms.TypedChoiceField(label=gettext_lazy("街道/社区"), required=False, coerce=int, empty_value=None)
    grid = forms.TypedChoiceField(label=gettext_lazy("网格"), required=False, coerce=int, empty_value=None)
    tag = forms.ChoiceField(label=gettext_lazy("标签"), required=False)
    residence_type = forms.ChoiceField(
        label=gettext_lazy("人口类型"), required=False, choices=[ALL, *Person.ResidenceType.choices]
    )
    gender = forms.ChoiceField(label=gettext_lazy("性别"), required=False, choices=[ALL, *Person.Gender.choices])
    age_min = forms.IntegerField(label=gettext_lazy("年龄自"), required=False, min_value=0, max_value=150)
    age_max = forms.IntegerField(label=gettext_lazy("至"), required=False, min_value=0, max_value=150)

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self._region_filters(user)
        self.fields["tag"].choices = [ALL, *((t.code, t.name) for t in tag_rows(user))]

    def to_filter(self) -> PersonFilter:
        """The valid part of the query; a bad value in one field does not empty the whole list."""
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        return PersonFilter(**data)

    def split(self) -> tuple[dict[str, str], dict[str, str]]:
        """A posted search as (the other filters as typed, for the URL; the valid numbers, for the session).

        The filters go on as typed, so the list shows their errors as it would for a link; a number that is not
        valid (too long) is dropped rather than stored.
        """
        self.is_valid()
        public = {n: self.data.get(n, "").strip() for n in self.fields if n not in self.NUMBERS}
        numbers = {n: self.cleaned_data.get(n, "").strip() for n in self.NUMBERS}
        return public, numbers


class PersonForm(DomainErrorsMixin, Form):
    name_fields = ("name",)
    name = forms.CharField(label=gettext_lazy("姓名"), required=False)
    id_type = forms.ChoiceField(label=gettext_lazy("证件类型"), required=False, choices=Person.IdType.choices)
    id_number = forms.CharField(label=gettext_lazy("证件号码"), required=False)
    gender = forms.ChoiceField(
        label=gettext_lazy("性别"),
        required=False,
        choices=_blank(Person.Gender.choices, "按证件号码"),
        help_text=gettext_lazy("居民身份证可自动推导"),
    )
    birth_date = forms.CharField(
        label=gettext_lazy("出生日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("居民身份证可自动推导"),
    )
    ethnicity = forms.ChoiceField(
        label=gettext_lazy("民族"), required=False, choices=_blank((e, e) for e in rules.ETHNIC_GROUPS)
    )
    phone = forms.CharField(
        label=gettext_lazy("联系电话"), required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    residence_type = forms.ChoiceField(
        label=gettext_lazy("人口类型"), required=False, choices=Person.ResidenceType.choices
    )
    household = forms.CharField(
        label=gettext_lazy("所属户（户号）"), required=False, help_text=gettext_lazy("不属于任何户时留空并选择网格")
    )
    relationship = forms.ChoiceField(
        label=gettext_lazy("与户主关系"), required=False, choices=_blank(Person.Relationship.choices)
    )
    grid = forms.TypedChoiceField(
        label=gettext_lazy("网格"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=gettext_lazy("填写户号时以该户房屋所在网格为准"),
    )
    hukou_address = forms.CharField(label=gettext_lazy("户籍地"), required=False)
    current_address = forms.CharField(label=gettext_lazy("现住址"), required=False)
    education = forms.ChoiceField(
        label=gettext_lazy("文化程度"), required=False, choices=_blank(Person.Education.choices)
    )
    employment = forms.ChoiceField(
        label=gettext_lazy("就业状况"), required=False, choices=_blank(Person.Employment.choices)
    )
    employer = forms.CharField(label=gettext_lazy("工作单位"), required=False)
    political_status = forms.ChoiceField(
        label=gettext_lazy("政治面貌"), required=False, choices=_blank(Person.Political.choices)
    )
    marital_status = forms.ChoiceField(
        label=gettext_lazy("婚姻状况"), required=False, choices=_blank(Person.Marital.choices)
    )
    note = forms.CharField(label=gettext_lazy("备注"), required=False)
    version = VersionField(required=False)

    # Full numbers are never put into an edit form (PIPL): blank keeps the stored number.
    KEEP_IF_BLANK = ("id_number", "phone")

    def __init__(self, data=None, *, user, person: Person | None = None, **kwargs):
        if person is not None and data is None:
            kwargs["initial"] = self.initial_for(person)
        super().__init__(data, **kwargs)
        self.user, self.person = user, person
        self.fields["grid"].choices = _blank(grid_options(user), gettext("（请选择）"))
        if person is not None:
            for name, masked in (("id_number", mask_id_number(person.id_number)), ("phone", mask_phone(person.phone))):
                self.fields[name].widget.attrs["placeholder"] = masked or gettext("（未填写）")
                self.fields[name].help_text = gettext("留空表示不修改")

    def live_validate(self, url: str) -> None:
        """htmx: check a field when the user leaves it (people.views.person_validate)."""
        for name in ("name", "id_number", "gender", "birth_date", "ethnicity", "phone"):
            self.fields[name].widget.attrs.update(
                {
                    "hx-post": url,
                    "hx-trigger": "change",
                    "hx-target": f"#id_{name}_error",
                    "hx-swap": "outerHTML",
                    "hx-include": "closest form",
                }
            )

    @classmethod
    def initial_for(cls, person: Person) -> dict:
        initial = {name: getattr(person, name) for name in cls.base_fields if name not in cls.KEEP_IF_BLANK}
        initial.update(
            household=person.household.number if person.household_id else "",
            grid=person.grid_id,
            birth_date=person.birth_date.isoformat() if person.birth_date else "",
        )
        return initial

    def clean_household(self) -> Household | None:
        number = self.cleaned_data["household"].strip()
        if not number:
            return None
        household = household_list(user=self.user, number=number).first()
        if household is None:
            raise forms.ValidationError(gettext("未找到该户号，或该户不在您的管辖范围内"))
        return household

    def service_data(self) -> dict:
        """What people.services.person_create/person_update take."""
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("household", "grid", "version")}
        if self.person is not None:
            for name in self.KEEP_IF_BLANK:
                if not data.get(name, "").strip():
                    data.pop(name, None)
        household = self.cleaned_data.get("household")
        data["household_id"] = household.pk if household else None
        data["grid_id"] = self.cleaned_data.get("grid")
        return data


class RevealForm(DomainErrorsMixin, Form):
    purpose = forms.CharField(
        label=gettext_lazy("查看用途"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("如：入户走访核实身份")}),
    )


class TagForm(DomainErrorsMixin, Form):
    tag = forms.ChoiceField(label=gettext_lazy("标签"))
    grade = forms.TypedChoiceField(
        label=gettext_lazy("等级"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", gettext_lazy("不分级")),
            *((str(g), format_lazy(gettext_lazy("{grade}级"), grade=g)) for g in range(1, 5)),
        ],
    )
    note = forms.CharField(label=gettext_lazy("说明"), required=False, max_length=200)

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["tag"].choices = [(t.code, t.name) for t in tag_rows(user)]


class HouseholdFilterForm(RegionFilterMixin, Form):
    number = forms.CharField(label=gettext_lazy("户号"), required=False, max_length=30)
    head_name = forms.CharField(label=gettext_lazy("户主姓名"), required=False, max_length=50)
    estate = forms.TypedChoiceField(label=gettext_lazy("小区"), required=False, coerce=int, empty_value=None)
    region = forms.TypedChoiceField(label=gettext_lazy("街道/社区"), required=False, coerce=int, empty_value=None)
    grid = forms.TypedChoiceField(label=gettext_lazy("网格"), required=False, coerce=int, empty_value=None)

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self._region_filters(user)
        self._estate_choices(user)

    def _estate_choices(self, user) -> None:
        """The estates of the chosen street or community (else of the scope) when there are at most ESTATES_MAX.

        A select of every estate in a street or district is of no use to a clerk and costs a template node per
        option (1,200 in the demo district); past the bound the field asks for a community first. An estate
        already chosen (a link from the estate's page) stays offered and selected.
        """
        region = self._valid("region")
        path = next(n.path for n in scope_nodes(user=user) if n.pk == region) if region else scope.registry_path(user)
        estates = list(estate_options(path, ESTATES_MAX + 1))
        if len(estates) > ESTATES_MAX:
            estates = []
            self.fields["estate"].help_text = gettext("小区较多，请先选择社区")
        chosen = self._valid_int("estate")
        if chosen and chosen not in {pk for pk, _ in estates}:
            estates += estate_list(user=user).filter(pk=chosen).values_list("pk", "name")
        self.fields["estate"].choices = [ALL, *((str(pk), name) for pk, name in estates)]

    def to_filter(self) -> dict:
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class HouseFilterForm(HouseholdFilterForm):
    use = forms.ChoiceField(label=gettext_lazy("用途"), required=False, choices=[ALL, *House.Use.choices])

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, user=user, **kwargs)
        del self.fields["number"], self.fields["head_name"]
