"""The public side of the case engine (/report/): limits on anonymous reporters, the tracking-code lookup and the
boundaries the report map draws. Anonymous callers have no scope, so the tracking code is the only way in."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from linli.core.errors import DomainError
from linli.core.pii import lookup_hash
from linli.people import rules as people_rules
from linli.regions.models import Region

from . import rules
from .models import Case, CaseEvent
from .services import ip_hash

# Online reports from one address (a household's router, a phone): generous for a resident, tight for a script.
# Behind carrier-grade NAT many phones share an address, so the daily cap stays well above one person's needs.
REPORTS_PER_IP_HOUR = 5
REPORTS_PER_IP_DAY = 20
REPORTS_PER_PHONE_DAY = 10
# Wrong tracking codes from one address per clock hour before lookups are refused. A code has 32^10 values, so
# twenty guesses an hour leave guessing hopeless while a resident mistyping a few times is never stopped.
TRACKING_FAILURES_PER_HOUR = 20


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


def well_formed(code: str) -> bool:
    return len(code) == rules.TRACKING_LENGTH and all(ch in rules.TRACKING_ALPHABET for ch in code)


def case_by_code(code: str) -> Case | None:
    """The case a (normalised) tracking code names, or None: unknown and malformed codes look the same."""
    if not well_formed(code):
        return None
    related = ("category", "category__parent", "community", "merged_into")
    return Case.objects.select_related(*related).filter(tracking_code=code).first()


@dataclass(frozen=True)
class PublicEntry:
    label: str
    at: datetime
    who: str
    note: str
    detail: str


def public_actor(event: CaseEvent) -> str:
    """Who acted, as the reporter may see it: staff appear as their unit, never by name. Staff labels read
    "name（unit）" (services.actor_label); without a unit they are just 工作人员. 反映人, 系统 and Open311 clients
    act without a user and are shown as labelled."""
    if event.actor_id is None:
        return event.actor_label
    name, sep, unit = event.actor_label.rstrip("）").partition("（")
    return unit if sep and unit else "工作人员"


def _detail(event: CaseEvent) -> str:
    data = event.data or {}
    if event.action == "dispatch" and data.get("department"):
        return f"承办单位：{data['department']}"
    if event.action == "rate" and data.get("rating") in rules.RATING_LABELS:
        return f"评价：{rules.RATING_LABELS[data['rating']]}"
    if event.action == "merge" and data.get("original"):
        return f"并入案件：{data['original']}"
    return ""


def public_entries(events: list[CaseEvent]) -> list[PublicEntry]:
    """The public timeline (selectors.public_timeline) as the tracking page shows it."""
    return [PublicEntry(e.label, e.at, public_actor(e), e.note, _detail(e)) for e in events]


# ---------------------------------------------------------------- map


def territory_geojson() -> dict:
    """Communities and grids with a boundary, as the base layer of the report map: names and shapes only."""
    rows = (
        Region.objects.exclude(boundary=None)
        .filter(Q(level=Region.Level.COMMUNITY) | Q(level=Region.Level.GRID))
        .order_by("path")
        .values("pk", "level", "name", "boundary")
    )
    features = [
        {
            "type": "Feature",
            "geometry": r["boundary"],
            "properties": {
                "id": r["pk"],
                "name": r["name"],
                "kind": "community" if r["level"] == Region.Level.COMMUNITY else "grid",
            },
        }
        for r in rows
    ]
    return {"type": "FeatureCollection", "features": features}
