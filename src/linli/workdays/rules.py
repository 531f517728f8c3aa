"""Pure working-time arithmetic: working days, working hours, working time elapsed. No ORM, no settings.

Every function takes `is_workday(date) -> bool` and the work periods, e.g. (("09:00", "12:00"), ("13:30", "17:30")),
as "HH:MM" strings or `time` objects. Datetimes must be aware; the work periods are read as wall-clock times in
the tz of `start`, so callers pass `start` already converted to local time (the service layer does).
"""

from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal

IsWorkday = Callable[[date], bool]
Periods = Iterable[tuple[str | time, str | time]]
Hours = Decimal | int | float

ONE_DAY = timedelta(days=1)
ONE_SECOND = timedelta(seconds=1)
# A calendar without a working day for a year is a data error; stop instead of looping for ever.
MAX_GAP_DAYS = 366


def parse_periods(periods: Periods) -> list[tuple[time, time]]:
    parsed = [tuple(p if isinstance(p, time) else time.fromisoformat(p) for p in pair) for pair in periods]
    if not parsed:
        raise ValueError("work periods must not be empty")
    previous_end = time.min
    for i, (start, end) in enumerate(parsed):
        # A period may touch the previous one but not overlap it, or working time would be counted twice.
        if not (start < end and (i == 0 or start >= previous_end)):
            raise ValueError(f"work periods must be ordered and not overlap: {parsed}")
        previous_end = end
    return parsed


def day_seconds(periods: Periods) -> int:
    """Working seconds in one working day."""
    return sum(
        (datetime.combine(date.min, end) - datetime.combine(date.min, start)).seconds
        for start, end in parse_periods(periods)
    )


def _require_aware(*moments: datetime) -> None:
    for m in moments:
        if m.tzinfo is None or m.utcoffset() is None:
            raise ValueError("aware datetimes required")


def _working_days(first: date, is_workday: IsWorkday) -> Iterator[date]:
    """Working days from `first` (inclusive) on."""
    day, gap = first, 0
    while True:
        if is_workday(day):
            gap = 0
            yield day
        else:
            gap += 1
            if gap > MAX_GAP_DAYS:
                raise ValueError(f"no working day in the {MAX_GAP_DAYS} days before {day}")
        day += ONE_DAY


def _intervals(day: date, periods: list[tuple[time, time]], tz) -> Iterator[tuple[datetime, datetime]]:
    for start, end in periods:
        yield datetime.combine(day, start, tzinfo=tz), datetime.combine(day, end, tzinfo=tz)


def add_working_days(start: datetime, n: int, is_workday: IsWorkday, periods: Periods) -> datetime:
    """End of the last work period of the n-th working day after start's date.
    n == 0: end of the start day if it is a working day, else end of the next working day."""
    _require_aware(start)
    if n < 0:
        raise ValueError("n must be >= 0")
    last_end = parse_periods(periods)[-1][1]
    # 期间计算，开始的当日不计入 (民法典第二百零一条): a case received at any hour of a day starts counting the
    # next day, so the time of day of `start` never matters. n == 0 ("当日办结") is the start day if it works.
    first = start.date() if n == 0 else start.date() + ONE_DAY
    days = _working_days(first, is_workday)
    for _ in range(max(n, 1)):
        day = next(days)
    return datetime.combine(day, last_end, tzinfo=start.tzinfo)


def _to_timedelta(hours: Hours) -> timedelta:
    # Through Decimal so 0.1 h is 360 s exactly and not 359.999999 s.
    micro = (Decimal(str(hours)) * 3_600_000_000).to_integral_value()
    if not micro.is_finite() or micro < 0:
        raise ValueError("hours must be >= 0")
    return timedelta(microseconds=int(micro))


def add_working_hours(start: datetime, hours: Hours, is_workday: IsWorkday, periods: Periods) -> datetime:
    """The moment after `hours` of working time from `start`; a start outside working time counts from the next
    period start. Landing exactly on a period end gives that end, not the next period's start."""
    _require_aware(start)
    remaining = _to_timedelta(hours)
    parsed = parse_periods(periods)
    for day in _working_days(start.date(), is_workday):
        for p_start, p_end in _intervals(day, parsed, start.tzinfo):
            if p_end <= start:
                continue
            begin = max(start, p_start)
            if remaining <= p_end - begin:
                return begin + remaining
            remaining -= p_end - begin
    raise AssertionError("unreachable")  # _working_days never ends


def working_seconds_between(start: datetime, end: datetime, is_workday: IsWorkday, periods: Periods) -> int:
    """Whole seconds of working time in [start, end); 0 when end <= start."""
    _require_aware(start, end)
    end = end.astimezone(start.tzinfo)
    if end <= start:
        return 0
    parsed = parse_periods(periods)
    total, day = timedelta(0), start.date()
    while day <= end.date():
        if is_workday(day):
            for p_start, p_end in _intervals(day, parsed, start.tzinfo):
                overlap = min(p_end, end) - max(p_start, start)
                if overlap > timedelta(0):
                    total += overlap
        day += ONE_DAY
    return total // ONE_SECOND
