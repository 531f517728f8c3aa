"""Guards of the residents' pages: the caps on anonymous reports and on wrong tracking codes (429)."""

from datetime import datetime, timedelta

from django.core.cache import cache
from django.utils import timezone

from linli.core.errors import DomainError
from linli.core.pii import lookup_hash
from linli.people import rules as people_rules

from ..models import Case
from ..services import ip_hash
from .rules import REPORTS_PER_IP_DAY, REPORTS_PER_IP_HOUR, REPORTS_PER_PHONE_DAY, TRACKING_FAILURES_PER_HOUR


class TooManyRequests(DomainError):
    status = 429


def report_limit_check(*, ip: str, phone: str = "", now: datetime | None = None) -> None:
    """Refuse (429) one more online report from this address or phone once the hourly or daily cap is reached.
    Counts the cases themselves (their keyed hashes), so the cap holds across processes with nothing new to run."""
    now = now or timezone.now()
    online = Case.objects.filter(channel=Case.Channel.ONLINE)
    if ip:
        recent = online.filter(reporter_ip_hash=ip_hash(ip), received_at__gte=now - timedelta(days=1))
        if recent.filter(received_at__gte=now - timedelta(hours=1)).count() >= REPORTS_PER_IP_HOUR:
            raise TooManyRequests("您提交得太频繁了，请一小时后再试。紧急情况请拨打12345热线。")
        if recent.count() >= REPORTS_PER_IP_DAY:
            raise TooManyRequests("今天从您的网络提交的问题已达上限，请明天再试。紧急情况请拨打12345热线。")
    try:
        phone = people_rules.validate_phone(phone) if phone else ""
    except people_rules.InvalidValue:
        return  # the intake refuses the number itself, next to the field
    if phone:
        same = online.filter(reporter_phone_hash=lookup_hash(phone), received_at__gte=now - timedelta(days=1))
        if same.count() >= REPORTS_PER_PHONE_DAY:
            raise TooManyRequests("该电话号码今天提交的问题已达上限，请明天再试。紧急情况请拨打12345热线。")


# ---------------------------------------------------------------- tracking


def _failure_key(ip: str, now: datetime) -> str:
    return f"linli:track-fail:{ip_hash(ip)}:{int(now.timestamp()) // 3600}"


def tracking_guard(*, ip: str, now: datetime | None = None) -> None:
    """Refuse (429) lookups from an address that has given too many wrong codes this hour, right ones included:
    otherwise a guesser would still learn which code exists."""
    if cache.get(_failure_key(ip, now or timezone.now()), 0) >= TRACKING_FAILURES_PER_HOUR:
        raise TooManyRequests("查询码错误次数过多，请一小时后再试。")


def tracking_failed(*, ip: str, now: datetime | None = None) -> None:
    # The cache (per process unless CACHES names a shared one) is enough to slow guessing down; the hour is in the
    # key, so a window ends even on backends whose incr() resets the expiry.
    key = _failure_key(ip, now or timezone.now())
    cache.add(key, 0, timeout=3600)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=3600)
