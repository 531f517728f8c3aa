"""API schemas of assessment. Scores come in loosely typed on purpose: the service checks each entry and answers
400 with the field naming the item (items.<id>), which a schema error could not."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field

from linli.core.schemas import Id, In, ListOf, Name, Schema, Text, Version
from linli.core.text import Kind

from . import rules, selectors
from .models import Scheme


class Ref(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(obj) -> str:
        return str(obj)


# ---------------------------------------------------------------- in


class SchemeIn(In):
    name: Name = Field(..., description="名称")
    description: Text = ""
    rating: str = Field(rules.TOTAL, description="评定方式：stars 星级评定 / total 总分评定")
    grades: ListOf[Any] = Field(default_factory=list, description='等次，如[["优秀", 90], ["良好", 80]]')
    region_id: Id | None = Field(None, description="所属区域（默认本人所在区域）")
    plan_id: Id | None = Field(None, description="所属工作方案")
    indicators: Annotated[ListOf[Any], Kind.TEXT] = Field(
        ...,
        description="一级指标：[{name, items: [...], children: [{name, items}]}]；测评内容 {content, standard, "
        "max_points, method: deduction|passfail|scale}",
    )


class RoundIn(In):
    scheme_id: Id
    name: Name
    period: str = Field(..., description="测评期间，如2025年度")
    unit_ids: ListOf[Id] = Field(..., description="被测评的社区或街道")


class ScoreIn(In):
    item_id: Any
    points: Any = Field(None, description="评分制：得分")
    passed: bool | None = Field(None, description="达标制：是否达标")
    findings: Any = Field(None, description="扣分制：[{points, reason}]，每处扣分须写明原因")
    note: Any = ""


class SheetIn(In):
    version: Version
    scores: ListOf[ScoreIn] = Field(default_factory=list)
    note: Text | None = None
    submit: bool = Field(False, description="保存后一并提交本阶段（全部评分后才能提交；提交不成则不保存）")


class VersionIn(In):
    version: Version


# ---------------------------------------------------------------- out
# Read straight off the models and the selectors' reports (dotted aliases), so a list pages in the database.


class ItemOut(Schema):
    id: int
    content: str
    standard: str
    max_points: Decimal
    method: str
    method_label: str = Field(alias="get_method_display")


class IndicatorOut(Schema):
    id: int = Field(alias="indicator.pk")
    name: str = Field(alias="indicator.name")
    points: Decimal
    items: list[ItemOut]
    children: list["IndicatorOut"]


class SchemeOut(Schema):
    id: int
    name: str
    region: Ref
    plan: Ref | None
    rating: str
    rating_label: str = Field(alias="get_rating_display")
    grades: list[Any]
    version: int


class SchemeDetailOut(SchemeOut):
    description: str
    indicators: list[IndicatorOut]

    @staticmethod
    def resolve_indicators(scheme: Scheme) -> list[selectors.IndicatorNode]:
        return selectors.scheme_tree(scheme)


class RoundOut(Schema):
    id: int
    name: str
    period: str
    scheme: Ref
    region: Ref
    status: str
    status_label: str = Field(alias="get_status_display")
    confirmed_at: datetime | None
    version: int


class UnitResultOut(Schema):
    id: int = Field(alias="unit.pk")
    unit: Ref = Field(alias="unit.region")
    stage: str = Field(alias="unit.stage")
    stage_label: str
    stage_totals: dict[str, Decimal | None]
    final_stage: str | None
    total: Decimal | None
    stars: int | None
    level: str
    rank: int | None


class RoundDetailOut(RoundOut):  # a selectors.round_report
    units: list[UnitResultOut] = Field(alias="results")
    unit_count: int


class ScoreOut(Schema):
    item_id: int
    points: Decimal
    passed: bool | None
    findings: list[Any]
    note: str


class EvidenceOut(Schema):
    id: int
    item_id: int
    name: str
    size: int
    stage: str
    uploaded_at: datetime


class SheetOut(Schema):  # a selectors.SheetView
    unit_id: int = Field(alias="unit.pk")
    unit: Ref = Field(alias="unit.region")
    stage: str = Field(alias="sheet.stage")
    stage_label: str
    total: Decimal = Field(alias="sheet.total")
    stars: int | None = Field(alias="sheet.stars")
    scored: int = Field(alias="sheet.scored")
    items: int = Field(alias="item_count")
    note: str = Field(alias="sheet.note")
    submitted_at: datetime | None = Field(alias="sheet.submitted_at")
    version: int = Field(alias="sheet.version")
    can_score: bool
    scores: list[ScoreOut] = Field(alias="sheet.scores")
    evidence: list[EvidenceOut]
