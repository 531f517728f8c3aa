"""Reads behind the indicator page's charts that selectors.py does not offer. They count the same cases as
selectors.indicators: received in [start, end) within the user's scope (and region), neither rejected nor merged,
so the charts add up to the table."""

from datetime import date, datetime

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from . import rules, selectors


def _counted(*, user, start: datetime, end: datetime, region: int | None) -> QuerySet:
    f = selectors.CaseFilter(region=region, received_from=start, received_to=end)
    qs = selectors.case_list(user=user, filters=f).select_related(None).order_by()
    return qs.exclude(state__in=rules.NOT_COUNTED)


def states_by_group(
    *, user, group: str, start: datetime, end: datetime, region: int | None = None
) -> dict[int | None, dict[str, int]]:
    """{group key: {state: cases}}, keyed like selectors.indicators rows (None: not dispatched / not located)."""
    field = selectors.GROUPS[group] + "_id"
    result: dict[int | None, dict[str, int]] = {}
    for row in _counted(user=user, start=start, end=end, region=region).values(field, "state").annotate(n=Count("pk")):
        result.setdefault(row[field], {})[row["state"]] = row["n"]
    return result


def received_by_month(*, user, start: datetime, end: datetime, region: int | None = None) -> dict[date, int]:
    """{first day of a local calendar month: cases received in it}; months without cases are absent."""
    month = TruncMonth("received_at", tzinfo=timezone.get_current_timezone())
    rows = _counted(user=user, start=start, end=end, region=region).annotate(month=month).values("month")
    return {r["month"].date(): r["n"] for r in rows.annotate(n=Count("pk")).order_by("month")}
