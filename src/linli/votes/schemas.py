"""API shapes of owners' votes, for staff and for owners in the portal."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Field

from linli.core.schemas import Day, Id, In, Line, Name, Schema, Text, Version

from . import rules

Item = Literal["1", "2", "3", "4", "5", "6", "7", "8", "9"]
Choice = Literal["agree", "against", "abstain"]
State = Literal["draft", "open", "closed", "published"]
Silent = Literal["none", "agree", "majority"]


class VoteCreateIn(In):
    estate_id: Id
    title: Name = Field(max_length=rules.TITLE_MAX)
    motion: Text = Field(max_length=rules.MOTION_MAX, description="议案内容：纯文本")
    item: Item = Field(description="民法典第二百七十八条第一款所列事项：1–9 即（一）至（九）；6、7、8 为特别多数事项")
    opens_on: Day
    closes_on: Day


class VoteActionIn(In):
    version: Version


class PaperBallotIn(In):
    voter_id: Id
    choice: Choice
    channel: Literal["paper", "proxy"] = Field(description="paper 纸质表决票（须附扫描件）；proxy 委托代理人投票")
    proxy_name: Line = Field("", max_length=50, description="代理人姓名（委托投票必填）")
    proxy_document: Line = Field("", max_length=200, description="授权委托书：编号或说明")


class ClauseIn(In):
    silent: Silent = Field(
        description="none 不计入同意；agree 视为同意；majority 视为同意多数意见（只用于表决结果，不计入参与）"
    )
    source: Text = Field("", max_length=200, description="出自管理规约或议事规则的哪一条")


class ClauseOut(Schema):
    estate_id: int
    silent: str
    source: str


class ThresholdOut(Schema):
    key: str
    label: str
    numerator: str
    denominator: str
    share: str = Field(description="百分比（两位小数，仅供显示；判断按精确分数）")
    required: str
    met: bool

    @staticmethod
    def resolve_numerator(t) -> str:
        return str(t.numerator)

    @staticmethod
    def resolve_denominator(t) -> str:
        return str(t.denominator)

    @staticmethod
    def resolve_share(t) -> str:
        return rules.percent(t.share)

    @staticmethod
    def resolve_required(t) -> str:
        return t.required_label


class ResultOut(Schema):
    passed: bool
    verdict: str
    silent_rule: str
    silent_area: Decimal
    silent_owners: int
    agree_area: Decimal
    agree_owners: int
    against_area: Decimal
    against_owners: int
    abstain_area: Decimal
    abstain_owners: int
    thresholds: list[ThresholdOut]

    @staticmethod
    def resolve_silent_rule(r) -> str:
        return rules.SILENT_RULES[r.silent]


class RecountOut(Schema):
    matches: bool = Field(description="按已存表决票重新计票的结果与截止时保存的结果是否一致")
    result: ResultOut


class VoteOut(Schema):
    id: int
    estate_id: int
    estate: str = Field(alias="estate.name")
    title: str
    item: str
    item_label: str
    major: bool
    opens_on: date
    closes_on: date
    state: str
    silent: str
    total_area: Decimal
    total_owners: int
    ballot_count: int = 0
    published_at: datetime | None
    version: int

    @staticmethod
    def resolve_major(vote) -> bool:
        return rules.is_major(vote.item)


class VoteDetailOut(VoteOut):
    motion: str


class VoterOut(Schema):
    id: int
    units: str
    area: Decimal
    fallback: bool = Field(description="含专有部分面积缺失、按建筑面积计的房屋")
    developer: bool = Field(description="建设单位未售出的房屋（合计一人）")
    choice: str | None

    @staticmethod
    def resolve_units(v) -> str:
        return v.units_label

    @staticmethod
    def resolve_choice(v) -> str | None:
        ballot = getattr(v, "ballot", None)
        return ballot.choice if ballot else None


class BallotOut(Schema):
    id: int
    voter_id: int
    choice: str
    channel: str
    cast_at: datetime


class BallotIn(In):
    voter_id: Id = Field(description="本人所属的业主（本人的房屋，或与他人共有的房屋）")
    choice: Choice


class PortalVoteOut(Schema):
    id: int
    estate: str = Field(alias="estate.name")
    title: str
    item_label: str
    opens_on: date
    closes_on: date
    state: str
