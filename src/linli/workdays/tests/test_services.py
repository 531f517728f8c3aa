from datetime import date, datetime
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest

from linli.accounts.roles import Role
from linli.audit.models import AuditEntry
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.testing import factories
from linli.workdays import services
from linli.workdays.models import CalendarDay

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
UTC = ZoneInfo("UTC")


def at(*args, tz=SHANGHAI) -> datetime:
    return datetime(*args, tzinfo=tz)


# Dates as chinese_calendar 1.11.0 knows them (国务院办公厅 holiday notices for 2025 and 2026).
@pytest.mark.parametrize(
    ("start", "n", "deadline"),
    [
        # 2025 春节: off Tue 01-28 .. Tue 02-04; make-up days Sun 01-26 and Sat 02-08.
        (at(2025, 1, 24, 10), 7, at(2025, 2, 10, 17, 30)),
        (at(2025, 1, 25, 10), 1, at(2025, 1, 26, 17, 30)),  # make-up Sunday
        (at(2025, 1, 27, 16), 1, at(2025, 2, 5, 17, 30)),
        (at(2025, 2, 5, 10), 3, at(2025, 2, 8, 17, 30)),  # make-up Saturday
        (at(2025, 1, 26, 10), 0, at(2025, 1, 26, 17, 30)),
        (at(2025, 1, 29, 10), 0, at(2025, 2, 5, 17, 30)),
        # 2025 国庆中秋: off Wed 10-01 .. Wed 10-08; make-up days Sun 09-28 and Sat 10-11.
        (at(2025, 9, 26, 10), 7, at(2025, 10, 13, 17, 30)),
        (at(2025, 9, 30, 10), 1, at(2025, 10, 9, 17, 30)),
        (at(2025, 10, 9, 10), 2, at(2025, 10, 11, 17, 30)),  # make-up Saturday
        # 2026 春节: off Sun 02-15 .. Mon 02-23; make-up days Sat 02-14 and Sat 02-28.
        (at(2026, 2, 12, 10), 7, at(2026, 2, 28, 17, 30)),
        (at(2026, 2, 13, 16), 1, at(2026, 2, 14, 17, 30)),  # make-up Saturday
        (at(2026, 2, 13, 16), 2, at(2026, 2, 24, 17, 30)),
        # 2026 国庆: off Thu 10-01 .. Wed 10-07; make-up days Sun 09-20 and Sat 10-10.
        (at(2026, 9, 29, 10), 7, at(2026, 10, 14, 17, 30)),
        (at(2026, 9, 19, 10), 1, at(2026, 9, 20, 17, 30)),  # make-up Sunday
        (at(2026, 9, 30, 10), 2, at(2026, 10, 9, 17, 30)),
    ],
)
def test_working_day_deadlines_around_real_holidays(start, n, deadline):
    assert services.deadline_after_working_days(start, n) == deadline


def test_working_hours_across_real_holidays():
    # 1.5 h on 01-27, then the holiday, then 3 h + 3.5 h on 02-05.
    assert services.deadline_after_working_hours(at(2025, 1, 27, 16), 8) == at(2025, 2, 5, 17, 0)
    assert services.deadline_after_working_hours(at(2025, 2, 7, 17), 1) == at(2025, 2, 8, 9, 30)
    assert services.deadline_after_working_hours(at(2026, 9, 30, 17), 2) == at(2026, 10, 8, 10, 30)
    assert services.working_seconds_between(at(2025, 1, 27, 9), at(2025, 2, 5, 9)) == 7 * 3600
    assert services.working_seconds_between(at(2025, 2, 8, 0), at(2025, 2, 9, 23)) == 7 * 3600


def test_datetimes_in_utc_are_read_in_beijing_time_and_returned_in_utc():
    start = at(2025, 1, 24, 2, tz=UTC)  # 10:00 in Beijing
    deadline = services.deadline_after_working_days(start, 7)
    assert deadline.tzinfo is UTC and deadline == at(2025, 2, 10, 9, 30, tz=UTC)
    assert services.deadline_after_working_hours(start, 1) == at(2025, 1, 24, 3, tz=UTC)
    assert services.working_seconds_between(start, at(2025, 1, 24, 11)) == 3600


def test_is_workday_follows_the_library_and_then_the_table():
    assert services.is_workday(date(2025, 2, 8)) is True  # make-up Saturday
    assert services.is_workday(date(2025, 10, 8)) is False
    CalendarDay.objects.create(date=date(2025, 10, 8), is_workday=True, name="测试")
    assert services.is_workday(date(2025, 10, 8)) is True


def test_a_weekday_made_a_holiday_in_the_table_shifts_the_deadline():
    monday = at(2025, 3, 10, 10)
    assert services.deadline_after_working_days(monday, 3) == at(2025, 3, 13, 17, 30)
    assert services.working_seconds_between(monday, at(2025, 3, 13, 10)) == 21 * 3600
    CalendarDay.objects.create(date=date(2025, 3, 12), is_workday=False, name="临时停工")
    assert services.deadline_after_working_days(monday, 3) == at(2025, 3, 14, 17, 30)
    assert services.working_seconds_between(monday, at(2025, 3, 13, 10)) == 14 * 3600


def test_a_year_the_library_lacks_falls_back_to_monday_to_friday_plus_the_table():
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(2031, 1, 2))
    assert services.deadline_after_working_days(at(2030, 12, 31, 10), 3) == at(2031, 1, 3, 17, 30)
    assert services.deadline_after_working_days(at(2031, 1, 2, 10), 1) == at(2031, 1, 3, 17, 30)
    CalendarDay.objects.create(date=date(2031, 1, 1), is_workday=False, name="元旦")
    CalendarDay.objects.create(date=date(2031, 1, 4), is_workday=True, name="元旦调休")
    assert services.deadline_after_working_days(at(2030, 12, 31, 10), 3) == at(2031, 1, 4, 17, 30)
    assert services.is_workday(date(2031, 1, 1)) is False and services.is_workday(date(2031, 1, 5)) is False


def test_a_change_through_the_service_is_seen_by_the_next_call(world):
    monday = at(2025, 3, 10, 10)
    assert services.deadline_after_working_days(monday, 1) == at(2025, 3, 11, 17, 30)
    services.calendar_day_set(user=world.users["admin"], date="2025-03-11", is_workday=False, name="停电")
    assert services.deadline_after_working_days(monday, 1) == at(2025, 3, 12, 17, 30)
    services.calendar_day_set(user=world.users["admin"], date=date(2025, 3, 11), is_workday=True, name="")
    assert services.deadline_after_working_days(monday, 1) == at(2025, 3, 11, 17, 30)
    assert CalendarDay.objects.count() == 1


@pytest.mark.parametrize("username", ["district_staff", "street_staff", "grid_worker", "dept_handler"])
def test_only_admins_may_edit_the_calendar(world, username):
    with pytest.raises(PermissionDenied):
        services.calendar_day_set(user=world.users[username], date=date(2025, 3, 11), is_workday=False, name="x")
    assert not CalendarDay.objects.exists()


def test_admin_role_and_superusers_may_edit_the_calendar(world):
    admin = world.users["admin"]
    day = services.calendar_day_set(user=admin, date=date(2025, 3, 11), is_workday=False, name=" 停电 ")
    assert (day.date, day.is_workday, day.name) == (date(2025, 3, 11), False, "停电")
    entry = AuditEntry.objects.get(object_type="calendar_day")
    assert (entry.actor, entry.action, entry.object_ids) == (admin, AuditEntry.Action.ADMIN, [day.pk])

    admin_by_role = factories.user("ops", Role.ADMIN)
    admin_by_role.is_superuser = False
    services.calendar_day_set(user=admin_by_role, date=date(2025, 3, 12), is_workday=False)
    superuser = world.users["district_staff"]
    superuser.is_superuser = True
    services.calendar_day_set(user=superuser, date=date(2025, 3, 13), is_workday=False)
    assert CalendarDay.objects.count() == 3


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"date": "2025-13-01"}, "date"),
        ({"date": "明天"}, "date"),
        ({"date": datetime(2025, 3, 11, 10)}, "date"),
        ({"date": None}, "date"),
        ({"date": date(1999, 12, 31)}, "date"),
        ({"date": "2205-03-11"}, "date"),
        ({"is_workday": "否"}, "is_workday"),
        ({"name": "节" * 51}, "name"),
        ({"name": None}, "name"),
    ],
)
def test_bad_calendar_data_is_refused_in_chinese(world, data, field):
    data = {"date": "2025-03-11", "is_workday": False, "name": "", **data}
    with pytest.raises(ValidationFailed) as exc:
        services.calendar_day_set(user=world.users["admin"], **data)
    assert [e.field for e in exc.value.errors] == [field]
    assert all(any("\u4e00" <= c <= "\u9fff" for c in e.message) for e in exc.value.errors)
    assert not CalendarDay.objects.exists()


@pytest.mark.filterwarnings("ignore:No directory at")
def test_admins_edit_the_table_in_the_admin_site(world, client, settings):
    # No collectstatic in tests: serve admin assets without the manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    CalendarDay.objects.create(date=date(2031, 1, 1), is_workday=False, name="元旦")
    client.force_login(world.users["admin"])
    page = client.get("/admin/workdays/calendarday/?is_workday__exact=0")
    assert page.status_code == 200 and "元旦" in page.content.decode()
