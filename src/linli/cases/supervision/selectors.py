"""Reads of 督办 and 考核指标: the cases to watch (overdue, yellow light), and the indicator report with its charts.
The report counts the same cases as selectors.indicators: received in [start, end) within the user's scope (and
region), neither rejected nor merged, so the charts add up to the table."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from linli.core.dates import day_bounds
from linli.regions.selectors import region_list
from linli.stats.selectors import case_days, cases_by_month
from linli.workdays import services as workdays

from .. import access, rules, selectors
from ..models import Case
from . import rules as srules

# ---------------------------------------------------------------- the cases to watch

TABS = {"overdue": gettext_lazy("超期案件"), "yellow": gettext_lazy("黄灯预警")}


def watch_list(*, user, tab: str, now: datetime) -> QuerySet:
    """Open cases past their deadline, the longest overdue first; or (tab "yellow") those on yellow light, the
    nearest deadline first. Only for supervisors (access.check_supervisor)."""
    if tab == "yellow":
        access.check_supervisor(user)
        f = selectors.CaseFilter(light=rules.YELLOW)
        return selectors.case_list(user=user, filters=f, now=now).order_by("due_at", "id")
    return selectors.overdue(user=user, now=now)


@dataclass
class Watched:
    case: Case
    light: str
    seconds: int  # working time past the deadline (red), or left before it (yellow)


def watched(cases, *, now: datetime) -> list[Watched]:
    """The light of each case and its working time past or before the deadline, the clock stopped at feedback."""
    calendar = workdays.Calendar()  # one read of the calendar for the page, not one per row
    result = []
    for case in cases:
        light = rules.light(now, case.warn_at, case.due_at, case.feedback_at)
        clock = min(now, case.feedback_at) if case.feedback_at else now  # stopped at feedback, as the light
        start, end = (case.due_at, clock) if light == rules.RED else (clock, case.due_at)
        result.append(Watched(case, light, workdays.working_seconds_between(start, end, calendar)))
    return result


# ---------------------------------------------------------------- the indicator report


@dataclass
class Report:
    group: str
    first: date
    last: date
    region: object  # the region node the report is narrowed to, or None
    sort: str | None
    rows: list[selectors.IndicatorRow]
    total: rules.Indicators
    total_counts: rules.Counts
    start: datetime
    end: datetime

    @property
    def group_label(self) -> str:
        return srules.GROUP_LABELS[self.group]

    @property
    def filename(self) -> str:
        return gettext("考核指标_%(group_label)s_%(isoformat)s_%(isoformat2)s.xlsx") % {
            "group_label": self.group_label,
            "isoformat": self.first.isoformat(),
            "isoformat2": self.last.isoformat(),
        }


def indicator_report(
    *, user, group: str, first: date, last: date, region: int | None = None, sort: str | None = None
) -> Report:
    """The six indicators per department, street or community for the cases received from `first` to `last`
    (both included), ranked, with their totals; rows in the order of `sort` (see cases.supervision.rules.sort_key), or
    of the group's id. Only for those who may see indicators (access.check_indicator_viewer)."""
    access.check_indicator_viewer(user)
    start, end = day_bounds(first, last)
    rows = selectors.indicators(user=user, group=group, start=start, end=end, region=region)
    if sort:
        rows.sort(key=srules.sort_key(sort))
    counts = selectors.total_counts(rows)
    node = region_list(user=user).filter(pk=region).first() if region else None
    return Report(group, first, last, node, sort, rows, selectors.indicators_of(counts), counts, start, end)


def _counted(*, user, start: datetime, end: datetime, region: int | None) -> QuerySet:
    f = selectors.CaseFilter(region=region, received_from=start, received_to=end)
    qs = selectors.case_list(user=user, filters=f).select_related(None).order_by()
    return qs.exclude(state__in=rules.NOT_COUNTED)


def states_by_group(
    *, user, group: str, start: datetime, end: datetime, region: int | None = None
) -> dict[int | None, dict[str, int]]:
    """{group key: {state: cases}}, keyed like selectors.indicators rows (None: not dispatched / not located).
    Where the case summaries answer (selectors.summed) only the open cases are counted here, the closed and the
    deferred (缓办) ones come from the summaries."""
    field = selectors.GROUPS[group] + "_id"
    span = selectors.summed(user=user, start=start, end=end, region=region)
    result: dict[int | None, dict[str, int]] = {}
    if not span:
        for row in (
            _counted(user=user, start=start, end=end, region=region).values(field, "state").annotate(n=Count("pk"))
        ):
            result.setdefault(row[field], {})[row["state"]] = row["n"]
        return result
    # The open cases of the scope, the period checked here: given the time of receipt, the database would read
    # every case of the period through its index rather than the few open ones.
    qs = selectors.case_list(user=user, filters=selectors.CaseFilter(region=region, states=tuple(rules.OPEN_STATES)))
    for key, state, at in qs.select_related(None).order_by().values_list(field, "state", "received_at"):
        if start <= at < end:
            counts = result.setdefault(key, {})
            counts[state] = counts.get(state, 0) + 1
    for key, counts in case_days(roots=span.roots, kind=group, start=span.first, end=span.end).items():
        for state, n in ((rules.CLOSED, counts["closed"]), (rules.DEFERRED, counts["deferred"])):
            if n:
                result.setdefault(key, {})[state] = n
    return result


def received_by_month(*, user, start: datetime, end: datetime, region: int | None = None) -> dict[date, int]:
    """{first day of a local calendar month: cases received in it}; months without cases are absent. From the
    case summaries where they answer (selectors.summed)."""
    span = selectors.summed(user=user, start=start, end=end, region=region)
    if span:
        return cases_by_month(roots=span.roots, start=span.first, end=span.end)
    month = TruncMonth("received_at", tzinfo=timezone.get_current_timezone())
    rows = _counted(user=user, start=start, end=end, region=region).annotate(month=month).values("month")
    return {r["month"].date(): r["n"] for r in rows.annotate(n=Count("pk")).order_by("month")}


def indicator_charts(*, user, report: Report) -> dict:
    """The report's charts: the groups ranked on the report's sort, their cases by state, the cases by month."""
    chart_on = report.sort or srules.DEFAULT_SORT
    ranked = [row for row in report.rows if row.key is not None]
    if chart_on == "cases":
        ranking = [(row.name, row.counts.cases) for row in ranked]
    else:
        ranking = [(row.name, float(getattr(row.values, chart_on))) for row in ranked if row.ranks[chart_on]]
    region = report.region and report.region.pk
    states = states_by_group(user=user, group=report.group, start=report.start, end=report.end, region=region)
    names = {row.key: row.name for row in report.rows}
    order = [row.key for row in report.rows]
    months = received_by_month(user=user, start=report.start, end=report.end, region=region)
    month_keys = srules.chart_months(report.first, report.last, timezone.localdate())
    return {
        "ranking": {
            "label": srules.SORTS[chart_on],
            "unit": {"cases": gettext("件"), "avg_handling_hours": gettext("工作小时")}.get(chart_on, "%"),
            "names": [name for name, _ in ranking],
            "values": [value for _, value in ranking],
        },
        "states": {
            "groups": [names[k] for k in order],
            "series": [
                {"name": rules.STATE_LABELS[s], "counts": [states.get(k, {}).get(s, 0) for k in order]}
                for s in rules.STATE_LABELS
                if s not in rules.NOT_COUNTED
            ],
        },
        "monthly": {
            "months": [gettext("%(year)s年%(month)s月") % {"year": m.year, "month": m.month} for m in month_keys],
            "counts": [months.get(m, 0) for m in month_keys],
        },
    }
