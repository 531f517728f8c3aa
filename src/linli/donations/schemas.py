"""API shapes of donation drives. Money goes in and out as decimal strings (yuan, two decimals), never floats."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field

from linli.core.schemas import Day, Id, In, Line, Name, Schema, Text, Version

from . import rules

Money = Annotated[
    Decimal,
    Field(gt=0, le=rules.AMOUNT_MAX, max_digits=12, decimal_places=2, allow_inf_nan=False,
          description="元，最多两位小数；请以字符串传送以免精度损失"),
]  # fmt: skip
State = Literal["open", "closed"]
DonorKind = Literal["person", "organisation"]
Method = Literal["cash", "transfer", "goods"]
Fund = Literal["money", "goods"]


class DriveIn(In):
    title: Name = Field(max_length=rules.TITLE_MAX)
    purpose: Text = Field(max_length=2000, description="募集目的：为谁、为什么募集")
    target: Money = Field(description="目标金额（元），物资按折价计入")
    starts_on: Day
    ends_on: Day


class DriveCreateIn(DriveIn):
    region_id: Id = Field(description="发起单位：本单位或下级社区、街道")


class DriveUpdateIn(DriveIn):
    version: Version


class CloseIn(In):
    version: Version
    summary: Text = Field(max_length=2000, description="结项说明：募集和使用情况、结余如何处理")


class BeneficiaryIn(In):
    name: Name = Field("", max_length=rules.NAME_MAX, description="姓名（选了人口档案时可空）")
    person_id: Id | None = Field(None, description="人口档案中的人员（可选）")
    need: Text = Field(max_length=1000, description="困难情况")
    consent_on: Day | None = Field(description="本人或监护人同意受助情况公开的日期（未同意不能登记）")
    consent_note: Line = Field(max_length=200, description="同意方式：本人书面同意、监护人代签等")


class PledgeIn(In):
    donor_name: Name = Field("", max_length=rules.NAME_MAX)
    donor_kind: DonorKind
    anonymous: bool = False
    fund: Fund
    amount: Money
    goods: Line = Field("", max_length=200)
    pledged_on: Day


class ReceiptIn(In):
    donor_name: Name = Field("", max_length=rules.NAME_MAX, description="匿名捐赠可空")
    donor_kind: DonorKind
    anonymous: bool = Field(False, description="匿名：公示时显示为“爱心人士”")
    method: Method
    amount: Money = Field(description="金额；物资为折价")
    goods: Line = Field("", max_length=200, description="物资名称及数量（物资必填）")
    valuation: Line = Field("", max_length=200, description="折价依据（物资必填）")
    reference: Line = Field("", max_length=100, description="转账流水号或收据号")
    received_on: Day
    pledge_id: Id | None = None


class DisbursementIn(In):
    fund: Fund
    amount: Money
    purpose: Text = Field(max_length=1000, description="用途：公示页面可见，勿含姓名、电话等个人信息")
    goods: Line = Field("", max_length=200, description="物资名称及数量（发放物资必填）")
    beneficiary_id: Id | None = None


class DecisionIn(In):
    version: Version
    note: Line = Field("", max_length=200, description="审批意见；不批准时必填")


class DriveOut(Schema):
    id: int
    region_id: int
    region: str = Field(alias="region.name")
    title: str
    purpose: str
    target: Decimal
    starts_on: date
    ends_on: date
    state: str
    received_money: Decimal
    received_goods: Decimal
    disbursed_money: Decimal
    disbursed_goods: Decimal
    balance: Decimal
    reached: int = Field(description="已募集占目标的百分比（向下取整）")
    pending: int = Field(0, description="待审批的支出申请")
    summary: str
    version: int

    @staticmethod
    def resolve_balance(drive) -> Decimal:
        return drive.balance.total


class BeneficiaryOut(Schema):
    id: int
    name: str
    person_id: int | None
    need: str
    consent_on: date
    consent_note: str


class PledgeOut(Schema):
    id: int
    donor_name: str
    donor_kind: str
    anonymous: bool
    fund: str
    amount: Decimal
    goods: str
    pledged_on: date
    received: Decimal | None = None


class ReceiptOut(Schema):
    id: int
    code: str = Field(description="收据编号：活动号-序号")
    seq: int
    donor_name: str
    donor_kind: str
    anonymous: bool
    method: str
    amount: Decimal
    goods: str
    valuation: str
    reference: str
    received_on: date
    recorded_at: datetime
    pledge_id: int | None


class DisbursementOut(Schema):
    id: int
    drive_id: int
    beneficiary_id: int | None
    fund: str
    amount: Decimal
    goods: str
    purpose: str
    evidence_name: str
    state: str
    asked_at: datetime
    decided_at: datetime | None
    note: str
    seq: int | None
    version: int


class LedgerLineOut(Schema):
    kind: Literal["receipt", "disbursement"]
    fund: str
    amount: Decimal
    balance_money: Decimal
    balance_goods: Decimal
    balance: Decimal
    entry_id: int


class LedgerOut(Schema):
    lines: list[LedgerLineOut]
    balance: Decimal
    reconciles: bool = Field(description="每一笔之后：收入合计 − 支出合计 = 余额，且各项余额不小于零")
