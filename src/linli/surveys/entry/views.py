"""入户登记 pages for an enumerator's phone: my areas, an area's units by state, a unit (its visit state, and its
forms filled in on the device by static/linli/surveys/entry-unit.js against the API). Thin: the API's selectors and
services."""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from linli.core.errors import DomainError, PermissionDenied
from linli.core.pages import forbidden
from linli.core.pagination import CappedPaginator
from linli.surveys import rules as survey_rules
from linli.surveys import selectors as survey_selectors

from . import rules, selectors, services
from .forms import StateForm

PAGE_SIZE = 50


@login_required
def home(request: HttpRequest) -> HttpResponse:
    try:
        areas = list(selectors.my_areas(request.user))
    except PermissionDenied as exc:
        return forbidden(request, exc)
    for a in areas:
        a.states = selectors.state_counts(a)
    surveys = [(survey, list(group)) for survey, group in groupby(areas, key=lambda a: a.survey)]
    return render(request, "surveys/entry/home.html", {"surveys": surveys})


@login_required
def area(request: HttpRequest, survey_id: int, area_id: int) -> HttpResponse:
    try:
        selectors.entry_check(request.user)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    survey = survey_selectors.survey_get(request.user, survey_id)
    the_area = selectors.area_counted(request.user, survey, area_id)
    state = request.GET.get("state")
    state = state if state in survey_rules.UNIT_STATES else None
    units = selectors.area_units(request.user, survey, the_area, state)
    page = CappedPaginator(units, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"survey": survey, "area": the_area, "states": selectors.state_counts(the_area), "state": state,
               "page": page}  # fmt: skip
    return render(request, "surveys/entry/area.html", context)


@login_required
def returns(request: HttpRequest, survey_id: int) -> HttpResponse:
    """回收录入: a unit survey's organisations for the office that runs it, to enter the forms that came back."""
    survey = survey_selectors.survey_get(request.user, survey_id)
    state = request.GET.get("state")
    state = state if state in survey_rules.UNIT_STATES else None
    try:
        states, units = selectors.returned_units(request.user, survey, state)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    page = CappedPaginator(units, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"survey": survey, "states": states, "total": sum(n for _, _, n in states), "state": state,
               "page": page}  # fmt: skip
    return render(request, "surveys/entry/returns.html", context)


def _unit_page(request: HttpRequest, unit_id: int, form: StateForm | None = None, status: int = 200) -> HttpResponse:
    try:
        selectors.entry_check(request.user)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    unit = survey_selectors.unit_get(request.user, unit_id)
    survey = unit.frame.survey
    got = selectors.received(unit)
    enters = survey.state == survey_rules.RUNNING and selectors.may_enter(request.user, unit)
    device = {
        "unit": {"id": unit.pk, "label": unit.label, "version": unit.version},
        "forms": selectors.device_forms(unit, got) if enters else [],
        "needed": rules.forms_needed(unit.form_role, got[unit.form_role].answers if unit.form_role in got else None),
        "submit": reverse("api-v1:survey_entry_responses", args=[unit.pk]) if enters else "",
        "page": reverse("survey_entry:unit", args=[unit.pk]),
    }
    context = {
        "unit": unit, "survey": survey, "received": got.values(), "enters": enters, "device": device,
        "form": form or StateForm(initial={"version": unit.version}),
        "states": [(s, survey_rules.UNIT_STATES[s]) for s in rules.SETTABLE_STATES],
    }  # fmt: skip
    return render(request, "surveys/entry/unit.html", context, status=status)


@login_required
def unit(request: HttpRequest, unit_id: int) -> HttpResponse:
    return _unit_page(request, unit_id)


@login_required
@require_POST
def unit_state(request: HttpRequest, unit_id: int) -> HttpResponse:
    form = StateForm(request.POST)
    if form.is_valid():
        try:
            saved = services.unit_state_set(user=request.user, unit_id=unit_id, **form.cleaned_data)
        except PermissionDenied as exc:
            return forbidden(request, exc)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(
                request, gettext("已记为“%(UNIT_STATES)s”") % {"UNIT_STATES": survey_rules.UNIT_STATES[saved.state]}
            )
            return redirect("survey_entry:unit", unit_id)
    return _unit_page(request, unit_id, form=form, status=400)
