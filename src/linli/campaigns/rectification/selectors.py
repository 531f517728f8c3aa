"""Reads of rectification (整改): 排查 → 登记造册 → 整改 → 验收 → 消号, as cases of kind "rectification" under a plan.

A finding is a case of the case engine, registered here with its plan, estate, owner unit (责任单位, the case's
lead) and deadline (整改时限), and then played through cases.services.case_act like any case: the owner signs
for it and feeds back (整改), the registering office or the place's worker checks it (核查通过 = 验收, the case
closes = 消号; 返工 = a failed check). Definitions of late, failed and the rates: docs/honours.md.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts import roles
from linli.accounts.scope import get_or_404
from linli.cases import rules as case_rules
from linli.cases.selectors import LIST_RELATED, case_queryset, categories, light_q
from linli.organizations.models import Organization
from linli.people.selectors import estate_list
from linli.regions.models import Region
from linli.regions.selectors import region_list

from ..models import Plan
from ..plans import rules as plan_rules
from ..plans.selectors import plan_get, plan_queryset, rectification_rates
from . import rules


def can_register(user) -> bool:
    """The offices that inspect, and community workers for their own community, register findings."""
    return roles.can(user, roles.CAMPAIGNS, roles.REGISTER_FINDINGS)


def can_dispatch(user) -> bool:
    """Only a dispatcher (the case engine's 派遣) names the owner at once; a community worker's finding waits on the
    dispatcher's desk."""
    return roles.can(user, roles.CASES, roles.DISPATCHER)


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
            r["lead_department__name"] or _("（待派遣）"),
            r["findings"],
            r["closed"],
            r["overdue"],
            r["failed"],
            r["lead_department_id"] is not None and r["lead_department_id"] in flagged,
        )
        for r in rows
    ]


def _called_to_account(units: list[UnitSummary]) -> list[UnitSummary]:
    by_owner = {u.owner_id: u for u in units if u.owner_id is not None}
    return [by_owner[k] for k in rules.accountability_flags({k: u.failed for k, u in by_owner.items()})]


def accountability(*, user, plan: Plan, now: datetime | None = None) -> list[UnitSummary]:
    """The units with two or more failed rectifications in the plan (问责), most failures first."""
    return _called_to_account(plan_units(user=user, plan=plan, now=now))


@dataclass
class PlanSummary:
    """A plan's rectification: its rates (over all its findings) and its owner units (over the findings in scope)."""

    plan: Plan
    rates: dict
    units: list[UnitSummary]

    @property
    def accountability(self) -> list[UnitSummary]:
        """The units called to account (问责), most failures first."""
        return _called_to_account(self.units)


def _summary(user, plan: Plan, now: datetime) -> PlanSummary:
    return PlanSummary(plan, rectification_rates(plan, now=now), plan_units(user=user, plan=plan, now=now))


def plan_summary(*, user, plan_id: int, now: datetime | None = None) -> PlanSummary:
    """方案整改情况 of a plan the user sees (Http404 otherwise)."""
    return _summary(user, plan_get(user, plan_id), now or timezone.now())


@dataclass
class Register:
    """整改台账: the findings in scope, filtered, and for a chosen plan its summary."""

    findings: QuerySet
    summary: PlanSummary | None


def register(*, user, filters: FindingFilter, now: datetime | None = None) -> Register:
    now = now or timezone.now()
    plan = plan_queryset(user).filter(pk=filters.plan).first() if filters.plan else None
    summary = _summary(user, plan, now) if plan else None
    return Register(finding_list(user=user, filters=filters, now=now), summary)


EXPORT_LIMIT = 5000


def register_export(*, user, filters: FindingFilter, now: datetime | None = None) -> list[FindingRow]:
    """The rows of the register's export: the filtered findings, at most EXPORT_LIMIT."""
    now = now or timezone.now()
    return finding_rows(finding_list(user=user, filters=filters, now=now)[:EXPORT_LIMIT], now)


def finding_plans(*, user) -> QuerySet:
    """Plans the user may register findings under: issued plans in their scope."""
    return plan_queryset(user).filter(status=plan_rules.ISSUED).select_related("region")


def owner_choices() -> QuerySet:
    return Organization.objects.filter(kind__in=("department", "company")).order_by("kind", "name")


def category_choices() -> QuerySet:
    """The categories a finding may be filed under: the active leaves of the case catalogue."""
    return categories().filter(parent__isnull=False)


def finding_get(*, user, pk: int):
    return get_or_404(finding_queryset(user=user).select_related(*LIST_RELATED, "plan", "estate"), pk=pk)


def estates_in_scope(*, user) -> QuerySet:
    return estate_list(user=user)


def places_in_scope(*, user) -> QuerySet:
    return region_list(user=user).filter(level__gte=Region.Level.COMMUNITY)
