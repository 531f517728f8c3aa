"""API shapes of owners' committees, Party organisations and cross-office holdings."""

from datetime import date
from typing import Literal

from ninja import Field

from linli.core.schemas import Day, Id, In, Line, Name, Schema, Version

from . import rules

MemberRole = Literal["chair", "vice_chair", "member"]
Host = Literal["community", "committee", "company"]
PartyKind = Literal["branch", "group", "joint_branch"]


class CommitteeMemberIn(In):
    person_id: Id = Field(description="业主（人员 id）：须为本小区房屋登记的产权人")
    role: MemberRole = Field(description="chair 主任、vice_chair 副主任、member 委员")
    party_member: bool = Field(False, description="是否中共党员")


class CommitteeMembersIn(In):
    members: list[CommitteeMemberIn] = Field(
        min_length=1, max_length=rules.MAX_MEMBERS, description="5至11名，单数，一名主任"
    )
    filed_on: Day | None = Field(None, description="街道备案日期")
    filing_number: Line = Field("", max_length=50, description="备案编号")


class CommitteeCreateIn(CommitteeMembersIn):
    estate_id: Id
    assembly_on: Day = Field(description="选举的业主大会召开日期")
    formed_on: Day = Field(description="成立日期：任期自该日起算，五年")


class CommitteeUpdateIn(CommitteeMembersIn):
    version: Version


class CommitteeMemberOut(Schema):
    person_id: int
    name: str
    role: str
    role_label: str
    party_member: bool

    @staticmethod
    def resolve_name(member) -> str:
        return member.person.name

    @staticmethod
    def resolve_role_label(member) -> str:
        return rules.MEMBER_ROLES[member.role]


class CommitteeOut(Schema):
    id: int
    estate_id: int
    estate: str
    region_id: int
    community: str
    assembly_on: date
    formed_on: date
    term_ends: date
    ended_on: date | None
    filed_on: date | None
    filing_number: str
    member_count: int
    party_members: int = Field(description="委员中的中共党员人数")
    has_party_org: bool = Field(description="是否建立了党组织")
    version: int

    @staticmethod
    def resolve_estate(committee) -> str:
        return committee.estate.name

    @staticmethod
    def resolve_community(committee) -> str:
        return committee.region.name


class CommitteeDetailOut(CommitteeOut):
    members: list[CommitteeMemberOut]

    @staticmethod
    def resolve_members(committee) -> list:
        return list(committee.members.all())


class CommitteeOwnerOut(Schema):
    id: int
    name: str


class PartyOrganizationIn(In):
    name: Name = Field(max_length=100)
    secretary: Name = Field(max_length=50, description="书记（党小组为组长）")
    members: int = Field(ge=0, le=10_000, description="党员人数")


class PartyOrganizationCreateIn(PartyOrganizationIn):
    kind: PartyKind = Field(description="branch 党支部、group 党小组、joint_branch 联合党支部")
    host: Host = Field(description="建在：community 社区、committee 业主委员会、company 物业企业")
    founded_on: Day
    organization_id: Id | None = Field(None, description="host 为 company 时：物业企业 id（须管理辖区内的小区）")
    committee_id: Id | None = Field(None, description="host 为 committee 时：业主委员会 id")


class PartyOrganizationUpdateIn(PartyOrganizationIn):
    version: Version


class PartyOrganizationOut(Schema):
    id: int
    region_id: int
    kind: str
    host: str
    name: str
    organization_id: int | None
    committee_id: int | None
    secretary: str
    members: int
    founded_on: date
    version: int


class CrossOfficeIn(In):
    name: Name = Field(max_length=50)
    home: Host = Field(description="本职单位：community 社区、committee 业主委员会、company 物业企业")
    home_post: Line = Field(max_length=50, description="本职职务，如：社区党委书记")
    serves: Host = Field(description="兼任单位")
    serves_post: Line = Field(max_length=50, description="兼任职务，如：业委会副主任")
    since: Day
    committee_id: Id | None = Field(None, description="一方为业主委员会时：其 id")
    organization_id: Id | None = Field(None, description="一方为物业企业时：其 id")


class CrossOfficeOut(Schema):
    id: int
    region_id: int
    name: str
    home: str
    home_post: str
    serves: str
    serves_post: str
    committee_id: int | None
    organization_id: int | None
    since: date


class RedPropertyFiguresOut(Schema):
    estates: int
    committees: int = Field(description="现任业主委员会数")
    with_party_org: int = Field(description="建立党组织的业主委员会数")
    members: int
    party_members: int
    cross_offices: int
    companies_with_party_org: int
    committee_share: str = Field(description="成立业委会的小区占比")
    party_org_share: str = Field(description="业委会党组织覆盖率")
    party_member_share: str = Field(description="业委会委员中党员占比")

    @staticmethod
    def resolve_committee_share(f) -> str:
        return rules.percent(f.committee_share)

    @staticmethod
    def resolve_party_org_share(f) -> str:
        return rules.percent(f.party_org_share)

    @staticmethod
    def resolve_party_member_share(f) -> str:
        return rules.percent(f.party_member_share)


class EstateCaseOut(Schema):
    id: int
    number: str
    state: str
    category: str

    @staticmethod
    def resolve_category(case) -> str:
        return case.category.name


class EstateVoteOut(Schema):
    id: int
    title: str
    item: str = Field(description="民法典第二百七十八条事项（一至九）")
    state: str
    opens_on: date
    closes_on: date
    passed: bool | None = Field(description="已截止的表决是否通过（未截止为空）")

    @staticmethod
    def resolve_passed(vote) -> bool | None:
        return vote.result["passed"] if vote.result else None


class EstatePageOut(Schema):
    id: int
    name: str
    community: str
    management: str = Field(description="物业化状态：professional 专业物业、self 自管、none 无物业·弃管")
    management_label: str
    company: str | None = Field(description="物业服务企业（未选聘为空）")
    company_id: int | None = Field(description="物业企业档案（可查看时）")
    committee: CommitteeDetailOut | None = Field(description="现任业主委员会")
    history: list[CommitteeOut] = Field(description="往届业主委员会")
    votes: list[EstateVoteOut] = Field(description="业主大会表决，最近的在前")
    complaints_total: int
    complaints_open: int
    complaints_by_state: dict[str, int]
    recent_cases: list[EstateCaseOut]
