"""Pure rules of the indicator report (考核指标): its named periods, what it groups by and how it sorts."""

from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from .. import rules

GROUP_LABELS = {"department": _("部门"), "street": _("街道"), "community": _("社区")}
PERIODS = {
    "this_month": _("本月"),
    "last_month": _("上月"),
    "this_quarter": _("本季度"),
    "this_year": _("本年"),
    "custom": _("自定义"),
}
SORTS = {**rules.INDICATOR_LABELS, "cases": _("案件数")}
DEFAULT_SORT = "on_time_rate"


# Until this day of the month the page opens on last month: a few days of this one rank units on a handful of cases.
LAST_MONTH_UNTIL_DAY = 10


def default_period(today: date) -> str:
    """The named period the page opens on."""
    return "last_month" if today.day <= LAST_MONTH_UNTIL_DAY else "this_month"


def period_dates(period: str, today: date) -> tuple[date, date]:
    """First and last day (both included) of a named period around `today`."""
    if period == "last_month":
        last = today.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    if period == "this_quarter":
        first = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    elif period == "this_year":
        first = date(today.year, 1, 1)
    else:
        first = today.replace(day=1)
    months = {"this_quarter": 3, "this_year": 12}.get(period, 1)
    after = date(first.year + (first.month - 1 + months) // 12, (first.month - 1 + months) % 12 + 1, 1)
    return first, after - timedelta(days=1)


def sort_key(sort: str):
    """Rows by their rank on the indicator (unranked last), or by their number of cases, most first; then the
    groups without a department or place, then by name."""
    if sort == "cases":
        return lambda row: (-row.counts.cases, row.key is None, row.name)
    return lambda row: (row.ranks[sort] is None, row.ranks[sort] or 0, row.key is None, row.name)


def chart_months(first: date, last: date, today: date) -> list[date]:
    """The first days of the months from `first` to `last`, up to `today`: months still to come would read as
    months without cases."""
    months, day, until = [], first.replace(day=1), min(last, today)
    while day <= until:
        months.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return months
