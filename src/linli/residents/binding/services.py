"""实名认证 and 更正申请: the resident's requests and the community's decisions. Transactional, permission- and
scope-checked; the pure rules are residents/rules.py."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.errors import Conflict, FieldError, PermissionDenied, TooManyRequests, ValidationFailed
from linli.core.pii import lookup_hash
from linli.notifications.services import notify
from linli.people.models import Person
from linli.people.rules import normalize_id_number
from linli.people.services import PERSON_COLUMNS, person_clean, person_update

from .. import rules
from ..models import BindingRequest, BindingTry, CorrectionRequest, Resident
from . import selectors

# The one answer to a name and ID number that do not match a person: it does not say which of the two is wrong,
# so it cannot tell whether an ID number is registered under another name.
NO_MATCH = gettext_lazy("未找到与您填写的姓名和证件号码一致的登记信息。请核对后重试，或到所在社区登记。")


def _refused(exc: rules.Refused) -> ValidationFailed:
    return ValidationFailed([FieldError(exc.field, str(exc))])


def _own_locked(user) -> Resident:
    """The signed-in resident's row, locked: a resident's binding requests and unbinding take turns."""
    return Resident.objects.select_for_update().get(pk=selectors.resident_of(user).pk)


def bind(*, user, name: str, id_number: str) -> BindingRequest:
    """实名认证: bound at once when the phone on file is the account's own and no other account holds the person,
    else a request for the person's community. Every try counts against the day's limit, matched or not: the try
    is committed before a mismatch is answered."""
    errors = []
    name, id_number = (name or "").strip(), normalize_id_number(id_number)
    if not name:
        errors.append(FieldError("name", _("请填写姓名")))
    if not id_number:
        errors.append(FieldError("id_number", _("请填写证件号码")))
    elif len(id_number) > 30:
        errors.append(FieldError("id_number", _("证件号码不能超过30个字符")))
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        request = _bind(user, name, id_number)
    if request is None:
        raise ValidationFailed([FieldError("id_number", NO_MATCH)], detail=NO_MATCH)
    return request


def _bind(user, name: str, id_number: str) -> BindingRequest | None:
    resident = _own_locked(user)
    if resident.person_id is not None:
        raise Conflict(_("您已完成实名认证；如需更换，请先解除实名"))
    if BindingRequest.objects.filter(resident=resident, status=rules.Status.PENDING).exists():
        raise Conflict(_("您已有一份待社区核实的实名认证申请，请等待结果，或撤回后重新申请"))
    now = timezone.now()
    # Tries older than the window count for nothing any more: each account's are dropped as it tries again.
    BindingTry.objects.filter(resident=resident, at__lte=now - rules.TRY_WINDOW).delete()
    tries = BindingTry.objects.filter(resident=resident).values_list("at", flat=True)
    if rules.tries_left(list(tries), now) == 0:
        raise TooManyRequests(_("今天的实名认证次数已用完，请明天再试，或到所在社区办理"))
    BindingTry.objects.create(resident=resident)
    # Locked: an account bound to the person at this moment (an approval, another binding) is seen below.
    person = Person.objects.select_for_update().filter(id_hash=lookup_hash(id_number)).first()
    if person is None or not rules.names_match(name, person.name):
        return None
    other = Resident.objects.filter(person=person).exclude(pk=resident.pk).exists()
    why = rules.binding_outcome(
        phone_on_file=person.phone_hash, applicant_phone=resident.phone_hash, other_account=other
    )
    request = BindingRequest(resident=resident, person=person, why=why)
    if why == rules.Why.NONE:
        request.status, request.decided_at = rules.Status.APPROVED, now
        _bind_to(resident, person, now)
    request.save()
    return request


def _bind_to(resident: Resident, person: Person, now) -> None:
    resident.person, resident.bound_at = person, now
    resident.save(update_fields=["person", "bound_at"])


@transaction.atomic
def binding_withdraw(*, user) -> None:
    """The resident withdraws their pending binding request."""
    resident = _own_locked(user)
    request = BindingRequest.objects.select_for_update().filter(resident=resident, status=rules.Status.PENDING).first()
    if request is None:
        raise Conflict(_("没有待核实的实名认证申请"))
    request.status, request.decided_at = rules.Status.WITHDRAWN, timezone.now()
    request.save(update_fields=["status", "decided_at"])


@transaction.atomic
def unbind(*, user) -> None:
    """解除实名: the account keeps its phone and consent but no longer speaks for the person; the person's open
    corrections are withdrawn with it (they were asked as that person)."""
    resident = _own_locked(user)
    if resident.person_id is None:
        raise Conflict(_("您尚未实名认证"))
    CorrectionRequest.objects.filter(resident=resident, status=rules.Status.PENDING).update(
        status=rules.Status.WITHDRAWN, decided_at=timezone.now()
    )
    resident.person, resident.bound_at = None, None
    resident.save(update_fields=["person", "bound_at"])


def _check_reviewer(user) -> None:
    if not selectors.may_review(user):
        raise PermissionDenied(_("只有居民所在社区的工作人员可以审核"))


def _decidable(model, pk: int, approve: bool, note: str) -> tuple:
    """The request locked, if it may still be decided, and the reviewer's note as the rules want it."""
    request = model.objects.select_for_update().get(pk=pk)
    try:
        rules.may_decide(request.status)
        return request, rules.decision_note(approve, note)
    except rules.Refused as exc:
        raise _refused(exc) from None


def _decided(request, *, user, approve: bool, note: str, now, template: str, link: str) -> None:
    """Records the decision and tells the resident (the portal page shows it too; the message reaches them when
    they are not looking)."""
    request.status = rules.Status.APPROVED if approve else rules.Status.REFUSED
    request.decided_at, request.decided_by, request.note = now, user, note
    request.save(update_fields=["status", "decided_at", "decided_by", "note"])
    context = {
        "result": _("已通过") if approve else _("未通过"),
        "note": _("说明：%(note)s") % {"note": note} if note else "",
    }
    notify([request.resident.user], template, context, link=link, now=now)


@transaction.atomic
def binding_decide(*, user, pk: int, approve: bool, note: str = "") -> BindingRequest:
    """The community confirms (the person is bound to the account, taken from any account that held them) or
    refuses, with a reason the resident reads."""
    _check_reviewer(user)
    request, note = _decidable(BindingRequest, selectors.binding_get(user=user, pk=pk).pk, approve, note)
    now = timezone.now()
    if approve:
        # The person first, as a binding does: two decisions on one person take turns, and the one-account-per-
        # person constraint never meets a second account mid-way.
        Person.objects.select_for_update().filter(pk=request.person_id).exists()
        resident = Resident.objects.select_for_update().get(pk=request.resident_id)
        if resident.person_id is not None:
            raise Conflict(_("该账号已绑定其他人员"))
        # One account per person: the community has confirmed this one, so an earlier account lets go.
        Resident.objects.filter(person_id=request.person_id).update(person=None, bound_at=None)
        _bind_to(resident, request.person, now)
    _decided(
        request, user=user, approve=approve, note=note, now=now,
        template="residents.binding_decided", link=reverse("portal:binding"),
    )  # fmt: skip
    return request


# ---------------------------------------------------------------- 更正申请


@transaction.atomic
def correction_request(*, user, changes: dict[str, str], reason: str) -> CorrectionRequest:
    """A bound resident asks to correct fields of their own record; the values are checked as the registry
    checks them (people.services.person_clean) and wait for the community."""
    resident = _own_locked(user)
    if resident.person_id is None:
        raise selectors.NotBound()
    person = Person.objects.get(pk=resident.person_id)
    current = {f: getattr(person, f) for f in rules.CORRECTABLE}
    try:
        asked = rules.correction_changes(current, changes)
        reason = rules.correction_reason(reason)
    except rules.Refused as exc:
        raise _refused(exc) from None
    record = {c.field: getattr(person, c.field) for c in PERSON_COLUMNS}
    values, errors = person_clean({**record, "birth_date": person.birth_date, **{c.field: c.new for c in asked}})
    errors = [e for e in errors if e.field in {c.field for c in asked}]
    if errors:
        raise ValidationFailed(errors)
    open_ = CorrectionRequest.objects.filter(resident=resident, status=rules.Status.PENDING).count()
    if open_ >= rules.OPEN_CORRECTIONS_MAX:
        raise Conflict(_("您已有%(open)s份更正申请等待社区审核，请等审核后再提交") % {"open": open_})
    request = CorrectionRequest(resident=resident, person=person, reason=reason)
    request.changes = [rules.Change(c.field, c.label, c.old, values[c.field]) for c in asked]
    request.save()
    return request


@transaction.atomic
def correction_withdraw(*, user, pk: int) -> CorrectionRequest:
    request = CorrectionRequest.objects.select_for_update().get(pk=selectors.my_correction(user, pk).pk)
    try:
        rules.may_decide(request.status)
    except rules.Refused as exc:
        raise _refused(exc) from None
    request.status, request.decided_at = rules.Status.WITHDRAWN, timezone.now()
    request.save(update_fields=["status", "decided_at"])
    return request


@transaction.atomic
def correction_decide(*, user, pk: int, approve: bool, note: str = "") -> CorrectionRequest:
    """Approved: the registry is changed through people.services.person_update, which keeps the history with the
    reviewer as the one who changed it; refused with a reason."""
    _check_reviewer(user)
    request, note = _decidable(CorrectionRequest, selectors.correction_get(user=user, pk=pk).pk, approve, note)
    if approve:
        person = request.person
        person_update(user=user, pk=person.pk, version=person.version, data={c.field: c.new for c in request.changes})
    _decided(
        request, user=user, approve=approve, note=note, now=timezone.now(),
        template="residents.correction_decided", link=reverse("portal:correction", args=[request.pk]),
    )  # fmt: skip
    return request
