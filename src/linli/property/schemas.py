"""API shapes of property supervision."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Field

from linli.core.schemas import Day, Id, In, Line, Name, Schema, Text, Version, Year

from . import rules, selectors

Fee = Decimal
Management = Literal["self", "none"]


class CompanyOut(Schema):
    id: int
    name: str
    credit_code: str
    estates_count: int = Field(description="在管小区数(专业物业)")
    score: Decimal = Field(description="当年信用得分")
    grade: str = Field(description="当年信用等级")

    @staticmethod
    def resolve_score(company) -> Decimal:
        return rules.points(company.score)

    @staticmethod
    def resolve_grade(company) -> str:
        return selectors.grade_of(company.score)


class ProfileOut(Schema):
    legal_representative: str
    qualification: str
    qualification_label: str
    contact_phone: str
    address: str
    version: int | None = Field(description="未填写档案时为 null；保存时原样提交")

    @staticmethod
    def resolve_qualification_label(profile) -> str:
        return rules.QUALIFICATION_LABELS[profile.qualification]

    @staticmethod
    def resolve_version(profile):
        return profile.version if profile.pk else None


class ManagerOut(Schema):
    id: int
    name: str
    certificate_kind: str
    certificate_number: str
    certificate_valid_until: date
    expired: bool


class ProjectOut(Schema):
    id: int
    estate_id: int
    estate_name: str
    preliminary: bool
    contract_start: date
    contract_end: date | None
    fee: Decimal = Field(description="物业费标准，元/㎡·月")
    selection: str
    invited: int | None
    approval: str
    area: Decimal
    manager_id: int | None
    ended_at: date | None


class YearScoreOut(Schema):
    year: int
    good: Decimal
    bad: Decimal
    score: Decimal
    grade: str


class CompanyFileOut(Schema):
    id: int
    name: str
    credit_code: str
    profile: ProfileOut
    managers: list[ManagerOut]
    projects: list[ProjectOut]
    scores: list[YearScoreOut]
    complaints: int = Field(description="当年派给本企业的投诉事件数")
    houses: int = Field(description="在管小区的房屋数")
    complaint_rate: Decimal | None = Field(description="当年投诉率，件/百户")


class RecordOut(Schema):
    id: int
    year: int
    item: str
    kind: str
    label: str
    points: Decimal
    evidence: str
    case_id: int | None
    case_number: str | None
    recorded_on: date
    voided_at: datetime | None
    void_reason: str
    version: int

    @staticmethod
    def resolve_case_number(record):
        return record.case.number if record.case_id else None


class EstateManagementOut(Schema):
    id: int
    name: str
    community: str
    management: str
    property_company_id: int | None
    version: int

    @staticmethod
    def resolve_community(estate) -> str:
        return estate.region.name


class RankingOut(Schema):
    name: str
    score: Decimal
    grade: str


class ProfileIn(In):
    version: Version | None = Field(None, description="档案的版本号；首次填写为 null")
    legal_representative: Name = Field("", max_length=50)
    qualification: Literal[tuple(rules.QUALIFICATION_LABELS)] = rules.NO_QUALIFICATION  # type: ignore[valid-type]
    contact_phone: Line = Field("", max_length=20)
    address: Line = Field("", max_length=200)


class ManagerIn(In):
    name: Name = Field(max_length=50)
    certificate_kind: Line = Field(max_length=60, description="如 物业管理企业经理岗位证书")
    certificate_number: Line = Field(max_length=40)
    certificate_valid_until: Day


class ProjectIn(In):
    estate_id: Id
    estate_version: Version = Field(description="小区的版本号(见 /property/estates)")
    contract_start: Day
    contract_end: Day | None = None
    fee: Fee = Field(ge=0, lt=10000, max_digits=6, decimal_places=2, description="物业费标准，元/㎡·月")
    selection: Literal[tuple(rules.SELECTION_LABELS)]  # type: ignore[valid-type]
    invited: int | None = Field(None, ge=0, le=100, description="邀请招标时邀请的企业数")
    approval: Line = Field("", max_length=200, description="协议选聘或邀请招标时区房产行政主管部门的批准(文号)")
    area: Decimal | None = Field(None, gt=0, lt=10**9, max_digits=12, decimal_places=2,
                                 description="总建筑面积(㎡)；不填按房屋登记的建筑面积合计")  # fmt: skip
    manager_id: Id | None = None


class RecordIn(In):
    year: Year
    item: Line = Field(max_length=8, description="诚信档案事项代码，见事项目录")
    evidence: Text = Field(max_length=2000)
    case_id: Id | None = Field(None, description="查实投诉的事件(已办结、本企业小区、派给本企业)")
    recorded_on: Day | None = None


class VoidIn(In):
    version: Version
    reason: Line = Field(max_length=200)


class ManagementIn(In):
    version: Version
    management: Management = Field(description="self 自管，none 无物业·弃管；专业物业须登记项目")
    ended_on: Day | None = Field(None, description="在管项目的终止日期，默认今天")
