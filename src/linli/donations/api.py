"""Donation drives for staff under /api/v1/donations: the drives of the user's scope, set-up, edit and closing,
beneficiaries, pledges, receipts, disbursements (asked with evidence, approved or refused), the ledger and the
statistics. Thin: selectors read, services write."""

from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from linli.core.pagination import Pages
from linli.core.schemas import Id

from . import rules, selectors, services
from .schemas import (
    BeneficiaryIn,
    BeneficiaryOut,
    CloseIn,
    DecisionIn,
    DisbursementIn,
    DisbursementOut,
    DriveCreateIn,
    DriveOut,
    DriveUpdateIn,
    LedgerOut,
    PledgeIn,
    PledgeOut,
    ReceiptIn,
    ReceiptOut,
)
from .schemas import State as DriveState

router = Router(tags=["donations"])


@router.get("", response=list[DriveOut], summary="公益捐助：本辖区的捐助活动")
@paginate(Pages)
def drives(request, state: DriveState | None = None):
    return selectors.drive_list(user=request.user, state=state)


@router.post("", response={201: DriveOut}, summary="发起捐助活动：本单位或下级单位")
def drive_create(request, payload: DriveCreateIn):
    drive = services.drive_create(user=request.user, **payload.dict())
    return Status(201, selectors.drive_get(user=request.user, pk=drive.pk))


@router.get("/statistics", summary="捐助统计：各活动收支、按月收入、按方式")
def statistics(request):
    return selectors.statistics(user=request.user)


@router.get("/disbursements/awaiting", response=list[DisbursementOut], summary="待我审批的支出申请")
@paginate(Pages)
def awaiting(request):
    selectors.check_approver(request.user)
    return selectors.awaiting(user=request.user)


def _decide(approve: bool):
    def decide(request, disbursement_id: Id, payload: DecisionIn):
        return services.disbursement_decide(user=request.user, disbursement_id=disbursement_id,
                                            version=payload.version, approve=approve, note=payload.note)  # fmt: skip

    return decide


router.post("/disbursements/{disbursement_id}/approve", response=DisbursementOut, operation_id="donations_approve",
            summary="批准支出：本活动单位或上级单位，申请人本人除外；余额不足时拒绝")(_decide(True))  # fmt: skip
router.post("/disbursements/{disbursement_id}/refuse", response=DisbursementOut, operation_id="donations_refuse",
            summary="不批准支出（须写明理由）")(_decide(False))  # fmt: skip


@router.get("/{drive_id}", response=DriveOut, summary="一项捐助活动：目的、目标、收支和余额")
def drive(request, drive_id: Id):
    return selectors.drive_get(user=request.user, pk=drive_id)


@router.put("/{drive_id}", response=DriveOut, summary="修改捐助活动（版本过期返回409）")
def drive_update(request, drive_id: Id, payload: DriveUpdateIn):
    services.drive_update(user=request.user, drive_id=drive_id, **payload.dict())
    return selectors.drive_get(user=request.user, pk=drive_id)


@router.post("/{drive_id}/close", response=DriveOut, summary="结项：此后不再登记收入和支出")
def drive_close(request, drive_id: Id, payload: CloseIn):
    services.drive_close(user=request.user, drive_id=drive_id, version=payload.version, summary=payload.summary)
    return selectors.drive_get(user=request.user, pk=drive_id)


@router.get("/{drive_id}/ledger", response=LedgerOut, summary="收支台账：按入账先后，每笔之后的余额")
def ledger(request, drive_id: Id):
    drive = selectors.drive_get(user=request.user, pk=drive_id)
    book = selectors.ledger(drive)
    lines = [
        {"kind": line.entry.kind, "fund": line.entry.fund, "amount": line.entry.amount,
         "balance_money": line.balance.money, "balance_goods": line.balance.goods, "balance": line.balance.total,
         "entry_id": line.entry.ref.pk}
        for line in book.lines
    ]  # fmt: skip
    return {"lines": lines, "balance": book.balance.total, "reconciles": rules.reconciles(book)}


@router.get("/{drive_id}/beneficiaries", response=list[BeneficiaryOut], summary="受助对象")
@paginate(Pages)
def beneficiaries(request, drive_id: Id):
    return selectors.beneficiaries(selectors.drive_get(user=request.user, pk=drive_id))


@router.post("/{drive_id}/beneficiaries", response={201: BeneficiaryOut}, summary="登记受助对象（须本人或监护人同意）")
def beneficiary_add(request, drive_id: Id, payload: BeneficiaryIn):
    return Status(201, services.beneficiary_add(user=request.user, drive_id=drive_id, **payload.dict()))


@router.get("/{drive_id}/pledges", response=list[PledgeOut], summary="认捐")
@paginate(Pages)
def pledges(request, drive_id: Id):
    return selectors.pledges(selectors.drive_get(user=request.user, pk=drive_id))


@router.post("/{drive_id}/pledges", response={201: PledgeOut}, summary="登记认捐（到账后另行登记收入）")
def pledge_add(request, drive_id: Id, payload: PledgeIn):
    return Status(201, services.pledge_add(user=request.user, drive_id=drive_id, **payload.dict()))


@router.get("/{drive_id}/receipts", response=list[ReceiptOut], summary="捐赠收入")
@paginate(Pages)
def receipts(request, drive_id: Id):
    return selectors.receipts(selectors.drive_get(user=request.user, pk=drive_id))


@router.post("/{drive_id}/receipts", response={201: ReceiptOut}, summary="登记收入：现金、转账或物资（折价）")
def receipt_record(request, drive_id: Id, payload: ReceiptIn):
    return Status(201, services.receipt_record(user=request.user, drive_id=drive_id, **payload.dict()))


@router.get("/{drive_id}/disbursements", response=list[DisbursementOut], summary="支出申请及审批")
@paginate(Pages)
def disbursements(request, drive_id: Id):
    return selectors.disbursements(selectors.drive_get(user=request.user, pk=drive_id))


@router.post("/{drive_id}/disbursements", response={201: DisbursementOut}, summary="申请支出（附支出凭证）")
def disbursement_ask(request, drive_id: Id, payload: Form[DisbursementIn], evidence: File[UploadedFile] = None):
    return Status(201, services.disbursement_ask(user=request.user, drive_id=drive_id, evidence=evidence,
                                                 **payload.dict()))  # fmt: skip
