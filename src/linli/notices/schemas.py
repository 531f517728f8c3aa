"""API shapes of community notices, for staff and for residents."""

from datetime import datetime
from typing import Literal

from ninja import Field

from linli.core.schemas import Id, In, Name, Schema, Text, Version

from . import rules, selectors

Audience = Literal["community", "grid", "estate", "building"]
Status = Literal["draft", "published", "withdrawn"]


class CommunityNoticeIn(In):
    title: Name = Field(max_length=rules.TITLE_MAX)
    body: Text = Field(max_length=rules.BODY_MAX, description="正文：纯文本，每行一段")
    audience: Audience = Field(description="发布范围：community 社区、grid 网格、estate 小区、building 楼栋")
    target_id: Id = Field(description="所发布的社区或网格（区域 id）、小区 id 或楼栋 id，须在本人辖区内")
    notify: bool = Field(True, description="发布时给范围内已实名的居民发送站内消息")


class CommunityNoticeCreateIn(CommunityNoticeIn):
    publish: bool = Field(False, description="true 立即发布；false 存为草稿")


class CommunityNoticeUpdateIn(CommunityNoticeIn):
    version: Version


class CommunityNoticeActionIn(In):
    version: Version


class CommunityNoticeOut(Schema):
    id: int
    title: str
    audience: str
    audience_label: str
    region_id: int
    estate_id: int | None
    building_id: int | None
    status: str
    notify: bool
    published_at: datetime | None
    withdrawn_at: datetime | None
    created_at: datetime
    read_count: int = Field(description="已阅读的居民人数")
    version: int

    @staticmethod
    def resolve_audience_label(notice) -> str:
        return selectors.audience_label(notice)


class CommunityNoticeDetailOut(CommunityNoticeOut):
    body: str
    audience_size: int = Field(description="发布范围内现有的已实名居民人数")

    @staticmethod
    def resolve_audience_size(notice) -> int:
        return selectors.audience_size(notice)


class NoticeAudienceOut(Schema):
    audience: str
    id: int
    label: str


class PortalNoticeOut(Schema):
    id: int
    title: str
    issuer: str
    published_at: datetime
    read: bool

    @staticmethod
    def resolve_issuer(notice) -> str:
        return selectors.issuer(notice)


class PortalNoticeDetailOut(PortalNoticeOut):
    paragraphs: list[str] = Field(description="正文，每项一段")

    @staticmethod
    def resolve_paragraphs(notice) -> list[str]:
        return rules.paragraphs(notice.body)
