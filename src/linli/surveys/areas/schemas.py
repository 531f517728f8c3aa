"""API shapes of 普查小区."""

from typing import Literal

from ninja import Field

from linli.burden.work.schemas import Basis
from linli.core.schemas import Id, In, Name, Schema, Version

Duty = Literal["enumerator", "supervisor"]


class AreaCreateIn(In):
    community_id: Id = Field(description="普查区：本次调查范围内的社区 id")
    name: Name = Field("", max_length=60, description="名称；空则为“某某社区第n普查小区”")
    basis: Basis | None = None  # 社区工作准入 (burden): the basis of the forms the community is given


class AreaUpdateIn(In):
    name: Name = Field(max_length=60)
    version: Version


class BuildingMoveIn(In):
    building_id: Id = Field(description="楼栋 id：同一社区内；原属其他小区的，从原小区移出")
    version: Version


class EnumeratorIn(In):
    user_id: Id = Field(description="街道、社区工作人员或该社区的网格员（用户 id）")
    duty: Duty = Field("enumerator", description="enumerator 普查员、supervisor 普查指导员")


class EnumeratorOut(Schema):
    id: int
    name: str
    duty: str
    duty_label: str


class AreaOut(Schema):
    id: int
    code: str
    name: str
    community: str
    version: int
    buildings: list[str]
    households: int = Field(description="户数（现登记）")
    people: int = Field(description="人数（现登记）")
    enumerators: list[EnumeratorOut]

    @staticmethod
    def resolve_id(row) -> int:
        return row.area.pk

    @staticmethod
    def resolve_code(row) -> str:
        return row.area.code

    @staticmethod
    def resolve_name(row) -> str:
        return row.area.name

    @staticmethod
    def resolve_community(row) -> str:
        return row.area.community.name

    @staticmethod
    def resolve_version(row) -> int:
        return row.area.version


class ProblemOut(Schema):
    building: str
    community: str
    areas: list[str] = Field(description="涉及的普查小区编号")
    households: list[str] = Field(description="该楼栋的户号")


class CoverageOut(Schema):
    ok: bool = Field(description="不重不漏：无重复划入、无遗漏、无范围外楼栋")
    errors: list[str]
    buildings: int
    households: int
    people: int
    households_twice: int
    households_left_out: int
    overlaps: list[ProblemOut]
    gaps: list[ProblemOut]
    outside: list[ProblemOut]
    areas: list[AreaOut]


class AreaBriefOut(Schema):
    id: int
    code: str
    name: str
    version: int


class CandidateOut(Schema):
    id: int
    name: str
    region: str

    @staticmethod
    def resolve_name(user) -> str:
        return user.get_full_name() or user.username

    @staticmethod
    def resolve_region(user) -> str:
        return user.region.name if user.region_id else ""


class MapOut(Schema):
    areas: list[dict]
    buildings: dict


class ProposeIn(In):
    basis: Basis | None = None  # 社区工作准入 (burden): for every community given areas; absent keeps each one's
