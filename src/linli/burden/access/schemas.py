"""API shapes of the two lists and of work-access applications."""

from datetime import date, datetime
from typing import Literal

from ninja import Field

from linli.core.schemas import Day, Id, In, Line, Name, Schema, Text, Version

from . import rules

ListKey = Literal["duties", "assist"]
WorkKind = Literal["task", "report", "form"]
DocKind = Literal["basis", "plan", "other"]
AccessState = Literal["draft", "submitted", "first_passed", "approved", "refused", "withdrawn"]
Box = Literal["all", "mine", "review"]


class DutyItemContent(In):
    category: Line = Field("", max_length=40)
    title: Line = Field(max_length=200)
    basis: Text = Field(max_length=2000, description="法律法规依据")
    reason: Line = Field(max_length=rules.REASON_MAX, description="修改理由，记入清单修改记录")


class DutyItemCreateIn(DutyItemContent):
    district_id: Id
    list: ListKey


class DutyItemUpdateIn(DutyItemContent):
    version: Version


class DutyReasonIn(In):
    version: Version
    reason: Line = Field(max_length=rules.REASON_MAX)


class DutyDistrictIn(In):
    district_id: Id


class DutyItemOut(Schema):
    id: int
    district_id: int
    list: str
    number: int
    category: str
    title: str
    basis: str
    active: bool
    version: int


class DutyItemChangeOut(Schema):
    id: int
    item_id: int
    action: str
    before: dict | None
    after: dict | None
    reason: str
    changed_by: str = Field(alias="changed_by.display_name")
    changed_at: datetime


class AccessApplicationContent(In):
    title: Name = Field(max_length=rules.TITLE_MAX)
    kind: WorkKind
    content: Text = Field(max_length=rules.TEXT_MAX, description="工作内容：要社区做什么、怎样做、报送什么")
    basis: Text = Field(max_length=rules.TEXT_MAX, description="政策、文件依据：法律、法规、规章或上级文件及条款")
    reason: Text = Field("", max_length=rules.TEXT_MAX, description="确需社区协办的理由")
    community_ids: list[Id] = Field([], max_length=500, description="涉及社区；空为本区全部社区")
    starts_on: Day | None = None
    ends_on: Day | None = None


class AccessApplicationCreateIn(AccessApplicationContent):
    district_id: Id | None = Field(None, description="区；空为本单位所在的区")
    work_ids: list[Id] = Field([], max_length=50, description="为哪些待准入的交办工作申请（本单位的）")


class AccessApplicationUpdateIn(AccessApplicationContent):
    version: Version


class AccessVersionIn(In):
    version: Version


class AccessDecisionIn(In):
    version: Version
    opinion: Text = Field("", max_length=rules.OPINION_MAX, description="意见；不通过、不批准时必填")


class AccessDocumentIn(In):
    kind: DocKind


class AccessDocumentOut(Schema):
    id: int
    kind: str
    name: str
    uploaded_at: datetime


class AccessApplicationOut(Schema):
    id: int
    district_id: int
    organization_id: int | None
    office_id: int | None
    applicant_body: str
    title: str
    kind: str
    content: str
    basis: str
    reason: str
    starts_on: date | None
    ends_on: date | None
    state: str
    submitted_at: datetime | None
    first_reviewed_at: datetime | None
    first_opinion: str
    decided_at: datetime | None
    decision_opinion: str
    version: int
    created_at: datetime

    @staticmethod
    def resolve_applicant_body(a) -> str:
        body = a.organization or a.office
        return body.name if body else ""


class AccessApplicationDetailOut(AccessApplicationOut):
    community_ids: list[int]
    documents: list[AccessDocumentOut]
    steps: list[str] = Field(description="当前用户现在可以进行的操作")

    @staticmethod
    def resolve_community_ids(a) -> list[int]:
        return [c.pk for c in a.communities.all()]

    @staticmethod
    def resolve_documents(a) -> list:
        return list(a.documents.all())
