"""Reads of donation drives: the staff's drives in their region scope (roles.DONATIONS), a drive's ledger with its
running balance, its closing report and the statistics; the public's drives and ledgers (no login, no personal
data: names masked, anonymous donors as 爱心人士)."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext, gettext_lazy

from linli.accounts import roles, scope
from linli.core.errors import PermissionDenied
from linli.regions.models import Region

from . import rules
from .models import Beneficiary, Disbursement, Drive, Pledge, Receipt

NOT_VIEWER = gettext_lazy("只有社区、街道和区级工作人员可以查看公益捐助")
NOT_RUNNER = gettext_lazy("只有社区、街道和区级工作人员可以组织公益捐助")
NOT_APPROVER = gettext_lazy("只有街道和区级工作人员可以审批捐助支出")
DRIVE_LEVELS = (Region.Level.DISTRICT, Region.Level.STREET, Region.Level.COMMUNITY)


def check_viewer(user) -> None:
    if not roles.can(user, roles.DONATIONS, roles.VIEW_DRIVES):
        raise PermissionDenied(NOT_VIEWER)


def check_runner(user) -> None:
    if not roles.can(user, roles.DONATIONS, roles.RUN_DRIVES):
        raise PermissionDenied(NOT_RUNNER)


def check_approver(user) -> None:
    if not roles.can(user, roles.DONATIONS, roles.APPROVE_DISBURSEMENTS):
        raise PermissionDenied(NOT_APPROVER)


def may_run(user) -> bool:
    return roles.can(user, roles.DONATIONS, roles.RUN_DRIVES)


def may_approve(user) -> bool:
    return roles.can(user, roles.DONATIONS, roles.APPROVE_DISBURSEMENTS)


def decision_problem(user, disbursement: Disbursement) -> str | None:
    """Why the user may not decide this disbursement (their office is below the drive's, or they asked for it)."""
    return rules.decision_problem(asked_by=disbursement.asked_by_id, user_id=user.pk,
                                  office_above=scope.office_covers(user, disbursement.drive.region))  # fmt: skip


# ---------------------------------------------------------------- staff


def drive_queryset(*, user) -> QuerySet:
    """The drives of regions in the user's scope (404 for others)."""
    check_viewer(user)
    return scope.within(Drive.objects.all(), scope.region_path(user), "region")


def drive_list(*, user, state: str | None = None) -> QuerySet:
    qs = drive_queryset(user=user)
    if state:
        qs = qs.filter(state=state)
    pending = Count("disbursements", filter=Q(disbursements__state=rules.ASKED))
    return qs.select_related("region").annotate(pending=pending).order_by("-starts_on", "-id")


def drive_get(*, user, pk: int) -> Drive:
    return scope.get_or_404(drive_list(user=user), pk=pk)


def run_regions(*, user) -> QuerySet:
    """The regions the user may set up a drive for: their own office and the offices below it (not grids)."""
    check_runner(user)
    return scope.office_regions(user).filter(level__in=DRIVE_LEVELS).order_by("path")


def beneficiaries(drive: Drive) -> QuerySet:
    return Beneficiary.objects.filter(drive=drive).order_by("id")


def pledges(drive: Drive) -> QuerySet:
    received = Sum("receipts__amount")
    return Pledge.objects.filter(drive=drive).annotate(received=received).order_by("-pledged_on", "-id")


def receipts(drive: Drive) -> QuerySet:
    return Receipt.objects.filter(drive=drive).order_by("-seq")


def disbursements(drive: Drive, state: str | None = None) -> QuerySet:
    qs = Disbursement.objects.filter(drive=drive).select_related("beneficiary", "asked_by", "decided_by")
    return (qs.filter(state=state) if state else qs).order_by("-asked_at", "-id")


def disbursement_queryset(*, user) -> QuerySet:
    """Disbursements of the drives in the user's scope."""
    return Disbursement.objects.filter(drive__in=drive_queryset(user=user).values("pk"))


def awaiting(*, user) -> QuerySet:
    """Disbursements the user may decide: asked, of drives under their office, asked by someone else."""
    if not may_approve(user):
        return Disbursement.objects.none()
    qs = Disbursement.objects.filter(state=rules.ASKED).exclude(asked_by=user)
    qs = scope.within(qs, scope.office_path(user), "drive__region")
    return qs.select_related("drive", "drive__region", "beneficiary").order_by("asked_at", "id")


def ledger(drive: Drive) -> rules.Ledger:
    """The drive's ledger in the order entries took effect, with the running balance after each (two queries)."""
    entries = [
        (r.seq, rules.Entry(rules.RECEIPT, r.fund, r.amount, r))
        for r in Receipt.objects.filter(drive=drive).only(
            "seq", "number", "method", "amount", "donor_name", "donor_kind", "anonymous", "goods", "received_on",
            "recorded_at", "drive_id")
    ]  # fmt: skip
    entries += [
        (d.seq, rules.Entry(rules.DISBURSEMENT, d.fund, d.amount, d))
        for d in Disbursement.objects.filter(drive=drive, state=rules.APPROVED).select_related("beneficiary")
    ]
    entries.sort(key=lambda e: e[0])
    return rules.ledger(e for _, e in entries)


# ---------------------------------------------------------------- reports and statistics


def report(drive: Drive) -> dict:
    """The closing report's figures: receipts by method and by kind of donor, disbursements by beneficiary, counts,
    target reached, the balance left, and whether the stored totals agree with the ledger recomputed from rows."""
    by_method = dict(
        Receipt.objects.filter(drive=drive).values("method").annotate(total=Sum("amount")).values_list(
            "method", "total")
    )  # fmt: skip
    by_kind = dict(
        Receipt.objects.filter(drive=drive).values("donor_kind").annotate(n=Count("pk")).values_list("donor_kind", "n")
    )
    counts = Receipt.objects.filter(drive=drive).aggregate(n=Count("pk"))
    approved = Disbursement.objects.filter(drive=drive, state=rules.APPROVED)
    by_beneficiary = list(
        approved.values("beneficiary__name").annotate(total=Sum("amount"), n=Count("pk")).order_by("-total")
    )
    book = ledger(drive)
    return {
        "methods": [(rules.METHODS[m], _cents(by_method.get(m))) for m in rules.METHODS],
        "donors": [(rules.DONOR_KINDS[k], by_kind.get(k, 0)) for k in rules.DONOR_KINDS],
        "receipts": counts["n"],
        "disbursements": approved.count(),
        "beneficiaries": [
            (b["beneficiary__name"] or gettext("（未指定受助对象）"), _cents(b["total"]), b["n"])
            for b in by_beneficiary
        ],  # fmt: skip
        "balance": drive.balance,
        "reached": drive.reached,
        "ledger": book,
        "reconciles": rules.reconciles(book) and book.balance == drive.balance,
    }


def _cents(value) -> Decimal:
    # SQLite's SUM drops trailing zeros; money is kept to the fen.
    return (value or Decimal(0)).quantize(rules.CENT)


def statistics(*, user) -> dict:
    """Donations in the user's scope: per drive received and disbursed, receipts per month by fund, by method."""
    drives = drive_queryset(user=user)
    per_drive = list(
        drives.order_by("-starts_on", "-id").values_list(
            "title", "received_money", "received_goods", "disbursed_money", "disbursed_goods", "target")[:30]
    )  # fmt: skip
    receipts_qs = Receipt.objects.filter(drive__in=drives.values("pk"))
    months: dict[str, dict[str, Decimal]] = defaultdict(lambda: {rules.MONEY: Decimal(0), rules.GOODS: Decimal(0)})
    for month, method, total in (
        receipts_qs.annotate(month=TruncMonth("received_on")).values("month", "method").annotate(
            total=Sum("amount")).values_list("month", "method", "total").order_by("month")
    ):  # fmt: skip
        months[month.strftime("%Y-%m")][rules.FUND_OF[method]] += total
    by_method = dict(receipts_qs.values("method").annotate(t=Sum("amount")).values_list("method", "t"))
    totals = drives.aggregate(
        drives=Count("pk"), open=Count("pk", filter=Q(state=rules.OPEN)), money=Sum("received_money"),
        goods=Sum("received_goods"), out_money=Sum("disbursed_money"), out_goods=Sum("disbursed_goods"),
    )  # fmt: skip
    return {
        "totals": {k: (_cents(v) if k not in ("drives", "open") else v) for k, v in totals.items()},
        "drives": [
            {"title": t, "received": str(_cents(rm + rg)), "disbursed": str(_cents(dm + dg)), "target": str(tg)}
            for t, rm, rg, dm, dg, tg in reversed(per_drive)
        ],
        "months": [
            {"month": m, "money": str(_cents(v[rules.MONEY])), "goods": str(_cents(v[rules.GOODS]))}
            for m, v in sorted(months.items())
        ],  # fmt: skip
        "methods": [{"name": rules.METHODS[m], "value": str(_cents(by_method.get(m)))} for m in rules.METHODS],
    }


# ---------------------------------------------------------------- the public


def public_drives() -> QuerySet:
    """Every drive, for the public list: what was asked for, raised and spent."""
    return Drive.objects.select_related("region").order_by("-starts_on", "-id")


def public_drive_get(pk: int) -> Drive:
    return scope.get_or_404(public_drives(), pk=pk)
