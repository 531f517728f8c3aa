"""Rectification (整改): 排查 → 登记造册 → 整改 → 验收 → 消号, as cases of kind "rectification" under a plan.

A finding is a case of the case engine, registered here with its plan, estate, owner unit (责任单位, the case's
lead) and deadline (整改时限), and then played through cases.services.case_act like any case: the owner signs
for it and feeds back (整改), the registering office or the place's worker checks it (核查通过 = 验收, the case
closes = 消号; 返工 = a failed check). Definitions of late, failed and the rates: docs/honours.md.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from linli.accounts import roles
from linli.accounts.scope import get_or_404
from linli.cases import rules as case_rules
from linli.cases import services as case_services
from linli.cases.selectors import LIST_RELATED, case_queryset, light_q
from linli.core.errors import FieldError, PermissionDenied, ValidationFailed
from linli.organizations.models import Organization
from linli.regions.models import Region

from . import rules
from .models import Plan
from .selectors import plan_queryset

# Who registers findings: the offices that inspect, and community workers for their own community. Only the
# first may dispatch (the case engine's 派遣), so a community worker's finding waits on the dispatcher's desk.
REGISTER_ROLES = {"admin", "district_staff", "street_staff", "community_worker"}
MAX_DEADLINE_DAYS = 730


def _role(user) -> str:
    return "admin" if user.is_superuser else user.role


def can_register(user) -> bool:
    return user.is_authenticated and _role(user) in REGISTER_ROLES


def can_dispatch(user) -> bool:
    return roles.can(user, roles.CASES, roles.DISPATCHER)


def deadline_end(day: date) -> datetime:
    """整改时限 names a day: the finding is in time if fixed before that day ends."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=timezone.get_current_timezone())


# ---------------------------------------------------------------- reads


def finding_queryset(*, user) -> QuerySet:
    """Findings in the user's case scope: region staff those of their subtree, owners those sent to them."""
    return case_queryset(user=user).filter(kind=case_rules.RECTIFICATION)


def late_q(now: datetime) -> Q:
    """Findings that rules.finding_late calls late, as a filter: open past the deadline (the clock stops at
    feedback), or closed with the accepted fix after it."""
    return light_q(case_rules.RED, now) | Q(state=case_rules.CLOSED, on_time=False)


def failed_q(now: datetime) -> Q:
    """rules.rectification_failed as a filter."""
    return ~Q(state__in=case_rules.NOT_COUNTED) & (Q(rework_count__gte=1) | late_q(now))


@dataclass
class FindingFilter:
    plan: int | None = None
    estate: int | None = None
    owner: int | None = None
    state: str | None = None
    overdue: bool = False  # open and past the deadline now
    failed: bool = False
    q: str | None = None


def finding_list(*, user, filters: FindingFilter | None = None, now: datetime | None = None) -> QuerySet:
    f = filters or FindingFilter()
    now = now or timezone.now()
    qs = finding_queryset(user=user)
    if f.plan:
        qs = qs.filter(plan_id=f.plan)
    if f.estate:
        qs = qs.filter(estate_id=f.estate)
    if f.owner:
        qs = qs.filter(lead_department_id=f.owner)
    if f.state:
        qs = qs.filter(state=f.state)
    if f.overdue:
        qs = qs.filter(light_q(case_rules.RED, now))
    if f.failed:
        qs = qs.filter(failed_q(now))
    if f.q:
        term = f.q.strip()
        qs = qs.filter(Q(number=term) | Q(description__contains=term) | Q(address__contains=term))
    return qs.select_related(*LIST_RELATED, "plan", "estate").order_by("due_at", "id")


@dataclass
class FindingRow:
    """A finding as the register (整改台账) shows it."""

    case: object
    late: bool
    overdue: bool  # open and late now
    failed: bool


def finding_rows(cases, now: datetime) -> list[FindingRow]:
    rows = []
    for c in cases:
        late = rules.finding_late(state=c.state, due_at=c.due_at, feedback_at=c.feedback_at, now=now)
        failed = rules.rectification_failed(
            state=c.state, due_at=c.due_at, feedback_at=c.feedback_at, rework_count=c.rework_count, now=now
        )
        rows.append(FindingRow(c, late, late and c.state in case_rules.OPEN_STATES, failed))
    return rows


@dataclass
class UnitSummary:
    owner_id: int | None
    name: str
    findings: int
    closed: int
    overdue: int
    failed: int
    flagged: bool


def plan_units(*, user, plan: Plan, now: datetime | None = None) -> list[UnitSummary]:
    """Per owner unit of the plan's findings in the user's scope: counts, failures and the accountability flag
    (rules.accountability_flags). One query."""
    now = now or timezone.now()
    rows = list(
        finding_queryset(user=user)
        .filter(plan=plan)
        .exclude(state__in=case_rules.NOT_COUNTED)
        .values("lead_department_id", "lead_department__name")
        .annotate(
            findings=Count("pk"),
            closed=Count("pk", filter=Q(state=case_rules.CLOSED)),
            overdue=Count("pk", filter=light_q(case_rules.RED, now)),
            failed=Count("pk", filter=failed_q(now)),
        )
        .order_by("lead_department__name")
    )
    flagged = set(rules.accountability_flags({r["lead_department_id"]: r["failed"] for r in rows}))
    return [
        UnitSummary(
            r["lead_department_id"],
            r["lead_department__name"] or "（待派遣）",
            r["findings"],
            r["closed"],
            r["overdue"],
            r["failed"],
            r["lead_department_id"] is not None and r["lead_department_id"] in flagged,
        )
        for r in rows
    ]


def accountability(*, user, plan: Plan, now: datetime | None = None) -> list[UnitSummary]:
    """The units with two or more failed rectifications in the plan (问责), most failures first."""
    units = {u.owner_id: u for u in plan_units(user=user, plan=plan, now=now)}
    failed = {k: u.failed for k, u in units.items() if k is not None}
    return [units[k] for k in rules.accountability_flags(failed)]


def rectification_rates(plan: Plan, *, now: datetime | None = None) -> dict:
    """整改率 (closed findings / all findings) and 整改及时率 (closed on time / all findings) of the plan, in percent
    (None without findings), over every finding of the plan whoever asks: the plan's targets measure the plan."""
    counts = (
        plan.cases.filter(kind=case_rules.RECTIFICATION)
        .exclude(state__in=case_rules.NOT_COUNTED)
        .aggregate(
            total=Count("pk"),
            closed=Count("pk", filter=Q(state=case_rules.CLOSED)),
            on_time=Count("pk", filter=Q(state=case_rules.CLOSED, on_time=True)),
        )
    )
    return {
        "rectification_rate": rules.percent(counts["closed"], counts["total"]),
        "rectification_on_time": rules.percent(counts["on_time"], counts["total"]),
        "findings": counts["total"],
        "closed": counts["closed"],
        "closed_on_time": counts["on_time"],
    }


def finding_plans(*, user) -> QuerySet:
    """Plans the user may register findings under: issued plans in their scope."""
    return plan_queryset(user).filter(status=rules.ISSUED).select_related("region")


def owner_choices() -> QuerySet:
    return Organization.objects.filter(kind__in=("department", "company")).order_by("kind", "name")


# ---------------------------------------------------------------- writes


def _pk(value) -> int | None:
    return int(value) if isinstance(value, int | str) and str(value).isdecimal() else None


def _deadline(value, today: date, errors: list) -> date | None:
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            errors.append(FieldError("due_on", "整改时限格式应为“年-月-日”，如2026-06-30"))
            return None
    if not isinstance(value, date):
        errors.append(FieldError("due_on", "请填写整改时限"))
        return None
    if value < today:
        errors.append(FieldError("due_on", "整改时限不能早于今天"))
    elif (value - today).days > MAX_DEADLINE_DAYS:
        errors.append(FieldError("due_on", "整改时限不能超过两年"))
    return value


def finding_register(*, user, data: dict, photos=(), now: datetime | None = None):
    """登记造册: one finding under an issued plan, against an estate (or a community or grid), with its owner unit
    and deadline. A dispatcher's finding is registered and dispatched to the owner at once; a community worker's
    waits on the dispatcher's desk (the owner is then chosen there). All or nothing."""
    now = now or timezone.now()
    if not can_register(user):
        raise PermissionDenied("只有系统管理员、区级、街道工作人员和社区工作人员可以登记整改问题")
    dispatcher = can_dispatch(user)
    errors: list[FieldError] = []
    plan = None
    if (pk := _pk(data.get("plan_id"))) is not None:
        plan = finding_plans(user=user).filter(pk=pk).first()
    if plan is None:
        errors.append(FieldError("plan_id", "请选择已印发、且在您管辖范围内的工作方案"))
    estate, region = None, None
    if (pk := _pk(data.get("estate_id"))) is not None:
        from linli.people.selectors import estate_queryset

        estate = estate_queryset(user=user).select_related("region").filter(pk=pk).first()
        if estate is None:
            errors.append(FieldError("estate_id", "小区不存在或不在您的管辖范围内"))
        else:
            region = estate.region
    elif data.get("estate_id") not in (None, ""):
        errors.append(FieldError("estate_id", "请选择有效的小区"))
    elif _pk(data.get("region_id")) is None:
        errors.append(FieldError("estate_id", "请选择小区，或选择问题所在的社区、网格"))
    owner = None
    if dispatcher:
        if (pk := _pk(data.get("owner_id"))) is not None:
            owner = owner_choices().filter(pk=pk).first()
        if owner is None:
            errors.append(FieldError("owner_id", "请选择责任单位（部门或物业服务企业）"))
    place = region if region is not None else Region.objects.filter(pk=_pk(data.get("region_id"))).first()
    if plan is not None and place is not None and not place.path.startswith(plan.region.path):
        errors.append(FieldError("estate_id", "问题所在地不在该工作方案的范围内"))
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


def finding_get(*, user, pk: int):
    return get_or_404(finding_queryset(user=user).select_related(*LIST_RELATED, "plan", "estate"), pk=pk)


def estates_in_scope(*, user) -> QuerySet:
    from linli.people.selectors import estate_list

    return estate_list(user=user)


def places_in_scope(*, user) -> QuerySet:
    from linli.regions.selectors import region_list

    return region_list(user=user).filter(level__gte=Region.Level.COMMUNITY)
