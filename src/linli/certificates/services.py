"""Writes of certificates (居委会出具证明, 004 篇十八): a district's list of matters (CONFIGURE_CERTIFICATES),
applications at the window (ISSUE_CERTIFICATES, for a registry person of the community) or in the portal (a bound
resident), the community's decision (issue with a serial and a verification code, or refuse with the reason),
revocation, and the public check of a code with its cap on wrong guesses. Everything that changes state is audited."""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from linli.accounts import roles, scope
from linli.audit.models import AuditEntry
from linli.audit.services import audit_record
from linli.cases.services import ip_hash
from linli.core import uploads
from linli.core.errors import Conflict, FieldError, PermissionDenied, TooManyRequests, ValidationFailed
from linli.core.locks import hold
from linli.core.pii import lookup_hash
from linli.core.validators import normalize_id_number
from linli.people.selectors import person_queryset

from . import rules, selectors
from .models import Application, Certificate, Evidence, Matter, VerifyFailure

ADMIN = AuditEntry.Action.ADMIN
RETRIES = 20  # serials taken by issuers at the same moment: each retry reads the ones committed since
NOT_BOUND = gettext_lazy("请先完成实名认证，绑定本人的居民信息后再申请证明")
TOO_MANY = gettext_lazy("验证码错误次数过多，请一小时后再试。")


def _audit(user, kind: str, pk: int, detail: str, request=None) -> None:
    audit_record(actor=user, action=ADMIN, object_type=f"certificates.{kind}", object_ids=[pk], detail=detail[:500],
                 request=request)  # fmt: skip


def _raise(errors: list[FieldError]) -> None:
    if errors:
        raise ValidationFailed(errors)


# ---------------------------------------------------------------- the list of matters
def ensure_default_matters(*, district) -> int:
    """The default 15 matters in a district that has none of them yet (by code); idempotent. Answers how many were
    added."""
    have = set(Matter.objects.filter(district=district).values_list("code", flat=True))
    missing = [
        Matter(district=district, code=m.code, name=m.name, basis=m.basis, wording=m.wording, materials=m.materials,
               order=i)
        for i, m in enumerate(rules.DEFAULT_MATTERS, start=1) if m.code not in have
    ]  # fmt: skip
    Matter.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


def _check_configurer(user) -> None:
    if not roles.can(user, roles.CERTIFICATES, roles.CONFIGURE_CERTIFICATES):
        raise PermissionDenied(gettext("您没有维护证明事项清单的权限"))


def _configurable_district(user, district_id: int):
    _check_configurer(user)
    district = scope.get_or_404(selectors.districts_seen(user), pk=district_id)
    if not selectors.may_configure(user, district):
        raise PermissionDenied(gettext("您没有维护证明事项清单的权限"))
    return district


@transaction.atomic
def matter_defaults(*, user, district_id: int) -> int:
    """按默认清单建立: the default matters the district lacks."""
    district = _configurable_district(user, district_id)
    added = ensure_default_matters(district=district)
    _audit(user, "matter", district.pk, f"{district.name}证明事项清单：按默认清单补充{added}项")
    return added


def _matter_errors(name: str, basis: str, wording: str) -> list[FieldError]:
    errors = []
    if not name.strip():
        errors.append(FieldError("name", gettext("请填写证明事项名称")))
    if not basis.strip():
        errors.append(FieldError("basis", gettext("请填写该事项的法律法规依据（具体条款）")))
    if not wording.strip():
        errors.append(FieldError("wording", gettext("请填写证明用语")))
    return errors


@transaction.atomic
def matter_create(*, user, district_id: int, name: str, basis: str, wording: str, materials: str = "") -> Matter:
    district = _configurable_district(user, district_id)
    _raise(_matter_errors(name, basis, wording))
    existing = Matter.objects.filter(district=district)
    if existing.filter(name=name.strip()).exists():
        raise ValidationFailed([FieldError("name", gettext("清单中已有“%(strip)s”") % {"strip": name.strip()})])
    if existing.count() >= rules.MAX_MATTERS:
        raise ValidationFailed(
            [FieldError("name", gettext("清单最多%(MAX_MATTERS)s项") % {"MAX_MATTERS": rules.MAX_MATTERS})]
        )
    order = max(existing.values_list("order", flat=True), default=0) + 1
    matter = Matter.objects.create(
        district=district, code=f"m{order}-{timezone.now():%Y%m%d%H%M%S}", name=name.strip(), basis=basis.strip(),
        wording=wording.strip(), materials=materials.strip(), order=order, updated_by=user,
    )  # fmt: skip
    _audit(user, "matter", matter.pk, f"证明事项清单增加“{matter.name}”，依据：{matter.basis}")
    return matter


@transaction.atomic
def matter_update(
    *, user, matter_id: int, version: int | None, name: str, basis: str, wording: str, materials: str = "",
    active: bool = True,
) -> Matter:  # fmt: skip
    """Edit a matter, or take it off the list (`active` False: no new applications; issued certificates stay)."""
    _check_configurer(user)
    matter = scope.get_or_404(Matter.objects.select_for_update().filter(
        district__in=selectors.districts_seen(user)).select_related("district"), pk=matter_id)  # fmt: skip
    if not selectors.may_configure(user, matter.district):
        raise PermissionDenied(gettext("您没有维护证明事项清单的权限"))
    if version is not None and matter.version != version:
        raise Conflict()
    _raise(_matter_errors(name, basis, wording))
    if Matter.objects.filter(district=matter.district, name=name.strip()).exclude(pk=matter.pk).exists():
        raise ValidationFailed([FieldError("name", gettext("清单中已有“%(strip)s”") % {"strip": name.strip()})])
    before = f"{matter.name}｜{matter.basis}｜{'在清单内' if matter.active else '已移出'}"
    matter.name, matter.basis, matter.wording = name.strip(), basis.strip(), wording.strip()
    matter.materials, matter.active, matter.updated_by = materials.strip(), active, user
    matter.version += 1
    matter.save()
    after = f"{matter.name}｜{matter.basis}｜{'在清单内' if matter.active else '已移出'}"
    _audit(user, "matter", matter.pk, f"修改证明事项：{before} → {after}")
    return matter


# ---------------------------------------------------------------- applications
def _checked_files(errors: list[FieldError], files, kind: str) -> list[uploads.Upload]:
    try:
        return uploads.check_all(files, uploads.EVIDENCE, field=kind, label=rules.EVIDENCE[kind], unit=gettext("个"),
                                 max_count=rules.MAX_FILES)  # fmt: skip
    except ValidationFailed as exc:
        errors.extend(exc.errors)
        return []


def _submit(
    *, by, person, via: str, matter_id: int | None, asked: str, requester: str, article: str, purpose: str,
    reason: str, promised: bool, id_card, hukou, support, now: datetime | None,
) -> Application:  # fmt: skip
    community = selectors.community_of(person.grid) if person.grid_id else None
    if community is None:
        raise ValidationFailed([FieldError("person", gettext("此人未登记在任何社区，无法确定出具证明的社区"))])
    now = now or timezone.now()
    district = selectors.district_of(community)
    fields = {"community": community, "person": person, "via": via, "requester": requester.strip()[:100],
              "article": article.strip()[:500], "purpose": purpose.strip()[:200], "reason": reason.strip()[:500],
              "created_by": by, "created_at": now}  # fmt: skip
    if matter_id is None:
        if not asked.strip():
            raise ValidationFailed([FieldError("matter_id", gettext("请选择证明事项，或写明需要证明的内容"))])
        # Outside the list: refused as it is asked, with the reason, and kept (the seed's campaign counts them).
        app = Application.objects.create(**fields, asked=asked.strip()[:100], state=rules.REFUSED,
                                         decision_note=rules.outside_answer(asked), decided_at=now)  # fmt: skip
        _audit(by, "application", app.pk, f"清单外证明申请“{app.asked}”不予出具：{app.decision_note}")
        return app
    matter = selectors.matters_of(district).filter(pk=matter_id).first()
    if matter is None:
        raise ValidationFailed([FieldError("matter_id", gettext("该证明事项不在本区清单内"))])
    errors: list[FieldError] = []
    files = {kind: _checked_files(errors, given, kind) for kind, given in
             ((rules.ID_CARD, id_card), (rules.HUKOU, hukou), (rules.SUPPORT, support))}  # fmt: skip
    given = [kind for kind, got in files.items() if got]
    named = {e.field for e in errors}
    errors += [e for e in rules.application_errors(requester=requester, article=article, purpose=purpose,
                                                   reason=reason, promised=promised, evidence_kinds=given)
               if e.field not in named]  # fmt: skip
    _raise(errors)
    app = Application.objects.create(**fields, matter=matter, asked=matter.name, promised_at=now)
    _store_files(app, files)
    _audit(by, "application", app.pk, f"{rules.VIA[via]}：{person.name}申请{matter.name}，用途：{app.purpose}")
    return app


def _store_files(app: Application, files: dict) -> None:
    for kind, got in files.items():
        for u in got:
            Evidence.objects.create(application=app, kind=kind, name=u.name[:200], content_type=u.content_type,
                                    file=u.file)  # fmt: skip


@transaction.atomic
def window_apply(
    *, user, id_number: str, matter_id: int | None, asked: str = "", requester: str = "", article: str = "",
    purpose: str = "", reason: str = "", promised: bool = False, id_card=(), hukou=(), support=(),
    now: datetime | None = None,
) -> Application:  # fmt: skip
    """窗口受理: the community's worker enters the application of a registry person of its community, the person
    having signed the promise of truth on paper (`promised`)."""
    number = normalize_id_number(id_number or "")
    person = None
    if number:
        person = person_queryset(user=user).filter(id_hash=lookup_hash(number)).select_related("grid").first()
    if person is None:
        raise ValidationFailed([FieldError("id_number", gettext("在您的辖区人员信息中未找到该身份证号码"))])
    community = selectors.community_of(person.grid)
    if not selectors.may_issue(user, community):
        raise PermissionDenied(gettext("只有申请人所在社区的居委会可以受理其证明申请"))
    return _submit(by=user, person=person, via=rules.WINDOW, matter_id=matter_id, asked=asked, requester=requester,
                   article=article, purpose=purpose, reason=reason, promised=promised, id_card=id_card,
                   hukou=hukou, support=support, now=now)  # fmt: skip


@transaction.atomic
def portal_apply(
    *, resident, matter_id: int | None, asked: str = "", requester: str = "", article: str = "", purpose: str = "",
    reason: str = "", promised: bool = False, id_card=(), hukou=(), support=(), now: datetime | None = None,
) -> Application:  # fmt: skip
    """居民端申请: a resident bound to their registry person asks their community for a certificate."""
    if resident.person_id is None:
        raise PermissionDenied(NOT_BOUND)
    person = resident.person
    return _submit(by=resident.user, person=person, via=rules.PORTAL, matter_id=matter_id, asked=asked,
                   requester=requester, article=article, purpose=purpose, reason=reason, promised=promised,
                   id_card=id_card, hukou=hukou, support=support, now=now)  # fmt: skip


def _check_issuer(user) -> None:
    if not roles.can(user, roles.CERTIFICATES, roles.ISSUE_CERTIFICATES):
        raise PermissionDenied(gettext("只有社区居委会可以出具、不予出具或作废证明"))


def _decidable(*, user, application_id: int, version: int | None, action: str) -> Application:
    _check_issuer(user)
    app = scope.get_or_404(selectors.application_queryset(user).select_for_update(of=("self",))
                           .select_related("community", "person", "matter"), pk=application_id)  # fmt: skip
    if not selectors.may_issue(user, app.community):
        raise PermissionDenied(gettext("只有申请人所在社区的居委会可以审核证明申请"))
    if version is not None and app.version != version:
        raise Conflict()
    if rules.next_state(app.state, action) is None:
        raise Conflict(gettext("该申请%(STATES)s，不能再办理") % {"STATES": rules.STATES[app.state]})
    return app


def _decide(app: Application, user, action: str, note: str, now: datetime) -> None:
    app.state = rules.next_state(app.state, action)
    app.decision_note, app.decided_by, app.decided_at = note[:500], user, now
    app.version += 1
    app.save(update_fields=["state", "decision_note", "decided_by", "decided_at", "version"])


@transaction.atomic
def application_issue(
    *, user, application_id: int, version: int | None, statement: str = "", now: datetime | None = None
) -> Certificate:
    """出具: the certificate with the community's next serial of the year and a fresh verification code. `statement`
    is what is certified (the matter's wording when empty)."""
    app = _decidable(user=user, application_id=application_id, version=version, action=rules.ISSUE)
    statement = (statement or app.matter.wording).strip()
    if len(statement) > 500:
        raise ValidationFailed([FieldError("statement", gettext("证明内容不超过500字"))])
    now = now or timezone.now()
    year = timezone.localtime(now).year
    prefix = rules.serial_prefix(app.community.code, year)
    for _ in range(RETRIES):
        taken = Certificate.objects.filter(serial__startswith=prefix).order_by("-serial")
        taken = list(taken.values_list("serial", flat=True)[:1])
        try:
            with transaction.atomic():
                cert = Certificate.objects.create(
                    application=app, community=app.community, serial=rules.serial(app.community.code, year,
                    rules.next_seq(taken)), code=rules.new_code(), title=app.matter.name, statement=statement,
                    issued_by=user, issued_at=now,
                )  # fmt: skip
        except IntegrityError:  # a serial issued at the same moment, or (once in 2^60) the same code
            continue
        _decide(app, user, rules.ISSUE, "", now)
        _audit(user, "certificate", cert.pk, f"出具{cert.title} {cert.serial}（申请{app.pk}）")
        return cert
    raise Conflict(gettext("证明编号分配冲突，请重试"))


@transaction.atomic
def application_refuse(
    *, user, application_id: int, version: int | None, note: str, now: datetime | None = None
) -> Application:
    """不予出具, with the reason the applicant reads."""
    app = _decidable(user=user, application_id=application_id, version=version, action=rules.REFUSE)
    if not (note or "").strip():
        raise ValidationFailed([FieldError("note", gettext("请填写不予出具的理由"))])
    _decide(app, user, rules.REFUSE, note.strip(), now or timezone.now())
    _audit(user, "application", app.pk, f"不予出具{app.asked}：{app.decision_note}")
    return app


@transaction.atomic
def portal_withdraw(*, resident, application_id: int, now: datetime | None = None) -> Application:
    """撤回: the resident's own application, while it awaits the decision."""
    app = selectors.own_application(person_id=resident.person_id, pk=application_id)
    app = Application.objects.select_for_update().get(pk=app.pk)
    if rules.next_state(app.state, rules.WITHDRAW) is None:
        raise Conflict(gettext("该申请%(STATES)s，不能撤回") % {"STATES": rules.STATES[app.state]})
    _decide(app, resident.user, rules.WITHDRAW, gettext("申请人撤回"), now or timezone.now())
    _audit(resident.user, "application", app.pk, f"申请人撤回{app.asked}的申请")
    return app


@transaction.atomic
def certificate_revoke(*, user, certificate_id: int, reason: str, now: datetime | None = None) -> Certificate:
    """作废: the certificate then checks as revoked (not unknown); the reason stays on file."""
    _check_issuer(user)
    cert = scope.get_or_404(selectors.certificate_queryset(user).select_for_update(of=("self",))
                            .select_related("community"), pk=certificate_id)  # fmt: skip
    if not selectors.may_issue(user, cert.community):
        raise PermissionDenied(gettext("只有出具证明的社区居委会可以作废证明"))
    if not (reason or "").strip():
        raise ValidationFailed([FieldError("reason", gettext("请填写作废原因"))])
    if cert.revoked_at is not None:
        raise Conflict(gettext("该证明已经作废"))
    cert.revoked_at, cert.revoked_by, cert.revoke_reason = now or timezone.now(), user, reason.strip()[:200]
    cert.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    _audit(user, "certificate", cert.pk, f"作废{cert.title} {cert.serial}：{cert.revoke_reason}")
    return cert


# ---------------------------------------------------------------- the public check
def verify(*, ip: str, code: str, now: datetime | None = None) -> selectors.Verification:
    """What anyone checking a code learns. Wrong codes are counted per address; once an address has given
    rules.FAILURES_PER_HOUR in the past hour, every check from it is refused (429), right ones included, so a
    guesser learns nothing more. The count, the lookup and the record are one step, holding the address."""
    now = now or timezone.now()
    key, since = ip_hash(ip), now - timedelta(hours=1)
    with transaction.atomic():
        hold(f"certificate-verify:{key}")
        if VerifyFailure.objects.filter(ip_hash=key, at__gte=since).count() >= rules.FAILURES_PER_HOUR:
            raise TooManyRequests(TOO_MANY)
        cert = selectors.by_code(rules.normalize_code(code))
        if cert is None:
            VerifyFailure.objects.filter(at__lt=since).delete()
            VerifyFailure.objects.create(ip_hash=key, at=now)
    return selectors.verification(cert)
