from collections.abc import Iterable

from linli.core.clientip import client_ip

from .models import AuditEntry

MAX_IDS = 10_000  # an export of more rows records the count and the filter, not every id


def audit_record(
    *,
    actor,
    action: str,
    object_type: str = "",
    object_ids: Iterable[int] = (),
    count: int | None = None,
    purpose: str = "",
    detail: str = "",
    request=None,
) -> AuditEntry:
    ids = list(object_ids)
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=object_type,
        object_ids=ids[:MAX_IDS],
        count=len(ids) if count is None else count,
        purpose=purpose[:200],
        detail=detail[:500],
        ip=(client_ip(request) or None) if request else None,
    )
