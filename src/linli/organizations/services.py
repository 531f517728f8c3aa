from django.db import transaction

from linli.accounts.roles import EDIT_ORGANIZATIONS, REGISTRY, can
from linli.core import validators
from linli.core.errors import FieldError, PermissionDenied, ValidationFailed
from linli.regions.selectors import region_get

from .models import Organization


def credit_code_clean(code: str, override_reason: str = "") -> tuple[str, str]:
    """GB 32100 check; early pilot codes that fail it are kept only with a stated reason."""
    code = validators.normalize_id_number(code)
    if not code:
        return "", ""
    try:
        return validators.validate_credit_code(code), ""
    except validators.InvalidValue as exc:
        reason = (override_reason or "").strip()
        if len(reason) < 4 or len(code) != 18:
            raise ValidationFailed([FieldError("credit_code", f"{exc}；如为早期试点代码，请填写例外理由")]) from None
        return code, reason[:200]


@transaction.atomic
def organization_create(
    *, user, kind: str, name: str, region_id: int, credit_code: str = "", override_reason: str = ""
) -> Organization:
    if not can(user, REGISTRY, EDIT_ORGANIZATIONS):
        raise PermissionDenied("您无权登记组织机构")
    region = region_get(user=user, pk=region_id)
    errors = []
    if kind not in Organization.Kind.values:
        errors.append(FieldError("kind", "类型应为职能部门或物业企业"))
    if not (name or "").strip():
        errors.append(FieldError("name", "名称不能为空"))
    if errors:
        raise ValidationFailed(errors)
    code, reason = credit_code_clean(credit_code, override_reason)
    if code and Organization.objects.filter(credit_code=code).exists():
        raise ValidationFailed([FieldError("credit_code", "该统一社会信用代码已登记")])
    return Organization.objects.create(
        kind=kind, name=name.strip(), region=region, credit_code=code, credit_code_override=reason
    )
