"""Pure rules of progress reporting that sit on top of rules.py's periods and lateness: which periods a task unit
owes, which period a report may be made for, when a report is locked, and when a drop in progress needs a reason.
No ORM."""

from datetime import date, datetime, tzinfo

from . import rules


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
    return rules.periods(start, max(start, last), cycle)


def status_at(period: date, cycle: str, tz: tzinfo, submitted_at: datetime | None, now: datetime) -> str:
    return rules.report_status(rules.report_due(period, cycle, tz), submitted_at, now)


def can_report_for(period: date, owed: list[date], cycle: str, today: date) -> bool:
    """A unit reports for a period it owes that has begun: the current one, or a past one late (stored as 逾期报送
    and still counting as not done). Periods to come cannot be reported yet."""
    return period in owed and period <= rules.period_start(today, cycle)


def editable(due_at: datetime, now: datetime) -> bool:
    """A report may be corrected until its due time; after that it is what the unit reported, and stays so."""
    return now < due_at


def drop_needs_reason(previous: int | None, progress: int, problems: str) -> bool:
    """Progress is cumulative: a figure below the unit's previous period's is refused unless 存在问题 says why
    (work found undone on inspection, a target raised…)."""
    return previous is not None and progress < previous and not problems.strip()


def period_label(period: date, cycle: str) -> str:
    """2026年3月, or 2026年第1季度."""
    if cycle == rules.QUARTERLY:
        return f"{period.year}年第{(period.month - 1) // 3 + 1}季度"
    return f"{period.year}年{period.month}月"


def short_period_label(period: date, cycle: str) -> str:
    """3月 / 第1季度: how the overdue line names a period of the current year (3月未报送，视为未完成)."""
    return f"第{(period.month - 1) // 3 + 1}季度" if cycle == rules.QUARTERLY else f"{period.month}月"
