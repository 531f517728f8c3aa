"""API schemas of progress reporting: explicit fields in and out."""

from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.urls import reverse
from django.utils import timezone
from ninja import Field

from linli.core.schemas import Day, Id, In, ListOf, Schema, Text, Version

from ..models import Notice, ProgressReport, TaskUnit
from ..plans import rules as plan_rules
from . import rules
from .selectors import Cell, Line, Obligation


class Ref(Schema):
    id: int
    name: str


class ReportIn(In):
    task_unit_id: Id = Field(description="任务单位（我的任务中的 task_unit.id）")
    period: Day = Field(description="报送期：该期任一日期，如2026-03-01；过去的报送期按逾期报送留存")
    progress: int = Field(ge=0, le=100, description="累计完成进度，0–100；低于上期时须在 problems 中说明原因")
    content: Text = Field(description="工作进展（必填）")
    problems: Text = Field("", description="存在问题")


class ReportUpdateIn(In):
    version: Version = Field(description="读取时的版本号；已被他人修改时409")
    progress: int = Field(ge=0, le=100, description="累计完成进度，0–100")
    content: Text
    problems: Text = ""


class NoticeIn(In):
    kind: Literal["supervise", "circular"] = Field(
        description="supervise 督办所选单位；circular 通报该期全部未按时单位"
    )
    period: Day = Field(description="已过报送时限的报送期（首日）")
    task_unit_ids: ListOf[Id] = Field(default_factory=list, description="督办时必填：未报送或逾期报送的任务单位")
    note: Text = Field("", max_length=500, description="补充说明")


class LateFilterIn(In):
    period: Day | None = Field(None, description="报送期；不填或尚未到报送时限时为最近一个已过时限的报送期")
    status: Literal["missing", "late"] | None = Field(None, description="missing 未报送；late 逾期报送；不填为两者")
    task: Id | None = Field(None, description="只看该任务")
    q: str = Field("", max_length=50, description="单位或任务名称中的文字")


class ReportOut(Schema):
    """A ProgressReport; resolved per object, so a page of reports is read and converted in the database's page."""

    id: int
    task_unit_id: int
    unit: str
    period: date
    period_label: str
    due_at: datetime
    submitted_at: datetime
    submitted_by: str
    status: str
    status_label: str
    progress: int
    content: str
    problems: str
    attachment_url: str | None
    locked: bool
    version: int

    @staticmethod
    def resolve_unit(r: ProgressReport) -> str:
        return str(r.task_unit.unit)

    @staticmethod
    def resolve_period_label(r: ProgressReport) -> str:
        return rules.period_label(r.period, r.task_unit.task.plan.report_cycle)

    @staticmethod
    def resolve_submitted_by(r: ProgressReport) -> str:
        return r.submitted_by.display_name

    @staticmethod
    def resolve_status(r: ProgressReport) -> str:
        return rules.report_status(r.due_at, r.submitted_at, timezone.now())

    @staticmethod
    def resolve_status_label(r: ProgressReport) -> str:
        return rules.REPORT_STATUS_LABELS[ReportOut.resolve_status(r)]

    @staticmethod
    def resolve_attachment_url(r: ProgressReport) -> str | None:
        return reverse("api-v1:progress_attachment", args=[r.pk]) if r.attachment else None

    @staticmethod
    def resolve_locked(r: ProgressReport) -> bool:
        return not rules.editable(r.due_at, timezone.now())


class CellOut(Schema):
    period: date
    period_label: str
    due_at: datetime
    status: str
    status_label: str
    report_id: int | None
    progress: int | None


def cell_out(c: Cell) -> dict:
    return {
        "period": c.period,
        "period_label": c.label,
        "due_at": c.due_at,
        "status": c.status,
        "status_label": c.status_label,
        "report_id": c.fact.pk if c.fact else None,
        "progress": c.fact.progress if c.fact else None,
    }


class ObligationOut(Schema):
    task_unit_id: int
    unit: str
    role: str
    role_label: str
    reporting: bool
    plan: Ref
    task: Ref
    due_on: date | None
    progress: Decimal | None
    current: CellOut | None
    state: str = Field(
        description="本期情况：due 待报送，reported 已报送，ended 报送期已结束，not_started 尚未开始，"
        "by_others 由责任单位报送"
    )
    overdue: list[str]
    periods: list[CellOut]


def obligation_out(ob: Obligation) -> dict:
    tu: TaskUnit = ob.task_unit
    return {
        "task_unit_id": tu.pk,
        "unit": str(tu.unit),
        "role": tu.role,
        "role_label": plan_rules.UNIT_ROLE_LABELS[tu.role],
        "reporting": ob.reporting,
        "plan": {"id": ob.plan.pk, "name": ob.plan.title},
        "task": {"id": ob.task.pk, "name": ob.task.title},
        "due_on": ob.task.due_on,
        "progress": ob.progress,
        "current": cell_out(ob.current) if ob.current else None,
        "state": ob.state,
        "overdue": [c.overdue_text for c in ob.overdue],
        "periods": [cell_out(c) for c in ob.cells],
    }


class LateOut(Schema):
    task_unit_id: int
    unit: str
    task: Ref
    role_label: str
    status: str
    status_label: str
    submitted_at: datetime | None
    progress: int | None


def late_out(line: Line, period: date, submitted: dict[int, datetime]) -> dict:
    status = line.statuses[period]
    fact = line.reports.get(period)
    return {
        "task_unit_id": line.task_unit_id,
        "unit": line.unit_name,
        "task": {"id": line.task_id, "name": line.task_title},
        "role_label": line.role_label,
        "status": status,
        "status_label": rules.REPORT_STATUS_LABELS[status],
        "submitted_at": submitted.get(line.task_unit_id),
        "progress": fact.progress if fact else None,
    }


class NoticeOut(Schema):
    """A Notice (annotated `is_read` where the reader's list gives it), resolved per object."""

    id: int
    kind: str
    kind_label: str
    plan: Ref
    task_unit_id: int | None
    period: date | None
    text: str
    issued_by: str
    issued_at: datetime
    read: bool | None = None

    @staticmethod
    def resolve_kind_label(n: Notice) -> str:
        return rules.NOTICE_LABELS[n.kind]

    @staticmethod
    def resolve_plan(n: Notice) -> dict:
        return {"id": n.plan_id, "name": n.plan.title}

    @staticmethod
    def resolve_issued_by(n: Notice) -> str:
        return n.issued_by.display_name

    @staticmethod
    def resolve_read(n: Notice) -> bool | None:
        return getattr(n, "is_read", None)


class MatrixRowOut(Schema):
    unit: str
    on_time: list[int]
    late: list[int]
    missing: list[int]
    pending: list[int]


class MatrixOut(Schema):
    plan: Ref
    periods: list[date]
    due_periods: list[date]
    rows: list[MatrixRowOut]


def matrix_out(status) -> dict:
    rows = [
        {
            "unit": row.name,
            "on_time": [t.on_time for t in row.tallies],
            "late": [t.late for t in row.tallies],
            "missing": [t.missing for t in row.tallies],
            "pending": [t.pending for t in row.tallies],
        }
        for row in status.by_unit()
    ]
    return {
        "plan": {"id": status.plan.pk, "name": status.plan.title},
        "periods": status.periods,
        "due_periods": status.due_periods(),
        "rows": rows,
    }


class PageRows(Sequence):
    """Rows computed in Python (a unit's obligations, a plan's late list) whose output is built for the page the
    pagination slices out only: it counts them with len() and converts the slice with `convert`."""

    def __init__(self, rows: list, convert: Callable[[list], list]):
        self.rows, self.convert = rows, convert

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self.convert(self.rows[index])
        return self.convert([self.rows[index]])[0]
