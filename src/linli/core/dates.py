"""Days as people name them, turned into instants: a day runs from local midnight (the platform's time zone,
Asia/Shanghai) to the next, so a filter or period "to the 31st" includes 23:59 on the 31st and not 00:00 after."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _


def day_start(day: date) -> datetime:
    """Local midnight at the start of `day`."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def day_end(day: date) -> datetime:
    """Local midnight after `day`: the exclusive end of a range that includes the whole day."""
    return day_start(day + timedelta(days=1))


def day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """[start, end) of the days first..last, both included."""
    return day_start(first), day_end(last)


def month_day(day: date) -> str:
    """12月31日: a date in a message, in this year's terms (and no run of digits a number mask would hide)."""
    return _("%(month)s月%(day)s日") % {"month": day.month, "day": day.day}
