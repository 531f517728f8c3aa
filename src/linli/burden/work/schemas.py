"""The "依据" of an API input that gives communities work, and the work rows' output."""

from datetime import datetime
from typing import Annotated

from ninja import Field

from linli.core.schemas import Schema
from linli.core.text import Kind

Basis = Annotated[
    str,
    Kind.LINE,
    Field(
        max_length=30,
        description='交办依据："item:<清单事项id>"、"access:<准入申请id>"；空字符串表示暂无依据（待准入，社区不可见）',
    ),
]


class WorkOut(Schema):
    id: int
    community_id: int
    community: str
    requester: str
    kind: str
    source: str
    source_id: int
    title: str
    state: str
    state_label: str
    duty_item_id: int | None
    access_id: int | None
    created_at: datetime

    @staticmethod
    def resolve_community(obj) -> str:
        return obj.community.name

    @staticmethod
    def resolve_state_label(obj) -> str:
        return obj.get_state_display()


class BurdenTallyOut(Schema):
    task: int
    report: int
    form: int
    total: int
    listed: int
    admitted: int
    held: int
    declined: int
    unlisted: int
    unlisted_share: float | None


class BurdenMonthOut(BurdenTallyOut):
    month: str


class BurdenLineOut(Schema):
    name: str
    total: BurdenTallyOut
    months: list[BurdenMonthOut]


class BurdenReportOut(Schema):
    months: list[str]
    total: BurdenTallyOut
    trend: list[BurdenMonthOut]
    communities: list[BurdenLineOut]
    requesters: list[BurdenLineOut]


def tally_out(t) -> dict:
    return {**{k: t.by_kind[k] for k in ("task", "report", "form")}, "total": t.total,
            **{s: t.by_state[s] for s in ("listed", "admitted", "held", "declined")}, "unlisted": t.unlisted,
            "unlisted_share": t.unlisted_share}  # fmt: skip


def line_out(line, months) -> dict:
    return {
        "name": line.name,
        "total": tally_out(line.total),
        "months": [{"month": f"{m:%Y-%m}", **tally_out(t)} for m, t in zip(months, line.row(months), strict=True)],
    }


def report_out(report) -> dict:
    months = report.months
    return {"months": [f"{m:%Y-%m}" for m in months], "total": tally_out(report.trend.total),
            "trend": line_out(report.trend, months)["months"],
            "communities": [line_out(line, months) for line in report.communities],
            "requesters": [line_out(line, months) for line in report.requesters]}  # fmt: skip
