"""调查表 pages under /surveys/forms/: the forms and their versions, a version's questions as a clerk checks them
against the paper form, a new draft from an earlier version, editing the draft's definition, publishing it, and the
forms a survey uses. Thin: the API's selectors and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.core.errors import DomainError, PermissionDenied
from linli.core.pages import error_text, forbidden
from linli.surveys import rules as survey_rules
from linli.surveys import selectors as survey_selectors

from . import rules, selectors, services
from .forms import DefinitionForm, NoteForm, SurveyFormForm, definition_text


@login_required
def form_list(request: HttpRequest) -> HttpResponse:
    try:
        forms = list(selectors.form_list(user=request.user))
    except PermissionDenied as exc:
        return forbidden(request, exc)
    return render(request, "surveys/forms/list.html", {"forms": forms, "may_draft": selectors.may_draft(request.user)})


@login_required
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        version = selectors.version_get(user=request.user, pk=pk)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    context = {
        "version": version,
        "sections": rules.preview(version.definition),
        "may_draft": selectors.may_draft(request.user),
        "draft": selectors.draft_of(version.form),
        "note_form": NoteForm(),
    }
    return render(request, "surveys/forms/version.html", context)


@login_required
def version_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        selectors.check_drafter(request.user)
        version = selectors.version_get(user=request.user, pk=pk)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    if version.published_at is not None:
        messages.error(request, _("第%(number)s版已发布，不能修改；请据此新建一个版本") % {"number": version.number})
        return redirect("survey_forms:version", version.pk)
    initial = {"definition": definition_text(version.definition), "note": version.note, "revision": version.revision}
    form = DefinitionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.form_version_update(
                user=request.user, version_id=version.pk, revision=form.cleaned_data["revision"],
                definition=form.cleaned_data["definition"], note=form.cleaned_data["note"],
            )  # fmt: skip
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("草稿已保存"))
            return redirect("survey_forms:version", version.pk)
    status = 400 if form.errors else 200
    return render(request, "surveys/forms/edit.html", {"version": version, "form": form}, status=status)


@login_required
@require_POST
def version_copy(request: HttpRequest, pk: int) -> HttpResponse:
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("survey_forms:version", pk)
    try:
        draft = services.form_version_create(user=request.user, version_id=pk, note=form.cleaned_data["note"])
    except PermissionDenied as exc:
        return forbidden(request, exc)
    except DomainError as exc:
        messages.error(request, error_text(exc))
        return redirect("survey_forms:version", pk)
    messages.success(request, _("已新建第%(number)s版草稿") % {"number": draft.number})
    return redirect("survey_forms:edit", draft.pk)


@login_required
@require_POST
def version_publish(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        version = services.form_version_publish(user=request.user, version_id=pk)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("第%(number)s版已发布，可用于调查") % {"number": version.number})
    return redirect("survey_forms:version", pk)


@login_required
def survey_forms(request: HttpRequest, survey_id: int) -> HttpResponse:
    try:
        survey = selectors.survey_get(user=request.user, pk=survey_id)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    may_set = survey_selectors.can_run(request.user, survey) and survey.state == survey_rules.DRAFT
    choices = selectors.versions_by_role(survey)
    form = SurveyFormForm(request.POST or None, versions=[v for versions in choices.values() for v in versions])
    if request.method == "POST":
        form_role = request.POST.get("role", "")
        if not may_set:
            return forbidden(request, _("只有组织本次调查的单位可以在调查开始前设置所用表式"))
        if form_role in survey_rules.FORM_ROLES and form.is_valid():
            try:
                services.survey_form_set(
                    user=request.user, survey_id=survey.pk, role=form_role, version_id=form.cleaned_data["version"]
                )
            except DomainError as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(
                    request, _("%(FORM_ROLES)s已设置") % {"FORM_ROLES": survey_rules.FORM_ROLES[form_role]}
                )
        else:
            messages.error(request, _("请选择一个已发布的表式版本"))
        return redirect("survey_forms:survey", survey.pk)
    rows = [(role, label, version, choices[role]) for role, label, version in selectors.survey_form_rows(survey)]
    context = {"survey": survey, "rows": rows, "may_set": may_set}
    return render(request, "surveys/forms/survey.html", context)
