"""Deadlines of dispatched cases on the real Chinese calendar. Every expected moment is worked out by hand in the
comments from the State Council's holiday notices and the work periods 09:00–12:00 and 13:30–17:30 (7 h a day);
the start day of a working-day limit is not counted."""

from datetime import date, timedelta

import chinese_calendar
import pytest

from linli.cases import rules, selectors
from linli.cases.selectors import CaseFilter
from linli.cases.tests.support import act, at, receive
from linli.workdays import services as workdays

SECOND = timedelta(seconds=1)


def dispatch(w, category: str, when):
    case = receive(w, category=category, now=when - timedelta(hours=1))
    case = act(w, "admin", case, "register", now=when - timedelta(minutes=30))
    return act(w, "admin", case, "dispatch", now=when)


def test_the_library_agrees_with_the_notices_written_here():
    # 2025 国庆中秋: Oct 1–8 off, Sun Sep 28 and Sat Oct 11 worked. 2026 春节: Feb 15–23 off, Sat Feb 14 and
    # Sat Feb 28 worked. The tests below rely on these days, so say so plainly if the library ever disagrees.
    off = [date(2025, 10, d) for d in range(1, 9)] + [date(2026, 2, d) for d in range(15, 24)]
    worked = [date(2025, 9, 28), date(2025, 10, 11), date(2026, 2, 14), date(2026, 2, 28)]
    assert not any(chinese_calendar.is_workday(d) for d in off)
    assert all(chinese_calendar.is_workday(d) for d in worked)


def test_seven_working_days_over_national_day_2025(w):
    # Tue 09-30 10:00 + 7 working days: Oct 1–8 off; Thu 10-09 (1), Fri 10-10 (2), Sat 10-11 make-up (3),
    # Mon 10-13 (4), Tue 10-14 (5), Wed 10-15 (6), Thu 10-16 (7).
    case = dispatch(w, "0103", at(2025, 9, 30, 10))  # 违规广告牌匾: 7 working days, response in 4 working hours
    assert case.due_at == at(2025, 10, 16, 17, 30)
    # Response: 10:00–12:00 and 13:30–15:30 of the same day.
    assert case.response_due == at(2025, 9, 30, 15, 30)
    # Working time: 6 h on 09-30 + 7 × 7 h = 55 h; 80 % = 44 h: 6 h on 09-30, then 7 h on each of 10-09, 10, 11,
    # 13, 14 (38 h), and the last 3 h end on Wed 10-15 at 12:00.
    assert case.warn_at == at(2025, 10, 15, 12, 0)


def test_the_response_limit_runs_over_the_holiday_too(w):
    # Tue 09-30 16:00: 1.5 h that day, then 2.5 h from Thu 10-09 09:00.
    case = dispatch(w, "0103", at(2025, 9, 30, 16))
    assert case.response_due == at(2025, 10, 9, 11, 30)
    assert case.due_at == at(2025, 10, 16, 17, 30)  # the time of day never moves a working-day limit
    # 1.5 + 49 = 50.5 h; 80 % = 40.4 h: 1.5 h on 09-30, 35 h on 10-09, 10, 11, 13, 14, then 3.9 h on 10-15:
    # 3 h in the morning and 54 min from 13:30.
    assert case.warn_at == at(2025, 10, 15, 14, 24)


def test_dispatched_on_the_make_up_sunday_and_during_the_holiday(w):
    # 路灯不亮, 3 working days. From Sun 09-28 (a working day): Mon 09-29, Tue 09-30, Thu 10-09.
    assert dispatch(w, "0401", at(2025, 9, 28, 10)).due_at == at(2025, 10, 9, 17, 30)
    # From Fri 10-03 (holiday): Thu 10-09, Fri 10-10, Sat 10-11 (make-up).
    case = dispatch(w, "0401", at(2025, 10, 3, 10))
    assert case.due_at == at(2025, 10, 11, 17, 30)
    # Nothing runs before 10-09 09:00; 21 h in all, 80 % = 16.8 h: 7 + 7 h, then 2.8 h (2:48) on Saturday 10-11.
    assert case.warn_at == at(2025, 10, 11, 11, 48)
    assert case.response_due == at(2025, 10, 9, 14, 30)  # 4 h: 09:00–12:00 and 13:30–14:30


def test_spring_festival_2026(w):
    # Thu 02-12 15:00 + 5 working days (乱堆乱放): Fri 02-13 (1), Sat 02-14 make-up (2), Feb 15–23 off,
    # Tue 02-24 (3), Wed 02-25 (4), Thu 02-26 (5).
    case = dispatch(w, "0102", at(2026, 2, 12, 15))
    assert case.due_at == at(2026, 2, 26, 17, 30)
    # 2.5 + 35 = 37.5 h; 80 % = 30 h: 2.5 on 02-12, 7 each on 02-13, 14, 24 (23.5 h), then 6.5 h on 02-25:
    # 3 h in the morning and 3.5 h from 13:30, i.e. 17:00.
    assert case.warn_at == at(2026, 2, 25, 17, 0)
    # Seven working days from Thu 02-12 end on the second make-up Saturday: 13, 14, 24, 25, 26, 27, 28.
    assert dispatch(w, "0103", at(2026, 2, 12, 10)).due_at == at(2026, 2, 28, 17, 30)


def test_working_hours_limit_from_friday_afternoon(w):
    # 电梯故障: respond in 1 working hour, handle in 24 working hours. Fri 2025-03-14 16:00:
    # 1.5 h Friday, 7 h Mon 03-17, Tue 03-18, Wed 03-19 (22.5 h), 1.5 h Thu 03-20 from 09:00.
    case = dispatch(w, "0301", at(2025, 3, 14, 16))
    assert case.response_due == at(2025, 3, 14, 17, 0)
    assert case.due_at == at(2025, 3, 20, 10, 30)
    # 80 % of 24 h = 19.2 h: 1.5 + 7 + 7 = 15.5 h by Tuesday evening, 3.7 h on Wednesday: 3 h in the morning,
    # 42 min from 13:30.
    assert case.warn_at == at(2025, 3, 19, 14, 12)


def test_working_hours_limit_over_the_make_up_sunday_and_the_holiday(w):
    # Fri 2025-09-26 16:00: 1.5 h Friday, Sat off, Sun 09-28 worked (7), Mon 09-29 (7), Tue 09-30 (7) = 22.5 h,
    # Oct 1–8 off, 1.5 h on Thu 10-09 from 09:00.
    case = dispatch(w, "0301", at(2025, 9, 26, 16))
    assert case.due_at == at(2025, 10, 9, 10, 30)
    # 19.2 h: 1.5 + 7 + 7 = 15.5 by Monday evening, 3.7 h on Tuesday 09-30.
    assert case.warn_at == at(2025, 9, 30, 14, 12)


def test_limits_that_land_on_the_end_of_a_work_period(w):
    # 燃气异味: respond in 0.5 h, handle in 4 h. Fri 2025-03-14 17:00 + 0.5 h = 17:30 that Friday, not Monday.
    assert dispatch(w, "0505", at(2025, 3, 14, 17)).response_due == at(2025, 3, 14, 17, 30)
    # From Fri 16:30: 1 h Friday, 3 h Monday morning ending at 12:00 exactly, not at 13:30.
    case = dispatch(w, "0505", at(2025, 3, 14, 16, 30))
    assert case.due_at == at(2025, 3, 17, 12, 0)
    # 80 % of 4 h = 3.2 h: 1 h Friday, 2.2 h (2:12) Monday from 09:00.
    assert case.warn_at == at(2025, 3, 17, 11, 12)


def test_an_extension_over_the_holiday(w):
    # 路灯不亮 from Thu 2025-09-25 10:00: Fri 09-26 (1), Sun 09-28 make-up (2), Mon 09-29 (3).
    case = dispatch(w, "0401", at(2025, 9, 25, 10))
    assert case.due_at == at(2025, 9, 29, 17, 30)
    case = act(w, "dept_handler", case, "accept", now=at(2025, 9, 25, 11))
    case = act(w, "dept_handler", case, "request_extension", now=at(2025, 9, 26, 9), note="需采购灯具", days=2)
    case = act(w, "admin", case, "approve_extension", now=at(2025, 9, 26, 10))
    # Two more working days after Mon 09-29: Tue 09-30, Thu 10-09.
    assert case.due_at == at(2025, 10, 9, 17, 30)
    # 6 h on 09-25 and 7 h on 26, 28, 29, 30 and 10-09: 41 h; 80 % = 32.8 h ends Tue 09-30 at 16:18.
    assert case.warn_at == at(2025, 9, 30, 16, 18)


@pytest.mark.parametrize(
    ("moment", "light"),
    [
        (at(2025, 10, 15, 11, 59, 59), rules.GREEN),
        (at(2025, 10, 15, 12, 0), rules.YELLOW),  # exactly at warn_at
        (at(2025, 10, 16, 17, 30), rules.YELLOW),  # exactly at the deadline
        (at(2025, 10, 16, 17, 30, 1), rules.RED),
    ],
)
def test_lights_of_a_case_and_the_light_filter_agree(w, moment, light):
    case = dispatch(w, "0103", at(2025, 9, 30, 10))  # warn 10-15 12:00, due 10-16 17:30 (see above)
    # Signed for: the 处置时限's light alone (an unsigned case's is in test_hotline_indicators.py).
    case = act(w, "dept_handler", case, "accept", now=at(2025, 9, 30, 10, 30))
    assert rules.light(moment, case.warn_at, case.due_at) == light == rules.case_light(moment, case)
    for colour in (rules.GREEN, rules.YELLOW, rules.RED):
        listed = selectors.case_list(user=w.users["street_staff"], filters=CaseFilter(light=colour), now=moment)
        assert listed.filter(pk=case.pk).exists() == (colour == light), colour


def test_a_calendar_override_moves_the_deadline(w):
    admin = w.users["admin"]
    # Without overrides: Mon 2025-03-03 10:00 + 3 working days = Thu 03-06.
    before = dispatch(w, "0401", at(2025, 3, 3, 10))
    assert before.due_at == at(2025, 3, 6, 17, 30)
    workdays.calendar_day_set(user=admin, date="2025-03-05", is_workday=False, name="临时停工")
    # Tue 03-04 (1), Wed off, Thu 03-06 (2), Fri 03-07 (3).
    moved = dispatch(w, "0401", at(2025, 3, 3, 10))
    assert moved.due_at == at(2025, 3, 7, 17, 30)
    # 6 h Monday + 21 h = 27 h; 80 % = 21.6 h: 6 + 7 (Tue) + 7 (Thu) = 20 h, then 1.6 h on Friday: 10:36.
    assert moved.warn_at == at(2025, 3, 7, 10, 36)
    # A Saturday made a working day: from Thu 03-06, Fri 03-07 (1), Sat 03-08 (2), Mon 03-10 (3).
    assert dispatch(w, "0401", at(2025, 3, 6, 10)).due_at == at(2025, 3, 11, 17, 30)
    workdays.calendar_day_set(user=admin, date="2025-03-08", is_workday=True, name="调休上班")
    assert dispatch(w, "0401", at(2025, 3, 6, 10)).due_at == at(2025, 3, 10, 17, 30)
    # An override beats the library: 10-08 worked shortens the National Day case above by a day.
    workdays.calendar_day_set(user=admin, date="2025-10-08", is_workday=True, name="假设调整")
    assert dispatch(w, "0103", at(2025, 9, 30, 10)).due_at == at(2025, 10, 15, 17, 30)
    # Stored deadlines stay as they were computed.
    before.refresh_from_db()
    assert before.due_at == at(2025, 3, 6, 17, 30)
