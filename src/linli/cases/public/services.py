"""Intake and guards of the residents' pages: the caps on anonymous reports and on wrong tracking codes (429), and
one report per drawn form (its anti-spam token is spent). Each cap is counted in the same transaction as the row it
guards, holding the address (linli.core.locks), so simultaneous requests take turns at the count.

Photos are stored when the resident chooses them (PendingPhoto) and the page keeps a signed token for each, bound to
its form, so they survive the form coming back with errors; the report takes them over, and the ones no report took
are deleted once they are older than a form may be (photos_prune, run by each new photo and hourly)."""

import secrets
from contextlib import ExitStack
from datetime import datetime, timedelta

from django.core import signing
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from linli.core import uploads
from linli.core.errors import DomainError, FieldError, TooManyRequests, ValidationFailed
from linli.core.locks import hold
from linli.core.pii import lookup_hash
from linli.people import rules as people_rules

from .. import services
from ..models import Case, PendingPhoto, SpentReportToken, TrackingFailure
from ..services import MAX_PHOTOS, ip_hash
from . import selectors
from .rules import (
    MAX_FORM_AGE,
    PHOTOS_PER_FORM,
    PHOTOS_PER_IP_HOUR,
    REPORTS_PER_IP_DAY,
    REPORTS_PER_IP_HOUR,
    REPORTS_PER_PHONE_DAY,
    TRACKING_FAILURES_PER_HOUR,
)

SPENT_TOKEN = gettext_lazy("这份表单已经提交过，请勿重复提交。如需反映新的问题，请核对填写的内容后重新提交。")


def _phone(phone: str) -> str:
    try:
        return people_rules.validate_phone(phone) if phone else ""
    except people_rules.InvalidValue:
        return ""  # the intake refuses the number itself, next to the field


def report_limit_check(*, ip: str, phone: str = "", now: datetime | None = None) -> None:
    """Refuse (429) one more online report from this address or phone once the hourly or daily cap is reached.
    Counts the cases themselves (their keyed hashes), so the cap holds across processes with nothing new to run.
    The report page asks before it validates the form, to turn a client over its cap away cheaply; report_file
    asks again where it counts."""
    now = now or timezone.now()
    online = Case.objects.filter(channel=Case.Channel.ONLINE)
    if ip:
        recent = online.filter(reporter_ip_hash=ip_hash(ip), received_at__gte=now - timedelta(days=1))
        if recent.filter(received_at__gte=now - timedelta(hours=1)).count() >= REPORTS_PER_IP_HOUR:
            raise TooManyRequests(gettext("您提交得太频繁了，请一小时后再试。紧急情况请拨打12345热线。"))
        if recent.count() >= REPORTS_PER_IP_DAY:
            raise TooManyRequests(gettext("今天从您的网络提交的问题已达上限，请明天再试。紧急情况请拨打12345热线。"))
    phone = _phone(phone)
    if phone:
        same = online.filter(reporter_phone_hash=lookup_hash(phone), received_at__gte=now - timedelta(days=1))
        if same.count() >= REPORTS_PER_PHONE_DAY:
            raise TooManyRequests(gettext("该电话号码今天提交的问题已达上限，请明天再试。紧急情况请拨打12345热线。"))


def _spend(token_id: str, now: datetime) -> None:
    SpentReportToken.objects.filter(spent_at__lt=now - timedelta(seconds=MAX_FORM_AGE)).delete()
    try:
        with transaction.atomic():
            SpentReportToken.objects.create(token_id=token_id, spent_at=now)
    except IntegrityError:  # the unique token id: a second submission of the form, even a simultaneous one
        raise DomainError(SPENT_TOKEN) from None


def report_file(
    *,
    data: dict,
    photos: list[PendingPhoto] = (),
    ip: str,
    token_id: str,
    account=None,
    now: datetime | None = None,
) -> Case:
    """Register a resident's online report from a form whose anti-spam token (`token_id`) the caller has checked,
    with the photos kept for that form (photos_held). In the insert's transaction, holding the address and the
    phone, the caps are counted again and the token is spent: simultaneous reports cannot all pass a count taken
    before any of them was written, and a form files one report however often it is sent. The photos become the
    report's attachments; their pending copies go with the commit. `account`: the signed-in resident reporting,
    whose own phone is in `data` (selectors.account_phone); the case is linked to it."""
    now = now or timezone.now()
    phone = _phone(data.get("reporter_phone") or "")

    def claim() -> None:
        hold(*([f"report-ip:{ip}"] if ip else []), *([f"report-phone:{phone}"] if phone else []))
        report_limit_check(ip=ip, phone=phone, now=now)
        _spend(token_id, now)
        _drop(PendingPhoto.objects.filter(pk__in=[p.pk for p in photos]))

    with ExitStack() as stack:
        files = [File(stack.enter_context(p.file.open("rb")), name=p.name) for p in photos]
        return services.case_create(
            user=None, channel=Case.Channel.ONLINE, data=data, photos=files, reporter_ip=ip, now=now, claim=claim,
            reporter_account=account,
        )  # fmt: skip


# ---------------------------------------------------------------- photos chosen before the report exists

PHOTO_SALT = "linli.cases.report-photo"
PRUNE_BATCH = 500


def photo_token(photo: PendingPhoto) -> str:
    return signing.TimestampSigner(salt=PHOTO_SALT).sign_object({"p": photo.pk, "f": photo.form_id})


def _photo_payload(token: str) -> dict | None:
    try:
        payload = signing.TimestampSigner(salt=PHOTO_SALT).unsign_object(token or "", max_age=MAX_FORM_AGE)
    except signing.BadSignature:  # expired included
        return None
    ok = isinstance(payload, dict) and isinstance(payload.get("p"), int) and isinstance(payload.get("f"), str)
    return payload if ok else None


def photo_by_token(token: str) -> PendingPhoto | None:
    """The pending photo a token names (to show it again), or None once it is expired, forged or taken."""
    payload = _photo_payload(token)
    return None if payload is None else PendingPhoto.objects.filter(pk=payload["p"]).first()


def photos_held(*, tokens, form_id: str) -> list[PendingPhoto]:
    """The photos kept for this form, in the order chosen: tokens of another form, expired, forged or already
    used ones are left out (the form shows what is left)."""
    wanted = []
    for token in tokens:
        payload = _photo_payload(token)
        if payload is not None and payload["f"] == form_id and payload["p"] not in wanted:
            wanted.append(payload["p"])
    found = PendingPhoto.objects.filter(pk__in=wanted, form_id=form_id).in_bulk()
    return [found[pk] for pk in wanted if pk in found]


def photos_add(*, files, ip: str, form_id: str, held: int = 0, now: datetime | None = None):
    """Keep the chosen photos for the form `form_id` (which already holds `held`): (kept, errors). Each file is
    checked by what it is (core.uploads); a refused one is named in the errors and the others are kept. Past the
    per-form or per-address cap nothing more is stored (429 for the address)."""
    now = now or timezone.now()
    kept, errors = [], []
    room = MAX_PHOTOS - held
    for f in files:
        if len(kept) >= room:
            errors.append(
                FieldError("photos", gettext("照片最多%(MAX_PHOTOS)s张，多出的没有添加") % {"MAX_PHOTOS": MAX_PHOTOS})
            )
            break
        try:
            upload = uploads.check(f, uploads.PHOTOS, field="photos", label=gettext("照片"))
        except ValidationFailed as exc:
            errors.extend(exc.errors)
            continue
        kept.append(_store(upload, ip=ip, form_id=form_id, now=now))
    return kept, errors


def _store(upload: uploads.Upload, *, ip: str, form_id: str, now: datetime) -> PendingPhoto:
    key = ip_hash(ip)
    with transaction.atomic():
        hold(f"report-photo:{key}")
        recent = PendingPhoto.objects.filter(ip_hash=key, created_at__gte=now - timedelta(hours=1))
        if recent.count() >= PHOTOS_PER_IP_HOUR:
            raise TooManyRequests(gettext("您上传的照片太多了，请一小时后再试。紧急情况请拨打12345热线。"))
        if PendingPhoto.objects.filter(form_id=form_id).count() >= PHOTOS_PER_FORM:
            raise ValidationFailed(
                [FieldError("photos", gettext("这份表单更换照片的次数太多了，请刷新页面后重新填写。"))]
            )
        photo = PendingPhoto(
            name=upload.name[:200],
            content_type=upload.content_type,
            size=upload.file.size,
            width=upload.width,
            height=upload.height,
            form_id=form_id,
            ip_hash=key,
            created_at=now,
        )
        # A random name of its own: residents' photos are all "photo.jpg", and object storage's check for a free
        # name is not atomic, so simultaneous uploads under one name would overwrite each other.
        photo.file.save(secrets.token_hex(12) + upload.kind.extensions[0], upload.file, save=False)
        photo.save()
    photos_prune(now=now)
    return photo


def _drop(photos) -> int:
    """Delete these pending rows now and their files once the deletion has committed (a rollback keeps both)."""
    names = list(photos.values_list("file", flat=True))
    deleted, _ = photos.delete()
    storage = PendingPhoto._meta.get_field("file").storage

    def remove():
        for name in names:
            storage.delete(name)

    transaction.on_commit(remove)
    return deleted


def photos_prune(*, now: datetime | None = None) -> int:
    """Delete photos no report took, once their form can no longer be sent; a batch at a time."""
    now = now or timezone.now()
    expired = PendingPhoto.objects.filter(created_at__lt=now - timedelta(seconds=MAX_FORM_AGE)).order_by("pk")
    with transaction.atomic():
        return _drop(PendingPhoto.objects.filter(pk__in=list(expired.values_list("pk", flat=True)[:PRUNE_BATCH])))


# ---------------------------------------------------------------- tracking


def tracking_lookup(*, ip: str, code: str, now: datetime | None = None) -> Case | None:
    """The case a (normalised) tracking code names, or None. Wrong codes are counted per address; once an address
    has given TRACKING_FAILURES_PER_HOUR in the past hour, every lookup from it is refused (429), right ones
    included: otherwise a guesser would still learn which code exists. The count, the lookup and the record of a
    wrong code are one step, holding the address, so simultaneous guesses cannot get past the cap."""
    now = now or timezone.now()
    key, since = ip_hash(ip), now - timedelta(hours=1)
    with transaction.atomic():
        hold(f"tracking:{key}")
        if TrackingFailure.objects.filter(ip_hash=key, at__gte=since).count() >= TRACKING_FAILURES_PER_HOUR:
            raise TooManyRequests(gettext("查询码错误次数过多，请一小时后再试。"))
        case = selectors.case_by_code(code)
        if case is None:
            TrackingFailure.objects.filter(at__lt=since).delete()
            TrackingFailure.objects.create(ip_hash=key, at=now)
    return case
