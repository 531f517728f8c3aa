"""覆盖核查 pages: a census's clean-up lists with their counts, each entry applied to the registry or dismissed
with a reason; recomputing the lists. Thin: the API's selectors and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.core.errors import DomainError, PermissionDenied
from linli.core.pages import error_text, forbidden
from linli.core.pagination import CappedPaginator

from . import rules, selectors, services
from .forms import ApplyForm, DismissForm

PAGE_SIZE = 50


@login_required
def coverage(request: HttpRequest, survey_id: int) -> HttpResponse:
    try:
        survey = selectors.runnable_survey(request.user, survey_id)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    kind = request.GET.get("kind") if request.GET.get("kind") in rules.KINDS else None
    state = request.GET.get("state", rules.PENDING)
    state = state if state in rules.STATES else None
    page = CappedPaginator(selectors.finding_list(survey, kind=kind, state=state), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"survey": survey, "kind": kind, "state": state, "kinds": rules.KINDS, "states": rules.STATES,
               "counts": _counts(selectors.finding_counts(survey)), "page": page,
               "rows": selectors.shown(page.object_list), "computed": selectors.computed_at(survey),
               "id_types": selectors.ID_TYPES}  # fmt: skip
    return render(request, "surveys/coverage/list.html", context)


def _back(request: HttpRequest, survey_id: int) -> HttpResponse:
    """Back to the list the reviewer was on (its filters travel in the form's `back` field, a query string)."""
    query = request.POST.get("back", "")
    response = redirect("survey_coverage:list", survey_id)
    if query.startswith("?") and "\n" not in query:
        response["Location"] += query
    return response


@login_required
@require_POST
def compute(request: HttpRequest, survey_id: int) -> HttpResponse:
    try:
        counts = services.findings_compute(user=request.user, survey_id=survey_id)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        pending = sum(c[rules.PENDING] for c in counts.values())
        messages.success(request, _("核查完成：待核实 %(pending)s 条") % {"pending": pending})
    return _back(request, survey_id)


@login_required
@require_POST
def apply(request: HttpRequest, survey_id: int, pk: int) -> HttpResponse:
    form = ApplyForm(request.POST)
    if form.is_valid():
        try:
            services.finding_apply(user=request.user, survey_id=survey_id, finding_id=pk, **form.cleaned_data)
        except PermissionDenied as exc:
            return forbidden(request, exc)
        except DomainError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("已按核查结果更正户籍"))
    else:
        messages.error(request, _form_errors(form))
    return _back(request, survey_id)


@login_required
@require_POST
def dismiss(request: HttpRequest, survey_id: int, pk: int) -> HttpResponse:
    form = DismissForm(request.POST)
    if form.is_valid():
        try:
            services.finding_dismiss(user=request.user, survey_id=survey_id, finding_id=pk, **form.cleaned_data)
        except PermissionDenied as exc:
            return forbidden(request, exc)
        except DomainError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("已核销"))
    else:
        messages.error(request, _form_errors(form))
    return _back(request, survey_id)


def _form_errors(form) -> str:
    return "；".join(
        f"{form.fields[f].label}：{e}" if f in form.fields else e for f, errs in form.errors.items() for e in errs
    )


def _counts(counts: dict) -> list[tuple[str, str, dict]]:
    return [(key, label, counts[key]) for key, label in rules.KINDS.items()]
