"""Periodic jobs under a lease, and the notices they raise."""

import logging
import os
import socket
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from linli.audit.models import AuditEntry
from linli.audit.services import audit_record
from linli.core.locks import hold
from linli.workdays.services import calendar_known

from . import rules
from .models import JobRun, Notice

log = logging.getLogger(__name__)

CALENDAR_LINK = "/admin/workdays/calendarday/"


def job_run(*, name: str, work: Callable[[], str], lease: timedelta, now: datetime | None = None) -> str | None:
    """Run `work` unless another node runs the job `name` now; its summary, or None when skipped.

    The lease is taken in a short transaction under the job's database lock (core.locks.hold), so two nodes
    firing at once take turns for the lease, not for the work: the work runs outside it, in its own
    transactions, and on SQLite never holds the write lock for the whole job. A lease left by a node that died
    mid-run lapses after `lease`. A node firing just after another finished runs the job again: every job is
    idempotent, so that run finds nothing left to do."""
    now = now or timezone.now()
    holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    with transaction.atomic():
        hold(f"ops.job:{name}")
        run, _ = JobRun.objects.get_or_create(name=name)
        if run.lease_until and run.lease_until > now:
            return None
        JobRun.objects.filter(pk=run.pk).update(holder=holder, lease_until=now + lease, started_at=now)
    mine = JobRun.objects.filter(pk=run.pk, holder=holder)
    try:
        outcome = work()
    except Exception as exc:
        mine.update(
            lease_until=None, finished_at=timezone.now(), outcome=(gettext("失败：%(exc)s") % {"exc": repr(exc)})[:500]
        )
        raise
    mine.update(lease_until=None, finished_at=timezone.now(), outcome=outcome[:500])
    return outcome


# ---------------------------------------------------------------- notices


def _audit(notice: Notice, detail: str) -> None:
    # By the system (no actor), as an administrative event on the notice.
    audit_record(
        actor=None, action=AuditEntry.Action.ADMIN, object_type="notice", object_ids=[notice.pk], detail=detail
    )


def notice_raise(*, key: str, audience: str, message: str, link: str = "", now: datetime | None = None) -> bool:
    """Show `message` to `audience` until resolved; whether it was raised now (not already showing)."""
    now = now or timezone.now()
    with transaction.atomic():
        notice, created = Notice.objects.get_or_create(
            key=key, defaults={"audience": audience, "message": message, "link": link, "raised_at": now}
        )
        if not created:
            # Raised again after it was resolved (the calendar rows were deleted): show it again.
            if not Notice.objects.filter(pk=notice.pk, resolved_at__isnull=False).update(
                resolved_at=None, raised_at=now, message=message, link=link
            ):
                return False
        _audit(notice, f"系统提醒（{notice.get_audience_display()}）：{message}")
    return True


def notice_resolve(*, key: str, now: datetime | None = None) -> bool:
    """Stop showing the notice `key`; whether it was showing."""
    with transaction.atomic():
        notice = Notice.objects.filter(key=key, resolved_at__isnull=True).first()
        if notice is None or not Notice.objects.filter(pk=notice.pk, resolved_at__isnull=True).update(
            resolved_at=now or timezone.now()
        ):
            return False
        _audit(notice, f"系统提醒已解除：{notice.message}")
    return True


def calendar_reminder(*, today: date | None = None) -> str:
    """Warn the calendar's editors of a year whose holidays are not known (this year; next year from 1 December);
    resolve the warnings of years now known, or no longer needed."""
    today = today or timezone.localdate()
    missing = [year for year in rules.calendar_years_needed(today) if not calendar_known(year)]
    keys = {rules.calendar_notice_key(year) for year in missing}
    raised = [
        year
        for year in missing
        if notice_raise(
            key=rules.calendar_notice_key(year),
            audience=Notice.Audience.CALENDAR,
            message=rules.calendar_notice_message(year),
            link=CALENDAR_LINK,
        )
    ]
    open_ = Notice.objects.filter(audience=Notice.Audience.CALENDAR, resolved_at__isnull=True).exclude(key__in=keys)
    resolved = [key for key in open_.values_list("key", flat=True) if notice_resolve(key=key)]
    return gettext("缺少节假日安排的年份 %(value)s；新提醒 %(len)s 条，解除 %(len2)s 条") % {
        "value": missing or "无",
        "len": len(raised),
        "len2": len(resolved),
    }
