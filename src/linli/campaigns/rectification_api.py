"""Rectification API under /api/v1/rectifications: the register (整改台账), registering a finding, a plan's rates and
the units called to account. The finding's lifecycle steps are the case API's (/api/v1/cases/{id}/actions/…)."""

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from . import rectification as rect
from .selectors import plan_get

router = Router(tags=["rectifications"])


class FindingIn(Schema):
    plan_id: int
    estate_id: int | None = None
    region_id: int | None = None
    category_id: int
    description: str
    owner_id: int | None = None
    due_on: date
    address: str = ""


class FindingFilterIn(Schema):
    plan: int | None = None
    estate: int | None = None
    owner: int | None = None
    state: str | None = None
    overdue: bool = False
    failed: bool = False
    q: str | None = None


class FindingOut(Schema):
    id: int
    number: str
    plan_id: int | None
    plan: str | None
    estate_id: int | None
    estate: str | None
    region: str
    category: str
    description: str
    owner_id: int | None
    owner: str | None
    state: str
    state_label: str
    due_at: datetime | None
    overdue: bool
    late: bool
    failed: bool
    rework_count: int
    closed_at: datetime | None
    version: int

    @staticmethod
    def _row(c) -> rect.FindingRow:
        return rect.finding_rows([c], timezone.now())[0]

    @staticmethod
    def resolve_plan(c) -> str | None:
        return c.plan.title if c.plan else None

    @staticmethod
    def resolve_estate(c) -> str | None:
        return c.estate.name if c.estate else None

    @staticmethod
    def resolve_region(c) -> str:
        return c.region.name

    @staticmethod
    def resolve_category(c) -> str:
        return c.category.name

    @staticmethod
    def resolve_owner_id(c) -> int | None:
        return c.lead_department_id

    @staticmethod
    def resolve_owner(c) -> str | None:
        return c.lead_department.name if c.lead_department else None

    @staticmethod
    def resolve_state_label(c) -> str:
        return c.get_state_display()

    @staticmethod
    def resolve_overdue(c) -> bool:
        return FindingOut._row(c).overdue

    @staticmethod
    def resolve_late(c) -> bool:
        return FindingOut._row(c).late

    @staticmethod
    def resolve_failed(c) -> bool:
        return FindingOut._row(c).failed


class UnitOut(Schema):
    owner_id: int | None
    name: str
    findings: int
    closed: int
    overdue: int
    failed: int
    flagged: bool


class PlanSummaryOut(Schema):
    plan_id: int
    findings: int
    closed: int
    closed_on_time: int
    rectification_rate: Decimal | None
    rectification_on_time: Decimal | None
    units: list[UnitOut]
    accountability: list[UnitOut]


@router.get("", response=list[FindingOut], summary="整改台账：按方案、小区、责任单位、状态筛选，超期和整改不力标记")
@paginate(PageNumberPagination, page_size=20, max_page_size=100)
def finding_list(request, filters: Query[FindingFilterIn]):
    return rect.finding_list(user=request.user, filters=rect.FindingFilter(**filters.dict()))


@router.post("", response={201: FindingOut}, summary="登记整改问题（登记造册，派给责任单位，整改时限）")
def finding_register(request, payload: FindingIn):
    case = rect.finding_register(user=request.user, data=payload.dict())
    return Status(201, rect.finding_get(user=request.user, pk=case.pk))


@router.get(
    "/plans/{plan_id}", response=PlanSummaryOut, summary="方案整改情况：整改率、整改及时率、各责任单位和问责名单"
)
def plan_summary(request, plan_id: int):
    plan = plan_get(request.user, plan_id)
    now = timezone.now()
    units = rect.plan_units(user=request.user, plan=plan, now=now)
    rates = rect.rectification_rates(plan, now=now)
    failed = {u.owner_id: u.failed for u in units if u.owner_id is not None}
    by_owner = {u.owner_id: u for u in units}
    return {
        "plan_id": plan.pk,
        "findings": rates["findings"],
        "closed": rates["closed"],
        "closed_on_time": rates["closed_on_time"],
        "rectification_rate": rates["rectification_rate"],
        "rectification_on_time": rates["rectification_on_time"],
        "units": [vars(u) for u in units],
        "accountability": [vars(by_owner[k]) for k in rect.rules.accountability_flags(failed)],
    }
