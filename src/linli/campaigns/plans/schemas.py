"""API schemas of campaign plans: explicit fields in and out."""

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field

from linli.burden.work.schemas import Basis
from linli.core.schemas import Day, Id, In, ListOf, Name, Schema, Text, Version

from . import rules

Comparator = Literal[">=", ">", "=", "<=", "<"]
Measure = Literal[tuple(rules.MEASURE_LABELS)]
Duty = Literal[tuple(rules.DUTY_LABELS)]
Cycle = Literal[tuple(rules.CYCLE_LABELS)]
# Target values as stored (DecimalField(12, 2)): a rate, a count or an amount, finite and below 10^10.
TargetValue = Annotated[Decimal, Field(gt=-(10**10), lt=10**10, max_digits=12, decimal_places=2, allow_inf_nan=False)]


class TargetIn(In):
    id: Id | None = Field(None, description="已有目标的id（保留其填报值）")
    indicator: str
    comparator: Comparator = ">="
    value: TargetValue
    unit: str = "%"
    measure: Measure = rules.REPORTED
    description: str = ""


# The shapes a plan's lists have both ways; answers use the Out classes, which check nothing.


class _GroupMember(Schema):
    duty: Duty
    name: Name = ""
    title: Name = ""
    unit: Name = ""


class GroupMemberIn(In, _GroupMember):
    pass


class GroupMemberOut(_GroupMember):
    pass


class _Phase(Schema):
    name: Name
    starts_on: date
    ends_on: date
    description: Text = ""


class PhaseIn(In, _Phase):
    starts_on: Day
    ends_on: Day


class _Section(Schema):
    heading: Name
    body: Text = ""


class SectionIn(In, _Section):
    pass


class SectionOut(_Section):
    pass


class PlanFields(In):
    title: Name | None = None
    issuer: Name | None = None
    doc_number: str | None = None
    issued_on: Day | None = None
    preamble: Text | None = None
    guiding_idea: Text | None = None
    scope: Text | None = None
    office: Text | None = None
    requirements: Text | None = None
    report_cycle: Cycle | None = None
    targets: ListOf[TargetIn] | None = None
    group: ListOf[GroupMemberIn] | None = None
    phases: ListOf[PhaseIn] | None = None
    sections: ListOf[SectionIn] | None = None


class PlanCreateIn(PlanFields):
    region_id: Id


class PlanUpdateIn(PlanFields):
    version: Version


class VersionIn(In):
    version: Version


class TargetReportIn(In):
    version: Version = Field(description="方案的version")
    value: TargetValue


class TaskFields(In):
    title: Name | None = None
    content: Text | None = None
    direct_person: Name | None = None
    handler: Name | None = None
    due_on: Day | None = None
    deliverables: str | None = None
    weight: int | None = Field(None, ge=1, le=100)
    lead_units: ListOf[str] | None = Field(None, description='牵头单位："org:<组织id>" 或 "region:<区域id>"')
    responsible_units: ListOf[str] | None = Field(None, description="责任单位，格式同上")
    basis: Basis | None = None  # 社区工作准入 (burden): the basis of the work the task gives community units


class TaskCreateIn(TaskFields):
    parent_id: Id | None = None


class TaskUpdateIn(TaskFields):
    version: Version


class TaskMoveIn(In):
    version: Version
    direction: Literal["up", "down"]


class TargetOut(Schema):
    id: int
    indicator: str
    comparator: str
    value: Decimal
    unit: str
    measure: str
    label: str
    actual: Decimal | None
    met: bool | None
    source: str


class PlanOut(Schema):
    id: int
    region_id: int
    region: str
    title: str
    issuer: str
    doc_number: str
    issued_on: date | None
    status: str
    status_label: str
    report_cycle: str
    version: int

    # Rows of the list are plans (the page is sliced in the database); the detail is a dict built by plan_row.
    @staticmethod
    def resolve_region(obj) -> str:
        return obj["region"] if isinstance(obj, dict) else obj.region.name

    @staticmethod
    def resolve_status_label(obj) -> str:
        return rules.PLAN_STATUS_LABELS[obj["status"] if isinstance(obj, dict) else obj.status]


class PhaseOut(_Phase):
    id: int


class PlanDetailOut(PlanOut):
    preamble: str
    guiding_idea: str
    scope: str
    office: str
    requirements: str
    period_start: date
    period_end: date | None
    completion: Decimal
    can_edit: bool
    targets: list[TargetOut]
    group: list[GroupMemberOut]
    phases: list[PhaseOut]
    sections: list[SectionOut]


class DashboardTaskOut(Schema):
    id: int
    number: str
    title: str
    completion: Decimal


class DashboardUnitOut(Schema):
    key: str
    name: str
    completion: Decimal
    tasks: int
    late: int
    missing: int


class DashboardPhaseOut(Schema):
    id: int
    name: str
    starts_on: date
    ends_on: date
    tasks: int
    done: int
    current: bool


class DashboardOut(Schema):
    completion: Decimal
    tasks: list[DashboardTaskOut]
    units: list[DashboardUnitOut]
    phases: list[DashboardPhaseOut]


class TaskUnitOut(Schema):
    key: str
    role: str
    name: str
    latest_progress: int | None
    work_state: str | None = Field(None, description="社区单位的准入状态：listed/admitted/held/declined")
    work_id: int | None = None


class TaskOut(Schema):
    id: int
    parent_id: int | None
    number: str
    title: str
    content: str
    direct_person: str
    handler: str
    due_on: date | None
    deliverables: str
    weight: int
    version: int
    completion: Decimal
    units: list[TaskUnitOut]
    children: list["TaskOut"]


def plan_row(plan) -> dict:
    return {
        "id": plan.pk, "region_id": plan.region_id, "region": plan.region.name, "title": plan.title,
        "issuer": plan.issuer, "doc_number": plan.doc_number, "issued_on": plan.issued_on, "status": plan.status,
        "status_label": rules.PLAN_STATUS_LABELS[plan.status], "report_cycle": plan.report_cycle,
        "version": plan.version,
    }  # fmt: skip


def task_row(node) -> dict:
    t = node.task
    units = [{"key": f"org:{u.organization_id}" if u.organization_id else f"region:{u.region_id}", "role": u.role,
              "name": str(u.unit), "latest_progress": u.latest, "work_state": u.work_state, "work_id": u.work_id}
             for u in node.leads + node.responsibles]  # fmt: skip
    return {
        "id": t.pk, "parent_id": t.parent_id, "number": node.number, "title": t.title, "content": t.content,
        "direct_person": t.direct_person, "handler": t.handler, "due_on": t.due_on, "deliverables": t.deliverables,
        "weight": t.weight, "version": t.version, "completion": node.completion, "units": units,
        "children": [task_row(c) for c in node.children],
    }  # fmt: skip


def target_rows(rows) -> list[dict]:
    return [
        {
            "id": r.target.pk,
            "indicator": r.target.indicator,
            "comparator": r.target.comparator,
            "value": r.target.value,
            "unit": r.target.unit,
            "measure": r.target.measure,
            "label": r.label,
            "actual": r.actual,
            "met": r.met,
            "source": r.source,
        }  # fmt: skip
        for r in rows
    ]


def plan_detail_out(detail) -> dict:
    plan = detail.plan
    start, end = detail.period
    return plan_row(plan) | {
        "preamble": plan.preamble, "guiding_idea": plan.guiding_idea, "scope": plan.scope, "office": plan.office,
        "requirements": plan.requirements, "period_start": start, "period_end": end,
        "completion": detail.tree.completion, "can_edit": detail.can_edit, "targets": target_rows(detail.targets),
        "group": [{"duty": m.duty, "name": m.name, "title": m.title, "unit": m.unit} for m in plan.group.all()],
        "phases": [{"id": p.pk, "name": p.name, "starts_on": p.starts_on, "ends_on": p.ends_on,
                    "description": p.description} for p in detail.phases],
        "sections": [{"heading": s.heading, "body": s.body} for s in plan.sections.all()],
    }  # fmt: skip


def dashboard_out(board) -> dict:
    return {
        "completion": board.tree.completion,
        "tasks": [{"id": n.task.pk, "number": n.number, "title": n.task.title, "completion": n.completion}
                  for n in board.tree.roots],
        "units": [vars(u) for u in board.units],
        "phases": [{"id": r.phase.pk, "name": r.phase.name, "starts_on": r.phase.starts_on, "ends_on": r.phase.ends_on,
                    "tasks": len(r.tasks), "done": r.done, "current": r.current} for r in board.phases],
    }  # fmt: skip
