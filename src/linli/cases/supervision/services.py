"""督办 of many cases at once: the 超期督办 page's selection and the API's."""

from django.db import transaction
from django.utils.translation import gettext as _

from linli.core.errors import DomainError, FieldError, ValidationFailed

from .. import access, selectors, services
from ..models import Case


class CaseRefused(DomainError):
    """One case of a batch refused the action, so none was taken: `case_id` and `number` name the case, `reason`
    says why (its status is the answer's)."""

    def __init__(self, reason: DomainError, case_id: int, number: str):
        super().__init__(
            _("案件%(number)s：%(detail)s") % {"number": number, "detail": reason.detail} if number else reason.detail,
            reason.errors,
        )
        self.status, self.reason, self.case_id, self.number = reason.status, reason, case_id, number


def cases_supervise(*, user, cases, note: str, now=None) -> list[Case]:
    """督办 of the (case id, version seen) pairs with one note, all or nothing: one stale, closed or refused case
    leaves every case as it was (CaseRefused). A case named twice is supervised once."""
    access.check_supervisor(user)
    pairs = dict(cases)
    if not pairs:
        raise ValidationFailed([FieldError("cases", _("请勾选要督办的案件"))])
    done, current = [], None
    try:
        with transaction.atomic():
            for current, version in pairs.items():  # `current` names the case that fails
                done.append(services.case_act(user=user, case_id=current, action="supervise", version=version,
                                              note=note, now=now))  # fmt: skip
    except DomainError as exc:
        number = selectors.case_queryset(user=user).filter(pk=current).values_list("number", flat=True).first()
        raise CaseRefused(exc, current, number or "") from exc
    return done
