from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linli.workdays import rules

SHANGHAI = ZoneInfo("Asia/Shanghai")
UTC = ZoneInfo("UTC")
PERIODS = (("09:00", "12:00"), ("13:30", "17:30"))
PERIOD_SETS = [
    PERIODS,
    (("08:30", "17:00"),),
    (("08:00", "12:00"), ("12:00", "13:00"), ("14:00", "18:00")),  # touching periods
]


def weekdays(d: date) -> bool:
    return d.weekday() < 5


def at(*args, tz=SHANGHAI) -> datetime:
    return datetime(*args, tzinfo=tz)


# A calendar is Monday–Friday with some days flipped, as holidays and make-up days do.
calendars = st.frozensets(st.dates(date(2024, 1, 1), date(2026, 12, 31)), max_size=80).map(
    lambda flipped: lambda d: weekdays(d) != (d in flipped)
)
starts = st.datetimes(datetime(2024, 1, 1), datetime(2026, 12, 31), timezones=st.sampled_from([SHANGHAI, UTC]))
period_sets = st.sampled_from(PERIOD_SETS)


def test_the_start_day_is_not_counted():
    # Monday morning + 1 working day is Tuesday evening, not Monday evening.
    assert rules.add_working_days(at(2025, 3, 10, 9), 1, weekdays, PERIODS) == at(2025, 3, 11, 17, 30)
    assert rules.add_working_days(at(2025, 3, 7, 23, 59), 1, weekdays, PERIODS) == at(2025, 3, 10, 17, 30)


def test_zero_working_days_is_the_end_of_the_start_day_or_of_the_next_working_day():
    assert rules.add_working_days(at(2025, 3, 10, 9), 0, weekdays, PERIODS) == at(2025, 3, 10, 17, 30)
    assert rules.add_working_days(at(2025, 3, 8, 9), 0, weekdays, PERIODS) == at(2025, 3, 10, 17, 30)


def test_working_hours_skip_lunch_evenings_and_weekends():
    friday = at(2025, 3, 7, 11)
    assert rules.add_working_hours(friday, 1, weekdays, PERIODS) == at(2025, 3, 7, 12, 0)  # a period end, not 13:30
    assert rules.add_working_hours(friday, 2, weekdays, PERIODS) == at(2025, 3, 7, 14, 30)
    assert rules.add_working_hours(friday, 7, weekdays, PERIODS) == at(2025, 3, 10, 11, 0)
    assert rules.add_working_hours(at(2025, 3, 7, 12, 30), 0, weekdays, PERIODS) == at(2025, 3, 7, 13, 30)
    assert rules.add_working_hours(at(2025, 3, 8, 20), 3, weekdays, PERIODS) == at(2025, 3, 10, 12, 0)
    assert rules.add_working_hours(friday, Decimal("0.5"), weekdays, PERIODS) == at(2025, 3, 7, 11, 30)
    assert rules.add_working_hours(friday, 0.1, weekdays, PERIODS) == at(2025, 3, 7, 11, 6)


def test_working_seconds_count_only_working_time():
    assert rules.working_seconds_between(at(2025, 3, 7, 11), at(2025, 3, 10, 10), weekdays, PERIODS) == 6 * 3600
    assert rules.working_seconds_between(at(2025, 3, 7, 12), at(2025, 3, 7, 13, 30), weekdays, PERIODS) == 0
    assert rules.working_seconds_between(at(2025, 3, 10, 10), at(2025, 3, 7, 11), weekdays, PERIODS) == 0
    # The end may be in another tz: 02:00 UTC is 10:00 in Beijing.
    assert rules.working_seconds_between(at(2025, 3, 10, 9), at(2025, 3, 10, 2, tz=UTC), weekdays, PERIODS) == 3600


def test_long_spans_are_fast_enough():
    start = at(2024, 1, 1, 9)
    end = rules.add_working_days(start, 2500, weekdays, PERIODS)
    assert end == at(2033, 8, 1, 17, 30)
    assert rules.working_seconds_between(start, end, weekdays, PERIODS) == 2501 * 7 * 3600


@pytest.mark.parametrize(
    "call",
    [
        lambda: rules.add_working_days(datetime(2025, 3, 10, 9), 1, weekdays, PERIODS),
        lambda: rules.add_working_days(at(2025, 3, 10, 9), -1, weekdays, PERIODS),
        lambda: rules.add_working_hours(at(2025, 3, 10, 9), -1, weekdays, PERIODS),
        lambda: rules.add_working_days(at(2025, 3, 10, 9), 1, lambda d: False, PERIODS),
        lambda: rules.add_working_hours(at(2025, 3, 10, 9), 1, weekdays, ()),
        lambda: rules.add_working_hours(at(2025, 3, 10, 9), 1, weekdays, (("13:00", "17:00"), ("09:00", "12:00"))),
        lambda: rules.add_working_hours(at(2025, 3, 10, 9), 1, weekdays, (("09:00", "12:00"), ("11:00", "17:00"))),
    ],
)
def test_bad_arguments_are_refused(call):
    with pytest.raises(ValueError):
        call()


@given(start=starts, n=st.integers(0, 300), extra=st.integers(1, 30), is_workday=calendars, periods=period_sets)
def test_the_deadline_grows_with_n(start, n, extra, is_workday, periods):
    a = rules.add_working_days(start, n, is_workday, periods)
    b = rules.add_working_days(start, n + extra, is_workday, periods)
    # From a day off, n == 0 and n == 1 both mean the end of the next working day.
    assert a < b or (n == 0 and not is_workday(start.date()) and a == b)


@given(start=starts, n=st.integers(0, 300), is_workday=calendars, periods=period_sets)
def test_the_deadline_is_the_end_of_the_nth_working_day(start, n, is_workday, periods):
    deadline = rules.add_working_days(start, n, is_workday, periods)
    assert deadline.tzinfo is start.tzinfo
    assert is_workday(deadline.date())
    assert deadline.time() == rules.parse_periods(periods)[-1][1]
    first = start.date() if n == 0 else start.date() + timedelta(1)
    counted = [first + timedelta(i) for i in range((deadline.date() - first).days + 1)]
    assert sum(map(is_workday, counted)) == max(n, 1)


@given(start=starts, hours=st.integers(0, 1000), is_workday=calendars, periods=period_sets)
def test_whole_working_hours_round_trip(start, hours, is_workday, periods):
    end = rules.add_working_hours(start, hours, is_workday, periods)
    assert end.tzinfo is start.tzinfo and end >= start
    assert rules.working_seconds_between(start, end, is_workday, periods) == hours * 3600


@given(start=starts, a=st.integers(0, 100), b=st.integers(1, 100), is_workday=calendars, periods=period_sets)
def test_working_hours_add_up(start, a, b, is_workday, periods):
    step = rules.add_working_hours(rules.add_working_hours(start, a, is_workday, periods), b, is_workday, periods)
    assert step == rules.add_working_hours(start, a + b, is_workday, periods)


@settings(max_examples=50)
@given(
    start=starts.map(lambda m: m.replace(second=0, microsecond=0)),
    minutes=st.integers(0, 3 * 24 * 60),
    is_workday=calendars,
    periods=period_sets,
)
def test_working_seconds_agree_with_counting_minutes(start, minutes, is_workday, periods):
    parsed = rules.parse_periods(periods)

    def working(m: datetime) -> bool:
        return is_workday(m.date()) and any(s <= m.time() < e for s, e in parsed)

    expected = sum(working(start + timedelta(minutes=i)) for i in range(minutes)) * 60
    assert rules.working_seconds_between(start, start + timedelta(minutes=minutes), is_workday, periods) == expected


def test_time_objects_are_accepted_as_periods():
    periods = ((time(9), time(12)), (time(13, 30), time(17, 30)))
    assert rules.add_working_days(at(2025, 3, 10, 9), 1, weekdays, periods) == at(2025, 3, 11, 17, 30)
