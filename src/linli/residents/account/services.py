"""告知同意 and 注销账号: the resident's own account."""

from django.db import transaction
from django.utils.translation import gettext, gettext_lazy

from linli.audit.models import AuditEntry
from linli.audit.services import audit_record
from linli.core.errors import FieldError, ValidationFailed

from ..models import Consent, Resident
from . import rules

STALE_NOTICE = gettext_lazy("告知书已更新，请阅读新版本后再同意")


@transaction.atomic
def consent_accept(*, resident: Resident, version: str) -> Consent:
    """Records the resident's agreement to the notice they read; a version other than the one in force (a page
    open since before an update) is refused, so nobody agrees to a text they did not see."""
    if version != rules.NOTICE_VERSION:
        raise ValidationFailed([FieldError("version", STALE_NOTICE)])
    consent, _ = Consent.objects.get_or_create(resident=resident, version=version)
    return consent


@transaction.atomic
def account_delete(*, resident: Resident, confirm: bool, request=None) -> None:
    """注销账号: the account goes, with its phone, its agreements and the binding to the registry (the person stays
    in the registry). Cases keep the phone they were reported with: they are the government's record. The audit
    log keeps the account's number and when, nothing that names the resident."""
    if not confirm:
        raise ValidationFailed([FieldError("confirm", gettext("请确认注销：注销后账号无法恢复"))])
    user = resident.user
    audit_record(
        actor=None, action=AuditEntry.Action.ACCOUNT_DELETE, object_type="residents.Resident",
        object_ids=[resident.pk], detail="居民注销账号", request=request,
    )  # fmt: skip
    resident.delete()
    user.delete()
