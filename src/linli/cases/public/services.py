"""Intake and guards of the residents' pages: the caps on anonymous reports and on wrong tracking codes (429), and
one report per drawn form (its anti-spam token is spent). Each cap is counted in the same transaction as the row it
guards, holding the address (linli.core.locks), so simultaneous requests take turns at the count."""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from linli.core.errors import DomainError, TooManyRequests
from linli.core.locks import hold
from linli.core.pii import lookup_hash
from linli.people import rules as people_rules

from .. import services
from ..models import Case, SpentReportToken, TrackingFailure
from ..services import ip_hash
from . import selectors
from .rules import (
    MAX_FORM_AGE,
    REPORTS_PER_IP_DAY,
    REPORTS_PER_IP_HOUR,
    REPORTS_PER_PHONE_DAY,
    TRACKING_FAILURES_PER_HOUR,
)

SPENT_TOKEN = "这份表单已经提交过，请勿重复提交。如需反映新的问题，请核对填写的内容后重新提交。"


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
            raise TooManyRequests("您提交得太频繁了，请一小时后再试。紧急情况请拨打12345热线。")
        if recent.count() >= REPORTS_PER_IP_DAY:
            raise TooManyRequests("今天从您的网络提交的问题已达上限，请明天再试。紧急情况请拨打12345热线。")
    phone = _phone(phone)
    if phone:
        same = online.filter(reporter_phone_hash=lookup_hash(phone), received_at__gte=now - timedelta(days=1))
        if same.count() >= REPORTS_PER_PHONE_DAY:
            raise TooManyRequests("该电话号码今天提交的问题已达上限，请明天再试。紧急情况请拨打12345热线。")


def _spend(token_id: str, now: datetime) -> None:
    SpentReportToken.objects.filter(spent_at__lt=now - timedelta(seconds=MAX_FORM_AGE)).delete()
    try:
        with transaction.atomic():
            SpentReportToken.objects.create(token_id=token_id, spent_at=now)
    except IntegrityError:  # the unique token id: a second submission of the form, even a simultaneous one
        raise DomainError(SPENT_TOKEN) from None


def report_file(*, data: dict, photos=(), ip: str, token_id: str, now: datetime | None = None) -> Case:
    """Register a resident's online report from a form whose anti-spam token (`token_id`) the caller has checked.
    In the insert's transaction, holding the address and the phone, the caps are counted again and the token is
    spent: simultaneous reports cannot all pass a count taken before any of them was written, and a form files
    one report however often it is sent."""
    now = now or timezone.now()
    phone = _phone(data.get("reporter_phone") or "")

    def claim() -> None:
        hold(*([f"report-ip:{ip}"] if ip else []), *([f"report-phone:{phone}"] if phone else []))
        report_limit_check(ip=ip, phone=phone, now=now)
        _spend(token_id, now)

    return services.case_create(
        user=None, channel=Case.Channel.ONLINE, data=data, photos=photos, reporter_ip=ip, now=now, claim=claim
    )


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
            raise TooManyRequests("查询码错误次数过多，请一小时后再试。")
        case = selectors.case_by_code(code)
        if case is None:
            TrackingFailure.objects.filter(at__lt=since).delete()
            TrackingFailure.objects.create(ip_hash=key, at=now)
    return case
