"""Reads of the work given to communities: the basis choices of an assigning form, the states of a module's rows
(for its own pages: 待准入 beside a unit), the held work a body may apply for, and the burden report.

Which rows a user sees is `burden.selectors` alone; this module reads through it.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.accounts import scope
from linli.core.errors import PermissionDenied
from linli.regions.models import Region

from .. import selectors as burden_selectors
from ..models import WorkRequest
from . import rules

# ---------------------------------------------------------------- the basis of an assigning form

NO_BASIS = ("", gettext_lazy("（暂无依据：待准入，交办后须申请准入）"))


def basis_choices(user) -> list:
    """The "依据" choices of a form that gives communities work, grouped: the two lists' active items and the
    access applications (approved, or being decided) of the user's district. Two queries."""
    districts = burden_selectors.user_district_ids(user)
    groups = {label: [] for label in rules.burden_rules.LIST_LABELS.values()}
    for item in burden_selectors.basis_items(districts).only("pk", "list", "number", "title"):
        groups[rules.burden_rules.LIST_LABELS[item.list]].append(
            (rules.basis_key(rules.ITEM, item.pk), f"{item.number}. {item.title}")
        )
    applications = []
    for app in burden_selectors.basis_applications(districts).only("pk", "title", "state"):
        suffix = "" if app.state == rules.burden_rules.APPROVED else _("（审批中）")
        applications.append(
            (
                rules.basis_key(rules.ACCESS, app.pk),
                _("准入：%(title)s%(suffix)s") % {"title": app.title, "suffix": suffix},
            )
        )
    choices = [NO_BASIS] + [(label, items) for label, items in groups.items() if items]
    if applications:
        choices.append((_("社区工作准入申请"), applications))
    return choices


def basis_of(source: str, source_ids) -> str:
    """The basis key shared by a module row's work (for an edit form's initial value): "" when none or mixed."""
    keys = {
        rules.basis_key(rules.ITEM, d) if d else rules.basis_key(rules.ACCESS, a) if a else ""
        for d, a in WorkRequest.objects.filter(source=source, source_id__in=list(source_ids)).values_list(
            "duty_item_id", "access_id"
        )
    }
    return keys.pop() if len(keys) == 1 else ""


def states_of(source: str, source_ids) -> dict[int, WorkRequest]:
    """The work rows of a module's rows, by source id (one query): what its pages show beside them."""
    return {
        w.source_id: w
        for w in WorkRequest.objects.filter(source=source, source_id__in=list(source_ids)).only(
            "pk", "source_id", "state", "community_id", "access_id"
        )
    }


def work_annotations(source: str, ref: str = "pk") -> dict:
    """Annotations for a module's queryset of its rows: `work_state` and `work_id` of the work each gave a
    community (None for a row that gave none), so its pages show 待准入 without another query."""
    rows = WorkRequest.objects.filter(source=source, source_id=OuterRef(ref)).order_by("pk")
    return {"work_state": Subquery(rows.values("state")[:1]), "work_id": Subquery(rows.values("pk")[:1])}


def work_of(source: str, source_id: int) -> list[WorkRequest]:
    """The work one module row gave communities (e.g. a survey's forms), with the communities: for its page."""
    rows = WorkRequest.objects.filter(source=source, source_id=source_id).select_related("community")
    return list(rows.order_by("community__path"))


def held_work(user) -> QuerySet:
    """Held work the user's own body asked for: what it may apply for (待准入)."""
    return (
        burden_selectors.work_queryset(user)
        .filter(burden_selectors.asked_by_q(user), state=rules.HELD)
        .select_related("community")
        .order_by("-created_at", "-id")
    )


def work_list(user, *, state: str = "", community_id: int | None = None) -> QuerySet:
    qs = burden_selectors.work_queryset(user).select_related("community", "duty_item", "access")
    if state:
        qs = qs.filter(state=state)
    if community_id:
        qs = qs.filter(community_id=community_id)
    return qs.order_by("-created_at", "-id")


# ---------------------------------------------------------------- the burden report


@dataclass
class Line:
    """A row of the report: a community or a requesting body, month by month."""

    name: str
    cells: dict[date, rules.Tally] = field(default_factory=lambda: defaultdict(rules.Tally))
    total: rules.Tally = field(default_factory=rules.Tally)

    def row(self, months: list[date]) -> list[rules.Tally]:
        return [self.cells.get(m) or rules.Tally() for m in months]


@dataclass
class Report:
    months: list[date]
    trend: Line
    communities: list[Line]
    requesters: list[Line]

    def chart(self) -> dict:
        """The trend chart's data (the same figures as the table beside it)."""
        cells = self.trend.row(self.months)
        return {
            "months": [f"{m:%Y-%m}" for m in self.months],
            "unlisted": [c.unlisted for c in cells],
            "listed": [c.by_state[rules.LISTED] for c in cells],
            "share": [c.unlisted_share for c in cells],
        }


def report_communities(user) -> QuerySet:
    """The communities the user's report may be narrowed to."""
    path = burden_selectors.report_path(user)
    return scope.subtree(path, Region.objects.filter(level=Region.Level.COMMUNITY)).order_by("path")


def burden_report(*, user, months: list[date], community_id: int | None = None,
                  requester: str = "") -> Report:  # fmt: skip
    """Work asked of the communities of the user's subtree, per month of asking: per community and per requesting
    body, tasks / reports / forms and listed / admitted / held / declined. One query, whatever the size."""
    path = burden_selectors.report_path(user)
    if path is None:
        raise PermissionDenied(_("只有区、街道、社区工作人员可以查看减负报表"))
    tz = timezone.get_current_timezone()
    start = datetime.combine(months[0], time.min, tzinfo=tz)
    last = months[-1]
    end_month = date(last.year + (last.month == 12), last.month % 12 + 1, 1)
    qs = scope.within(WorkRequest.objects.all(), path, "community").filter(
        created_at__gte=start, created_at__lt=datetime.combine(end_month, time.min, tzinfo=tz)
    )
    if community_id:
        qs = qs.filter(community_id=community_id)
    if requester:
        qs = qs.filter(requester=requester)
    rows = (
        qs.annotate(month=TruncMonth("created_at", tzinfo=tz))
        .values("community__path", "community__name", "requester", "month", "kind", "state")
        .annotate(n=Count("id"))
        .order_by()
    )
    trend = Line(_("合计"))
    communities: dict[str, Line] = {}
    requesters: dict[str, Line] = {}
    for r in rows:
        month = r["month"].date() if isinstance(r["month"], datetime) else r["month"]
        community = communities.setdefault(r["community__path"], Line(r["community__name"]))
        body = requesters.setdefault(r["requester"], Line(r["requester"] or _("（未注明）")))
        for line in (trend, community, body):
            line.cells[month].add(r["kind"], r["state"], r["n"])
            line.total.add(r["kind"], r["state"], r["n"])
    return Report(
        months=months,
        trend=trend,
        communities=[communities[k] for k in sorted(communities)],
        requesters=sorted(requesters.values(), key=lambda line: (-line.total.unlisted, line.name)),
    )
