"""API schemas of rectification: explicit fields in and out."""

from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from linli.core.schemas import Day, Id, In, Schema, Text

from . import selectors


class FindingIn(In):
    plan_id: Id
    estate_id: Id | None = None
    region_id: Id | None = None
    category_id: Id
    description: Text
    owner_id: Id | None = None
    due_on: Day
    address: str = ""


class FindingFilterIn(In):
    plan: Id | None = None
    estate: Id | None = None
    owner: Id | None = None
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
    def _row(c) -> selectors.FindingRow:
        return selectors.finding_rows([c], timezone.now())[0]

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


class RectificationUnitOut(Schema):
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
    units: list[RectificationUnitOut]
    accountability: list[RectificationUnitOut]


def plan_summary_out(summary) -> dict:
    rates = summary.rates
    return {
        "plan_id": summary.plan.pk,
        "findings": rates["findings"],
        "closed": rates["closed"],
        "closed_on_time": rates["closed_on_time"],
        "rectification_rate": rates["rectification_rate"],
        "rectification_on_time": rates["rectification_on_time"],
        "units": [vars(u) for u in summary.units],
        "accountability": [vars(u) for u in summary.accountability],
    }
