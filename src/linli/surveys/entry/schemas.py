"""API shapes of 入户登记 (the enumerator's phone talks to these)."""

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from ninja import Field

from linli.core.schemas import In, Line, Schema, Version
from linli.core.text import Kind
from linli.surveys import rules as survey_rules

from . import rules

UnitState = Literal[tuple(survey_rules.UNIT_STATES)]
Role = Literal[tuple(survey_rules.FORM_ROLES)]


class EntryStateIn(In):
    state: UnitState = Field(
        description="not_visited 未访、visited 已访、refused 拒访、empty 空户（完成由提交调查表自动记录）"
    )
    note: Line = Field("", max_length=rules.NOTE_MAX, description="情况说明；拒访、空户时必填")
    version: Version


class EntryResponseIn(In):
    role: Role = Field(description="short 短表、long 长表、death 死亡人口调查表、unit 用人单位调查表")
    # Multi-line answers (a text question marked multiline) are allowed; the form's rules check each one.
    answers: Annotated[dict[str, Any], Kind.TEXT] = Field(
        description="按表式定义的回答：{题号: 值, 表格题号: [{列号: 值}]}"
    )
    idempotency_key: UUID = Field(description="设备为这份表生成的提交编号；重发时不变，服务器只保存一次")
    filled_at: datetime = Field(description="在设备上填好的时间")
    read_back: bool = Field(False, description="已向申报人宣读核对（普查表必须为true）")


class EntrySurveyOut(Schema):
    id: int
    title: str
    kind: str
    state: str


class EntryAreaOut(Schema):
    id: int
    code: str
    name: str
    community: str = Field(alias="community.name")
    survey: EntrySurveyOut
    units: int = Field(alias="n_units")
    states: dict[str, int]

    @staticmethod
    def resolve_states(area) -> dict[str, int]:
        return {state: getattr(area, f"n_{state}") for state in survey_rules.UNIT_STATES}


class EntryUnitOut(Schema):
    id: int
    position: int
    label: str
    persons: int
    form_role: str
    state: str
    state_note: str
    version: int
    visited_at: datetime | None


class EntryFormOut(Schema):
    role: str
    label: str
    definition: dict
    read_back: bool
    received: bool


class EntryUnitDetailOut(EntryUnitOut):
    survey_id: int
    area_id: int | None
    forms: list[EntryFormOut]


class EntryResponseOut(Schema):
    id: int
    role: str
    idempotency_key: UUID
    received_at: datetime
    unit: EntryUnitOut
