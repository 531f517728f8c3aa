"""API shapes of hours, stars, leaderboards and certificates."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field

from linli.core.schemas import In, Schema, Text, Version

from . import rules

Period = Literal[tuple(rules.PERIODS)]
Hours = Annotated[int, Field(ge=1, le=rules.THRESHOLD_MAX)]


class StarsIn(In):
    thresholds: list[Hours] = Field(min_length=rules.STARS, max_length=rules.STARS,
                                    description="一星至五星所需的累计服务时长（小时），逐级递增")  # fmt: skip
    version: Version | None = Field(None, description="读取时的版本号（尚未设置过时为0或不填）")


class StarsOut(Schema):
    region_id: int
    region: str
    thresholds: list[int]
    default: bool = Field(description="未设置时采用《中国社区志愿者注册管理办法》的默认标准")
    version: int


class CreditOut(Schema):
    id: int
    activity_id: int
    activity: str = Field(alias="activity.title")
    organiser_region: str = Field(alias="activity.region.name")
    starts_at: datetime = Field(alias="activity.starts_at")
    hours: Decimal
    confirmed_at: datetime


class BoardRowOut(Schema):
    rank: int
    volunteer_id: int
    number: str
    name: str
    community: str
    hours: Decimal


class CertificateIn(In):
    pass


class RevokeIn(In):
    reason: Text = Field(max_length=200)


class CertificateOut(Schema):
    id: int
    volunteer_id: int
    number: str = Field(alias="volunteer.number")
    name: str = Field(alias="volunteer.person.name")
    serial: str
    code: str
    hours: Decimal
    stars: int
    issued_at: datetime
    revoked_at: datetime | None
    revoke_reason: str

    @staticmethod
    def resolve_code(obj) -> str:
        return rules.shown_code(obj.code)


class CardOut(Schema):
    number: str
    community: str
    state: str
    hours: Decimal
    stars: int
    to_next: Decimal | None
    thresholds: list[int]
    skills: list[str]
    availability: list[str]
    version: int


class HoursExportQuery(Schema):
    since: date | None = None
    until: date | None = None
