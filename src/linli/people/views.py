"""Registry pages: persons, the household file (一户一档) and houses. Thin: selectors read, services write."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.core.pages import forbidden
from linli.core.pagination import CappedPaginator
from linli.core.searches import search_criteria, search_url

from . import services
from .forms import HouseFilterForm, HouseholdFilterForm, PersonFilterForm, PersonForm, RevealForm, TagForm
from .selectors import (
    Rows,
    can_edit_registry,
    can_view_pii,
    grid_names,
    house_rows,
    household_file,
    household_rows,
    person_get,
    person_history_entries,
    person_rows,
)

PAGE_SIZE = 20


def paginate(request: HttpRequest, rows: Rows):
    return CappedPaginator(rows.page, PAGE_SIZE, counted=rows.matches).get_page(request.GET.get("page"))


# ---------------------------------------------------------------- persons


@login_required
@require_http_methods(["GET", "POST"])
def person_list_view(request: HttpRequest) -> HttpResponse:
    """The form posts; ID and phone numbers wait in the session and the list is a GET of `?search=<id>&…`."""
    if request.method == "POST":
        public, numbers = PersonFilterForm(request.POST, user=request.user).split()
        return redirect(search_url(request, request.path, public, numbers))
    data, current = search_criteria(request, PersonFilterForm.NUMBERS)
    form = PersonFilterForm(data, user=request.user)
    people = person_rows(user=request.user, filters=form.to_filter())
    page = paginate(request, people if current else people.none())
    context = {
        "form": form,
        "page": page,
        "grids": grid_names({p.grid_id for p in page.object_list}),
        "search_expired": not current,
        "can_edit": can_edit_registry(request.user),
    }
    return render(request, "people/person_list.html", context)


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_get(user=request.user, pk=pk)
    return _render_person(request, person)


def _render_person(request, person, *, status=200, revealed=None, reveal_form=None, tag_form=None) -> HttpResponse:
    user = request.user
    context = {
        "person": person,
        "history": person_history_entries(user=user, person=person),
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
            messages.success(request, gettext("已添加标签“%(name)s”") % {"name": link.tag.name})
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
        messages.success(request, gettext("已移除标签"))
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
            messages.success(request, gettext("已保存“%(name)s”的信息") % {"name": saved.name})
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
    page = paginate(request, household_rows(user=request.user, **form.to_filter()))
    grids = grid_names({h.house.grid_id for h in page.object_list})
    return render(request, "people/household_list.html", {"form": form, "page": page, "grids": grids})


@login_required
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    context = {
        **household_file(user=request.user, pk=pk),
        "can_edit": can_edit_registry(request.user),
        "today": date.today(),
    }
    return render(request, "people/household_detail.html", context)


@login_required
def house_list_view(request: HttpRequest) -> HttpResponse:
    form = HouseFilterForm(request.GET, user=request.user)
    rows = house_rows(user=request.user, **form.to_filter())
    return render(request, "people/house_list.html", {"form": form, "page": paginate(request, rows)})
