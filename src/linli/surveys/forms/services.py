"""Writes of forms: a new draft version from an earlier one, changing a draft, publishing it, and choosing the
version a survey uses in each role. A published version is never changed: what a survey has collected stays
readable by the version it was filled in on."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from linli.accounts import scope
from linli.core.errors import Conflict, DomainError, FieldError, PermissionDenied, ValidationFailed
from linli.core.text import Kind, check
from linli.surveys import rules as survey_rules
from linli.surveys import selectors as survey_selectors
from linli.surveys.models import Form, FormVersion, SurveyForm

from . import rules, selectors

NOTE_MAX = 200


def _note(note: str) -> str:
    note = (note or "").strip()
    problem = check(note, Kind.LINE)
    if problem or len(note) > NOTE_MAX:
        message = problem.message if problem else gettext("不能超过%(NOTE_MAX)s字") % {"NOTE_MAX": NOTE_MAX}
        raise ValidationFailed([FieldError("note", gettext("修订说明：%(message)s") % {"message": message})])
    return note


def _locked_version(version_id: int) -> FormVersion:
    return scope.get_or_404(FormVersion.objects.select_for_update().select_related("form"), pk=version_id)


def _definition(definition) -> dict:
    errors = rules.definition_errors(definition)
    if errors:
        raise ValidationFailed(
            [FieldError("definition", message) for message in errors], detail=gettext("表式定义有误")
        )
    return definition


@transaction.atomic
def form_version_create(*, user, version_id: int, note: str = "") -> FormVersion:
    """A new draft of the form, a copy of the version `version_id` to be changed; one draft per form at a time."""
    selectors.check_drafter(user)
    base = _locked_version(version_id)
    # The form row is the lock that keeps two clerks from starting two drafts at once.
    form = Form.objects.select_for_update().get(pk=base.form_id)
    draft = selectors.draft_of(form)
    if draft is not None:
        raise Conflict(
            gettext("%(name)s已有未发布的第%(number)s版草稿，请在草稿上修改")
            % {"name": form.name, "number": draft.number}
        )
    number = (form.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    return FormVersion.objects.create(
        form=form, number=number, definition=base.definition, created_by=user,
        note=_note(note) or f"据第{base.number}版修订",
    )  # fmt: skip


@transaction.atomic
def form_version_update(*, user, version_id: int, revision: int, definition: dict, note: str = "") -> FormVersion:
    """Changes a draft's definition and note, as of the `revision` the editor read; a published version is never
    changed."""
    selectors.check_drafter(user)
    version = _locked_version(version_id)
    if version.published_at is not None:
        raise DomainError(gettext("第%(number)s版已发布，不能修改；请据此新建一个版本") % {"number": version.number})
    if version.revision != revision:
        raise Conflict(gettext("这份草稿已被他人修改，请刷新后在最新内容上修改"))
    version.definition = _definition(definition)
    version.note = _note(note)
    version.revision += 1
    version.save(update_fields=["definition", "note", "revision"])
    return version


@transaction.atomic
def form_version_publish(*, user, version_id: int) -> FormVersion:
    """Publishes a draft: from then on surveys may use it, and it is never changed."""
    selectors.check_drafter(user)
    version = _locked_version(version_id)
    if version.published_at is not None:
        raise Conflict(gettext("第%(number)s版已经发布") % {"number": version.number})
    _definition(version.definition)
    version.published_at = timezone.now()
    version.save(update_fields=["published_at"])
    return version


@transaction.atomic
def survey_form_set(*, user, survey_id: int, role: str, version_id: int) -> SurveyForm:
    """The published version the survey uses in `role`; only before the survey starts (answers are then collected
    on it)."""
    selectors.check_reader(user)
    survey = scope.get_or_404(
        survey_selectors.survey_queryset(user).select_related("plan__region").select_for_update(of=("self",)),
        pk=survey_id,
    )
    if not survey_selectors.can_run(user, survey):
        raise PermissionDenied(gettext("只有组织本次调查的单位可以设置所用表式"))
    if survey.state != survey_rules.DRAFT:
        raise DomainError(gettext("调查已开始，所用表式不能再更换"))
    version = scope.get_or_404(FormVersion.objects.select_related("form"), pk=version_id)
    if version.published_at is None:
        raise ValidationFailed(
            [FieldError("version_id", gettext("%(version)s尚未发布，不能用于调查") % {"version": version})]
        )
    errors = rules.role_errors(version.definition, survey.kind, role)
    if errors:
        raise ValidationFailed([FieldError("version_id", message) for message in errors])
    chosen, _ = SurveyForm.objects.update_or_create(survey=survey, role=role, defaults={"version": version})
    return chosen
