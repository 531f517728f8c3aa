"""API shapes of the volunteers' files and teams (staff and portal). Names are shown to the offices that keep the
files; ID numbers and phones never leave masked."""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from ninja import Field

from linli.core.pii import mask_id_number, mask_phone
from linli.core.schemas import Id, In, ListOf, Name, Schema, Text, Version

from .. import rules as vocabulary
from . import rules

Skill = Literal[tuple(vocabulary.SKILLS)]
Slot = Literal[tuple(vocabulary.AVAILABILITY)]
State = Literal[tuple(vocabulary.VOLUNTEER_STATES)]
TeamKind = Literal[tuple(vocabulary.TEAM_KINDS)]


class VolunteerRegisterIn(In):
    person_id: Id = Field(description="人员档案中的人员（须在本人管辖范围内）")
    skills: ListOf[Skill] = []
    availability: ListOf[Slot] = []
    paper_consent: bool = Field(description="本人已在纸质登记表上签字同意《志愿者个人信息告知书》")


class VolunteerUpdateIn(In):
    version: Version
    skills: ListOf[Skill] = []
    availability: ListOf[Slot] = []


class VolunteerStateIn(In):
    version: Version
    state: State


class PortalRegisterIn(In):
    skills: ListOf[Skill] = []
    availability: ListOf[Slot] = []
    agreed: bool = Field(description=f"已阅读并同意《志愿者个人信息告知书》（{rules.NOTICE_VERSION}）")


class PortalUpdateIn(In):
    version: Version
    skills: ListOf[Skill] = []
    availability: ListOf[Slot] = []


class VolunteerOut(Schema):
    id: int
    number: str
    name: str = Field(alias="person.name")
    community_id: int = Field(alias="region_id")
    community: str = Field(alias="region.name")
    state: str
    via: str
    skills: list[str]
    availability: list[str]
    hours: Decimal
    registered_at: datetime
    version: int


class VolunteerDetailOut(VolunteerOut):
    id_number: str
    phone: str
    stars: int
    to_next: Decimal | None = Field(description="距下一星级还需的服务时长（五星为空）")
    consent_version: str
    consented_at: datetime
    teams: list[str] = Field(alias="team_names")

    @staticmethod
    def resolve_id_number(obj) -> str:
        return mask_id_number(obj.person.id_number)

    @staticmethod
    def resolve_phone(obj) -> str:
        return mask_phone(obj.person.phone)


class TeamIn(In):
    region_id: Id
    name: Name = Field(max_length=rules.NAME_MAX)
    kind: TeamKind
    description: Text = Field("", max_length=rules.DESCRIPTION_MAX)


class TeamUpdateIn(In):
    version: Version
    name: Name = Field(max_length=rules.NAME_MAX)
    kind: TeamKind
    description: Text = Field("", max_length=rules.DESCRIPTION_MAX)
    leader_id: Id | None = None
    active: bool = True


class MemberIn(In):
    volunteer_id: Id


class TeamOut(Schema):
    id: int
    region_id: int
    region: str = Field(alias="region.name")
    name: str
    kind: str
    description: str
    leader_id: int | None
    leader: str | None = None
    active: bool
    version: int

    @staticmethod
    def resolve_leader(obj) -> str | None:
        return obj.leader.person.name if obj.leader_id else None


class TeamListOut(TeamOut):
    member_count: int


class TeamMemberOut(Schema):
    volunteer_id: int
    number: str = Field(alias="volunteer.number")
    name: str = Field(alias="volunteer.person.name")
    hours: Decimal = Field(alias="volunteer.hours")
    joined_at: datetime


class TeamDetailOut(TeamOut):
    members: list[TeamMemberOut] = Field(alias="member_rows")
