"""The working-day calendar of the platform: CalendarDay overrides, then chinese_calendar, then Monday–Friday."""

from datetime import date, datetime
from decimal import Decimal

import chinese_calendar
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from linli.accounts.roles import EDIT_CALENDAR, REGISTRY, can
from linli.audit.models import AuditEntry
from linli.audit.services import audit_record
from linli.core.errors import FieldError, PermissionDenied, ValidationFailed

from . import rules
from .models import CalendarDay

# Overrides outside this range are almost certainly typos (2205 for 2025), and no deadline reaches them.
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)


def _library_is_workday(d: date) -> bool:
    try:
        return chinese_calendar.is_workday(d)
    except NotImplementedError:  # a year the library has no data for: the table must supply its holidays
        return d.weekday() < 5


class Calendar:
    """is_workday for one call, or for the calls of one request (pass it as `calendar=`). Overrides are read a
    year at a time and only kept as long as the object, so a change to CalendarDay is seen by the next request in
    every process, with no cache to invalidate."""

    def __init__(self):
        self._years: dict[int, dict[date, bool]] = {}

    def __call__(self, d: date) -> bool:
        if d.year not in self._years:
            rows = CalendarDay.objects.filter(date__year=d.year).values_list("date", "is_workday")
            self._years[d.year] = dict(rows)
        overrides = self._years[d.year]
        return overrides[d] if d in overrides else _library_is_workday(d)


def is_workday(d: date) -> bool:
    return Calendar()(d)


def calendar_known(year: int) -> bool:
    """Whether the holidays of `year` are known: the library has the year, or the table holds a holiday in it.
    A year known to neither counts Monday to Friday only (docs/workdays.md)."""
    try:
        chinese_calendar.is_holiday(date(year, 1, 1))
    except NotImplementedError:
        return CalendarDay.objects.filter(date__year=year, is_workday=False).exists()
    return True


def _local(moment: datetime) -> datetime:
    # Work periods are Beijing wall-clock hours whatever tz the caller's datetime (often UTC) is in.
    return timezone.localtime(moment)


def deadline_after_working_days(start: datetime, n: int, calendar: Calendar | None = None) -> datetime:
    result = rules.add_working_days(_local(start), n, calendar or Calendar(), settings.WORK_PERIODS)
    return result.astimezone(start.tzinfo)


def deadline_after_working_hours(
    start: datetime, hours: Decimal | int | float, calendar: Calendar | None = None
) -> datetime:
    result = rules.add_working_hours(_local(start), hours, calendar or Calendar(), settings.WORK_PERIODS)
    return result.astimezone(start.tzinfo)


def working_seconds_between(start: datetime, end: datetime, calendar: Calendar | None = None) -> int:
    return rules.working_seconds_between(_local(start), end, calendar or Calendar(), settings.WORK_PERIODS)


def working_day_seconds() -> int:
    """Length of one working day, from the work periods (7 hours with the default 9–12, 13:30–17:30)."""
    return rules.day_seconds(settings.WORK_PERIODS)


def calendar_day_set(*, user, date: date | str, is_workday: bool, name: str = "") -> CalendarDay:
    """Create or replace the override for one day (节假日或调休上班日)."""
    if not can(user, REGISTRY, EDIT_CALENDAR):
        raise PermissionDenied(gettext("只有系统管理员可以维护工作日历"))
    day, errors = _parse_date(date), []
    if day is None:
        errors.append(FieldError("date", gettext("日期格式不正确，应为YYYY-MM-DD")))
    elif not EARLIEST <= day <= LATEST:
        errors.append(FieldError("date", gettext("日期须在2000年至2099年之间")))
    if not isinstance(is_workday, bool):
        errors.append(FieldError("is_workday", gettext("请选择当天是否上班")))
    name = name.strip() if isinstance(name, str) else None
    if name is None:
        errors.append(FieldError("name", gettext("名称格式不正确")))
    elif len(name) > CalendarDay._meta.get_field("name").max_length:
        errors.append(FieldError("name", gettext("名称不能超过50个字")))
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        obj, _ = CalendarDay.objects.update_or_create(date=day, defaults={"is_workday": is_workday, "name": name})
        audit_record(
            actor=user, action=AuditEntry.Action.ADMIN, object_type="calendar_day", object_ids=[obj.pk], detail=str(obj)
        )
    return obj


def _parse_date(value) -> date | None:
    if isinstance(value, datetime):  # a datetime is a date too, but its time would be silently dropped
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None
