"""API shapes of 覆盖核查."""

from datetime import datetime
from typing import Literal

from ninja import Field

from linli.core.schemas import In, Line, Schema, Version

FindingKind = Literal["missed", "unregistered", "separated", "no_hukou", "deregister"]
FindingState = Literal["pending", "applied", "dismissed"]
IdType = Literal["", "resident", "hmt_permit", "passport", "foreign_pr"]


class CoverageFindingOut(Schema):
    id: int
    kind: str
    kind_label: str = Field(alias="get_kind_display")
    unit_id: int
    unit_label: str = Field(alias="unit.label")
    person_id: int | None
    person_name: str | None = None
    reason: str
    data: dict = Field(description="普查表登记的内容：姓名、性别、出生日期、户口登记地等（不含证件号码）")
    change: dict = Field(description="拟更正：action 为 residence、move_in、move_out、add 或 note")
    state: str
    note: str
    reviewed_at: datetime | None
    version: int

    @staticmethod
    def resolve_person_name(obj) -> str | None:
        return obj.person.name if obj.person else None


class CoverageCountsOut(Schema):
    counts: dict[str, dict[str, int]] = Field(description="按类别、处理状态统计的核查结果数")


class CoverageApplyIn(In):
    version: Version
    id_type: IdType = Field("", description="登记新成员时的证件类型（默认居民身份证）")
    id_number: Line = Field("", max_length=30, description="登记新成员（未登记、无户口）时必填：普查表不含证件号码")


class CoverageDismissIn(In):
    version: Version
    reason: Line = Field(max_length=200, description="核销理由")
