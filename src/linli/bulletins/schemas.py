"""API shapes of bulletins and scoring schemes."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field

from linli.core.schemas import Day, Id, In, Line, Schema, Version

Points = Annotated[Decimal, Field(ge=0, le=100, max_digits=6, decimal_places=2, allow_inf_nan=False)]
Event = Annotated[str, Field(max_length=40)]


class ScoringSchemeIn(In):
    weights: dict[Event, Points] = Field(description='各项指标的权重，如 {"satisfaction_rate": 40}；只看比例')
    deductions: dict[Event, Points] = Field(description='每件扣分，如 {"late_close": 1}')
    floor: Points = Field(Decimal(0), description="最低分")
    caps: dict[Event, Points] = Field({}, description='每类事项每月最多扣分，如 {"late_close": 10}；不填则不设上限')
    version: Version | None = Field(None, description="修改本区域已有的计分办法时为其版本号；新设时不填")


class ScoringSchemeOut(Schema):
    region_id: int | None = Field(description="计分办法所属区域；null 为系统默认办法")
    weights: dict[str, Decimal]
    deductions: dict[str, Decimal]
    floor: Decimal
    caps: dict[str, Decimal]
    version: int | None


class BulletinIssueIn(In):
    region_id: Id
    month: Day = Field(description="通报的月份（该月任一日）")
    group: str = Field("community", description="department、street 或 community")
    issuer: Line = Field("", max_length=100, description="发文机关，默认为区域名称")
    number: Line = Field("", max_length=60, description="发文字号")


class BulletinDeductionOut(Schema):
    event: str
    count: int
    each: Decimal
    points: Decimal
    reason: str


class BulletinEntryOut(Schema):
    rank: int | None
    unit_id: int | None
    name: str
    counts: dict[str, int]
    rates: dict[str, Decimal | None]
    base: Decimal | None
    deducted: Decimal
    score: Decimal | None
    deductions: list[BulletinDeductionOut]


class BulletinOut(Schema):
    id: int
    region_id: int
    region: str = Field(alias="region.name")
    month: date
    group: str
    issuer: str
    number: str
    issued_at: datetime
    scheme: dict


class BulletinDetailOut(BulletinOut):
    entries: list[BulletinEntryOut]
