"""Pure rules of progress reporting: reporting periods and when a period's report is due, lateness (a report not in
by its due time counts as not done), which periods a task unit owes, which period a report may be made for, when a
report is locked, and when a drop in progress needs a reason. No ORM."""

from datetime import date, datetime, time, tzinfo

from linli.campaigns.plans.rules import MONTHLY, QUARTERLY

NOTICE_LABELS = {"supervise": "督办", "circular": "通报"}

ON_TIME = "on_time"
LATE = "late"
MISSING = "missing"
PENDING = "pending"
REPORT_STATUS_LABELS = {
    ON_TIME: "按时报送",
    LATE: "逾期报送（视为未完成）",
    MISSING: "未报送（视为未完成）",
    PENDING: "未到报送时限",
}
CYCLE_MONTHS = {MONTHLY: 1, QUARTERLY: 3}


def period_start(day: date, cycle: str) -> date:
    """The first day of the period that contains `day` (months, or calendar quarters)."""
    months = CYCLE_MONTHS[cycle]
    return date(day.year, (day.month - 1) // months * months + 1, 1)


def next_period(period: date, cycle: str) -> date:
    month = period.month - 1 + CYCLE_MONTHS[cycle]
    return date(period.year + month // 12, month % 12 + 1, 1)


def periods(start: date, end: date, cycle: str) -> list[date]:
    """Every period that overlaps [start, end], named by its first day."""
    out, p = [], period_start(start, cycle)
    while p <= end:
        out.append(p)
        p = next_period(p, cycle)
    return out


def report_due(period: date, cycle: str, tz: tzinfo) -> datetime:
    """每月底报送: a period's report is due by the end of its last day, i.e. before the next period begins."""
    return datetime.combine(next_period(period, cycle), time.min, tzinfo=tz)


def report_status(due_at: datetime, submitted_at: datetime | None, now: datetime) -> str:
    """A report not in by its due time counts as not done (001 篇5 每月底报送; 004 篇十一 未能及时上报的视为未完成)."""
    if submitted_at is not None:
        return ON_TIME if submitted_at < due_at else LATE
    return MISSING if now >= due_at else PENDING


def counts_as_done(status: str) -> bool:
    return status == ON_TIME


def plan_start(phase_starts: list[date], issued_on: date | None) -> date | None:
    """Reporting starts with the plan's first phase, or on the day it was issued when it has no phases."""
    return min(phase_starts) if phase_starts else issued_on


def task_end(due_on: date | None, phase_ends: list[date]) -> date | None:
    """Reporting on a task runs to its deadline, or to the end of the plan's last phase; None: open-ended."""
    return due_on or (max(phase_ends) if phase_ends else None)


def owed_periods(start: date | None, end: date | None, cycle: str, today: date) -> list[date]:
    """The periods a reporting unit owes a report for: from the plan's start to the task's end. An open-ended
    task owes up to the period holding `today`; a plan with no start date owes nothing yet."""
    if start is None:
        return []
    last = end if end is not None else today
    return periods(start, max(start, last), cycle)


def status_at(period: date, cycle: str, tz: tzinfo, submitted_at: datetime | None, now: datetime) -> str:
    return report_status(report_due(period, cycle, tz), submitted_at, now)


def can_report_for(period: date, owed: list[date], cycle: str, today: date) -> bool:
    """A unit reports for a period it owes that has begun: the current one, or a past one late (stored as 逾期报送
    and still counting as not done). Periods to come cannot be reported yet."""
    return period in owed and period <= period_start(today, cycle)


def editable(due_at: datetime, now: datetime) -> bool:
    """A report may be corrected until its due time; after that it is what the unit reported, and stays so."""
    return now < due_at


def drop_needs_reason(previous: int | None, progress: int, problems: str) -> bool:
    """Progress is cumulative: a figure below the unit's previous period's is refused unless 存在问题 says why
    (work found undone on inspection, a target raised…)."""
    return previous is not None and progress < previous and not problems.strip()


def period_label(period: date, cycle: str) -> str:
    """2026年3月, or 2026年第1季度."""
    if cycle == QUARTERLY:
        return f"{period.year}年第{(period.month - 1) // 3 + 1}季度"
    return f"{period.year}年{period.month}月"


def short_period_label(period: date, cycle: str) -> str:
    """3月 / 第1季度: how the overdue line names a period of the current year (3月未报送，视为未完成)."""
    return f"第{(period.month - 1) // 3 + 1}季度" if cycle == QUARTERLY else f"{period.month}月"
