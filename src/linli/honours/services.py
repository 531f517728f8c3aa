"""Writes of honours: 自主申报, 初审, 认定 (grant or refuse), 摘牌 by hand and by rule.

Each public function is one transaction; a stale `version` answers 409 and changes nothing. Automatic 摘牌
(`honours_review`, `honours_review_case`) is idempotent: only granted honours are looked at, and the revocation
is a conditional update on the status, so two runs (or a run racing the hourly command) revoke once.
"""

import logging
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.roles import APPLICANT, APPLY_FOR_COMMUNITY, HONOURS, can
from linli.cases.models import Case, Category
from linli.core import uploads
from linli.core.errors import Conflict, DomainError, FieldError, PermissionDenied, ValidationFailed
from linli.people.models import Estate
from linli.regions.models import Region

from . import rules, selectors
from .catalogue import HONOUR_TYPES
from .models import Honour, HonourType, RevocationRule

log = logging.getLogger(__name__)

STATEMENT_MIN, STATEMENT_MAX = 10, 2000
NOTE_MAX = 500


def _pk(value) -> int | None:
    return int(value) if isinstance(value, int | str) and str(value).isdecimal() else None


def _text(value, field: str, label: str, errors: list, *, minimum=0, maximum=NOTE_MAX, required=False) -> str:
    value = value.strip() if isinstance(value, str) else ""
    if required and not value:
        errors.append(FieldError(field, _("请填写%(label)s") % {"label": label}))
    elif value and len(value) < minimum:
        errors.append(FieldError(field, _("%(label)s至少%(minimum)s个字") % {"label": label, "minimum": minimum}))
    elif len(value) > maximum:
        errors.append(FieldError(field, _("%(label)s不能超过%(maximum)s个字") % {"label": label, "maximum": maximum}))
    return value


def _unit(user, honour_type: HonourType, data: dict, errors: list) -> tuple[Estate | None, Region | None, Region]:
    """(estate, community, region node) the applicant may apply for."""
    if honour_type.level == rules.ESTATE:
        pk = _pk(data.get("estate_id"))
        estate = selectors.estates_to_apply_for(user=user).filter(pk=pk).first() if pk is not None else None
        if estate is None:
            errors.append(FieldError("estate_id", _("请选择您所在社区或本企业服务的小区")))
            return None, None, None
        return estate, None, estate.region
    pk = _pk(data.get("community_id"))
    community = selectors.communities_to_apply_for(user=user).filter(pk=pk).first() if pk is not None else None
    if community is None:
        message = _("请选择本社区") if can(user, HONOURS, APPLY_FOR_COMMUNITY) else _("社区类荣誉由本社区工作人员申报")
        errors.append(FieldError("community_id", message))
        return None, None, None
    return None, community, community


def _evidence(upload, errors: list):
    """佐证材料 as every unit's evidence is checked (core.uploads.EVIDENCE), its refusal beside the other fields'."""
    if upload is None:
        return None
    try:
        return uploads.check(upload, uploads.EVIDENCE, field="evidence", label=_("佐证材料")).file
    except ValidationFailed as exc:
        errors.extend(exc.errors)
        return None


def _expire(now: datetime) -> int:
    """Plates past their validity become 已到期, which frees the unit to apply again."""
    return Honour.objects.filter(status=rules.GRANTED, valid_until__lt=timezone.localdate(now)).update(
        status=rules.EXPIRED
    )


@transaction.atomic
def honour_apply(*, user, data: dict, evidence=None, now: datetime | None = None) -> Honour:
    """自主申报 by the unit: the community worker for their community or its estates, a property company's staff
    for the estates it serves. Refused while an application is open, the plate is current, or the case that
    took the last plate down is not yet closed."""
    now = now or timezone.now()
    if not can(user, HONOURS, APPLICANT):
        raise PermissionDenied(_("只有社区工作人员或小区物业服务企业可以申报"))
    errors: list[FieldError] = []
    honour_type = None
    if (pk := _pk(data.get("honour_type_id"))) is not None:
        honour_type = HonourType.objects.filter(pk=pk, active=True).first()
    if honour_type is None:
        raise ValidationFailed([FieldError("honour_type_id", _("请选择接受申报的荣誉类型"))])
    if honour_type.level == rules.COMMUNITY and not can(user, HONOURS, APPLY_FOR_COMMUNITY):
        raise PermissionDenied(_("社区类荣誉由本社区工作人员申报"))
    estate, community, region = _unit(user, honour_type, data, errors)
    statement = _text(data.get("statement"), "statement", _("申报说明"), errors, minimum=STATEMENT_MIN,
                      maximum=STATEMENT_MAX, required=True)  # fmt: skip
    evidence = _evidence(evidence, errors)
    if errors:
        raise ValidationFailed(errors)
    _expire(now)
    same = Honour.objects.filter(honour_type=honour_type, estate=estate, community=community)
    live = same.filter(status__in=[*rules.PENDING, rules.GRANTED]).first()
    if live is not None:
        if live.status == rules.GRANTED:
            raise DomainError(
                _("该单位已获「%(name)s」称号，有效期至%(valid_until)s")
                % {"name": honour_type.name, "valid_until": format(live.valid_until, "%Y年%m月%d日")}
            )
        raise DomainError(_("该单位已有「%(name)s」申报正在审核中") % {"name": honour_type.name})
    last = same.filter(status=rules.REVOKED).select_related("revocation_case").order_by("-revoked_at").first()
    if last is not None and not rules.may_reapply(last.revocation_case.state if last.revocation_case_id else None):
        raise DomainError(
            _("摘牌原因案件%(number)s尚未整改办结（当前：%(get_state_display)s），整改到位后方可重新申报")
            % {"number": last.revocation_case.number, "get_state_display": last.revocation_case.get_state_display()}
        )
    honour = Honour(
        honour_type=honour_type, estate=estate, community=community, region=region, statement=statement,
        applicant=user, applied_at=now,
    )  # fmt: skip
    if evidence is not None:
        honour.evidence.save(evidence.name, evidence, save=False)
    try:
        with transaction.atomic():
            honour.save()
    except IntegrityError as exc:  # another application of the same unit got in first
        raise Conflict(_("该单位的同类申报已由他人提交，请刷新后查看")) from exc
    return honour


def _locked(user, pk: int, version) -> Honour:
    if not isinstance(version, int) or isinstance(version, bool):
        raise ValidationFailed([FieldError("version", _("缺少版本号"))])
    honour = selectors.honour_get(user=user, pk=pk)
    if honour.version != version:
        raise Conflict(_("该申报已被他人处理，请刷新后重试"))
    return honour


def _step(user, honour: Honour, action: str) -> rules.Step:
    try:
        return rules.check(action, honour.status, selectors.caps_for(user, honour))
    except rules.NotPermitted as exc:
        raise PermissionDenied(str(exc)) from exc
    except rules.IllegalStep as exc:
        raise DomainError(str(exc)) from exc


def _save(honour: Honour, version: int, changes: dict) -> Honour:
    if not Honour.objects.filter(pk=honour.pk, version=version).update(**changes, version=version + 1):
        raise Conflict(_("该申报已被他人处理，请刷新后重试"))
    for name, value in changes.items():
        setattr(honour, name, value)
    honour.version = version + 1
    return honour


def _next_number(honour_type: HonourType, year: int) -> str:
    prefix = rules.plate_number(honour_type.name, year, 1)[:-5]
    taken = Honour.objects.filter(honour_type=honour_type, number__startswith=prefix).count()
    return rules.plate_number(honour_type.name, year, taken + 1)


@transaction.atomic
def honour_act(*, user, pk: int, action: str, version, note: str = "", now: datetime | None = None) -> Honour:
    """初审 (review, review_reject) by the street, 认定 (grant, reject) and 摘牌 (revoke) by the district.
    Out of scope: 404; not theirs: 403; not now or a missing note: 400; stale version: 409."""
    now = now or timezone.now()
    honour = _locked(user, pk, version)
    step = _step(user, honour, action)
    errors: list[FieldError] = []
    note = _text(note, "note", _("意见") if action != "revoke" else _("摘牌原因"), errors, required=step.note_required)
    if errors:
        raise ValidationFailed(errors)
    changes: dict = {"status": step.target}
    if action in ("review", "review_reject"):
        changes |= {"reviewed_by_id": user.pk, "reviewed_at": now, "review_note": note}
    elif action in ("grant", "reject"):
        changes |= {"decided_by_id": user.pk, "decided_at": now, "decision_note": note}
        if action == "grant":
            today = timezone.localdate(now)
            changes |= {
                "number": _next_number(honour.honour_type, today.year),
                "granted_at": now,
                "granted_on": today,
                "valid_until": rules.valid_until(today, honour.honour_type.validity_months),
            }
    elif action == "revoke":
        changes |= {
            "revoked_at": now,
            "revoked_by_id": user.pk,
            "revocation_kind": rules.MANUAL,
            "revocation_reason": _("人工摘牌：%(note)s") % {"note": note},
        }
    return _save(honour, version, changes)


# ---------------------------------------------------------------- automatic 摘牌


def _review(honours, now: datetime) -> list[Honour]:
    revoked = []
    by_type: dict[int, list[rules.Rule]] = {}
    for honour in honours:
        if honour.honour_type_id not in by_type:
            by_type[honour.honour_type_id] = selectors.rules_of(honour.honour_type)
        firing = rules.first_firing(
            by_type[honour.honour_type_id], selectors.facts_for(honour), granted_at=honour.granted_at, now=now
        )
        if firing is None:
            continue
        with transaction.atomic():
            done = Honour.objects.filter(pk=honour.pk, status=rules.GRANTED).update(
                status=rules.REVOKED,
                revoked_at=now,
                revoked_by=None,
                revocation_kind=firing.kind,
                revocation_case_id=firing.case_id,
                revocation_reason=firing.reason,
                version=honour.version + 1,
            )
        if done:
            revoked.append(honour)
    return revoked


def _current(now: datetime):
    return (
        Honour.objects.filter(status=rules.GRANTED, valid_until__gte=timezone.localdate(now))
        .select_related("honour_type")
        .prefetch_related("honour_type__rules__categories")
    )


def honours_review(*, now: datetime | None = None) -> list[Honour]:
    """Every current plate against its type's rules; expired plates marked. Run hourly (honours_review)."""
    now = now or timezone.now()
    _expire(now)
    return _review(_current(now).order_by("pk"), now)


def honours_review_case(*, case_id: int, now: datetime | None = None) -> list[Honour]:
    """The plates of the unit a case touches, after that case changed (the cases.signals.case_changed receiver)."""
    now = now or timezone.now()
    case = Case.objects.filter(pk=case_id).select_related("building").first()
    if case is None:
        return []
    estates = {e for e in (case.estate_id, case.building.estate_id if case.building_id else None) if e}
    touched = (
        Q(estate_id__in=estates) | Q(community_id=case.community_id) if case.community_id else Q(estate_id__in=estates)
    )
    return _review(_current(now).filter(touched), now)


def on_case_changed(sender, case_id: int, **kwargs) -> None:
    # The case's own transaction has committed: a failure here must not fail the case action the user took.
    # The hourly review catches up on whatever this missed.
    try:
        honours_review_case(case_id=case_id)
    except Exception:  # noqa: BLE001
        log.exception("honours review after case %s failed", case_id)


@transaction.atomic
def honour_types_install() -> int:
    """The standard honour types and rules (catalogue.py). Idempotent: existing types by code are kept as edited
    in the admin. Returns the types added. Needs the case catalogue installed first."""
    added = 0
    for sort, (code, name, level, months, criteria, type_rules) in enumerate(HONOUR_TYPES, start=1):
        honour_type, created = HonourType.objects.get_or_create(
            code=code,
            defaults={"name": name, "level": level, "validity_months": months, "criteria": criteria, "sort": sort},
        )
        if not created:
            continue
        added += 1
        for kind, codes in type_rules:
            rule = RevocationRule.objects.create(honour_type=honour_type, kind=kind)
            rule.categories.set(Category.objects.filter(code__in=codes))
    return added
