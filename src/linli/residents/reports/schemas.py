from datetime import date, datetime
from typing import Literal

from ninja import Field

from linli.cases import rules
from linli.cases.public.rules import rateable
from linli.core.schemas import In, Schema, Text


def category(c) -> str:
    return f"{c.category.parent.name} · {c.category.name}"


class _Report(Schema):
    id: int
    number: str = Field(description="案件编号")
    category: str = Field(description="问题类型（大类 · 小类）")
    state: str
    state_label: str
    received_at: datetime
    rateable: bool = Field(description="已办结、尚未评价：可以评价")


class MyReportOut(_Report):
    @staticmethod
    def resolve_category(c) -> str:
        return category(c)

    @staticmethod
    def resolve_state_label(c) -> str:
        return rules.STATE_LABELS[c.state]

    @staticmethod
    def resolve_rateable(c) -> bool:
        return rateable(c.state, c.rating)


class ProgressEntryOut(Schema):
    label: str
    at: datetime
    who: str = Field(description="办理单位（不显示工作人员姓名）")
    note: str
    detail: str


class ExpectedOut(Schema):
    label: str
    note: str
    when: date | datetime | None


class PhotoOut(Schema):
    id: int
    url: str


class MyReportDetailOut(_Report):
    tracking_code: str = Field(description="查询码")
    description: str
    address: str
    community: str | None
    state_hint: str
    expected: ExpectedOut | None = Field(description="预计办结或恢复办理的时间")
    rating: str
    rating_label: str
    timeline: list[ProgressEntryOut] = Field(description="办理记录，新的在前")
    photos: list[PhotoOut] = Field(description="反映时上传的照片")


class RateIn(In):
    rating: Literal[tuple(rules.RATING_LABELS)] = Field(
        description="satisfied 满意，basic 基本满意，unsatisfied 不满意"
    )
    note: Text = Field("", max_length=500, description="意见或建议；不满意时请说明原因")
