"""The volunteers' statistics of a user's scope, or of a region within it: hours by team and by month, activities'
fill rates, volunteers' share of the residents, the star distribution. Every figure is a grouped count in the
database, so the page costs the same few queries at district size as for one community.

`region_measures` is the one definition of 注册志愿者占常住人口比例 and 人均志愿服务时长: the page's headline and
the campaign plans' measured targets (campaigns.plans.selectors.MEASURERS) both read it.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext

from linli.accounts import roles, scope
from linli.core.errors import PermissionDenied
from linli.regions.models import Region
from linli.regions.selectors import region_get
from linli.stats.selectors import persons_of

from .. import rules as volunteer_rules
from ..hours.selectors import thresholds_at
from ..models import Credit, SignUp, Volunteer
from ..selectors import activity_queryset, team_queryset, volunteer_queryset
from . import rules

MONTHS = 12  # the page's period: the twelve months up to this one
TOP_TEAMS = 15  # teams shown by name in the hours chart; the others are summed as 其他服务队
ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=12, decimal_places=1))


def _local_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def region_measures(path: str, start: datetime, end: datetime, roots=None) -> dict:
    """注册志愿者占常住人口比例 (%) and 人均志愿服务时长 (hours per resident) of the subtree at `path` ("" for the whole
    tree): active volunteers kept by its communities over the persons living in it, and the hours confirmed in
    [start, end) to those volunteers over the same persons. `roots`: the regions whose subtrees make up the scope
    (default: the node at `path`). Three queries."""
    roots = list(scope.scope_roots(path)) if roots is None else roots
    persons = persons_of(roots)
    volunteers = scope.within(Volunteer.objects.filter(state=volunteer_rules.ACTIVE), path, "region").count()
    credits = scope.within(Credit.objects.all(), path, "volunteer__region")
    hours = credits.filter(confirmed_at__gte=start, confirmed_at__lt=end).aggregate(h=Coalesce(Sum("hours"), ZERO))
    return {
        "persons": persons,
        "volunteers": volunteers,
        "hours": hours["h"],
        "volunteer_share": rules.percent(volunteers, persons),
        "volunteer_hours_per_capita": rules.per_capita(hours["h"], persons),
    }


def _stars(volunteers, thresholds: tuple[int, ...]) -> dict:
    reach = {f"s{i}": Count("pk", filter=Q(hours__gte=t)) for i, t in enumerate(thresholds)}
    row = volunteers.aggregate(total=Count("pk"), **reach)
    counts = rules.star_counts([row[f"s{i}"] for i in range(len(thresholds))], row["total"])
    labels = [gettext("未达星级")] + [
        gettext("%(value)s星（%(t)s小时）") % {"value": i + 1, "t": t} for i, t in enumerate(thresholds)
    ]
    return {"labels": labels, "counts": counts}


def _hours_by_month(credits, months: list[date]) -> list[Decimal]:
    rows = (
        credits.annotate(month=TruncMonth("confirmed_at"))
        .values("month")
        .annotate(h=Sum("hours"))
        .order_by()
        .values_list("month", "h")
    )
    by_month = {(m.date() if isinstance(m, datetime) else m): h for m, h in rows}
    return [by_month.get(m, Decimal(0)) for m in months]


def _hours_by_team(credits) -> list[dict]:
    rows = list(
        credits.values("activity__team_id", "activity__team__name")
        .annotate(h=Sum("hours"))
        .order_by("-h", "activity__team__name")
    )
    named = [{"team": r["activity__team__name"], "hours": r["h"]} for r in rows if r["activity__team_id"]]
    rest = sum((r["h"] for r in rows if not r["activity__team_id"]), Decimal(0))
    shown = named[:TOP_TEAMS]
    others = sum((r["hours"] for r in named[TOP_TEAMS:]), Decimal(0))
    if others:
        shown.append({"team": gettext("其他服务队"), "hours": others})
    if rest:
        shown.append({"team": gettext("未指定服务队"), "hours": rest})
    return shown


def _activities(activities, months: list[date]) -> dict:
    """Per month of the start: activities held or planned (published), cancelled, flagged short; the mean fill rate
    of those not cancelled; the fill bands; how many had a waiting list. Three queries."""
    published = activities.exclude(state=volunteer_rules.DRAFT)
    live = published.exclude(state=volunteer_rules.CANCELLED)
    rows = (
        published.annotate(month=TruncMonth("starts_at"))
        .values("month")
        .annotate(
            n=Count("pk"),
            cancelled=Count("pk", filter=Q(state=volunteer_rules.CANCELLED)),
            short=Count("pk", filter=Q(short=True)),
            taken=Coalesce(Sum("taken", filter=~Q(state=volunteer_rules.CANCELLED)), 0),
            places=Coalesce(Sum("max_people", filter=~Q(state=volunteer_rules.CANCELLED)), 0),
        )
        .order_by()
    )
    by_month = {(r["month"].date() if isinstance(r["month"], datetime) else r["month"]): r for r in rows}
    empty = {"n": 0, "cancelled": 0, "short": 0, "taken": 0, "places": 0}
    per_month = [by_month.get(m, empty) for m in months]
    # taken / max_people ≥ low%, in whole numbers: taken × 100 ≥ max_people × low.
    bands = {
        f"b{i}": Count("pk", filter=Q(t100__gte=F("max_people") * low)) for i, (low, _) in enumerate(rules.FILL_BANDS)
    }
    reach = live.annotate(t100=F("taken") * 100).aggregate(
        total=Count("pk"), taken=Coalesce(Sum("taken"), 0), places=Coalesce(Sum("max_people"), 0), **bands
    )
    at_least = [reach[f"b{i}"] for i in range(1, len(rules.FILL_BANDS))]
    waiting = SignUp.objects.filter(activity__in=published.values("pk"), state=volunteer_rules.WAITING)
    return {
        "held": [r["n"] - r["cancelled"] for r in per_month],
        "cancelled": [r["cancelled"] for r in per_month],
        "short": [r["short"] for r in per_month],
        "fill": [rules.percent(r["taken"], r["places"]) for r in per_month],
        "fill_rate": rules.percent(reach["taken"], reach["places"]),
        "bands": {
            "labels": [label for _, label in rules.FILL_BANDS],
            "counts": rules.star_counts(at_least, reach["total"]),
        },
        "total": sum(r["n"] for r in per_month),
        "with_waiting_list": waiting.values("activity_id").distinct().count(),
    }


def overview(*, user, region: int | None = None, today: date | None = None) -> dict:
    """Everything the statistics page and GET /api/v1/volunteers/stats show, for the user's scope or `region`
    within it (404 outside). The period: the twelve months up to today's. PermissionDenied without VIEW_VOLUNTEERS.
    """
    if not roles.can(user, roles.VOLUNTEERS, roles.VIEW_VOLUNTEERS):
        raise PermissionDenied(gettext("您没有查看志愿服务统计的权限"))
    node: Region | None = region_get(user=user, pk=region) if region else None
    path = node.path if node is not None else scope.region_path(user)
    today = today or timezone.localdate()
    months = rules.month_starts(today, MONTHS)
    start = _local_start(months[0])
    end = _local_start(today + timedelta(days=1))
    volunteers = scope.within(volunteer_queryset(user), path, "region")
    activities = scope.within(activity_queryset(user), path, "region").filter(starts_at__gte=start, starts_at__lt=end)
    credits = scope.within(Credit.objects.all(), path, "activity__region").filter(
        confirmed_at__gte=start, confirmed_at__lt=end
    )
    thresholds = thresholds_at(path)
    active = volunteers.filter(state=volunteer_rules.ACTIVE)
    measures = region_measures(path, start, end, roots=[node] if node is not None else None)
    return {
        "region": {"id": node.pk, "name": node.name} if node else None,
        "period": {"start": months[0], "end": today},
        "headline": {
            **measures,
            "teams": scope.within(team_queryset(user), path, "region").filter(active=True).count(),
            "total_hours": active.aggregate(h=Coalesce(Sum("hours"), ZERO))["h"],
        },
        "months": [rules.month_label(m) for m in months],
        "hours_by_month": _hours_by_month(credits, months),
        "hours_by_team": _hours_by_team(credits),
        "activities": _activities(activities, months),
        "stars": {**_stars(active, thresholds), "thresholds": list(thresholds)},
    }
