"""入户登记: an enumerator records a unit's visit state and submits its forms. Only the enumerators assigned to the
unit's area, only while the survey is running. A form submitted twice with the same key (the device retrying after a
lost connection) is stored once and the stored one answered."""

from datetime import datetime
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.accounts import roles
from linli.core.errors import Conflict, DomainError, FieldError, PermissionDenied, ValidationFailed
from linli.surveys import rules as survey_rules
from linli.surveys import selectors as survey_selectors
from linli.surveys.forms.rules import answer_errors
from linli.surveys.forms.selectors import survey_form
from linli.surveys.models import FrameUnit, Response

from . import rules, selectors

NOT_ENUMERATOR = gettext_lazy("只有本小区的普查员（单位调查为组织调查的工作人员）可以登记")
NOT_RUNNING = gettext_lazy("调查不在进行中，不能登记")
KEY_REUSED = gettext_lazy("提交编号已用于另一份调查表，请重新提交")


def _enumerator_unit(*, user, unit_id: int) -> FrameUnit:
    """The unit, in scope (else 404), the user entering it (else 403), locked for the change."""
    if not (roles.can(user, roles.SURVEYS, roles.ENUMERATE) or roles.can(user, roles.SURVEYS, roles.RUN_SURVEYS)):
        raise PermissionDenied(NOT_ENUMERATOR)
    unit = survey_selectors.unit_get(user, unit_id)
    if not selectors.may_enter(user, unit):
        raise PermissionDenied(NOT_ENUMERATOR)
    survey = unit.frame.survey
    locked = FrameUnit.objects.select_for_update().get(pk=unit.pk)
    locked.frame, locked.area = unit.frame, unit.area
    locked.frame.survey = survey
    return locked


def _running(unit: FrameUnit) -> None:
    if unit.frame.survey.state != survey_rules.RUNNING:
        raise DomainError(NOT_RUNNING)


@transaction.atomic
def unit_state_set(*, user, unit_id: int, state: str, note: str, version: int) -> FrameUnit:
    """Records a visit (未访/已访/拒访/空户 with a note); 完成 follows from the forms submitted."""
    unit = _enumerator_unit(user=user, unit_id=unit_id)
    _running(unit)
    if unit.version != version:
        raise Conflict()
    errors = rules.state_errors(unit.state, state, note)
    if errors:
        raise ValidationFailed([FieldError(field, message) for field, message in errors])
    unit.state, unit.state_note = state, note.strip()
    visited = state != survey_rules.NOT_VISITED
    unit.visited_by, unit.visited_at = (user, timezone.now()) if visited else (None, None)
    unit.version += 1
    unit.save(update_fields=["state", "state_note", "visited_by", "visited_at", "version"])
    return unit


@transaction.atomic
def response_submit(
    *, user, unit_id: int, role: str, answers: dict, idempotency_key: UUID, filled_at: datetime, read_back: bool
) -> tuple[Response, bool]:
    """Stores a unit's form (checked against its definition), marks the unit visited, or 完成 once every form it
    needs is in. Answers (the stored response, False) when this key was submitted before, else (response, True)."""
    unit = _enumerator_unit(user=user, unit_id=unit_id)
    form_role = role
    stored = Response.objects.filter(idempotency_key=idempotency_key).first()
    if stored is not None:
        if (stored.unit_id, stored.role) != (unit.pk, form_role):
            raise Conflict(KEY_REUSED)
        return stored, False
    _running(unit)
    got = {r.role: r for r in Response.objects.filter(unit=unit)}
    main = got.get(unit.form_role)
    problem = rules.role_error(form_role, unit.form_role, main.answers if main else None)
    if problem:
        raise DomainError(problem, [FieldError("role", problem)])
    if form_role in got:
        earlier = got[form_role]
        raise Conflict(
            _("本户的%(FORM_ROLES)s已于%(localtime)s提交，不能重复提交；填错的项目请在复核时更正")
            % {
                "FORM_ROLES": survey_rules.FORM_ROLES[form_role],
                "localtime": format(timezone.localtime(earlier.received_at), "%m月%d日%H:%M"),
            }
        )
    errors = []
    if form_role in rules.CENSUS_FORMS and not read_back:
        errors.append(("read_back", _("宣读核对：请向申报人逐项宣读核对后再提交")))
    if (message := rules.filled_at_error(filled_at, timezone.now())) is not None:
        errors.append(("filled_at", message))
    version = survey_form(unit.frame.survey, form_role)
    errors += answer_errors(version.definition, answers)
    if errors:
        raise ValidationFailed([FieldError(path, message) for path, message in errors])
    try:
        with transaction.atomic():
            response = Response.objects.create(
                unit=unit, role=form_role, form_version=version, answers=answers, idempotency_key=idempotency_key,
                read_back=read_back, entered_by=user, filled_at=filled_at,
            )  # fmt: skip
    except IntegrityError:
        # The unit is locked, so only the same key sent for another unit at the same moment lands here.
        raise Conflict(KEY_REUSED) from None
    got[form_role] = response
    done = rules.complete(unit.form_role, {r: g.answers for r, g in got.items()})
    unit.state = survey_rules.DONE if done else survey_rules.VISITED
    unit.visited_by, unit.visited_at = user, timezone.now()
    unit.version += 1
    unit.save(update_fields=["state", "visited_by", "visited_at", "version"])
    return response, True
