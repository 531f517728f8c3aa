"""Writes of donation drives: set-up, edit and closing (roles.RUN_DRIVES, the drive's region in the user's scope),
beneficiaries with their consent, pledges, receipts (cash, transfer, goods with their valuation), disbursements asked
with evidence and approved or refused (roles.APPROVE_DISBURSEMENTS, an office at or above the drive's, never the one
who asked). Every change to a drive's ledger takes the drive's row lock, so an approval sees the balance that every
committed receipt and approval left, and refuses a disbursement beyond it; the database refuses it too."""

from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.accounts import scope
from linli.core import uploads
from linli.core.errors import Conflict, FieldError, PermissionDenied, ValidationFailed
from linli.people.models import Person

from . import rules, selectors
from .models import Beneficiary, Disbursement, Drive, Pledge, Receipt

CLOSED = gettext_lazy("该捐助活动已结项，不能再登记或申请")


def _amount(errors: list, field: str, value, label: str = "金额") -> Decimal:
    problem = rules.amount_problem(value, label)
    if problem:
        errors.append(FieldError(field, problem))
        return Decimal(0)
    return Decimal(value)


def _required(errors: list, **fields) -> None:
    labels = {"title": _("活动名称"), "purpose": _("募集目的"), "name": _("姓名"), "need": _("困难情况"),
              "consent_note": _("同意方式"), "donor_name": _("捐赠人"), "goods": _("物资名称及数量"),
              "valuation": _("折价依据"), "summary": _("结项说明")}  # fmt: skip
    for field, value in fields.items():
        if not (value or "").strip():
            errors.append(FieldError(field, _("请填写%(labels)s") % {"labels": labels[field]}))


def _raise(errors: list) -> None:
    if errors:
        raise ValidationFailed(errors)


def _content(*, title: str, purpose: str, target, starts_on: date, ends_on: date) -> Decimal:
    errors: list[FieldError] = []
    _required(errors, title=title, purpose=purpose)
    target = _amount(errors, "target", target, _("目标金额"))
    if ends_on < starts_on:
        errors.append(FieldError("ends_on", _("截止日期不能早于开始日期")))
    _raise(errors)
    return target


@transaction.atomic
def drive_create(*, user, region_id: int, title: str, purpose: str, target, starts_on: date, ends_on: date) -> Drive:
    """A drive of the user's own office or an office below it, open for receipts at once."""
    region = scope.get_or_404(selectors.run_regions(user=user), pk=region_id)
    target = _content(title=title, purpose=purpose, target=target, starts_on=starts_on, ends_on=ends_on)
    return Drive.objects.create(region=region, title=title.strip(), purpose=purpose.strip(), target=target,
                                starts_on=starts_on, ends_on=ends_on, created_by=user)  # fmt: skip


def _locked(*, user, drive_id: int, version: int | None = None) -> Drive:
    """The open drive of the user's scope, row-locked; 409 on a stale version or a closed drive."""
    selectors.check_runner(user)
    scope.get_or_404(selectors.drive_queryset(user=user), pk=drive_id)
    drive = Drive.objects.select_for_update().get(pk=drive_id)
    if version is not None and drive.version != version:
        raise Conflict()
    if drive.state != rules.OPEN:
        raise Conflict(CLOSED)
    return drive


@transaction.atomic
def drive_update(*, user, drive_id: int, version: int, title: str, purpose: str, target, starts_on: date,
                 ends_on: date) -> Drive:  # fmt: skip
    """Edits what the drive is for; the ledger is not touched. A stale version answers 409."""
    drive = _locked(user=user, drive_id=drive_id, version=version)
    drive.target = _content(title=title, purpose=purpose, target=target, starts_on=starts_on, ends_on=ends_on)
    drive.title, drive.purpose, drive.starts_on, drive.ends_on = title.strip(), purpose.strip(), starts_on, ends_on
    drive.version += 1
    drive.save(update_fields=["title", "purpose", "target", "starts_on", "ends_on", "version"])
    return drive


@transaction.atomic
def drive_close(*, user, drive_id: int, version: int | None, summary: str, now: datetime | None = None) -> Drive:
    """结项: no receipt or disbursement after this; the closing report states what was raised, spent and left.
    Refused while a disbursement awaits its decision."""
    drive = _locked(user=user, drive_id=drive_id, version=version)
    errors: list[FieldError] = []
    _required(errors, summary=summary)
    _raise(errors)
    if Disbursement.objects.filter(drive=drive, state=rules.ASKED).exists():
        raise Conflict(_("还有待审批的支出申请，审批后才能结项"))
    drive.state, drive.summary, drive.closed_by = rules.CLOSED, summary.strip(), user
    drive.closed_at = now or timezone.now()
    drive.version += 1
    drive.save(update_fields=["state", "summary", "closed_at", "closed_by", "version"])
    return drive


@transaction.atomic
def beneficiary_add(*, user, drive_id: int, name: str, need: str, consent_on: date | None, consent_note: str,
                    person_id: int | None = None, today: date | None = None) -> Beneficiary:  # fmt: skip
    """受助对象, recorded only with their consent (or their guardian's) to the drive helping them in public: the date
    they agreed and how (书面同意书, 监护人代签 …). Linked to the registry when the person is in the user's scope."""
    drive = _locked(user=user, drive_id=drive_id)
    person = None
    if person_id is not None:
        person = scope.get_or_404(scope.within(Person.objects.all(), scope.registry_path(user), "grid"), pk=person_id)
        name = name or person.name
    errors: list[FieldError] = []
    _required(errors, name=name, need=need, consent_note=consent_note)
    if consent_on is None:
        errors.append(FieldError("consent_on", _("受助对象须本人（或监护人）同意后才能登记，请填写同意日期")))
    elif consent_on > (today or timezone.localdate()):
        errors.append(FieldError("consent_on", _("同意日期不能晚于今天")))
    _raise(errors)
    return Beneficiary.objects.create(drive=drive, name=name.strip(), person=person, need=need.strip(),
                                      consent_on=consent_on, consent_note=consent_note.strip(),
                                      recorded_by=user)  # fmt: skip


def _donor(errors: list, donor_name: str, donor_kind: str, anonymous: bool) -> None:
    if donor_kind not in rules.DONOR_KINDS:
        errors.append(FieldError("donor_kind", _("请选择个人或单位")))
    if not anonymous:
        _required(errors, donor_name=donor_name)


@transaction.atomic
def pledge_add(*, user, drive_id: int, donor_name: str, donor_kind: str, anonymous: bool, fund: str, amount,
               goods: str = "", pledged_on: date) -> Pledge:  # fmt: skip
    """认捐: what a donor promised; the ledger counts it only when a receipt records what came in."""
    drive = _locked(user=user, drive_id=drive_id)
    errors: list[FieldError] = []
    _donor(errors, donor_name, donor_kind, anonymous)
    if fund not in rules.FUNDS:
        errors.append(FieldError("fund", _("请选择资金或物资")))
    elif fund == rules.GOODS:
        _required(errors, goods=goods)
    amount = _amount(errors, "amount", amount)
    _raise(errors)
    return Pledge.objects.create(drive=drive, donor_name=donor_name.strip(), donor_kind=donor_kind,
                                 anonymous=anonymous, fund=fund, amount=amount, goods=goods.strip(),
                                 pledged_on=pledged_on, recorded_by=user)  # fmt: skip


def _next_entry(drive: Drive) -> int:
    drive.entries += 1
    return drive.entries


@transaction.atomic
def receipt_record(*, user, drive_id: int, donor_name: str, donor_kind: str, anonymous: bool, method: str, amount,
                   received_on: date, goods: str = "", valuation: str = "", reference: str = "",
                   pledge_id: int | None = None, now: datetime | None = None) -> Receipt:  # fmt: skip
    """A donation received: cash, a transfer (its reference), or goods with what they are and how they were valued.
    It enters the ledger now, numbered in the drive."""
    drive = _locked(user=user, drive_id=drive_id)
    now = now or timezone.now()
    errors: list[FieldError] = []
    _donor(errors, donor_name, donor_kind, anonymous)
    if method not in rules.METHODS:
        errors.append(FieldError("method", _("请选择现金、转账或物资")))
    elif method == rules.GOODS:
        _required(errors, goods=goods, valuation=valuation)
    amount = _amount(errors, "amount", amount, _("物资折价") if method == rules.GOODS else _("金额"))
    if received_on > timezone.localdate(now):
        errors.append(FieldError("received_on", _("收到日期不能晚于今天")))
    pledge = None
    if pledge_id is not None:
        pledge = Pledge.objects.filter(drive=drive, pk=pledge_id).first()
        if pledge is None:
            errors.append(FieldError("pledge_id", _("该认捐不属于本活动")))
    _raise(errors)
    fund = rules.FUND_OF[method]
    number = Receipt.objects.filter(drive=drive).count() + 1
    receipt = Receipt.objects.create(
        drive=drive, number=number, pledge=pledge, donor_name=donor_name.strip(), donor_kind=donor_kind,
        anonymous=anonymous, method=method, amount=amount, goods=goods.strip(), valuation=valuation.strip(),
        reference=reference.strip(), received_on=received_on, recorded_by=user, recorded_at=now,
        seq=_next_entry(drive),
    )  # fmt: skip
    if fund == rules.MONEY:
        drive.received_money += amount
    else:
        drive.received_goods += amount
    drive.save(update_fields=["received_money", "received_goods", "entries"])
    return receipt


@transaction.atomic
def disbursement_ask(*, user, drive_id: int, fund: str, amount, purpose: str, evidence, goods: str = "",
                     beneficiary_id: int | None = None, now: datetime | None = None) -> Disbursement:  # fmt: skip
    """支出申请 with its evidence (the payment slip, the recipients' signed list …): decided by an office at or above
    the drive's. Refused now already when it exceeds the fund's balance; the approval checks again."""
    drive = _locked(user=user, drive_id=drive_id)
    errors: list[FieldError] = []
    if fund not in rules.FUNDS:
        errors.append(FieldError("fund", _("请选择资金或物资")))
    elif fund == rules.GOODS:
        _required(errors, goods=goods)
    if not (purpose or "").strip():
        errors.append(FieldError("purpose", _("请填写用途")))
    amount = _amount(errors, "amount", amount)
    beneficiary = None
    if beneficiary_id is not None:
        beneficiary = Beneficiary.objects.filter(drive=drive, pk=beneficiary_id).first()
        if beneficiary is None:
            errors.append(FieldError("beneficiary_id", _("该受助对象不属于本活动")))
    if evidence is None:
        errors.append(FieldError("evidence", _("请上传支出凭证（发放签收表、转账凭证等）")))
    else:
        try:
            evidence = uploads.check(evidence, uploads.EVIDENCE, field="evidence", label=_("支出凭证"))
        except ValidationFailed as exc:
            errors.extend(exc.errors)
    if not errors and fund in rules.FUNDS and (problem := rules.overdrawn(drive.balance, fund, amount)):
        errors.append(FieldError("amount", problem))
    _raise(errors)
    return Disbursement.objects.create(
        drive=drive, beneficiary=beneficiary, fund=fund, amount=amount, goods=goods.strip(), purpose=purpose.strip(),
        evidence=evidence.file, evidence_name=evidence.name[:200], asked_by=user, asked_at=now or timezone.now(),
    )  # fmt: skip


@transaction.atomic
def disbursement_decide(*, user, disbursement_id: int, version: int | None, approve: bool, note: str = "",
                        now: datetime | None = None) -> Disbursement:  # fmt: skip
    """批准 or 不批准 (with the reason). Approval takes the drive's row lock and enters the ledger only if the fund's
    balance then covers it."""
    selectors.check_approver(user)
    found = scope.get_or_404(selectors.disbursement_queryset(user=user).select_related("drive__region"),
                             pk=disbursement_id)  # fmt: skip
    if problem := selectors.decision_problem(user, found):
        raise PermissionDenied(problem)
    drive = Drive.objects.select_for_update().get(pk=found.drive_id)
    disbursement = Disbursement.objects.select_for_update().get(pk=found.pk)
    if version is not None and disbursement.version != version:
        raise Conflict()
    if disbursement.state != rules.ASKED:
        raise Conflict(_("该支出申请已经审批过了"))
    if not approve and not note.strip():
        raise ValidationFailed([FieldError("note", _("不批准时请写明理由"))])
    if approve:
        if problem := rules.overdrawn(drive.balance, disbursement.fund, disbursement.amount):
            raise Conflict(_("不能批准：%(problem)s") % {"problem": problem})
        if disbursement.fund == rules.MONEY:
            drive.disbursed_money += disbursement.amount
        else:
            drive.disbursed_goods += disbursement.amount
        disbursement.seq = _next_entry(drive)
        drive.save(update_fields=["disbursed_money", "disbursed_goods", "entries"])
    disbursement.state = rules.APPROVED if approve else rules.REFUSED
    disbursement.decided_by, disbursement.decided_at = user, now or timezone.now()
    disbursement.note = note.strip()
    disbursement.version += 1
    disbursement.save(update_fields=["state", "decided_by", "decided_at", "note", "seq", "version"])
    return disbursement
