"""API schemas of the case engine: explicit fields in and out; the reporter's phone always masked on output.

Rows are built as plain dicts (`row`, `detail`) and validated natively by pydantic, as the person rows are:
a resolver per field would cost more than the query on a list of a hundred cases.
"""

from datetime import date, datetime
from typing import Literal

from django.urls import reverse
from ninja import Field
from pydantic import ConfigDict, field_validator, model_validator

from linli.core.pagination import MAX_PAGE_SIZE
from linli.core.pii import mask_phone
from linli.core.schemas import Day, Id, In, ListOf, Name, Row, Schema, Text, Version
from linli.people.schemas import house_address

from . import rules
from .models import Case, CaseEvent, Category
from .services import MAX_EXTENSION_DAYS

CHANNEL_LABELS = dict(Case.Channel.choices)
PRIORITY_LABELS = dict(Category.Priority.choices)


class Ref(Row):
    id: int
    name: str


def _ref(obj) -> dict | None:
    return {"id": obj.pk, "name": obj.name} if obj is not None else None


# ---------------------------------------------------------------- filters


class CaseFilterIn(In):
    state: Case.State | None = Field(None, description="状态")
    channel: Case.Channel | None = Field(None, description="来源渠道")
    category: Id | None = Field(None, description="分类：小类，或大类（含其下所有小类）")
    department: Id | None = Field(None, description="主办单位")
    region: Id | None = Field(None, description="区域（街道、社区或网格，含下级；不在管辖范围内时404）")
    light: Literal["green", "yellow", "red"] | None = Field(None, description="未办结案件的时限灯：green/yellow/red")
    supervised: bool | None = Field(None, description="是否督办")
    received_from: Day | None = Field(None, description="受理日期起（含当日）")
    received_to: Day | None = Field(None, description="受理日期止（含当日）")
    q: str | None = Field(None, max_length=50, description="案件编号（精确），或描述、地址中的文字")


class QueueFilterIn(CaseFilterIn):
    state: Literal["received", "registered", "returned"] | None = Field(
        None, description="调度台只有 received（已受理）、registered（已立案待派遣）、returned（已退单待改派）"
    )


# ---------------------------------------------------------------- rows


class _CaseRow(Row):
    """Built from a Case by `row`, nothing else: that is where the phone is masked."""

    @model_validator(mode="before")
    @classmethod
    def _from_case(cls, obj):
        if isinstance(obj, Case):
            return cls.row(obj, _now())
        if isinstance(obj, dict) and obj.get("_built") is cls:
            return obj
        raise TypeError(f"{cls.__name__} is built from a Case, not {type(obj).__name__}")


def _now() -> datetime:
    from django.utils import timezone

    return timezone.now()


class CategoryRef(Row):
    id: int
    code: str
    name: str
    major: str = Field(description="大类名称")


class CaseOut(_CaseRow):
    id: int
    number: str
    state: str
    state_label: str
    channel: str
    channel_label: str
    category: CategoryRef
    priority: int
    priority_label: str
    address: str
    region: Ref
    lead_department: Ref | None
    reporter_name: str
    reporter_phone: str = Field(description="脱敏")
    received_at: datetime
    due_at: datetime | None
    light: Literal["green", "yellow", "red"] | None = Field(description="未办结案件的时限灯（已办结等为空）")
    light_label: str
    supervision_level: int
    supervision_label: str
    version: int

    @classmethod
    def row(cls, c: Case, now: datetime) -> dict:
        light = rules.case_light(now, c) if c.is_open else None
        return {
            "_built": cls,
            "id": c.pk,
            "number": c.number,
            "state": c.state,
            "state_label": rules.STATE_LABELS[c.state],
            "channel": c.channel,
            "channel_label": CHANNEL_LABELS.get(c.channel, c.channel),
            "category": {
                "id": c.category_id,
                "code": c.category.code,
                "name": c.category.name,
                "major": c.category.parent.name if c.category.parent_id else "",
            },
            "priority": c.priority,
            "priority_label": PRIORITY_LABELS.get(c.priority, ""),
            "address": c.address,
            "region": _ref(c.region),
            "lead_department": _ref(c.lead_department),
            "reporter_name": c.reporter_name,
            "reporter_phone": mask_phone(c.reporter_phone),
            "received_at": c.received_at,
            "due_at": c.due_at,
            "light": light,
            "light_label": rules.LIGHT_LABELS.get(light, ""),
            "supervision_level": c.supervision_level,
            "supervision_label": rules.SUPERVISION_LABELS.get(c.supervision_level, ""),
            "version": c.version,
        }


class PointOut(Row):
    latitude: float
    longitude: float


class HouseRef(Row):
    id: int
    address: str


class DeadlinesOut(Row):
    response_due: datetime | None = Field(description="签收时限")
    warn_at: datetime | None = Field(description="黄灯时间")
    due_at: datetime | None = Field(description="处置时限")
    dispatched_at: datetime | None
    accepted_at: datetime | None
    feedback_at: datetime | None
    closed_at: datetime | None


class CountsOut(Row):
    return_count: int = Field(description="退单次数")
    rework_count: int = Field(description="返工次数")
    reopen_count: int = Field(description="重办次数")
    extension_count: int = Field(description="延期次数")
    extension_days_pending: int | None = Field(description="待审批的延期申请（工作日）")
    resume_on: date | None = Field(description="缓办：预计恢复办理日期（申请待审批或缓办中）")
    deferral_count: int = Field(description="缓办次数")


class AttachmentOut(Row):
    id: int
    name: str
    content_type: str
    size: int
    width: int
    height: int
    url: str


class EventOut(Row):
    seq: int
    action: str
    label: str
    from_state: str
    from_state_label: str
    to_state: str
    to_state_label: str
    actor_label: str
    at: datetime
    note: str
    data: dict
    attachments: list[AttachmentOut]


class ActionOut(Row):
    action: str
    label: str
    note_required: bool


class CaseDetailOut(CaseOut):
    description: str
    point: PointOut | None
    house: HouseRef | None
    community: Ref | None
    street: Ref | None
    assisting: list[Ref] = Field(description="协办单位")
    deadlines: DeadlinesOut
    counts: CountsOut
    rating: str
    rating_label: str
    rated_at: datetime | None
    on_time: bool | None = Field(description="结案时按期与否")
    merged_into: str | None = Field(description="并入案件的编号")
    timeline: list[EventOut]
    actions: list[ActionOut] = Field(description="当前用户现在可以执行的操作")

    @classmethod
    def detail(cls, c: Case, *, events: list[CaseEvent], actions: list[rules.Transition], now: datetime) -> dict:
        """The case as its page shows it. The caller selected house__unit__building__estate, community, street
        and merged_into, and prefetched assisting."""
        return super().row(c, now) | {
            "_built": cls,
            "description": c.description,
            "point": {"latitude": c.latitude, "longitude": c.longitude} if c.latitude is not None else None,
            "house": {"id": c.house_id, "address": house_address(c.house)} if c.house_id else None,
            "community": _ref(c.community),
            "street": _ref(c.street),
            "assisting": [_ref(o) for o in c.assisting.all()],
            "deadlines": {
                name: getattr(c, name)
                for name in (
                    "response_due",
                    "warn_at",
                    "due_at",
                    "dispatched_at",
                    "accepted_at",
                    "feedback_at",
                    "closed_at",
                )  # fmt: skip
            },
            "counts": {
                "return_count": c.return_count,
                "rework_count": c.rework_count,
                "reopen_count": c.reopen_count,
                "extension_count": c.extension_count,
                "extension_days_pending": c.extension_days,
                "resume_on": c.resume_on,
                "deferral_count": c.deferral_count,
            },
            "rating": c.rating,
            "rating_label": rules.RATING_LABELS.get(c.rating, ""),
            "rated_at": c.rated_at,
            "on_time": c.on_time,
            "merged_into": c.merged_into.number if c.merged_into_id else None,
            "timeline": [_event(c, e) for e in events],
            "actions": [{"action": t.action, "label": t.label, "note_required": t.note_required} for t in actions],
        }


def attachment_url(case_id: int, attachment_id: int) -> str:
    return reverse("api-v1:case_attachment", kwargs={"case_id": case_id, "attachment_id": attachment_id})


def _event(c: Case, e: CaseEvent) -> dict:
    return {
        "seq": e.seq,
        "action": e.action,
        "label": e.label,
        "from_state": e.from_state,
        "from_state_label": rules.STATE_LABELS.get(e.from_state, ""),
        "to_state": e.to_state,
        "to_state_label": rules.STATE_LABELS.get(e.to_state, ""),
        "actor_label": e.actor_label,
        "at": e.at,
        "note": e.note,
        "data": e.data,
        "attachments": [
            {
                "id": a.pk,
                "name": a.name,
                "content_type": a.content_type,
                "size": a.size,
                "width": a.width,
                "height": a.height,
                "url": attachment_url(c.pk, a.pk),
            }
            for a in e.attachments.all()
        ],
    }


# ---------------------------------------------------------------- writes


class _BlankIsMissing(In):
    """Form fields a client left empty count as not sent, so an empty optional number is not a format error."""

    @field_validator("*", mode="before")
    @classmethod
    def _blank(cls, value):
        return None if value == "" else value


class CaseIn(In):
    channel: str | None = Field(None, description="来源渠道：hotline/window/patrol/inspection")
    category_id: Id | None = Field(None, description="事件小类")
    description: Text | None = Field(None, description="问题描述（5至2000字）")
    address: str | None = None
    house_id: Id | None = Field(None, description="所在房屋；或 region_id；或 latitude 加 longitude")
    region_id: Id | None = Field(None, description="所属社区或网格")
    latitude: float | None = Field(None, ge=-90, le=90, allow_inf_nan=False)
    longitude: float | None = Field(None, ge=-180, le=180, allow_inf_nan=False)
    reporter_name: Name | None = None
    reporter_phone: str | None = None


class CaseFormIn(_BlankIsMissing, CaseIn):
    pass


class ActionIn(In):
    version: Version = Field(description="读取时的版本号；已被他人处理时返回409")
    note: Text | None = Field("", description="说明；退单、反馈、返工、督办等必填")
    department_id: Id | None = Field(None, description="派遣：主办单位，默认为分类的默认部门")
    assisting_ids: ListOf[Id] = Field([], description="派遣：协办单位")
    days: int | None = Field(None, ge=1, le=MAX_EXTENSION_DAYS, description="申请延期：工作日数")
    rating: Literal["satisfied", "basic", "unsatisfied"] | None = Field(
        None, description="回访评价；回访（visit）时反映人未评价过本次办理则必填"
    )
    solved: bool | None = Field(None, description="回访（visit）：反映的问题是否已解决")
    resume_on: date | None = Field(None, description="申请缓办：预计恢复办理日期")
    original_id: Id | None = Field(None, description="合并：并入的原案件")

    def params(self) -> dict:
        return self.dict(exclude={"version", "note"})


class ActionFormIn(_BlankIsMissing, ActionIn):
    pass


class CaseVersionIn(In):
    id: Id
    version: Version = Field(description="读取时的版本号；已被他人处理时该案件返回409")


# A batch acts on the cases ticked on one page of a list, and takes each case in turn.
BATCH_MAX = MAX_PAGE_SIZE


class DispatchIn(In):
    cases: list[CaseVersionIn] = Field(max_length=BATCH_MAX, description="要派遣的案件；已受理未立案的先行立案")
    department_id: Id | None = Field(None, description="主办单位，默认为各案件分类的默认部门")
    assisting_ids: ListOf[Id] = Field([], description="协办单位")


class FieldErrorOut(Row):
    field: str
    message: str


class DispatchedOut(Row):
    id: int
    number: str = Field(description="案件编号；未找到或不在管辖范围内时为空")
    dispatched: bool
    registered: bool = Field(description="派遣前先行立案")
    status: int = Field(description="200；未派遣时为原因对应的状态码（400、403、404、409）")
    detail: str
    errors: list[FieldErrorOut]
    case: CaseOut | None = Field(description="派遣后的案件")


class DispatchOut(Row):
    dispatched: int = Field(description="派遣的件数")
    registered: int = Field(description="其中先行立案的件数")
    results: list[DispatchedOut] = Field(description="每件案件的结果，按提交的顺序")


def dispatch_out(outcomes) -> dict:
    results = []
    for o in outcomes:
        error = o.error
        results.append({
            "id": o.case_id,
            "number": o.number,
            "dispatched": error is None,
            "registered": o.registered,
            "status": 200 if error is None else error.status,
            "detail": "" if error is None else error.detail,
            "errors": [] if error is None else [{"field": e.field, "message": e.message} for e in error.errors],
            "case": o.case,
        })  # fmt: skip
    done = [o for o in outcomes if o.error is None]
    return {"dispatched": len(done), "registered": sum(o.registered for o in done), "results": results}


class RevealIn(In):
    purpose: str = Field(description="查看用途，记入审计日志")


class ReporterRevealOut(Schema):
    reporter_name: str
    reporter_phone: str


# ---------------------------------------------------------------- the case page's history


class ClockOut(Row):
    label: str = Field(description="签收时限或处置时限")
    due: datetime
    total_seconds: int = Field(description="时限共多少工作秒")
    used_seconds: int = Field(description="已用（反馈后为派遣到反馈所用）的工作秒")
    left_seconds: int
    overdue_seconds: int
    late: bool = Field(description="已超过时限（下班后超过时，超期的工作秒可能为0）")


class HistoryEntryOut(Row):
    seq: int
    action: str
    label: str
    at: datetime
    actor_label: str
    note: str
    state_change: str = Field(description="状态变化，如“已反馈待核查 → 已结案”")
    details: list[str] = Field(description="主办单位、时限、延期天数、评价等")


class HistoryOut(Row):
    entries: list[HistoryEntryOut]
    clock: ClockOut | None = Field(description="正在计算的时限；无时限或已不在部门手中时为空")


def history_out(history) -> dict:
    c = history.clock
    clock = None
    if c is not None:
        clock = {"label": c.label, "due": c.due, "total_seconds": c.total, "used_seconds": c.used,
                 "left_seconds": c.left, "overdue_seconds": c.overdue, "late": c.late}  # fmt: skip
    entries = [
        {
            "seq": e.event.seq,
            "action": e.event.action,
            "label": e.event.label,
            "at": e.event.at,
            "actor_label": e.event.actor_label,
            "note": e.event.note,
            "state_change": e.state_change,
            "details": e.details,
        }  # fmt: skip
        for e in history.entries
    ]
    return {"entries": entries, "clock": clock}


# ---------------------------------------------------------------- categories


class MinorCategoryOut(Row):
    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    name: str
    department: Ref | None = Field(description="默认主办部门")
    priority: int
    priority_label: str
    response_limit: float = Field(description="响应（签收）时限")
    response_unit: str
    response_unit_label: str
    handle_limit: float = Field(description="处置时限")
    handle_unit: str
    handle_unit_label: str
    requires_verification: bool = Field(description="需现场核查")


class MajorCategoryOut(Row):
    id: int
    code: str
    name: str
    minors: list[MinorCategoryOut]


def category_tree(categories) -> list[dict]:
    """Majors in catalogue order, each with its active minor categories."""
    majors, minors = [], {}
    for c in categories:
        if c.parent_id is None:
            majors.append(c)
        else:
            minors.setdefault(c.parent_id, []).append(
                {
                    "id": c.pk,
                    "code": c.code,
                    "name": c.name,
                    "department": _ref(c.department),
                    "priority": c.priority,
                    "priority_label": PRIORITY_LABELS.get(c.priority, ""),
                    "response_limit": c.response_limit,
                    "response_unit": c.response_unit,
                    "response_unit_label": rules.LIMIT_UNITS.get(c.response_unit, ""),
                    "handle_limit": c.handle_limit,
                    "handle_unit": c.handle_unit,
                    "handle_unit_label": rules.LIMIT_UNITS.get(c.handle_unit, ""),
                    "requires_verification": c.requires_verification,
                }
            )
    return [{"id": m.pk, "code": m.code, "name": m.name, "minors": minors.get(m.pk, [])} for m in majors]
