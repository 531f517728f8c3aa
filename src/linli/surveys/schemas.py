"""API shapes of survey projects (/api/v1/surveys)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Field

from linli.core.schemas import Day, Id, In, Line, Name, Schema, Version

Kind = Literal["census", "units"]
State = Literal["draft", "running", "finished"]


class SurveyCreateIn(In):
    kind: Kind = Field(description="census 人口普查；units 单位调查（如职业健康状况调查）")
    title: Name = Field(max_length=100)
    region_id: Id | None = Field(None, description="新建工作方案的所属区域（区、街道或社区）；与 plan_id 二选一")
    plan_id: Id | None = Field(None, description="在草拟中的工作方案上建立调查")
    issuer: Line = Field("", max_length=100, description="新建工作方案的发文机关（空：按区域名称生成）")
    standard_day: Day | None = Field(None, description="人口普查：标准时间为该日零时")
    registered_before: Day | None = Field(None, description="单位调查：此日期前注册的单位")
    hazard_only: bool = Field(False, description="单位调查：仅存在职业病危害的企业")
    area_people: int = Field(300, ge=20, le=2000, description="普查小区人数（约）")
    long_form_percent: Decimal = Field(Decimal(10), gt=0, le=100, max_digits=5, decimal_places=2)
    recheck_percent: Decimal = Field(Decimal(2), gt=0, le=100, max_digits=5, decimal_places=2)
    starts_on: Day | None = Field(None, description="单位调查：各阶段日期由此日起算（空：今天）")


class SurveyUpdateIn(In):
    version: Version
    title: Name | None = Field(None, max_length=100)
    standard_day: Day | None = None
    registered_before: Day | None = None
    hazard_only: bool | None = None
    area_people: int | None = Field(None, ge=20, le=2000)
    long_form_percent: Decimal | None = Field(None, gt=0, le=100, max_digits=5, decimal_places=2)
    recheck_percent: Decimal | None = Field(None, gt=0, le=100, max_digits=5, decimal_places=2)


class SurveyActionIn(In):
    version: Version


class SurveyRegionOut(Schema):
    id: int
    name: str


class SurveyOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    state: str
    state_label: str
    plan_id: int
    region: SurveyRegionOut
    standard_moment: datetime | None
    registered_before: date | None
    hazard_only: bool
    area_people: int
    long_form_percent: Decimal
    recheck_percent: Decimal
    started_at: datetime | None
    finished_at: datetime | None
    units: int | None = Field(description="调查名录的户数或单位数（名录冻结前为空）")
    done: int = Field(description="已完成登记的户数或单位数")
    progress: int | None = Field(description="完成百分比（向下取整）")
    version: int


class SurveyPhaseOut(Schema):
    name: str
    starts_on: date
    ends_on: date


class FormUseOut(Schema):
    role: str
    role_label: str
    form_code: str
    form_name: str
    version_id: int
    version: int


class StateCountOut(Schema):
    state: str
    label: str
    count: int


class SurveyDetailOut(SurveyOut):
    phases: list[SurveyPhaseOut]
    forms: list[FormUseOut]
    areas: int
    unit_states: list[StateCountOut]
    may_run: bool
    start_problems: list[str] = Field(description="筹备中的调查尚不能开始的原因（为空即可开始）")
