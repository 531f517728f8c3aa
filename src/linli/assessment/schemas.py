"""API schemas of assessment. Scores come in loosely typed on purpose: the service checks each entry and answers
400 with the field naming the item (items.<id>), which a schema error could not."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema
from pydantic import BaseModel

from . import rules, selectors
from .models import Evidence, Round, RoundUnit, Scheme, Sheet


class Ref(BaseModel):
    id: int
    name: str


def _ref(obj) -> dict | None:
    return {"id": obj.pk, "name": str(obj)} if obj is not None else None


# ---------------------------------------------------------------- in


class SchemeIn(Schema):
    name: str = Field(..., description="名称")
    description: str = ""
    rating: str = Field(rules.TOTAL, description="评定方式：stars 星级评定 / total 总分评定")
    grades: list[Any] = Field(default_factory=list, description='等次，如[["优秀", 90], ["良好", 80]]')
    region_id: int | None = Field(None, description="所属区域（默认本人所在区域）")
    plan_id: int | None = Field(None, description="所属工作方案")
    indicators: list[Any] = Field(
        ...,
        description="一级指标：[{name, items: [...], children: [{name, items}]}]；测评内容 {content, standard, "
        "max_points, method: deduction|passfail|scale}",
    )


class RoundIn(Schema):
    scheme_id: int
    name: str
    period: str = Field(..., description="测评期间，如2025年度")
    unit_ids: list[int] = Field(..., description="被测评的社区或街道")


class ScoreIn(Schema):
    item_id: Any
    points: Any = Field(None, description="评分制：得分")
    passed: bool | None = Field(None, description="达标制：是否达标")
    findings: Any = Field(None, description="扣分制：[{points, reason}]，每处扣分须写明原因")
    note: Any = ""


class SheetIn(Schema):
    version: int
    scores: list[ScoreIn] = Field(default_factory=list)
    note: str | None = None


class VersionIn(Schema):
    version: int


# ---------------------------------------------------------------- out


class ItemOut(Schema):
    id: int
    content: str
    standard: str
    max_points: Decimal
    method: str
    method_label: str


class IndicatorOut(Schema):
    id: int
    name: str
    points: Decimal
    items: list[ItemOut]
    children: list["IndicatorOut"]


class SchemeOut(Schema):
    id: int
    name: str
    region: Ref
    plan: Ref | None
    rating: str
    rating_label: str
    grades: list[Any]
    version: int


class SchemeDetailOut(SchemeOut):
    description: str
    indicators: list[IndicatorOut]


def _item(i) -> dict:
    return {
        "id": i.pk,
        "content": i.content,
        "standard": i.standard,
        "max_points": i.max_points,
        "method": i.method,
        "method_label": rules.METHOD_LABELS[i.method],
    }


def _node(n: selectors.IndicatorNode) -> dict:
    return {
        "id": n.indicator.pk,
        "name": n.indicator.name,
        "points": n.points,
        "items": [_item(i) for i in n.items],
        "children": [_node(c) for c in n.children],
    }


def scheme_out(s: Scheme, *, tree: bool = False) -> dict:
    data = {
        "id": s.pk,
        "name": s.name,
        "region": _ref(s.region),
        "plan": _ref(s.plan),
        "rating": s.rating,
        "rating_label": rules.RATING_LABELS[s.rating],
        "grades": s.grades,
        "version": s.version,
    }
    if tree:
        data |= {"description": s.description, "indicators": [_node(n) for n in selectors.scheme_tree(s)]}
    return data


class RoundOut(Schema):
    id: int
    name: str
    period: str
    scheme: Ref
    region: Ref
    status: str
    status_label: str
    confirmed_at: datetime | None
    version: int


def round_out(r: Round) -> dict:
    return {
        "id": r.pk,
        "name": r.name,
        "period": r.period,
        "scheme": _ref(r.scheme),
        "region": _ref(r.region),
        "status": r.status,
        "status_label": r.get_status_display(),
        "confirmed_at": r.confirmed_at,
        "version": r.version,
    }


class UnitResultOut(Schema):
    id: int
    unit: Ref
    stage: str
    stage_label: str
    stage_totals: dict[str, Decimal | None]
    final_stage: str | None
    total: Decimal | None
    stars: int | None
    level: str
    rank: int | None


class RoundDetailOut(RoundOut):
    units: list[UnitResultOut]
    unit_count: int


def result_out(r: selectors.UnitResult) -> dict:
    return {
        "id": r.unit.pk,
        "unit": _ref(r.unit.region),
        "stage": r.unit.stage,
        "stage_label": r.stage_label,
        "stage_totals": r.stage_totals,
        "final_stage": r.final_stage,
        "total": r.total,
        "stars": r.stars,
        "level": r.level,
        "rank": r.rank,
    }


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


class SheetOut(Schema):
    unit_id: int
    unit: Ref
    stage: str
    stage_label: str
    total: Decimal
    stars: int | None
    scored: int
    items: int
    note: str
    submitted_at: datetime | None
    version: int
    can_score: bool
    scores: list[ScoreOut]
    evidence: list[EvidenceOut]


def sheet_out(unit: RoundUnit, sheet: Sheet, *, items: int, can_score: bool, evidence: list[Evidence]) -> dict:
    return {
        "unit_id": unit.pk,
        "unit": _ref(unit.region),
        "stage": sheet.stage,
        "stage_label": rules.STAGE_LABELS[sheet.stage],
        "total": sheet.total,
        "stars": sheet.stars,
        "scored": sheet.scored,
        "items": items,
        "note": sheet.note,
        "submitted_at": sheet.submitted_at,
        "version": sheet.version,
        "can_score": can_score,
        "scores": [
            {"item_id": s.item_id, "points": s.points, "passed": s.passed, "findings": s.findings, "note": s.note}
            for s in sheet.scores.all()
        ],
        "evidence": [
            {
                "id": e.pk,
                "item_id": e.item_id,
                "name": e.name,
                "size": e.size,
                "stage": e.stage,
                "uploaded_at": e.uploaded_at,
            }  # fmt: skip
            for e in evidence
        ],
    }
