"""Writes of rectification (整改): registering a finding (登记造册) under a plan. The finding's later steps go
through the case engine (cases.services.case_act) like any case's."""

from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts import scope
from linli.cases import rules as case_rules
from linli.cases import services as case_services
from linli.core.errors import FieldError, PermissionDenied, ValidationFailed
from linli.people.selectors import estate_queryset
from linli.regions.models import Region

from .selectors import can_dispatch, can_register, finding_plans, owner_choices

MAX_DEADLINE_DAYS = 730


def deadline_end(day: date) -> datetime:
    """整改时限 names a day: the finding is in time if fixed before that day ends."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=timezone.get_current_timezone())


def _pk(value) -> int | None:
    return int(value) if isinstance(value, int | str) and str(value).isdecimal() else None


def _deadline(value, today: date, errors: list) -> date | None:
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            errors.append(FieldError("due_on", _("整改时限格式应为“年-月-日”，如2026-06-30")))
            return None
    if not isinstance(value, date):
        errors.append(FieldError("due_on", _("请填写整改时限")))
        return None
    if value < today:
        errors.append(FieldError("due_on", _("整改时限不能早于今天")))
    elif (value - today).days > MAX_DEADLINE_DAYS:
        errors.append(FieldError("due_on", _("整改时限不能超过两年")))
    return value


def finding_register(*, user, data: dict, photos=(), now: datetime | None = None):
    """登记造册: one finding under an issued plan, against an estate (or a community or grid), with its owner unit
    and deadline. A dispatcher's finding is registered and dispatched to the owner at once; a community worker's
    waits on the dispatcher's desk (the owner is then chosen there). All or nothing."""
    now = now or timezone.now()
    if not can_register(user):
        raise PermissionDenied(_("只有系统管理员、区级、街道工作人员和社区工作人员可以登记整改问题"))
    dispatcher = can_dispatch(user)
    errors: list[FieldError] = []
    plan = None
    if (pk := _pk(data.get("plan_id"))) is not None:
        plan = finding_plans(user=user).filter(pk=pk).first()
    if plan is None:
        errors.append(FieldError("plan_id", _("请选择已印发、且在您管辖范围内的工作方案")))
    estate, region = None, None
    if (pk := _pk(data.get("estate_id"))) is not None:
        estate = estate_queryset(user=user).select_related("region").filter(pk=pk).first()
        if estate is None:
            errors.append(FieldError("estate_id", _("小区不存在或不在您的管辖范围内")))
        else:
            region = estate.region
    elif data.get("estate_id") not in (None, ""):
        errors.append(FieldError("estate_id", _("请选择有效的小区")))
    elif _pk(data.get("region_id")) is None:
        errors.append(FieldError("estate_id", _("请选择小区，或选择问题所在的社区、网格")))
    owner = None
    if dispatcher:
        if (pk := _pk(data.get("owner_id"))) is not None:
            owner = owner_choices().filter(pk=pk).first()
        if owner is None:
            errors.append(FieldError("owner_id", _("请选择责任单位（部门或物业服务企业）")))
    place = region if region is not None else Region.objects.filter(pk=_pk(data.get("region_id"))).first()
    if plan is not None and place is not None and not scope.contains(plan.region.path, place.path):
        errors.append(FieldError("estate_id", _("问题所在地不在该工作方案的范围内")))
    due_on = _deadline(data.get("due_on"), timezone.localdate(now), errors)
    if errors:
        raise ValidationFailed(errors)
    case_data = {
        "category_id": data.get("category_id"),
        "description": data.get("description"),
        "address": data.get("address") or (estate.address if estate else ""),
        "region_id": region.pk if region is not None else data.get("region_id"),
    }
    with transaction.atomic():
        case = case_services.case_create(
            user=user, channel="inspection", data=case_data, photos=photos, now=now,
            kind=case_rules.RECTIFICATION, plan=plan, estate=estate, due_at=deadline_end(due_on),
        )  # fmt: skip
        if dispatcher:
            case = case_services.case_act(user=user, case_id=case.pk, action="register", version=case.version, now=now)
            case = case_services.case_act(
                user=user, case_id=case.pk, action="dispatch", version=case.version, now=now, department_id=owner.pk
            )
    return case
