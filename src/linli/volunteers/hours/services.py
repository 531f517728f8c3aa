"""Writes of hours' standing: a district's 星级标准 (SET_STAR_LEVELS), and service-hours certificates (证明), issued
and revoked by offices that keep the volunteer's file (MANAGE_VOLUNTEERS). Hours themselves are credited and
corrected by the activities' organisers (volunteers.activities), never here."""

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from linli.accounts import roles, scope
from linli.audit.models import AuditEntry
from linli.audit.services import audit_record
from linli.core.errors import Conflict, FieldError, PermissionDenied, ValidationFailed

from .. import selectors as scoped
from ..models import Certificate, StarScheme, Volunteer
from . import rules, selectors
from .documents import hours_xlsx

ADMIN, EXPORT = AuditEntry.Action.ADMIN, AuditEntry.Action.EXPORT
RETRIES = 20  # numbers taken by writers at the same moment: each retry reads the ones committed since


def _check_manager(user) -> None:
    if not roles.can(user, roles.VOLUNTEERS, roles.MANAGE_VOLUNTEERS):
        raise PermissionDenied(gettext("您没有管理志愿者的权限"))


@transaction.atomic
def star_scheme_set(*, user, region_id: int, thresholds: list[int], version: int | None = None) -> StarScheme:
    """The hours each star needs in a district; a stale version (another edit since the page was read) is 409."""
    if not roles.can(user, roles.VOLUNTEERS, roles.SET_STAR_LEVELS):
        raise PermissionDenied(gettext("您没有设置志愿者星级标准的权限"))
    district = scope.get_or_404(selectors.star_districts(user), pk=region_id)
    errors = rules.threshold_errors(thresholds)
    if errors:
        raise ValidationFailed(errors)
    scheme = StarScheme.objects.select_for_update().filter(region=district).first()
    if scheme is None:
        if version not in (None, 0):
            raise Conflict()
        scheme = StarScheme.objects.create(region=district, thresholds=list(thresholds), updated_by=user)
    else:
        if version is not None and scheme.version != version:
            raise Conflict()
        scheme.thresholds, scheme.updated_by = list(thresholds), user
        scheme.version += 1
        scheme.save(update_fields=["thresholds", "updated_by", "updated_at", "version"])
    audit_record(actor=user, action=ADMIN, object_type="volunteers.starscheme", object_ids=[scheme.pk],
                 detail=f"{district.name}星级标准：" + "/".join(map(str, thresholds)))  # fmt: skip
    return scheme


@transaction.atomic
def certificate_issue(*, user, volunteer_id: int, now: datetime | None = None) -> Certificate:
    """志愿服务时长证明 of the volunteer's cumulative hours and stars now, with the district's next serial and a fresh
    verification code."""
    _check_manager(user)
    volunteer = scope.get_or_404(scoped.volunteer_queryset(user).select_related("region", "person"), pk=volunteer_id)
    if not scoped.manages(user, volunteer.region):
        raise PermissionDenied(gettext("您没有为该志愿者出具证明的权限"))
    volunteer = Volunteer.objects.select_for_update().select_related("region", "person").get(pk=volunteer.pk)
    if volunteer.hours <= 0:
        raise ValidationFailed(
            [FieldError("volunteer_id", gettext("该志愿者还没有经确认的服务时长，不能出具时长证明"))]
        )
    now = now or timezone.now()
    district = selectors.district_of(volunteer.region) or volunteer.region
    year = timezone.localtime(now).year
    prefix = rules.serial(year, district.code, 0).rsplit("-", 1)[0] + "-"
    stars = rules.stars(volunteer.hours, selectors.thresholds_for(volunteer.region))
    for _ in range(RETRIES):
        issued = Certificate.objects.filter(serial__startswith=prefix).order_by("-serial")
        issued = issued.values_list("serial", flat=True)[:1]
        try:
            with transaction.atomic():
                cert = Certificate.objects.create(
                    volunteer=volunteer, serial=rules.serial(year, district.code, rules.next_seq(list(issued))),
                    code=rules.new_code(), hours=volunteer.hours, stars=stars, issued_by=user, issued_at=now,
                )  # fmt: skip
        except IntegrityError:  # a serial issued at the same moment, or (once in 2^59) the same code
            continue
        audit_record(actor=user, action=ADMIN, object_type="volunteers.certificate", object_ids=[cert.pk],
                     detail=f"出具时长证明 {cert.serial}")  # fmt: skip
        return cert
    raise Conflict(gettext("证明编号分配冲突，请重试"))


@transaction.atomic
def certificate_revoke(*, user, certificate_id: int, reason: str, now: datetime | None = None) -> Certificate:
    """作废: the certificate then verifies as revoked (not as unknown), with when; the reason stays on file."""
    _check_manager(user)
    cert = scope.get_or_404(selectors.certificate_queryset(user).select_for_update(of=("self",)), pk=certificate_id)
    if not scoped.manages(user, cert.volunteer.region):
        raise PermissionDenied(gettext("您没有作废该证明的权限"))
    if not reason.strip():
        raise ValidationFailed([FieldError("reason", gettext("请填写作废原因"))])
    if cert.revoked_at is not None:
        raise Conflict(gettext("该证明已经作废"))
    cert.revoked_at, cert.revoked_by, cert.revoke_reason = now or timezone.now(), user, reason.strip()[:200]
    cert.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    audit_record(actor=user, action=ADMIN, object_type="volunteers.certificate", object_ids=[cert.pk],
                 detail=f"作废时长证明 {cert.serial}：{cert.revoke_reason}")  # fmt: skip
    return cert


def hours_export(
    *, user, since: date | None = None, until: date | None = None, region_id: int | None = None, request=None
) -> bytes:
    """The confirmed hours of the user's scope as .xlsx (names, masked ID numbers), the export audited."""
    rows = selectors.hours_rows(user=user, since=since, until=until, region_id=region_id)
    content = hours_xlsx(rows)
    audit_record(actor=user, action=EXPORT, object_type="volunteers.credit", count=rows.count(),
                 detail="志愿服务时长", request=request)  # fmt: skip
    return content
