"""API shapes of certificates. Persons appear by name only (no ID number) to the offices; the public sees less."""

from datetime import datetime
from typing import Literal

from ninja import Field

from linli.core.schemas import In, Line, Name, Schema, Text, Version

State = Literal["submitted", "issued", "refused", "withdrawn"]


class MatterOut(Schema):
    id: int
    name: str
    basis: str
    wording: str
    materials: str
    active: bool
    version: int


class MatterIn(In):
    version: Version
    name: Name = Field(max_length=60)
    basis: Text = Field(max_length=300, description="法律法规依据（具体条款）")
    wording: Line = Field(max_length=200, description="证明用语")
    materials: Line = Field("", max_length=200)
    active: bool = True


class ApplicationOut(Schema):
    id: int
    community: str = Field(alias="community.name")
    person: str = Field(alias="person.name")
    matter_id: int | None
    asked: str
    via: str
    requester: str
    article: str
    purpose: str
    reason: str
    promised_at: datetime | None
    state: State
    decision_note: str
    decided_at: datetime | None
    created_at: datetime
    version: int


class MyApplicationOut(Schema):
    id: int
    community: str
    asked: str
    requester: str
    purpose: str
    state: State
    decision_note: str
    created_at: datetime
    serial: str | None = None
    code: str | None = None


class CommunityCertificateOut(Schema):
    id: int
    application_id: int
    serial: str
    code: str
    title: str
    statement: str
    issued_at: datetime
    revoked_at: datetime | None
    revoke_reason: str


class IssueIn(In):
    version: Version
    statement: Text = Field("", max_length=500, description="证明内容；空则用事项的证明用语")


class RefuseIn(In):
    version: Version
    note: Text = Field(max_length=500, description="不予出具的理由")


class RevokeIn(In):
    reason: Line = Field(max_length=200)
