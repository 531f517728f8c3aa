"""公益捐助 (004 篇十三: 社区公益捐助系统, for families hit by disaster and vulnerable groups). Pure: no Django, exact
Decimal money (yuan to the fen), never floats.

The ledger holds two funds: money (cash and bank transfers) and goods (valued in yuan when received). A disbursement
draws on one fund and is refused when it exceeds that fund's balance, so at every moment of the ledger, in the order
entries took effect (a receipt when recorded, a disbursement when approved):

    balance = receipts − approved disbursements ≥ 0, per fund and in total.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.pii import mask_name

# ---------------------------------------------------------------- vocabulary

OPEN, CLOSED = "open", "closed"
STATES = {OPEN: gettext_lazy("募集中"), CLOSED: gettext_lazy("已结项")}

PERSON, ORGANISATION = "person", "organisation"
DONOR_KINDS = {PERSON: gettext_lazy("个人"), ORGANISATION: gettext_lazy("单位")}

CASH, TRANSFER, GOODS = "cash", "transfer", "goods"
METHODS = {CASH: gettext_lazy("现金"), TRANSFER: gettext_lazy("转账"), GOODS: gettext_lazy("物资")}

MONEY = "money"  # the fund of cash and transfers
FUNDS = {MONEY: gettext_lazy("资金"), GOODS: gettext_lazy("物资")}
FUND_OF = {CASH: MONEY, TRANSFER: MONEY, GOODS: GOODS}

RECEIPT, DISBURSEMENT = "receipt", "disbursement"

ASKED, APPROVED, REFUSED = "asked", "approved", "refused"
DECISIONS = {ASKED: gettext_lazy("待审批"), APPROVED: gettext_lazy("已批准"), REFUSED: gettext_lazy("未批准")}

TITLE_MAX = 100
NAME_MAX = 50
ANONYMOUS = gettext_lazy("爱心人士")  # how an anonymous donor is shown, everywhere

# ---------------------------------------------------------------- money

CENT = Decimal("0.01")
AMOUNT_MAX = Decimal("9999999999.99")  # DecimalField(14, 2): ten billion yuan less a fen


def amount_problem(value, label: str = "金额") -> str | None:
    """Why `value` is no amount of money (positive, at most two decimals, within the column), or None."""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return _("%(label)s须是数字") % {"label": label}
    if not amount.is_finite():
        return _("%(label)s须是数字") % {"label": label}
    if amount <= 0:
        return _("%(label)s须大于零") % {"label": label}
    if amount > AMOUNT_MAX:
        return _("%(label)s过大") % {"label": label}
    if amount != amount.quantize(CENT):
        return _("%(label)s最多精确到分（两位小数）") % {"label": label}
    return None


def yuan(value: Decimal) -> str:
    """12345.6 → "12,345.60" """
    return f"{Decimal(value).quantize(CENT):,}"


def percent(part: Decimal, whole: Decimal) -> int:
    """Whole percent of a target reached, rounded down (99.99% is not 100%)."""
    if whole <= 0:
        return 0
    return int(part * 100 // whole)


# ---------------------------------------------------------------- names in public


def donor_shown(name: str, kind: str, anonymous: bool) -> str:
    """A donor on the public ledger: anonymous ones as 爱心人士, persons masked, organisations by name."""
    if anonymous or not name.strip():
        return ANONYMOUS
    return name.strip() if kind == ORGANISATION else mask_name(name)


# ---------------------------------------------------------------- the ledger


@dataclass(frozen=True)
class Balance:
    received_money: Decimal = Decimal(0)
    received_goods: Decimal = Decimal(0)
    disbursed_money: Decimal = Decimal(0)
    disbursed_goods: Decimal = Decimal(0)

    @property
    def money(self) -> Decimal:
        return self.received_money - self.disbursed_money

    @property
    def goods(self) -> Decimal:
        return self.received_goods - self.disbursed_goods

    @property
    def received(self) -> Decimal:
        return self.received_money + self.received_goods

    @property
    def disbursed(self) -> Decimal:
        return self.disbursed_money + self.disbursed_goods

    @property
    def total(self) -> Decimal:
        return self.money + self.goods

    def of(self, fund: str) -> Decimal:
        return self.money if fund == MONEY else self.goods

    def receive(self, fund: str, amount: Decimal) -> "Balance":
        if fund == MONEY:
            return Balance(self.received_money + amount, self.received_goods, self.disbursed_money,
                           self.disbursed_goods)  # fmt: skip
        return Balance(self.received_money, self.received_goods + amount, self.disbursed_money, self.disbursed_goods)

    def disburse(self, fund: str, amount: Decimal) -> "Balance":
        """The balance after a disbursement; ValueError when it exceeds the fund (callers ask `overdrawn` first)."""
        if overdrawn(self, fund, amount):
            raise ValueError(overdrawn(self, fund, amount))
        if fund == MONEY:
            return Balance(self.received_money, self.received_goods, self.disbursed_money + amount,
                           self.disbursed_goods)  # fmt: skip
        return Balance(self.received_money, self.received_goods, self.disbursed_money, self.disbursed_goods + amount)


def overdrawn(balance: Balance, fund: str, amount: Decimal) -> str | None:
    """Why a disbursement of `amount` from `fund` is refused (beyond the fund's balance), or None."""
    left = balance.of(fund)
    if amount > left:
        return _("%(FUNDS)s余额%(yuan)s元，不足以支出%(yuan2)s元") % {
            "FUNDS": FUNDS[fund],
            "yuan": yuan(left),
            "yuan2": yuan(amount),
        }
    return None


@dataclass(frozen=True)
class Entry:
    """One ledger line as it took effect: a receipt (recorded) or an approved disbursement."""

    kind: str  # RECEIPT or DISBURSEMENT
    fund: str
    amount: Decimal
    ref: object = None  # what the caller wants back with the line (the row)


@dataclass(frozen=True)
class Line:
    entry: Entry
    balance: Balance

    @property
    def receipt(self) -> bool:
        return self.entry.kind == RECEIPT


@dataclass
class Ledger:
    lines: list[Line] = field(default_factory=list)
    balance: Balance = field(default_factory=Balance)


def ledger(entries: Iterable[Entry], start: Balance | None = None) -> Ledger:
    """The running balance after each entry, in the order given (the order they took effect). A disbursement beyond
    its fund's balance raises ValueError: stored ledgers never hold one (the services refuse it under a lock and
    the database's constraints refuse it too)."""
    out = Ledger(balance=start or Balance())
    for e in entries:
        if e.kind == RECEIPT:
            out.balance = out.balance.receive(e.fund, e.amount)
        else:
            out.balance = out.balance.disburse(e.fund, e.amount)
        out.lines.append(Line(e, out.balance))
    return out


def reconciles(book: Ledger) -> bool:
    """Receipts − disbursements = balance after every line, and no balance below zero."""
    received = disbursed = Decimal(0)
    for line in book.lines:
        if line.receipt:
            received += line.entry.amount
        else:
            disbursed += line.entry.amount
        b = line.balance
        if b.total != received - disbursed or b.money < 0 or b.goods < 0:
            return False
    return book.balance.total == received - disbursed


# ---------------------------------------------------------------- who decides a disbursement


def decision_problem(*, asked_by: int | None, user_id: int, office_above: bool) -> str | None:
    """Why this user may not approve or refuse a disbursement: only an office at or above the drive's, and never
    the person who asked for it."""
    if not office_above:
        return _("只有捐助活动所在单位或其上级单位可以审批支出")
    if asked_by is not None and asked_by == user_id:
        return _("支出申请人不能审批自己的申请")
    return None
