"""API shapes of community consultation, for staff and for residents."""

from datetime import datetime
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field

from linli.core.schemas import Id, In, Line, Name, Schema, Text, Version
from linli.notices.schemas import Audience

from . import rules, selectors

Status = Literal["submitted", "accepted", "declined"]


class ConsultationProposalIn(In):
    title: Name = Field(max_length=rules.TITLE_MAX)
    body: Text = Field(max_length=rules.BODY_MAX, description="议题的内容和理由")
    audience: Audience = Field(description="范围：community 社区、grid 网格、estate 小区、building 楼栋")
    target_id: Id = Field(description="社区或网格（区域 id）、小区 id 或楼栋 id")


class ConsultationDecideIn(In):
    version: Version
    accept: bool = Field(description="true 受理并进入协商；false 不予受理（须写明理由）")
    reason: Text = Field("", max_length=rules.REASON_MAX)


class ConsultationCommentIn(In):
    body: Text = Field(max_length=rules.COMMENT_MAX)


class ConsultationHideIn(In):
    reason: Text = Field(max_length=rules.REASON_MAX)


class ConsultationPollIn(In):
    version: Version = Field(description="议题的版本号")
    question: Name = Field(max_length=rules.TITLE_MAX)
    options: list[Line] = Field(
        default_factory=lambda: list(map(str, rules.DEFAULT_OPTIONS)), max_length=rules.OPTIONS_MAX
    )
    closes_at: datetime
    quorum_kind: Literal["share", "count"] = Field(description="share 按比例（%）；count 按人数")
    quorum_value: int = Field(ge=1, le=100_000, description="最低参与率（%）或最低参与人数")
    pass_rule: Literal["simple", "two_thirds"] = Field(description="simple 过半数；two_thirds 三分之二")


class ConsultationActionIn(In):
    version: Version


class ConsultationVoteIn(In):
    option_id: Id


class ConsultationCommentOut(Schema):
    id: int
    author: str
    by_resident: bool
    body: str
    created_at: datetime

    @staticmethod
    def resolve_author(comment) -> str:
        if comment.by_resident or comment.author is None:
            return _("居民")
        return comment.author.display_name


class ConsultationStaffCommentOut(ConsultationCommentOut):
    hidden_reason: str
    hidden_at: datetime | None


class ConsultationOptionOut(Schema):
    id: int
    label: str
    votes: int | None = None


class ConsultationPollOut(Schema):
    id: int
    question: str
    status: str
    opened_at: datetime
    closes_at: datetime
    quorum_kind: str
    quorum_value: int
    pass_rule: str
    version: int
    options: list[ConsultationOptionOut]
    eligible: int | None = Field(None, description="有投票资格的居民数（截止时固定）")
    turnout: int | None = None
    quorum_met: bool | None = None
    passed: bool | None = Field(None, description="达到最低参与要求且领先选项符合通过规则")
    leading_option_id: int | None = None


class ConsultationProposalOut(Schema):
    id: int
    title: str
    audience: str
    place: str
    status: str
    by_resident: bool
    reason: str
    created_at: datetime
    comment_count: int
    version: int

    @staticmethod
    def resolve_place(proposal) -> str:
        # a list gives Proposal rows; a detail, the selectors' dict that already names the place
        return proposal["place"] if isinstance(proposal, dict) else selectors.place_label(proposal)


class ConsultationProposalDetailOut(ConsultationProposalOut):
    body: str
    poll: ConsultationPollOut | None = None


class ConsultationStaffProposalDetailOut(ConsultationProposalDetailOut):
    comments: list[ConsultationStaffCommentOut]
    eligible_now: int = Field(description="现在有资格参与的已实名居民人数")


class ConsultationPortalProposalDetailOut(ConsultationProposalDetailOut):
    comments: list[ConsultationCommentOut]
    takes_part: bool = Field(description="本人是否可以评论和投票")
    my_option_id: int | None = None


class ConsultationPlaceOut(Schema):
    audience: str
    id: int
    label: str
