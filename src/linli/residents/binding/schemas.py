from datetime import datetime

from ninja import Field

from linli.core.schemas import In, Name, Schema, Text

from .. import rules


class BindIn(In):
    name: Name = Field(max_length=50, description="姓名，与登记信息一致")
    id_number: str = Field(max_length=30, description="证件号码")


class DecisionOut(Schema):
    status: str = Field(description="pending 待社区核实 / approved 已通过 / refused 未通过 / withdrawn 已撤回")
    status_label: str
    created_at: datetime
    decided_at: datetime | None
    note: str = Field(description="审核说明（不通过的原因）")


class BindingOut(DecisionOut):
    id: int
    why: str = Field(description="待核实原因：空为已自动通过")
    why_label: str


class BindingStateOut(Schema):
    bound: bool
    name: str = Field(description="已实名的本人姓名；未实名为空")
    pending: BindingOut | None
    last: BindingOut | None = Field(description="最近一次已处理或已撤回的申请")


class MemberOut(Schema):
    name: str
    relationship: str
    gender: str
    birth_year: int | None
    id_number: str = Field(description="本人完整显示，其他成员打码")
    phone: str = Field(description="本人完整显示，其他成员打码")
    is_self: bool
    is_head: bool


class MyHouseholdOut(Schema):
    household_number: str = Field(description="户号；未登记在户为空")
    household_kind: str
    address: str
    grid: str
    members: list[MemberOut]


class CorrectionIn(In):
    changes: dict[str, str] = Field(
        description="要更正的项目及新值，可更正：" + "、".join(f"{k}（{v}）" for k, v in rules.CORRECTABLE.items()),
        max_length=len(rules.CORRECTABLE),
    )
    reason: Text = Field(max_length=rules.REASON_MAX, description="更正原因")


class ChangeOut(Schema):
    field: str
    label: str
    old: str = Field(description="申请时的登记值（选项为中文，电话打码）")
    new: str
    now: str | None = Field(None, description="现在的登记值（审核人员可见）")


class CorrectionOut(DecisionOut):
    id: int
    reason: str
    changes: list[ChangeOut]


class ReviewBindingOut(BindingOut):
    decided_by: str
    name: str
    id_number: str = Field(description="打码")
    phone_on_file: str = Field(description="登记的联系电话，打码")
    applicant_phone: str = Field(description="申请人账号手机号，打码")
    house: str
    grid: str


class ReviewCorrectionOut(CorrectionOut):
    decided_by: str
    name: str
    house: str
    grid: str


class DecideIn(In):
    approve: bool = Field(description="true 通过，false 不通过（须填写原因）")
    note: Text = Field("", max_length=rules.REASON_MAX, description="审核说明；不通过时必填，居民可见")
