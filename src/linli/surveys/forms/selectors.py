"""Reads of forms and their versions. Forms are shared by every survey of the district: offices that run or follow
surveys read them (RUN_SURVEYS, VIEW_SURVEYS); enumerators get the forms of their units through entry."""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from linli.accounts import roles
from linli.core.errors import DomainError, PermissionDenied
from linli.surveys import selectors as survey_selectors
from linli.surveys.models import Form, FormVersion, Survey, SurveyForm

from . import rules


def may_read(user) -> bool:
    return roles.can(user, roles.SURVEYS, roles.RUN_SURVEYS) or roles.can(user, roles.SURVEYS, roles.VIEW_SURVEYS)


def may_draft(user) -> bool:
    """Whether the user drafts and publishes form versions (those who run surveys)."""
    return roles.can(user, roles.SURVEYS, roles.RUN_SURVEYS)


def check_reader(user) -> None:
    if not may_read(user):
        raise PermissionDenied(_("您没有查看调查表的权限"))


def check_drafter(user) -> None:
    if not may_draft(user):
        raise PermissionDenied(_("只有组织调查的单位可以修订调查表"))


def form_list(*, user) -> QuerySet:
    """Every form with its versions, newest first."""
    check_reader(user)
    versions = FormVersion.objects.order_by("-number").defer("definition")
    return Form.objects.prefetch_related(Prefetch("versions", queryset=versions))


def version_get(*, user, pk: int) -> FormVersion:
    check_reader(user)
    return get_object_or_404(FormVersion.objects.select_related("form", "created_by"), pk=pk)


def draft_of(form: Form) -> FormVersion | None:
    """The form's unpublished version, if one is being drafted (there is at most one)."""
    return form.versions.filter(published_at__isnull=True).first()


def survey_get(*, user, pk: int) -> Survey:
    """A survey the user sees (404 otherwise), for its forms."""
    check_reader(user)
    return survey_selectors.survey_get(user, pk)


def survey_form_rows(survey: Survey) -> list[tuple[str, str, FormVersion | None]]:
    """(role, its label, the version used or None) for each role the survey's kind has."""
    chosen = {sf.role: sf.version for sf in SurveyForm.objects.filter(survey=survey).select_related("version__form")}
    return [(role, SurveyForm.Role(role).label, chosen.get(role)) for role in rules.ROLE_KEYS[survey.kind]]


def versions_by_role(survey: Survey) -> dict[str, list[FormVersion]]:
    """The published versions that may serve in each role of the survey: those with the keys the role needs."""
    versions = list(published_versions())
    return {
        role: [v for v in versions if not rules.role_errors(v.definition, survey.kind, role)]
        for role in rules.ROLE_KEYS[survey.kind]
    }


def survey_form(survey: Survey, role: str) -> FormVersion:
    """The version of the form the survey fills in `role` (entry, quality and results read answers by it)."""
    found = SurveyForm.objects.filter(survey=survey, role=role).select_related("version__form").first()
    if found is None:
        raise DomainError(_("本调查尚未设置“%(label)s”所用的表式") % {"label": SurveyForm.Role(role).label})
    return found.version


def published_versions() -> QuerySet:
    """Every published version, the choices for a survey's forms; whether one has the keys a role needs is the
    service's check."""
    published = FormVersion.objects.filter(published_at__isnull=False).select_related("form")
    return published.order_by("form__code", "-number")
