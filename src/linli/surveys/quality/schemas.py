"""API shapes of quality control: the drawn forms, a re-check and its item-by-item comparison, corrections."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from ninja import Field

from linli.core.schemas import In, Line, Schema, Version

from . import rules


class SurveyRecheckIn(In):
    answers: dict[str, Any] = Field(description="复核人员的填报内容，与调查表同一格式（表格项目为行的列表）")
    conclusion: Line = Field("", max_length=rules.CONCLUSION_MAX, description="复核结论；不填时按比对结果生成")


class SurveyCorrectionIn(In):
    path: Line = Field(max_length=60, description="要更正的项目：题目代码如 H2，表格单元如 P.2.R3（第2行 R3）")
    new: Any = Field(None, description="更正后的值（空值即删除该项填报）")
    reason: Line = Field(max_length=rules.REASON_MAX)
    version: Version


class RecheckItemOut(Schema):
    path: str
    item: str
    label: str
    original: Any = None
    recheck: Any = None
    same: bool


class ErrorRateOut(Schema):
    label: str
    forms: int
    checked: int
    wrong: int
    rate: Decimal | None = Field(None, description="差错率（比例，四位小数，四舍五入）")


class SurveyRecheckOut(Schema):
    id: int
    response_id: int
    form_version_id: int
    answers: dict
    differences: list[RecheckItemOut]
    items_checked: int
    items_wrong: int
    rate: Decimal | None
    conclusion: str
    checked_by: str
    checked_at: datetime


class SurveyCorrectionOut(Schema):
    id: int
    path: str
    old: Any = None
    new: Any = None
    reason: str
    version: int
    corrected_by: str
    at: datetime


class RecheckDrawnOut(Schema):
    response_id: int
    unit: str
    area: str
    role: str
    entered_by: str
    rechecked: bool
    items_checked: int | None = None
    items_wrong: int | None = None


class SurveyQualityOut(Schema):
    survey_id: int
    draw_seed: str | None
    drawn: list[RecheckDrawnOut]
    rechecks: int
    overall: ErrorRateOut
    by_item: list[ErrorRateOut]
    by_enumerator: list[ErrorRateOut]
    by_area: list[ErrorRateOut]


class RecheckResponseOut(Schema):
    id: int
    unit: str
    area: str
    role: str
    version: int
    answers: dict
    recheck_form: dict = Field(description="复核人员填写的表式定义")
    may_recheck: bool
    may_correct: bool
    recheck: SurveyRecheckOut | None
    corrections: list[SurveyCorrectionOut]
