"""Registry pages: persons, the household file (一户一档) and houses. Thin: selectors read, services write."""

from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.core.pages import forbidden
from linli.core.pii import mask_id_number, mask_phone
from linli.regions.selectors import region_queryset

from . import services
from .forms import HouseFilterForm, HouseholdFilterForm, PersonFilterForm, PersonForm, RevealForm, TagForm
from .models import Household, HouseOwner, Person, PersonTag
from .selectors import (
    can_edit_registry,
    can_view_pii,
    can_view_sensitive_tags,
    house_list,
    household_get,
    household_history,
    household_list,
    household_queryset,
    person_get,
    person_history,
    person_list,
    person_queryset,
    rentals_of_house,
)

PAGE_SIZE = 20


def paginate(request: HttpRequest, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


# ---------------------------------------------------------------- persons


@login_required
def person_list_view(request: HttpRequest) -> HttpResponse:
    form = PersonFilterForm(request.GET, user=request.user)
    page = paginate(request, person_list(user=request.user, filters=form.to_filter()))
    return render(
        request,
        "people/person_list.html",
        {"form": form, "page": page, "can_edit": can_edit_registry(request.user)},
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_get(user=request.user, pk=pk)
    return _render_person(request, person)


def _render_person(request, person, *, status=200, revealed=None, reveal_form=None, tag_form=None) -> HttpResponse:
    user = request.user
    context = {
        "person": person,
        "history": HistoryBuilder(user).person_entries(person),
        "can_view_pii": can_view_pii(user),
        "can_edit": can_edit_registry(user),
        "revealed": revealed,
        "reveal_form": reveal_form or RevealForm(),
        "tag_form": tag_form or TagForm(user=user),
    }
    return render(request, "people/person_detail.html", context, status=status)


@login_required
@require_POST
def person_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Shows the full numbers in this one response only; person_reveal writes the audit entry."""
    person = person_get(user=request.user, pk=pk)
    form = RevealForm(request.POST)
    form.is_valid()
    try:
        revealed = services.person_reveal(
            user=request.user, pk=person.pk, purpose=form.cleaned_data.get("purpose", ""), request=request
        )
    except ValidationFailed as exc:
        form.add_domain_errors(exc.errors)
        return _render_person(request, person, status=400, reveal_form=form)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    return _render_person(request, person, revealed=revealed, reveal_form=form)


@login_required
@require_POST
def person_tag_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_get(user=request.user, pk=pk)
    form = TagForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            link = services.person_tag_set(
                user=request.user,
                person_id=person.pk,
                tag_code=form.cleaned_data["tag"],
                grade=form.cleaned_data["grade"],
                note=form.cleaned_data["note"],
            )
        except ValidationFailed as exc:
            form.add_domain_errors(exc.errors)
        except PermissionDenied as exc:
            return forbidden(request, exc)
        else:
            messages.success(request, f"已添加标签“{link.tag.name}”")
            return redirect("people:person_detail", pk=person.pk)
    return _render_person(request, person_get(user=request.user, pk=pk), status=400, tag_form=form)


@login_required
@require_POST
def person_tag_remove(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    person = person_get(user=request.user, pk=pk)
    try:
        services.person_tag_remove(user=request.user, person_id=person.pk, tag_code=code)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    except ValidationFailed as exc:
        messages.error(request, exc.errors[0].message if exc.errors else exc.detail)
    else:
        messages.success(request, "已移除标签")
    return redirect("people:person_detail", pk=person.pk)


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    try:
        services.check_registry_editor(request.user)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    if request.method == "POST":
        form = PersonForm(request.POST, user=request.user)
        return _save_person(request, form, lambda data: services.person_create(user=request.user, data=data))
    initial = {"household": request.GET.get("household", ""), "grid": request.GET.get("grid")}
    form = PersonForm(user=request.user, initial=initial)
    return _render_form(request, form, None)


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_get(user=request.user, pk=pk)
    if request.method == "POST":
        form = PersonForm(request.POST, user=request.user, person=person)
        return _save_person(
            request,
            form,
            lambda data: services.person_update(
                user=request.user, pk=person.pk, version=form.cleaned_data["version"] or 0, data=data
            ),
            person,
        )
    return _render_form(request, PersonForm(user=request.user, person=person), person)


def _save_person(request, form: PersonForm, save, person=None) -> HttpResponse:
    status = 400
    if form.is_valid():
        try:
            saved = save(form.service_data())
        except ValidationFailed as exc:
            form.add_domain_errors(exc.errors)
        except Conflict as exc:
            form.add_error(None, exc.detail)  # the user's input stays in the form, the version too
            status = 409
        except PermissionDenied as exc:
            return forbidden(request, exc)
        else:
            messages.success(request, f"已保存“{saved.name}”的信息")
            return redirect("people:person_detail", pk=saved.pk)
    return _render_form(request, form, person, status=status)


def _render_form(request, form, person, status=200) -> HttpResponse:
    form.live_validate(reverse("people:person_validate"))
    return render(request, "people/person_form.html", {"form": form, "person": person}, status=status)


@login_required
@require_POST
def person_validate(request: HttpRequest) -> HttpResponse:
    """htmx, on leaving a field: that field's error from person_clean, or nothing. Saves nothing."""
    name = request.headers.get("HX-Trigger-Name", "")
    value = request.POST.get(name, "").strip()
    message = ""
    if value and name in PersonForm.base_fields:
        _, errors = services.person_clean(request.POST)
        message = next((e.message for e in errors if e.field == name), "")
    return render(request, "people/_field_error.html", {"name": name, "message": message})


# ---------------------------------------------------------------- households and houses


@login_required
def household_list_view(request: HttpRequest) -> HttpResponse:
    form = HouseholdFilterForm(request.GET, user=request.user)
    qs = household_list(user=request.user, **form.to_filter()).annotate(member_count=Count("members"))
    return render(request, "people/household_list.html", {"form": form, "page": paginate(request, qs)})


@login_required
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """一户一档: the house, members, rentals, owners and the merged history of the household and its members."""
    household = household_get(user=request.user, pk=pk)
    house = household.house
    owners = HouseOwner.objects.filter(house=house).select_related("person").order_by("since", "id")
    context = {
        "household": household,
        "house": house,
        "members": household.members.all(),
        "rentals": rentals_of_house(house=house),
        "owners": owners,
        "history": HistoryBuilder(request.user).household_entries(household),
        "can_edit": can_edit_registry(request.user),
        "today": date.today(),
    }
    return render(request, "people/household_detail.html", context)


@login_required
def house_list_view(request: HttpRequest) -> HttpResponse:
    form = HouseFilterForm(request.GET, user=request.user)
    households = Prefetch("households", queryset=Household.objects.order_by("number"))
    qs = house_list(user=request.user, **form.to_filter()).prefetch_related(households)
    return render(request, "people/house_list.html", {"form": form, "page": paginate(request, qs)})


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


ACTIONS = {"+": "新建", "~": "修改", "-": "删除"}
TAG_ACTIONS = {"+": "添加标签", "~": "修改标签", "-": "移除标签"}
HIDDEN_FIELDS = {"version"}
EMPTY = "（空）"
LABELS = {"grid": "网格", "house": "房屋"}  # fields whose model declares no Chinese verbose_name


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
        raw = self._diffs(list(household_history(household=household)), Household, lambda r: f"户 {r.number}")
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
            label = r.tag.name + (f"（{r.grade}级）" if r.grade else "")
            entry = HistoryEntry(r.history_date, _who(r), names.get(r.person_id, ""), TAG_ACTIONS[r.history_type])
            entry.changes = [
                Change("标签", "" if r.history_type == "+" else label, "" if r.history_type == "-" else label)
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
    return f"{building.estate.name} {building.number}号楼{house.unit.number}单元{house.number}"


def _who(record) -> str:
    user = record.history_user
    return user.display_name if user else "系统"
