"""Reads that need more than the case scope: the reporter's full phone number (audited) and the indicators."""

from linli.audit.models import AuditEntry
from linli.audit.services import audit_record
from linli.core.errors import FieldError, PermissionDenied, ValidationFailed

from .selectors import case_get
from .services import ORG_ROLES


def can_view_reporter(user) -> bool:
    return user.has_perm("cases.view_reporter") or user.has_perm("people.view_pii")


def reporter_reveal(*, user, pk: int, purpose: str, request=None) -> dict:
    """The reporter's name and unmasked phone, for a stated purpose; every reveal is audited (PIPL)."""
    if not can_view_reporter(user):
        raise PermissionDenied("您没有查看反映人完整电话的权限")
    purpose = (purpose or "").strip()
    if len(purpose) < 2:
        raise ValidationFailed([FieldError("purpose", "请填写查看用途")])
    case = case_get(user=user, pk=pk)
    audit_record(
        actor=user,
        action=AuditEntry.Action.VIEW_PII,
        object_type="case",
        object_ids=[case.pk],
        purpose=purpose,
        detail=f"案件{case.number}反映人电话",
        request=request,
    )
    return {"reporter_name": case.reporter_name, "reporter_phone": case.reporter_phone}


def check_indicator_viewer(user) -> None:
    """Indicators rank departments and places against each other: they are for the region offices that assess
    them. A department or company account sees only its own cases, so a ranking of those would mislead."""
    if user.role in ORG_ROLES and not user.is_superuser:
        raise PermissionDenied("部门和企业账号不能查看考核指标")
