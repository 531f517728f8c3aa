from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from linli.core.dates import day_bounds, day_end, day_start

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_a_period_ends_at_the_midnight_after_its_last_day():
    start, end = day_bounds(date(2026, 3, 1), date(2026, 3, 31))
    assert start == datetime(2026, 3, 1, tzinfo=SHANGHAI) and end == datetime(2026, 4, 1, tzinfo=SHANGHAI)
    assert end.utcoffset() == timedelta(hours=8)


def test_a_day_runs_from_local_midnight_to_the_next():
    assert day_start(date(2026, 12, 31)) == datetime(2026, 12, 31, tzinfo=SHANGHAI)
    assert day_end(date(2026, 12, 31)) == datetime(2027, 1, 1, tzinfo=SHANGHAI)
