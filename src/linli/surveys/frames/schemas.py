"""API shapes of a survey's frame and its draws."""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from ninja import Field

from linli.core.schemas import In, Name, Schema

from . import selectors
from .services import SEED_MAX

Purpose = Literal["long_form", "recheck"]  # surveys.rules.DRAW_PURPOSES


class AreaCountOut(Schema):
    code: str | None = Field(alias="area__code")
    name: str | None = Field(alias="area__name")
    units: int
    persons: int


class FrameOut(Schema):
    moment: datetime
    units: int
    persons: int
    digest: str
    frozen_at: datetime


class DrawOut(Schema):
    purpose: Purpose
    seed: str
    percent: Decimal
    population: int
    population_digest: str
    drawn: int
    strata: dict[str, dict[str, int]]
    method: str
    drawn_at: datetime


class FrameStatusOut(Schema):
    survey_id: int
    frame: FrameOut | None
    areas: list[AreaCountOut]
    draws: list[DrawOut]


class PickOut(Schema):
    position: int
    key: str
    label: str
    area: str | None = Field(None, description="普查小区编号")

    @staticmethod
    def resolve_area(obj) -> str | None:
        return obj.area.code if obj.area else None


class DrawDetailOut(DrawOut):
    picks: list[PickOut]

    @staticmethod
    def resolve_picks(obj) -> list:
        return list(selectors.picks(obj))


class VerificationOut(Schema):
    ok: bool
    digest: str
    digest_matches: bool
    size: int
    recomputed: int
    picks_match: bool


class DrawIn(In):
    seed: Name = Field("", max_length=SEED_MAX, description="公开的随机种子（如当日福利彩票开奖号码）；不填则随机生成")
