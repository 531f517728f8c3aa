"""Pure rules of progress reporting: reporting periods and when a period's report is due, lateness (a report not in
by its due time counts as not done), which periods a task unit owes, which period a report may be made for, when a
report is locked, when a cumulative figure out of order with the other periods needs a reason, what a new report
starts from, what 我的任务's summary says, and who may read a report. No ORM."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.campaigns.plans.rules import MONTHLY, QUARTERLY

NOTICE_LABELS = {"supervise": gettext_lazy("督办"), "circular": gettext_lazy("通报")}

ON_TIME = "on_time"
LATE = "late"
MISSING = "missing"
PENDING = "pending"
REPORT_STATUS_LABELS = {
    ON_TIME: gettext_lazy("按时报送"),
    LATE: gettext_lazy("逾期报送（视为未完成）"),
    MISSING: gettext_lazy("未报送（视为未完成）"),
    PENDING: gettext_lazy("未到报送时限"),
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


BELOW_EARLIER = "below_earlier"
ABOVE_LATER = "above_later"


def out_of_order(earlier: int | None, later: int | None, progress: int) -> str | None:
    """Progress is cumulative, so a period's figure lies between the unit's report before it and its report after
    it (a late report for April sits between March's and May's). BELOW_EARLIER or ABOVE_LATER when it does not,
    None when it does or there is nothing to compare with."""
    if earlier is not None and progress < earlier:
        return BELOW_EARLIER
    if later is not None and progress > later:
        return ABOVE_LATER
    return None


def needs_reason(earlier: int | None, later: int | None, progress: int, problems: str) -> bool:
    """A figure out of order with the unit's other periods is refused unless 存在问题 says why (work found undone on
    inspection, a target raised, a later report found too high…), a drop and a late report's overshoot alike."""
    return out_of_order(earlier, later, progress) is not None and not problems.strip()


def last_before(progress_by_period: Mapping[date, int], period: date) -> int | None:
    """What a new report for `period` starts from: the unit's figure of the last period before it that it reported
    (a late April report starts from March's, never from July's)."""
    earlier = [p for p in progress_by_period if p < period]
    return progress_by_period[max(earlier)] if earlier else None


def period_label(period: date, cycle: str) -> str:
    """2026年3月, or 2026年第1季度."""
    if cycle == QUARTERLY:
        return _("%(year)s年第%(value)s季度") % {"year": period.year, "value": (period.month - 1) // 3 + 1}
    return _("%(year)s年%(month)s月") % {"year": period.year, "month": period.month}


def short_period_label(period: date, cycle: str) -> str:
    """3月 / 第1季度: how the overdue line names a period of the current year (3月未报送，视为未完成)."""
    return (
        _("第%(value)s季度") % {"value": (period.month - 1) // 3 + 1}
        if cycle == QUARTERLY
        else _("%(month)s月") % {"month": period.month}
    )


# ---------------------------------------------------------------- 我的任务: where each task stands this period

DUE_NOW = "due"  # this period's report is owed and not in
REPORTED = "reported"  # this period's report is in
ENDED = "ended"  # the task's reporting has ended: its last period is past
NOT_STARTED = "not_started"  # reporting has not begun: the plan's first period is still to come
BY_OTHERS = "by_others"  # a lead unit whose responsible units report


def current_state(owed: list[date], current: date, reported: bool) -> str:
    """Where a reporting task unit stands in the current period."""
    if current in owed:
        return REPORTED if reported else DUE_NOW
    return ENDED if owed and owed[-1] < current else NOT_STARTED


def summary(states: Iterable[str], overdue: int) -> str:
    """The line above 我的任务, from each task's current_state (or BY_OTHERS) and the number of tasks with past
    periods not reported: each clause true on its own, and when nothing is owed this period it says why."""
    counts = {state: 0 for state in (DUE_NOW, REPORTED, ENDED, NOT_STARTED, BY_OTHERS)}
    for state in states:
        counts[state] += 1
    parts = (
        [_("%(overdue)s项任务有逾期未报送的进度，可以补报（补报仍视为未完成）") % {"overdue": overdue}]
        if overdue
        else []
    )
    if counts[DUE_NOW]:
        parts.append(_("%(counts)s项任务本期待报送") % {"counts": counts[DUE_NOW]})
    elif counts[REPORTED]:
        parts.append(_("本期应报送的%(counts)s项任务均已报送") % {"counts": counts[REPORTED]})
    else:
        why = [
            _("%(counts)s项任务的报送期已结束") % {"counts": counts[ENDED]} if counts[ENDED] else "",
            _("%(counts)s项任务尚未开始报送") % {"counts": counts[NOT_STARTED]} if counts[NOT_STARTED] else "",
            _("%(counts)s项任务由责任单位报送") % {"counts": counts[BY_OTHERS]} if counts[BY_OTHERS] else "",
        ]
        why = [w for w in why if w]
        parts.append(_("本期没有需要本单位报送的进度") + (f"：{'，'.join(why)}" if why else ""))
    return "；".join(parts)


# ---------------------------------------------------------------- who reads a report


@dataclass(frozen=True)
class Reader:
    """The user reading, as units: their organisation, and the path of their own region node (their office; "" the
    whole tree, as for the administrator; None without one)."""

    organization_id: int | None = None
    office_path: str | None = None


@dataclass(frozen=True)
class NamedUnit:
    """A unit named on a plan (a task's unit, the plan's issuing office): an organisation, or a region office given
    by its path and the paths of every node whose subtree holds it, itself included (accounts.scope.enclosing_paths),
    so that "at or above it" is a lookup here, not a comparison of paths."""

    organization_id: int | None = None
    path: str | None = None
    enclosing: frozenset[str] = frozenset()


def is_unit(reader: Reader, unit: NamedUnit) -> bool:
    """The reader acts for the unit itself: its organisation, or that very region office (not one below it)."""
    if unit.organization_id is not None:
        return reader.organization_id == unit.organization_id
    return reader.office_path is not None and reader.office_path == unit.path


def at_or_above(reader: Reader, unit: NamedUnit) -> bool:
    """The reader acts for the unit, or for a region office over it (organisations have no office over them but the
    whole tree's)."""
    if reader.office_path == "":
        return True
    if unit.organization_id is not None:
        return reader.organization_id == unit.organization_id
    return reader.office_path is not None and reader.office_path in unit.enclosing


def may_read_report(reader: Reader, unit: NamedUnit, issuer: NamedUnit, leads: Iterable[NamedUnit]) -> bool:
    """Least privilege (issue 11): a report's text and 佐证材料 are read by the unit that made it, by the plan's
    issuing office, by the task's lead units, and by the offices above those two; every other unit that sees the
    plan reads its status grid (on time, late, completion) only. A unit's own superior office that is neither issuer
    nor lead does not read it either. `leads` are the lead units of the report's task and of the tasks above it."""
    return is_unit(reader, unit) or at_or_above(reader, issuer) or any(at_or_above(reader, lead) for lead in leads)


def task_and_above(parents: Mapping[int, int | None], task: int) -> list[int]:
    """The task and the tasks above it, nearest first (`parents`: task → parent, None at the top)."""
    chain: list[int] = []
    node: int | None = task
    while node is not None and node not in chain:
        chain.append(node)
        node = parents.get(node)
    return chain
