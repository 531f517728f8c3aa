from datetime import datetime
from typing import Literal

from ninja import Field

from linli.core.schemas import In, ListOf, Schema

from . import rules

KindName = Literal[tuple(rules.KINDS)]
ChannelName = Literal[tuple(rules.CHANNELS)]


class MessageOut(Schema):
    id: int
    template: str = Field(description="模板，如 campaigns.supervise")
    title: str
    body: str
    link: str = Field(description="相关页面，可为空")
    created_at: datetime
    read_at: datetime | None = Field(description="阅读时间；未读为null")


class UnreadOut(Schema):
    unread: int


class PreferenceOut(Schema):
    kind: str
    label: str
    offered: list[str] = Field(description="可自行开关的渠道")
    channels: list[str] = Field(description="当前接收的可选渠道（必需渠道不在此列，始终发送）")


class PreferenceIn(In):
    kind: KindName
    channels: ListOf[ChannelName] = Field(description="要接收的渠道：inbox 站内消息，sms 短信")
