from datetime import date

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts import scope
from linli.accounts.roles import EDIT_ORGANIZATIONS, REGISTRY, can
from linli.core import validators
from linli.core.errors import DomainError, FieldError, PermissionDenied, ValidationFailed
from linli.regions.selectors import region_get

from .models import INDUSTRIES, Organization


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
            raise ValidationFailed(
                [FieldError("credit_code", _("%(exc)s；如为早期试点代码，请填写例外理由") % {"exc": exc})]
            ) from None
        return code, reason[:200]


def enterprise_fields_clean(
    kind: str, registered_on: date | None, industry: str, occupational_hazard: bool, *, today: date
) -> dict:
    """An enterprise's registration date, industry (GB/T 4754 门类) and hazard flag: what a unit survey's frame is
    drawn by. Other kinds hold none of them."""
    industry = (industry or "").strip().upper()
    if kind != Organization.Kind.ENTERPRISE:
        if registered_on or industry or occupational_hazard:
            raise ValidationFailed([FieldError("kind", _("注册日期、行业门类和职业病危害只登记于辖区企业"))])
        return {}
    errors = []
    if registered_on is not None and registered_on > today:
        errors.append(FieldError("registered_on", _("注册日期不能晚于今天")))
    if industry and industry not in dict(INDUSTRIES):
        errors.append(FieldError("industry", _("行业门类应为国民经济行业分类（GB/T 4754）的门类代码 A–T")))
    if errors:
        raise ValidationFailed(errors)
    return {"registered_on": registered_on, "industry": industry, "occupational_hazard": bool(occupational_hazard)}


@transaction.atomic
def organization_create(
    *,
    user,
    kind: str,
    name: str,
    region_id: int,
    credit_code: str = "",
    override_reason: str = "",
    registered_on: date | None = None,
    industry: str = "",
    occupational_hazard: bool = False,
) -> Organization:
    if not can(user, REGISTRY, EDIT_ORGANIZATIONS):
        raise PermissionDenied(_("您无权登记组织机构"))
    region = region_get(user=user, pk=region_id)
    errors = []
    if kind not in Organization.Kind.values:
        errors.append(FieldError("kind", _("类型应为职能部门、物业企业或辖区企业")))
    if not (name or "").strip():
        errors.append(FieldError("name", _("名称不能为空")))
    if errors:
        raise ValidationFailed(errors)
    enterprise = enterprise_fields_clean(kind, registered_on, industry, occupational_hazard, today=timezone.localdate())
    code, reason = credit_code_clean(credit_code, override_reason)
    if code and Organization.objects.filter(credit_code=code).exists():
        raise ValidationFailed([FieldError("credit_code", _("该统一社会信用代码已登记"))])
    return Organization.objects.create(
        kind=kind, name=name.strip(), region=region, credit_code=code, credit_code_override=reason, **enterprise
    )


@transaction.atomic
def enterprise_update(
    *, user, organization_id: int, registered_on: date | None, industry: str, occupational_hazard: bool
) -> Organization:
    """Correct an enterprise's registration date, industry or hazard flag (e.g. after 职业病危害项目申报)."""
    if not can(user, REGISTRY, EDIT_ORGANIZATIONS):
        raise PermissionDenied(_("您无权修改组织机构"))
    org = Organization.objects.select_for_update().select_related("region").filter(pk=organization_id).first()
    if org is None or not scope.covers(user, org.region):
        raise Http404(scope.NOT_FOUND)
    if org.kind != Organization.Kind.ENTERPRISE:
        raise DomainError(_("只有辖区企业登记注册日期、行业门类和职业病危害"))
    fields = enterprise_fields_clean(org.kind, registered_on, industry, occupational_hazard, today=timezone.localdate())
    for name, value in fields.items():
        setattr(org, name, value)
    org.save(update_fields=list(fields))
    return org
