"""质量控制 writes: a re-check of a drawn form, recorded once with its item-by-item comparison, and corrections of
a form's answers, each keeping the old value with who and when."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from linli.core.errors import Conflict, DomainError, FieldError, PermissionDenied, ValidationFailed
from linli.core.text import Kind, check

from .. import rules as survey_rules
from ..forms.rules import answer_errors
from ..models import Correction, Recheck, Response
from . import rules, selectors


def _running(survey) -> None:
    if survey.state != survey_rules.RUNNING:
        raise DomainError(_("调查不在进行中，不能复核或更正"))


def _line(value: str, field: str, limit: int) -> str:
    value = (value or "").strip()
    problem = check(value, Kind.LINE)
    if problem:
        raise ValidationFailed([FieldError(field, problem.message)])
    if len(value) > limit:
        raise ValidationFailed([FieldError(field, _("不能超过%(limit)s个字") % {"limit": limit})])
    return value


def _checked(definition: dict, answers: dict) -> None:
    errors = answer_errors(definition, answers)
    if errors:
        raise ValidationFailed([FieldError(path, message) for path, message in errors])


@transaction.atomic
def recheck_record(*, user, response_id: int, answers: dict, conclusion: str = "") -> Recheck:
    """Record the re-check of a drawn form: the re-checker's answers are checked like any form's, compared item by
    item with the form as entered, and kept with the counts. Once per form."""
    survey, response = selectors.survey_and_response(user, response_id)
    if not selectors.may_recheck(user, response):
        raise PermissionDenied(_("复核须由持有复核权限、且不是该表普查员的工作人员进行"))
    _running(survey)
    if not selectors.is_drawn(response):
        raise DomainError(_("该表未被抽中复核"))
    conclusion = _line(conclusion, "conclusion", rules.CONCLUSION_MAX)
    form = selectors.recheck_form(survey, response)
    if not isinstance(answers, dict):
        raise ValidationFailed([FieldError("answers", _("复核内容格式不正确"))])
    _checked(form.version.definition, answers)
    # Locked so that two re-checkers submitting at once meet a clear conflict, not an integrity error.
    response = Response.objects.select_for_update().get(pk=response.pk)
    if Recheck.objects.filter(response=response).exists():
        raise Conflict(_("该表已复核，不能重复录入"))
    items = rules.compare(form.compared, response.answers, answers)
    wrong = sum(1 for i in items if not i.same)
    return Recheck.objects.create(
        response=response,
        form_version=form.version,
        answers=answers,
        differences=[i.as_dict() for i in items],
        items_checked=len(items),
        items_wrong=wrong,
        conclusion=conclusion or rules.summary(wrong, len(items)),
        checked_by=user,
    )


@transaction.atomic
def correction_apply(*, user, response_id: int, path: str, new: Any, reason: str, version: int) -> Correction:
    """Change one answer of a form (a question, or a table cell "P.2.R3"): the answers as a whole must still pass
    the form's rules; the response's version moves on and the old value is kept."""
    survey, response = selectors.survey_and_response(user, response_id)
    if not selectors.may_correct(user, survey, response):
        raise PermissionDenied(_("只有调查的组织单位或复核人员可以更正调查表"))
    _running(survey)
    reason = _line(reason, "reason", rules.REASON_MAX)
    if not reason:
        raise ValidationFailed([FieldError("reason", _("请填写更正原因"))])
    response = Response.objects.select_for_update().select_related("form_version").get(pk=response.pk)
    if response.version != version:
        raise Conflict()
    try:
        if rules.item_of(path) not in rules.item_labels(response.form_version.definition):
            raise rules.BadPath(path)
        old = rules.value_at(response.answers, path)
        answers = rules.with_value(response.answers, path, new)
    except rules.BadPath:
        raise ValidationFailed([FieldError("path", _("要更正的项目不存在"))]) from None
    if old == rules.value_at(answers, path):
        raise ValidationFailed([FieldError("new", _("更正值与原值相同"))])
    _checked(response.form_version.definition, answers)
    response.answers = answers
    response.version += 1
    response.save(update_fields=["answers", "version"])
    return Correction.objects.create(
        response=response,
        path=path,
        old=old,
        new=rules.value_at(answers, path),
        reason=reason,
        version=response.version,
        corrected_by=user,
    )
