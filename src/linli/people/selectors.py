"""Reads of the people registry, always through the user's region scope (accounts.scope)."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import groupby
from typing import NamedTuple

from django.db.models import F, Func, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.translation import gettext, gettext_lazy

from linli.accounts.roles import EDIT_REGISTRY, REGISTRY, can
from linli.accounts.scope import all_or_404, covers, get_or_404, registry_path, subtree, within
from linli.core.pii import lookup_hash, mask_id_number, mask_phone
from linli.core.reference import covering, kept
from linli.regions.models import Region
from linli.regions.selectors import region_get, region_names, region_queryset

from . import rules
from .models import Estate, House, Household, HouseOwner, Person, PersonTag, Rental, Tag


def can_edit_registry(user) -> bool:
    return can(user, REGISTRY, EDIT_REGISTRY)


def can_view_pii(user) -> bool:
    return user.has_perm("people.view_pii")


def can_export_pii(user) -> bool:
    return user.has_perm("people.export_pii")


def can_view_sensitive_tags(user) -> bool:
    return user.has_perm("people.view_sensitive_tags")


def visible_tags(user) -> QuerySet:
    tags = Tag.objects.all()
    return tags if can_view_sensitive_tags(user) else tags.filter(sensitive=False)


class TagRow(NamedTuple):
    """A tag as choices and labels need it."""

    pk: int
    code: str
    name: str
    sensitive: bool
    graded: bool


@kept(Tag)
def _tag_rows() -> tuple[TagRow, ...]:
    return tuple(TagRow(*row) for row in Tag.objects.values_list(*TagRow._fields))


def tag_rows(user) -> tuple[TagRow, ...]:
    """visible_tags kept in memory (linli.core.reference), in their order: for choices and labels."""
    sensitive = can_view_sensitive_tags(user)
    return tuple(t for t in _tag_rows() if sensitive or not t.sensitive)


def _person_tags_prefetch(user) -> Prefetch:
    qs = PersonTag.objects.select_related("tag").order_by("tag__order")
    if not can_view_sensitive_tags(user):
        qs = qs.filter(tag__sensitive=False)
    return Prefetch("person_tags", queryset=qs, to_attr="visible_tags")


@dataclass
class PersonFilter:
    region: int | None = None  # any region node: the subtree below it
    grid: int | None = None
    tag: str | None = None  # tag code
    residence_type: str | None = None
    gender: str | None = None
    age_min: int | None = None
    age_max: int | None = None
    name: str | None = None
    id_number: str | None = None  # exact, through the keyed hash
    phone: str | None = None  # exact, through the keyed hash
    household: int | None = None
    estate: int | None = None


def birth_range_for_ages(age_min: int | None, age_max: int | None, today: date) -> Q:
    """People aged age_min..age_max inclusive on `today`, as a range on birth_date (index-friendly)."""
    q = Q()
    if age_min is not None:
        q &= Q(birth_date__lte=_years_before(today, age_min))
    if age_max is not None:
        q &= Q(birth_date__gt=_years_before(today, age_max + 1))
    return q


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a non-leap year
        return day.replace(year=day.year - years, day=28)


def _scope_path(user, region: int | None) -> str | None:
    """The path of the user's registry scope, or of a region node's subtree in it when one is asked for.

    region_get answers 404 outside the scope, so the node's subtree lies inside it and replaces the scope
    filter instead of adding a second subquery to every row.
    """
    path = registry_path(user)
    if region and path is not None:
        path = region_get(user=user, pk=region).path
    return path


def _registry_scope(qs: QuerySet, *, user, region: int | None, region_field: str) -> QuerySet:
    return within(qs, _scope_path(user, region), region_field)


class Rows(NamedTuple):
    """A list page's rows, and the same rows as its pager counts them. The count leaves out the page's start of the
    walk (_walk), its order and its columns, which serve reading one page only: with them, compiling and running
    the capped count took 2.8 ms of /persons/ for a street of 500,000 residents; without them, 1.6 ms."""

    page: QuerySet
    matches: QuerySet

    def none(self) -> "Rows":
        return Rows(self.page.none(), self.matches.none())


def _first(model, field: str, path: str) -> Subquery:
    """The smallest `field` of `model` in the subtree at `path`: one probe of its (grid, field) index per region.

    Imports and the demo build register a region's residents and houses in runs of consecutive ids, and number a
    community's households after its code, so a page in id (or 户号) order that walks its index from the start
    first reads and drops every earlier region's rows (nearly the whole district before the last street's first
    page). Starting the walk at the subtree's first value answers the same: no row of the subtree lies below it.
    """
    first = model.objects.filter(grid=OuterRef("pk")).order_by(field).values(field)[:1]
    regions = subtree(path).annotate(first=Subquery(first)).filter(first__isnull=False)
    return Subquery(regions.order_by("first").values("first")[:1])


def _walk(qs: QuerySet, field: str, path: str | None) -> QuerySet:
    """The rows of `qs` (a scope at `path`) from its subtree's first `field` on (_first): the same rows, the page
    in `field` order read without walking the earlier regions. The whole registry ("") starts at the first row
    anyway, and no scope (None) is nothing."""
    return qs.filter(**{f"{field}__gte": _first(qs.model, field, path)}) if path else qs


def person_queryset(*, user, region: int | None = None) -> QuerySet:
    return _registry_scope(Person.objects.all(), user=user, region=region, region_field="grid")


def _person_matches(user, f: PersonFilter, today: date | None) -> tuple[QuerySet, str | None]:
    """The persons matching `f` in the user's scope, unordered; and the path of the scope searched."""
    path = _scope_path(user, f.region)
    qs = within(Person.objects.all(), path, "grid")
    if f.grid:
        qs = qs.filter(grid_id=f.grid)
    if f.tag:
        tag = next((t for t in tag_rows(user) if t.code == f.tag), None)
        # A subquery rather than a join: the page then reads persons in id order, with no sort of the matches.
        qs = qs.filter(pk__in=PersonTag.objects.filter(tag_id=tag.pk).values("person_id")) if tag else qs.none()
    if f.residence_type:
        qs = qs.filter(residence_type=f.residence_type)
    if f.gender:
        qs = qs.filter(gender=f.gender)
    if f.age_min is not None or f.age_max is not None:
        qs = qs.filter(birth_range_for_ages(f.age_min, f.age_max, today or date.today()))
    if f.name:
        qs = qs.filter(name__contains=f.name.strip())
    if f.id_number:
        qs = qs.filter(id_hash=lookup_hash(rules.normalize_id_number(f.id_number)))
    if f.phone:
        qs = qs.filter(phone_hash=lookup_hash(rules.normalize_phone(f.phone)))
    if f.household:
        qs = qs.filter(household_id=f.household)
    if f.estate:
        qs = qs.filter(household__house__unit__building__estate_id=f.estate)
    return qs, path


def person_list(*, user, filters: PersonFilter | None = None, today: date | None = None) -> QuerySet:
    qs, path = _person_matches(user, filters or PersonFilter(), today)
    # Grids by a second query, not a join: joined to regions, SQLite may drive a small page from the region
    # side and sort the whole scope (50 ms for one row of a street instead of 0.3 ms).
    return (
        _walk(qs, "id", path)
        .select_related("household")
        .prefetch_related(Prefetch("grid", queryset=Region.objects.only("name")), _person_tags_prefetch(user))
        .order_by("id")
    )


# The columns the list pages draw (people/person_rows.html, household_rows.html): a person row has thirty columns
# and a household's estate its outline, which the rows never show and which cost a decoding per row.
PERSON_ROW_FIELDS = (
    "name", "gender", "birth_date", "id_number", "phone", "residence_type", "grid", "household__number",
)  # fmt: skip
HOUSEHOLD_ROW_FIELDS = (
    "number", "kind", "head", "house__number", "house__grid", "house__unit__number", "house__unit__building__number",
    "house__unit__building__estate__name",
)  # fmt: skip


def person_rows(*, user, filters: PersonFilter | None = None) -> Rows:
    """The person list page's rows: person_list with the columns the page shows, their grids named by grid_names."""
    qs, path = _person_matches(user, filters or PersonFilter(), None)
    page = _walk(qs, "id", path).select_related("household").prefetch_related(_person_tags_prefetch(user))
    return Rows(page.only(*PERSON_ROW_FIELDS).order_by("id"), qs)


def grid_names(grid_ids) -> Mapping[int, str]:
    """The names of the rows' grids, from the kept region names (linli.core.reference): a query fewer a page."""
    return covering(region_names, grid_ids)


def person_get(*, user, pk: int) -> Person:
    """A person with their grid, household and house, each read by key (see household_get)."""
    household = Prefetch("household", queryset=Household.objects.select_related("house__unit__building__estate"))
    qs = person_queryset(user=user).prefetch_related("grid", household, _person_tags_prefetch(user))
    return get_or_404(qs, pk=pk)


def persons_check(*, user, pks: list[int]) -> None:
    """404 unless every one of the persons is in the user's scope, as person_get for one; one query however many."""
    all_or_404(person_queryset(user=user), pks)


def household_queryset(*, user, region: int | None = None) -> QuerySet:
    return _registry_scope(Household.objects.all(), user=user, region=region, region_field="grid")


def _household_matches(
    user,
    region: int | None = None,
    grid: int | None = None,
    estate: int | None = None,
    number: str | None = None,
    head_name: str | None = None,
) -> tuple[QuerySet, str | None]:
    path = _scope_path(user, region)
    qs = within(Household.objects.all(), path, "grid")
    if grid:
        qs = qs.filter(grid_id=grid)
    if estate:
        qs = qs.filter(house__unit__building__estate_id=estate)
    if number:
        qs = qs.filter(number=number.strip())
    if head_name:
        qs = qs.filter(head__name__contains=head_name.strip())
    return qs, path


def household_list(*, user, **filters) -> QuerySet:
    """Households of the user's scope by 户号, filtered by region, grid, estate, number or the head's name."""
    qs, path = _household_matches(user, **filters)
    # Heads and grids by two more queries rather than two more joins: with seven tables PostgreSQL spent 10-30 ms
    # choosing a join order for a page it then read in under a millisecond.
    grids = Prefetch("house__grid", queryset=Region.objects.only("name"))
    page = _walk(qs, "number", path).select_related("house__unit__building__estate")
    return page.prefetch_related(_heads(), grids).order_by("number")


def _heads() -> Prefetch:
    return Prefetch("head", queryset=Person.objects.only("name"))


def household_get(*, user, pk: int) -> Household:
    """The household file (一户一档): head, house, members with visible tags. The scoped fetch reads the household
    alone and the rest by key: joined to its eight related tables, it took PostgreSQL 8–15 ms to plan at 1,000,000
    residents and 0.4 ms to run (as case_detail_get)."""
    members = Person.objects.order_by("id").prefetch_related(_person_tags_prefetch(user))
    house = Prefetch("house", queryset=House.objects.select_related("unit__building__estate", "grid__parent"))
    qs = household_queryset(user=user).prefetch_related("head", house, Prefetch("members", queryset=members))
    return get_or_404(qs, pk=pk)


def house_queryset(*, user, region: int | None = None) -> QuerySet:
    return _registry_scope(House.objects.all(), user=user, region=region, region_field="grid")


def _house_matches(
    user, region: int | None = None, grid: int | None = None, estate: int | None = None, use: str | None = None
) -> tuple[QuerySet, str | None]:
    path = _scope_path(user, region)
    qs = within(House.objects.all(), path, "grid")
    if grid:
        qs = qs.filter(grid_id=grid)
    if estate:
        qs = qs.filter(unit__building__estate_id=estate)
    if use:
        qs = qs.filter(use=use)
    return qs, path


def _house_page(qs: QuerySet, path: str | None) -> QuerySet:
    return _walk(qs, "id", path).select_related("unit__building__estate", "grid").order_by("id")


def house_list(*, user, **filters) -> QuerySet:
    """Houses of the user's scope in the order registered, filtered by region, grid, estate or use."""
    return _house_page(*_house_matches(user, **filters))


def house_get(*, user, pk: int) -> House:
    return get_or_404(house_list(user=user), pk=pk)


def estate_queryset(*, user, region: int | None = None) -> QuerySet:
    return _registry_scope(Estate.objects.all(), user=user, region=region, region_field="region")


def estate_list(*, user, region: int | None = None, name: str | None = None) -> QuerySet:
    qs = estate_queryset(user=user, region=region)
    if name:
        qs = qs.filter(name__contains=name.strip())
    return qs.select_related("region").order_by("region__path", "name")


@kept(Estate, maxsize=1024)
def estate_options(path: str | None, limit: int) -> tuple[tuple[int, str], ...]:
    """(id, name) of the first `limit` estates of the subtree at `path`, kept in memory (linli.core.reference):
    a filter's select. Ids and names only: an estate row carries its outline, a JSON document to decode."""
    rows = within(Estate.objects.all(), path, "region").order_by("region__path", "name").values_list("pk", "name")
    return tuple(rows[:limit])


def estate_get(*, user, pk: int) -> Estate:
    return get_or_404(estate_list(user=user), pk=pk)


def rentals_of_house(*, house: House) -> QuerySet:
    """Rentals of a house already fetched through a scoped selector."""
    return (
        Rental.objects.filter(house=house)
        .select_related("landlord")
        .prefetch_related("tenants__person")
        .order_by("-starts_on")
    )


def person_history(*, person: Person) -> QuerySet:
    return person.history.select_related("history_user").order_by("-history_date")


def household_history(*, household: Household) -> QuerySet:
    return household.history.select_related("history_user").order_by("-history_date")


def household_rows(*, user, **filters) -> Rows:
    """The household list page's rows: household_list with each household's number of members and the columns the
    page shows, their grids named by grid_names.

    Counted per row by a subquery, not by a join and GROUP BY: grouped, the database counts the members of every
    household in scope before it can take the page (1.1 s for a street of 41,000 households).
    """
    members = Person.objects.filter(household=OuterRef("pk")).order_by()
    counted = members.annotate(n=Func(F("id"), function="COUNT")).values("n")
    qs, path = _household_matches(user, **filters)
    page = _walk(qs, "number", path).select_related("house__unit__building__estate").prefetch_related(_heads())
    page = page.annotate(member_count=Subquery(counted)).only(*HOUSEHOLD_ROW_FIELDS)  # grids named by grid_names
    return Rows(page.order_by("number"), qs)


def house_rows(*, user, **filters) -> Rows:
    """The house list page's rows: house_list with the households living in each house."""
    households = Prefetch("households", queryset=Household.objects.order_by("number"))
    qs, path = _house_matches(user, **filters)
    return Rows(_house_page(qs, path).prefetch_related(households), qs)


def household_file(*, user, pk: int) -> dict:
    """一户一档: the house, members, rentals, owners and the merged history of the household and its members;
    `community_open`: whether the community's page is the user's to open (a grid worker's scope ends at the grid)."""
    household = household_get(user=user, pk=pk)
    house = household.house
    return {
        "household": household,
        "house": house,
        "community_open": covers(user, house.grid.parent),
        "members": household.members.all(),
        "rentals": rentals_of_house(house=house),
        "owners": HouseOwner.objects.filter(house=house).select_related("person").order_by("since", "id"),
        "history": HistoryBuilder(user).household_entries(household),
    }


def person_history_entries(*, user, person: Person) -> list:
    """A person's changes and tag events, newest first, readable and masked (HistoryBuilder)."""
    return HistoryBuilder(user).person_entries(person)


# ---------------------------------------------------------------- change history


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    subject: str
    action: str
    changes: list[Change] = field(default_factory=list)


ACTIONS = {"+": gettext_lazy("新建"), "~": gettext_lazy("修改"), "-": gettext_lazy("删除")}
TAG_ACTIONS = {"+": gettext_lazy("添加标签"), "~": gettext_lazy("修改标签"), "-": gettext_lazy("移除标签")}
HIDDEN_FIELDS = {"version"}
EMPTY = gettext_lazy("（空）")
LABELS = {
    "grid": gettext_lazy("网格"),
    "house": gettext_lazy("房屋"),
}  # fields whose model declares no Chinese verbose_name


class HistoryBuilder:
    """Turns simple-history records into readable entries: field names in Chinese, before → after.

    ID and phone numbers are masked here whatever the reader's permissions: full numbers are shown
    only through the audited reveal. Related households and grids are named only when in scope.
    """

    def __init__(self, user):
        self.user = user
        self.sensitive_ok = can_view_sensitive_tags(user)

    def person_entries(self, person: Person) -> list[HistoryEntry]:
        raw = self._diffs(list(person_history(person=person)), Person, lambda r: r.name)
        raw += self._tag_events(PersonTag.history.filter(person_id=person.pk), {person.pk: person.name})
        return self._finish(raw)

    def household_entries(self, household: Household) -> list[HistoryEntry]:
        members = {m.pk: m.name for m in household.members.all()}
        raw = self._diffs(
            list(household_history(household=household)),
            Household,
            lambda r: gettext("户 %(number)s") % {"number": r.number},
        )
        member_records = (
            Person.history.filter(id__in=members).select_related("history_user").order_by("id", "-history_date")
        )
        for _, records in groupby(member_records, key=lambda r: r.id):
            raw += self._diffs(list(records), Person, lambda r: r.name)
        raw += self._tag_events(PersonTag.history.filter(person_id__in=members), members)
        return self._finish(raw)

    def _diffs(self, records: list, model, subject) -> list[tuple]:
        """records: one object's history, newest first. Returns (entry, [(field, old, new)]) pairs."""
        order = {f.name: i for i, f in enumerate(model._meta.fields)}
        out = []
        for newer, older in zip(records, [*records[1:], None], strict=True):
            entry = HistoryEntry(newer.history_date, _who(newer), subject(newer), ACTIONS[newer.history_type])
            raw = []
            if newer.history_type == "~" and older is not None:
                delta = newer.diff_against(older, excluded_fields=HIDDEN_FIELDS)
                raw = sorted(
                    ((model._meta.get_field(c.field), c.old, c.new) for c in delta.changes),
                    key=lambda t: order.get(t[0].name, 99),
                )
                if not raw:
                    continue
            out.append((entry, raw))
        return out

    def _tag_events(self, records, names: dict) -> list[tuple]:
        records = records.select_related("history_user", "tag").order_by("-history_date")
        out = []
        for r in records:
            if r.tag.sensitive and not self.sensitive_ok:
                continue
            label = r.tag.name + (gettext("（%(grade)s级）") % {"grade": r.grade} if r.grade else "")
            entry = HistoryEntry(r.history_date, _who(r), names.get(r.person_id, ""), TAG_ACTIONS[r.history_type])
            entry.changes = [
                Change(gettext("标签"), "" if r.history_type == "+" else label, "" if r.history_type == "-" else label)
            ]
            out.append((entry, []))
        return out

    def _finish(self, raw: list[tuple]) -> list[HistoryEntry]:
        refs: dict[str, set] = {"household": set(), "grid": set(), "house": set(), "head": set()}
        for _, changes in raw:
            for f, old, new in changes:
                if f.name in refs:
                    refs[f.name].update(v for v in (old, new) if v)
        names = {name: self._names(name, ids) if ids else {} for name, ids in refs.items()}
        entries = []
        for entry, changes in raw:
            entry.changes += [
                Change(LABELS.get(f.name, str(f.verbose_name)), self._show(f, old, names), self._show(f, new, names))
                for f, old, new in changes
            ]
            entries.append(entry)
        entries.sort(key=lambda e: e.when, reverse=True)
        return entries

    def _names(self, ref: str, ids: set) -> dict:
        """Labels of related records, one query per kind, through the scoped selectors."""
        user = self.user
        if ref == "household":
            return dict(household_queryset(user=user).filter(pk__in=ids).values_list("pk", "number"))
        if ref == "grid":
            return dict(region_queryset(user=user).filter(pk__in=ids).values_list("pk", "name"))
        if ref == "head":
            return dict(person_queryset(user=user).filter(pk__in=ids).values_list("pk", "name"))
        return {h.pk: house_label(h) for h in house_list(user=user).filter(pk__in=ids)}

    @staticmethod
    def _show(f, value, names) -> str:
        if value in (None, ""):
            return EMPTY
        if f.name == "id_number":
            return mask_id_number(value)
        if f.name == "phone":
            return mask_phone(value)
        if f.name in names:
            return names[f.name].get(value, "（不在您的管辖范围内）")
        if f.is_relation:
            return f"#{value}"
        if f.choices:
            return str(dict(f.flatchoices).get(value, value))
        if isinstance(value, date):
            return value.isoformat()
        return str(value)


def house_label(house) -> str:
    building = house.unit.building
    return gettext("%(name)s %(number)s号楼%(number2)s单元%(number3)s") % {
        "name": building.estate.name,
        "number": building.number,
        "number2": house.unit.number,
        "number3": house.number,
    }


def _who(record) -> str:
    user = record.history_user
    return user.display_name if user else gettext("系统")
