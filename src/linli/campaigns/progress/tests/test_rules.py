"""Reporting periods and lateness: the progress rules against tables written from the
seeds (001 篇5 "每月底以书面形式报送"; 004 篇十一 "未能及时上报的视为未完成"), then properties for any date; who
reads a report, against a table and a property written with path prefixes."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linli.accounts.scope import enclosing_paths
from linli.campaigns.plans import rules as plan_rules
from linli.campaigns.plans.rules import MONTHLY, QUARTERLY
from linli.campaigns.progress import rules
from linli.campaigns.progress.rules import LATE, MISSING, ON_TIME, PENDING

SHANGHAI = ZoneInfo("Asia/Shanghai")
UTC = ZoneInfo("UTC")


def at(y, m, d, hh=0, mm=0, ss=0):
    return datetime(y, m, d, hh, mm, ss, tzinfo=SHANGHAI)


def test_periods_owed_monthly_and_quarterly():
    assert rules.periods(date(2026, 2, 20), date(2026, 5, 3), MONTHLY) == [
        date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1), date(2026, 5, 1)]  # fmt: skip
    assert rules.periods(date(2026, 2, 20), date(2026, 12, 31), QUARTERLY) == [
        date(2026, 1, 1), date(2026, 4, 1), date(2026, 7, 1), date(2026, 10, 1)]  # fmt: skip
    due = rules.report_due(date(2026, 12, 1), MONTHLY, SHANGHAI)
    assert due == datetime(2027, 1, 1, tzinfo=SHANGHAI)  # 每月底报送: by the end of 31 December
    assert rules.report_status(due, None, datetime(2026, 12, 31, 23, 59, tzinfo=SHANGHAI)) == PENDING
    assert rules.report_status(due, None, due) == MISSING
    assert rules.report_status(due, datetime(2027, 1, 1, 0, 1, tzinfo=SHANGHAI), due) == LATE


# ---------------------------------------------------------------- periods


@pytest.mark.parametrize(
    "day, cycle, start",
    [
        (date(2026, 3, 1), MONTHLY, date(2026, 3, 1)),
        (date(2026, 3, 31), MONTHLY, date(2026, 3, 1)),
        (date(2026, 12, 31), MONTHLY, date(2026, 12, 1)),
        (date(2026, 2, 14), QUARTERLY, date(2026, 1, 1)),
        (date(2026, 4, 1), QUARTERLY, date(2026, 4, 1)),
        (date(2026, 9, 30), QUARTERLY, date(2026, 7, 1)),
        (date(2026, 12, 31), QUARTERLY, date(2026, 10, 1)),
    ],
)
def test_period_start(day, cycle, start):
    assert rules.period_start(day, cycle) == start


@pytest.mark.parametrize(
    "period, cycle, after",
    [
        (date(2026, 1, 1), MONTHLY, date(2026, 2, 1)),
        (date(2026, 12, 1), MONTHLY, date(2027, 1, 1)),
        (date(2026, 10, 1), QUARTERLY, date(2027, 1, 1)),
        (date(2026, 4, 1), QUARTERLY, date(2026, 7, 1)),
    ],
)
def test_next_period(period, cycle, after):
    assert rules.next_period(period, cycle) == after


def test_periods_of_004_piece_eleven():
    """实施阶段 20xx年4月—11月底 reported monthly: April to November, eight reports."""
    assert rules.periods(date(2026, 4, 1), date(2026, 11, 30), MONTHLY) == [date(2026, m, 1) for m in range(4, 12)]


def test_periods_overlapping_a_partial_month_and_quarter():
    assert rules.periods(date(2026, 3, 20), date(2026, 5, 2), MONTHLY) == [
        date(2026, 3, 1),
        date(2026, 4, 1),
        date(2026, 5, 1),
    ]
    assert rules.periods(date(2026, 3, 20), date(2026, 7, 1), QUARTERLY) == [date(2026, 1, 1), date(2026, 4, 1),
                                                                             date(2026, 7, 1)]  # fmt: skip
    assert rules.periods(date(2026, 5, 1), date(2026, 4, 1), MONTHLY) == []


# ---------------------------------------------------------------- due time and status (每月底报送)

# (period, cycle, due in Shanghai): 每月底 = by the end of the last day, i.e. before the next period's first minute.
DUE = [
    (date(2026, 3, 1), MONTHLY, at(2026, 4, 1)),
    (date(2026, 2, 1), MONTHLY, at(2026, 3, 1)),
    (date(2026, 12, 1), MONTHLY, at(2027, 1, 1)),
    (date(2026, 1, 1), QUARTERLY, at(2026, 4, 1)),
    (date(2026, 10, 1), QUARTERLY, at(2027, 1, 1)),
]


@pytest.mark.parametrize("period, cycle, due", DUE)
def test_report_due_at_the_end_of_the_period_in_shanghai(period, cycle, due):
    got = rules.report_due(period, cycle, SHANGHAI)
    assert got == due
    # Midnight in Shanghai is 16:00 UTC the day before: a server clock in UTC must not move the deadline.
    assert got.astimezone(UTC) == datetime.combine(due.date() - timedelta(days=1), datetime.min.time(), UTC).replace(
        hour=16
    )


MARCH_DUE = at(2026, 4, 1)
# (submitted, now, status, counts as done)
STATUS = [
    (at(2026, 3, 31, 17, 30), at(2026, 4, 2), ON_TIME, True),  # 月底前报送
    (at(2026, 3, 31, 23, 59, 59), at(2026, 4, 2), ON_TIME, True),  # the last second of the month still counts
    (at(2026, 4, 1, 0, 0, 0), at(2026, 4, 2), LATE, False),  # 未能及时上报的视为未完成
    (at(2026, 4, 15), at(2026, 4, 20), LATE, False),
    (None, at(2026, 3, 31, 23, 59), PENDING, False),  # 未到报送时限
    (None, at(2026, 4, 1), MISSING, False),  # 未报送，视为未完成
    (None, at(2026, 6, 1), MISSING, False),
]


@pytest.mark.parametrize("submitted, now, status, done", STATUS)
def test_report_status_and_what_counts_as_done(submitted, now, status, done):
    assert rules.report_status(MARCH_DUE, submitted, now) == status
    assert rules.counts_as_done(status) is done
    assert rules.status_at(date(2026, 3, 1), MONTHLY, SHANGHAI, submitted, now) == status


def test_status_labels_read_as_the_seeds_say():
    assert rules.REPORT_STATUS_LABELS == {
        ON_TIME: "按时报送",
        LATE: "逾期报送（视为未完成）",
        MISSING: "未报送（视为未完成）",
        PENDING: "未到报送时限",
    }


@pytest.mark.parametrize(
    "roles, reporting",
    [
        ({plan_rules.LEAD, plan_rules.RESPONSIBLE}, {plan_rules.RESPONSIBLE}),
        ({plan_rules.RESPONSIBLE}, {plan_rules.RESPONSIBLE}),
        ({plan_rules.LEAD}, {plan_rules.LEAD}),
        (set(), set()),
    ],
)
def test_who_reports(roles, reporting):
    assert plan_rules.reporting_roles(roles) == reporting


@pytest.mark.parametrize(
    "values, mean", [([], Decimal(0)), ([60], Decimal(60)), ([60, 70, 75], Decimal("68.3")), ([0, 100], Decimal(50))]
)
def test_mean_progress(values, mean):
    assert plan_rules.mean_progress(values) == mean


# ---------------------------------------------------------------- obligations, late reports, locks, drops


def test_owed_periods_from_first_phase_to_deadline():
    phases = [date(2026, 4, 10), date(2026, 2, 15)]
    start = rules.plan_start(phases, date(2026, 1, 20))
    assert start == date(2026, 2, 15)
    end = rules.task_end(date(2026, 5, 31), [date(2026, 12, 31)])
    owed = rules.owed_periods(start, end, MONTHLY, today=date(2026, 3, 3))
    assert owed == [date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1), date(2026, 5, 1)]


def test_owed_periods_fallbacks():
    assert rules.plan_start([], date(2026, 1, 20)) == date(2026, 1, 20)
    assert rules.plan_start([], None) is None
    assert rules.task_end(None, [date(2026, 6, 30), date(2026, 12, 31)]) == date(2026, 12, 31)
    assert rules.task_end(None, []) is None
    # Open-ended: up to the current period.
    assert rules.owed_periods(date(2026, 1, 5), None, MONTHLY, today=date(2026, 3, 3)) == [
        date(2026, 1, 1),
        date(2026, 2, 1),
        date(2026, 3, 1),
    ]
    assert rules.owed_periods(None, date(2026, 3, 1), MONTHLY, today=date(2026, 3, 3)) == []
    # A deadline before the start still owes the first period.
    assert rules.owed_periods(date(2026, 3, 5), date(2026, 2, 1), MONTHLY, date(2026, 3, 6)) == [date(2026, 3, 1)]


def test_which_periods_a_report_may_be_made_for():
    owed = [date(2026, m, 1) for m in range(2, 7)]
    today = date(2026, 4, 10)
    assert rules.can_report_for(date(2026, 4, 1), owed, MONTHLY, today)  # this month
    assert rules.can_report_for(date(2026, 2, 1), owed, MONTHLY, today)  # late, stored as 逾期报送
    assert not rules.can_report_for(date(2026, 5, 1), owed, MONTHLY, today)  # not begun
    assert not rules.can_report_for(date(2026, 1, 1), owed, MONTHLY, today)  # not owed


def test_a_report_is_locked_at_its_due_time():
    assert rules.editable(MARCH_DUE, at(2026, 3, 31, 23, 59, 59))
    assert not rules.editable(MARCH_DUE, at(2026, 4, 1))


@pytest.mark.parametrize(
    "earlier, later, progress, problems, order, needs",
    [
        (None, None, 0, "", None, False),
        (60, None, 60, "", None, False),
        (60, None, 70, "", None, False),
        (60, None, 50, "", rules.BELOW_EARLIER, True),
        (60, None, 50, "   ", rules.BELOW_EARLIER, True),
        (60, None, 50, "复查发现两处整改未到位，进度回调", rules.BELOW_EARLIER, False),
        # A late April report between March's 30% and May's 62% (issue 14: 90% was accepted).
        (30, 62, 90, "", rules.ABOVE_LATER, True),
        (30, 62, 62, "", None, False),
        (30, 62, 45, "", None, False),
        (None, 62, 90, "", rules.ABOVE_LATER, True),
        (None, 62, 90, "4月实际完成较多，5月报送有误", rules.ABOVE_LATER, False),
        (30, 62, 20, "", rules.BELOW_EARLIER, True),
    ],
)
def test_a_figure_out_of_order_with_the_other_periods_needs_a_reason(earlier, later, progress, problems, order, needs):
    assert rules.out_of_order(earlier, later, progress) == order
    assert rules.needs_reason(earlier, later, progress, problems) is needs


@pytest.mark.parametrize(
    "reported, period, start",
    [
        ({}, date(2026, 4, 1), None),
        ({date(2026, 7, 1): 95}, date(2026, 4, 1), None),
        # Issue 14: the April 补报 form was pre-filled with July's 95%.
        ({date(2026, 3, 1): 40, date(2026, 5, 1): 62, date(2026, 7, 1): 95}, date(2026, 4, 1), 40),
        ({date(2026, 1, 1): 10, date(2026, 3, 1): 40}, date(2026, 4, 1), 40),
        ({date(2026, 1, 1): 10, date(2026, 4, 1): 40}, date(2026, 4, 1), 10),  # its own period is not before it
    ],
)
def test_a_new_report_starts_from_the_last_one_before_its_period(reported, period, start):
    assert rules.last_before(reported, period) == start


JAN_TO_JUN = [date(2026, m, 1) for m in range(1, 7)]


@pytest.mark.parametrize(
    "owed, current, reported, state",
    [
        (JAN_TO_JUN, date(2026, 4, 1), False, rules.DUE_NOW),
        (JAN_TO_JUN, date(2026, 4, 1), True, rules.REPORTED),
        (JAN_TO_JUN, date(2026, 7, 1), False, rules.ENDED),
        (JAN_TO_JUN, date(2025, 12, 1), False, rules.NOT_STARTED),
        ([], date(2026, 4, 1), False, rules.NOT_STARTED),
    ],
)
def test_where_a_task_stands_this_period(owed, current, reported, state):
    assert rules.current_state(owed, current, reported) == state


D, R, E, N, B = rules.DUE_NOW, rules.REPORTED, rules.ENDED, rules.NOT_STARTED, rules.BY_OTHERS
OVERDUE = "有逾期未报送的进度，可以补报（补报仍视为未完成）；"
NONE_NOW = "本期没有需要本单位报送的进度"


@pytest.mark.parametrize(
    "states, overdue, text",
    [
        ([D, D, R], 0, "2项任务本期待报送"),
        ([R, R], 0, "本期应报送的2项任务均已报送"),
        # Issue 14 read "4项任务有未报送的进度，本期进度均已报送": it now says which periods are which.
        ([R, R, E, E, E, E], 4, "4项任务" + OVERDUE + "本期应报送的2项任务均已报送"),
        ([D, E], 1, "1项任务" + OVERDUE + "1项任务本期待报送"),
        # A unit whose tasks have all ended is told why it has nothing to report.
        ([E, E, E], 0, NONE_NOW + "：3项任务的报送期已结束"),
        ([E, E, E], 2, "2项任务" + OVERDUE + NONE_NOW + "：3项任务的报送期已结束"),
        ([B, B, N], 0, NONE_NOW + "：1项任务尚未开始报送，2项任务由责任单位报送"),
        ([E, N, B], 0, NONE_NOW + "：1项任务的报送期已结束，1项任务尚未开始报送，1项任务由责任单位报送"),
        ([], 0, NONE_NOW),
    ],
)
def test_the_summary_of_my_tasks_reads_true(states, overdue, text):
    assert rules.summary(states, overdue) == text


@pytest.mark.parametrize(
    "period, cycle, label, short",
    [
        (date(2026, 3, 1), MONTHLY, "2026年3月", "3月"),
        (date(2026, 10, 1), QUARTERLY, "2026年第4季度", "第4季度"),
    ],
)
def test_period_labels(period, cycle, label, short):
    assert rules.period_label(period, cycle) == label
    assert rules.short_period_label(period, cycle) == short


# ---------------------------------------------------------------- properties

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2098, 12, 31))
cycles = st.sampled_from([MONTHLY, QUARTERLY])
moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(SHANGHAI))


@given(day=days, cycle=cycles)
def test_a_day_lies_in_its_period_and_before_the_next(day, cycle):
    start = rules.period_start(day, cycle)
    after = rules.next_period(start, cycle)
    assert start.day == 1 and start <= day < after
    assert rules.period_start(start, cycle) == start
    assert rules.period_start(after, cycle) == after
    months = (after.year - start.year) * 12 + after.month - start.month
    assert months == rules.CYCLE_MONTHS[cycle]


@given(a=days, b=days, cycle=cycles)
def test_periods_are_consecutive_and_cover_the_span(a, b, cycle):
    start, end = min(a, b), max(a, b)
    ps = rules.periods(start, end, cycle)
    assert ps[0] == rules.period_start(start, cycle)
    assert ps[-1] == rules.period_start(end, cycle)
    assert all(rules.next_period(p, cycle) == q for p, q in zip(ps, ps[1:], strict=False))


@given(day=days, cycle=cycles, seconds=st.integers(0, 86399))
def test_every_moment_of_a_period_is_before_its_due_time(day, cycle, seconds):
    period = rules.period_start(day, cycle)
    moment = datetime.combine(day, datetime.min.time(), SHANGHAI) + timedelta(seconds=seconds)
    due = rules.report_due(period, cycle, SHANGHAI)
    assert moment < due
    assert rules.report_status(due, moment, due + timedelta(days=400)) == ON_TIME
    assert rules.editable(due, moment)


@given(due=moments, submitted=st.none() | moments, now=moments, later=st.timedeltas(timedelta(0), timedelta(days=900)))
def test_status_never_improves_with_time(due, submitted, now, later):
    """Waiting can turn 未到时限 into 未报送, never anything into 按时报送."""
    rank = {ON_TIME: 0, PENDING: 1, LATE: 2, MISSING: 2}
    before = rules.report_status(due, submitted, now)
    after = rules.report_status(due, submitted, now + later)
    assert rank[after] >= rank[before] or before == after
    if submitted is not None:
        assert before == after  # a submitted report's status is fixed by when it came in
    assert rules.counts_as_done(after) == (after == ON_TIME)


@given(values=st.lists(st.integers(0, 100), max_size=60))
def test_mean_progress_lies_between_the_extremes(values):
    mean = plan_rules.mean_progress(values)
    half = Decimal("0.05")  # the mean is rounded to one decimal
    assert min(values, default=0) - half <= mean <= max(values, default=0) + half


@given(
    earlier=st.none() | st.integers(0, 100),
    later=st.none() | st.integers(0, 100),
    progress=st.integers(0, 100),
    problems=st.text(max_size=5),
)
def test_only_a_figure_outside_its_neighbours_without_a_reason_is_refused(earlier, later, progress, problems):
    outside = (earlier is not None and progress < earlier) or (later is not None and progress > later)
    assert rules.needs_reason(earlier, later, progress, problems) == (outside and problems.strip() == "")


@given(reported=st.dictionaries(days, st.integers(0, 100), max_size=12), period=days)
def test_the_starting_figure_is_the_latest_report_before_the_period(reported, period):
    start = rules.last_before(reported, period)
    earlier = sorted(p for p in reported if p < period)
    assert start == (reported[earlier[-1]] if earlier else None)


@given(start=days, end=st.none() | days, today=days, cycle=cycles)
def test_owed_periods_are_within_the_span_and_reportable_ones_have_begun(start, end, today, cycle):
    owed = rules.owed_periods(start, end, cycle, today)
    assert owed and owed[0] == rules.period_start(start, cycle)
    last = end if end is not None else today
    assert owed[-1] == rules.period_start(max(start, last), cycle)
    for p in owed:
        assert rules.can_report_for(p, owed, cycle, today) == (p <= rules.period_start(today, cycle))


# ---------------------------------------------------------------- who reads a report

DISTRICT, STREET_A, STREET_B = "210103", "210103001", "210103002"
A1, A2, B1, GRID_A1 = "210103001001", "210103001002", "210103002001", "210103001001001"
DEPT, COMPANY = 7, 8


def office(path: str) -> rules.NamedUnit:
    return rules.NamedUnit(path=path, enclosing=frozenset(enclosing_paths(path)))


def org(pk: int) -> rules.NamedUnit:
    return rules.NamedUnit(organization_id=pk)


def reader(at: str | int | None) -> rules.Reader:
    """A reader at a region office (a path, "" for the whole tree) or of an organisation (an id)."""
    return rules.Reader(organization_id=at) if isinstance(at, int) else rules.Reader(office_path=at)


STREET_PLAN = (office(STREET_A), [org(DEPT)])  # street 甲's plan, the department leading the task
DISTRICT_PLAN = (office(DISTRICT), [office(STREET_A)])  # the district's, street 甲 leading


@pytest.mark.parametrize(
    "who, unit, plan, reads",
    [
        (A1, office(A1), STREET_PLAN, True),  # the unit itself
        (A2, office(A1), STREET_PLAN, False),  # the finding: another community of the same street
        (GRID_A1, office(A1), STREET_PLAN, False),  # a grid below the community is not its office
        (STREET_A, office(A1), STREET_PLAN, True),  # the issuing office
        (DISTRICT, office(A1), STREET_PLAN, True),  # above it
        ("", office(A1), STREET_PLAN, True),  # the whole tree
        (DEPT, office(A1), STREET_PLAN, True),  # the task's lead
        (COMPANY, office(A1), STREET_PLAN, False),
        (STREET_B, office(A1), STREET_PLAN, False),
        (None, office(A1), STREET_PLAN, False),  # no unit at all
        (DEPT, org(DEPT), DISTRICT_PLAN, True),  # an organisation reads its own
        (COMPANY, org(DEPT), DISTRICT_PLAN, False),
        (STREET_A, office(B1), DISTRICT_PLAN, True),  # a lead reads every unit of its task, in any street
        (DISTRICT, office(B1), DISTRICT_PLAN, True),
        (A1, office(B1), DISTRICT_PLAN, False),
        (STREET_B, office(B1), DISTRICT_PLAN, False),  # over the unit, but neither issuer nor lead
        (STREET_A, office(B1), (office(DISTRICT), [office(A1)]), True),  # over a lead community
        (A2, office(B1), (office(DISTRICT), [office(A1)]), False),
        (DEPT, office(B1), (office(DISTRICT), [office(A1)]), False),
    ],
)
def test_who_reads_a_report(who, unit, plan, reads):
    issuer, leads = plan
    assert rules.may_read_report(reader(who), unit, issuer, leads) is reads


@pytest.mark.parametrize(
    "parents, task, chain",
    [
        ({1: None, 2: 1, 3: 2}, 3, [3, 2, 1]),
        ({1: None, 2: 1, 3: 2}, 1, [1]),
        ({1: None, 2: 1, 4: 1}, 4, [4, 1]),
        ({}, 9, [9]),
        ({1: 2, 2: 1}, 1, [1, 2]),  # a loop (the tree never holds one) ends instead of spinning
    ],
)
def test_a_task_and_the_tasks_above_it(parents, task, chain):
    assert rules.task_and_above(parents, task) == chain


PATHS = [DISTRICT, STREET_A, STREET_B, A1, A2, B1, GRID_A1]
units = st.one_of(st.sampled_from(PATHS).map(office), st.sampled_from([DEPT, COMPANY]).map(org))
readers = st.one_of(st.none(), st.just(""), st.sampled_from(PATHS), st.sampled_from([DEPT, COMPANY]))


def over(who: str | int | None, unit: rules.NamedUnit) -> bool:
    """Written out with path prefixes, independently of the rule: the reader is the unit or an office over it."""
    if isinstance(who, int) or unit.organization_id is not None:
        return who == "" or who == unit.organization_id
    return who is not None and unit.path.startswith(who)


@given(who=readers, unit=units, issuer=st.sampled_from(PATHS[:3]).map(office), leads=st.lists(units, max_size=3))
def test_a_reader_is_the_unit_or_at_or_above_the_issuer_or_a_lead(who, unit, issuer, leads):
    itself = who == unit.organization_id if unit.organization_id is not None else who == unit.path
    expected = itself or over(who, issuer) or any(over(who, lead) for lead in leads)
    assert rules.may_read_report(reader(who), unit, issuer, leads) is expected
    if expected:  # one more lead never takes reading away
        assert rules.may_read_report(reader(who), unit, issuer, [*leads, office(B1)])
