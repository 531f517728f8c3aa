"""质量控制 pages under /surveys/quality/: a survey's drawn forms and error rates, one drawn form with the re-check
record beside what the enumerator entered, and its corrections. Thin: the API's selectors and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.core.errors import DomainError, PermissionDenied
from linli.core.pages import error_text, forbidden

from .. import selectors as survey_selectors
from . import rules, selectors, services
from .forms import OWN, CorrectionForm, RecheckForm, answers_from, correction_rows, differences, groups


@login_required
def overview(request: HttpRequest, survey_id: int) -> HttpResponse:
    try:
        selectors.check_viewer(request.user)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    survey = survey_selectors.survey_get(request.user, survey_id)
    context = {
        "survey": survey,
        "q": selectors.overview(request.user, survey),
        "report": selectors.error_report(request.user, survey),
    }
    return render(request, "surveys/quality/overview.html", context)


def _page(request, pk: int, *, status=200, form=None, answers=None, errors=None) -> HttpResponse:
    try:
        selectors.check_viewer(request.user)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    survey, response = selectors.survey_and_response(request.user, pk)
    try:
        detail = selectors.response_detail(request.user, survey, response)
        form_of = selectors.recheck_form(survey, response)
    except DomainError as exc:  # a unit survey without its quality-control record
        return render(request, "400.html", {"detail": error_text(exc)}, status=400)
    record = groups(form_of.version.definition, response.answers, form_of.compared, answers, errors)
    recheck = detail["recheck"]
    context = {
        "survey": survey,
        "r": detail,
        "response": response,
        "form": form or RecheckForm(),
        "groups": record,
        "has_tables": any(g.title and g.title != OWN for g in record),
        "has_own": any(g.title == OWN for g in record),
        "differences": differences(detail["recheck_form"], recheck["differences"]) if recheck else [],
        "corrections": correction_rows(response.form_version.definition, detail["corrections"]),
        "correct_form": CorrectionForm(initial={"version": response.version}),
        "corrected": {c["path"] for c in detail["corrections"]},
        "percent": rules.percent(recheck["rate"]) if recheck else "",
    }
    return render(request, "surveys/quality/response.html", context, status=status)


@login_required
def response_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, pk)


@login_required
@require_POST
def recheck(request: HttpRequest, pk: int) -> HttpResponse:
    form = RecheckForm(request.POST)
    survey, response = selectors.survey_and_response(request.user, pk)
    answers = None
    try:
        definition = selectors.recheck_form(survey, response).version.definition
        answers = answers_from(definition, response.answers, request.POST)
        if form.is_valid():
            services.recheck_record(
                user=request.user, response_id=pk, answers=answers, conclusion=form.cleaned_data["conclusion"]
            )
            messages.success(request, _("复核结果已记录"))
            return redirect("survey_quality:response", pk)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    except DomainError as exc:
        # Item errors show beside their items (named by path); the form's own field and the rest on top.
        items = {e.field: e.message for e in exc.errors if e.field not in form.fields}
        form.add_domain_error(exc, [e for e in exc.errors if e.field in form.fields])
        if items:
            form.add_error(None, _("复核内容有%(len)s处需要修改，请看各项的提示") % {"len": len(items)})
        return _page(request, pk, status=400, form=form, answers=answers, errors=items)
    return _page(request, pk, status=400, form=form, answers=answers)


@login_required
@require_POST
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    """以复核值更正: the item takes the value the re-checker found."""
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(m for ms in form.errors.values() for m in ms))
        return redirect("survey_quality:response", pk)
    data = form.cleaned_data
    try:
        survey, response = selectors.survey_and_response(request.user, pk)
        recheck = getattr(response, "recheck", None)
        if recheck is None:
            raise DomainError(_("该表尚未复核，没有可用于更正的复核值"))
        services.correction_apply(
            user=request.user,
            response_id=pk,
            path=data["path"],
            version=data["version"],
            new=rules.value_or_none(recheck.answers, data["path"]),
            reason=data["reason"],
        )
    except PermissionDenied as exc:
        return forbidden(request, exc)
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("已按复核值更正"))
    return redirect("survey_quality:response", pk)
