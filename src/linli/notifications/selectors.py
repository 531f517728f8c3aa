"""Reads: the signed-in user's inbox and preferences, the recent deliveries a rate limit counts, the outbox."""

from datetime import datetime

from django.conf import settings
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from linli.accounts import roles

from . import rules
from .models import Delivery, Message, OutboxSms, Preference


def inbox(user) -> QuerySet:
    """The user's own messages, unread first, newest first: nobody reads another's inbox, an admin neither."""
    # By "is unread", not by read_at: the read ones then keep their newest-first order, and NULLs sort alike on
    # SQLite and PostgreSQL.
    unread_first = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField()).desc()
    return Message.objects.filter(user_id=user.pk).order_by(unread_first, "-created_at", "-id")


def unread_count(user) -> int:
    return Message.objects.filter(user_id=user.pk, read_at__isnull=True).count()


def chosen_channels(user_ids: list[int], kind: str) -> dict[int, frozenset[str]]:
    rows = Preference.objects.filter(user_id__in=user_ids, kind=kind).values_list("user_id", "channels")
    return {user_id: frozenset(channels) for user_id, channels in rows}


def kinds_for(user) -> frozenset[str]:
    return rules.RESIDENT_KINDS if roles.is_resident(user) else rules.STAFF_KINDS


def preferences(user) -> list[dict]:
    """Each kind the user receives with the channels they may choose and those that apply now (chosen, or the
    defaults)."""
    chosen = dict(Preference.objects.filter(user_id=user.pk).values_list("kind", "channels"))
    out = []
    for kind, label in rules.KINDS.items():
        if kind not in kinds_for(user):
            continue
        offered = rules.optional_channels(kind)
        defaults = frozenset().union(*(t.default for t in rules.TEMPLATES.values() if t.kind == kind))
        on = set(chosen[kind]) if kind in chosen else set(defaults & offered)
        out.append({"kind": kind, "label": label, "offered": sorted(offered), "channels": sorted(on)})
    return out


def recent_deliveries(user, channel: str, now: datetime) -> list[datetime]:
    since = now - rules.longest_window(channel)
    rows = Delivery.objects.filter(user_id=user.pk, channel=channel, created_at__gt=since).exclude(status="limited")
    return list(rows.values_list("created_at", flat=True))


def may_see_outbox(user) -> bool:
    """The outbox holds login codes: an administrator sees it, and only on a DEBUG site or the demo."""
    return settings.OUTBOX_PAGE and roles.is_admin(user)


def outbox() -> QuerySet:
    return OutboxSms.objects.all()
