"""Reads of campaign plans, always through the user's scope.

Who sees a plan: users whose region lies in the plan's region subtree or above it (a district user sees a street's
plan; a community worker sees the district's), organisations named as a unit on one of its tasks, and
organisations whose region lies in the plan's subtree. Who writes one: admin, district and street staff whose region
contains the plan's region.
"""

from dataclasses import dataclass, field, fields
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.accounts import roles, scope
from linli.accounts.scope import get_or_404, in_subtree
from linli.burden.work import selectors as work_selectors
from linli.cases import rules as case_rules
from linli.cases.models import Assignment, Case
from linli.cases.selectors import counts_query, indicators_of
from linli.core.dates import day_bounds
from linli.organizations.models import Organization
from linli.property import selectors as property_selectors
from linli.regions import rules as region_rules
from linli.regions.models import Region
from linli.volunteers.stats import selectors as volunteer_stats

from ..models import Plan, ProgressReport, Target, Task, TaskUnit
from ..progress import rules as progress_rules
from . import rules


def plan_queryset(user) -> QuerySet:
    qs = Plan.objects.all()
    if roles.effective_role(user) is None:
        return qs.none()
    if roles.is_admin(user):
        return qs
    q = Q(pk__in=[])
    if roles.in_group(user, roles.REGION_ROLES) and user.region_id:
        q |= scope.subtree_or_above_q(user.region.path, "region")
    if user.organization_id:
        named = TaskUnit.objects.filter(organization_id=user.organization_id).values("task__plan_id")
        q |= Q(pk__in=named) | Q(region__in=scope.ancestors_or_self(user.organization.region.path))
    return qs.filter(q)


def plan_list(user, *, status: str | None = None, region: int | None = None, year: int | None = None) -> QuerySet:
    """The plans the user sees, filtered by status, by region (that region's and those below it) and by year."""
    qs = plan_queryset(user).select_related("region")
    if status in rules.PLAN_STATUS_LABELS:
        qs = qs.filter(status=status)
    if region is not None:
        picked = Region.objects.filter(pk=region).first()
        qs = scope.within(qs, picked.path if picked else None, "region")
    if year is not None:
        qs = qs.filter(issued_on__year=year)
    return qs


def list_regions() -> QuerySet:
    """The regions the plan list may be filtered by: the district and its streets."""
    return Region.objects.filter(level__lte=region_rules.STREET)


def plan_get(user, pk: int) -> Plan:
    """One plan in the user's scope, with its region; Http404 when missing or out of scope."""
    return get_or_404(plan_queryset(user).select_related("region"), pk=pk)


def can_create_in(user, region) -> bool:
    """Whether the user may draw up a plan for `region` (their own office's region or one below it)."""
    return roles.can(user, roles.CAMPAIGNS, roles.EDIT_PLANS) and scope.office_covers(user, region)


def can_edit_plan(user, plan: Plan) -> bool:
    return can_create_in(user, plan.region)


def plan_regions(user) -> QuerySet:
    """The regions the user may draw up a plan for (districts, streets and communities): the plan form's choices."""
    if not roles.can(user, roles.CAMPAIGNS, roles.EDIT_PLANS):
        return Region.objects.none()
    return scope.office_regions(user, Region.objects.filter(level__lt=region_rules.GRID))


# ---------------------------------------------------------------- period and units


def plan_period_of(plan: Plan) -> tuple[date, date | None]:
    """The plan's period: from its issue date (or its first phase) to the end of its last phase; None while it has
    no phases (open-ended). Reads `plan.phases.all()`, so prefetch it on lists."""
    phases = list(plan.phases.all())
    starts = [p.starts_on for p in phases]
    start = plan.issued_on or (min(starts) if starts else plan.created_at.date() if plan.created_at else date.today())
    return start, (max(p.ends_on for p in phases) if phases else None)


def measure_window(plan: Plan, today: date) -> tuple[date, date]:
    """The days the system measures a plan's targets over: its period, cut at today."""
    start, end = plan_period_of(plan)
    end = today if end is None or end > today else end
    return start, max(start, end)


def unit_candidates(plan: Plan) -> tuple[QuerySet, QuerySet]:
    """(organisations, region offices) that may be named on the plan's tasks: organisations serving the plan's
    region, a region above it or one below it; offices of the plan's region and the streets and communities in it."""
    path = plan.region.path
    orgs = Organization.objects.filter(scope.subtree_or_above_q(path, "region"))
    offices = scope.subtree(path, Region.objects.filter(level__lt=region_rules.GRID))
    return orgs, offices


UNIT_GROUPS = (_("职能部门"), _("物业企业"), _("区/街道"), _("社区"))


def unit_choices(plan: Plan) -> list[tuple[str, list[tuple[str, str]]]]:
    """The units for the task form, grouped 职能部门 / 物业企业 / 区/街道 / 社区, as (key, name); two queries."""
    orgs, offices = unit_candidates(plan)
    groups = {g: [] for g in UNIT_GROUPS}
    for pk, kind, name in orgs.order_by("kind", "name").values_list("pk", "kind", "name"):
        groups["职能部门" if kind == "department" else "物业企业"].append((f"org:{pk}", name))
    for pk, level, name in offices.order_by("path").values_list("pk", "level", "name"):
        groups["社区" if level == region_rules.COMMUNITY else "区/街道"].append((f"region:{pk}", name))
    return [(g, items) for g, items in groups.items() if items]


def unit_key(task_unit: TaskUnit) -> str:
    return f"org:{task_unit.organization_id}" if task_unit.organization_id else f"region:{task_unit.region_id}"


# ---------------------------------------------------------------- targets measured from the system


@dataclass
class TargetRow:
    target: Target
    label: str  # 整改率≥90%
    actual: Decimal | None
    met: bool | None  # None: no figure yet (暂无数据)
    source: str  # how the figure is obtained


def _complaint_rate(plan: Plan, now: datetime) -> dict:
    """投诉率 against the property companies of the plan's region over the measured days (property.selectors)."""
    start, end = day_bounds(*measure_window(plan, timezone.localdate(now)))
    return property_selectors.complaint_rate(plan.region.path, start, end)


def _case_rates(plan: Plan, now: datetime) -> dict:
    """结案率, 按期处置率, 满意率 of the events (事件) received in the plan's region during its period, counted exactly
    as the case indicators count them."""
    start, end = day_bounds(*measure_window(plan, timezone.localdate(now)))
    qs = Case.objects.filter(
        in_subtree("region", plan.region.path), kind=case_rules.EVENT, received_at__gte=start, received_at__lt=end
    )
    # One row per street (the indicators' coarsest group), summed: the plan's region as a whole.
    rows = counts_query(qs.order_by(), Assignment.objects.filter(case__in=qs.values("pk")), "street", now)
    names = [f.name for f in fields(case_rules.Counts)]
    values = indicators_of(case_rules.Counts(**{k: sum(r[k] for r in rows) for k in names}))
    return {
        "case_close_rate": values.close_rate,
        "case_on_time_rate": values.on_time_rate,
        "case_satisfaction": values.satisfaction_rate,
    }


def rectification_rates(plan: Plan, *, now: datetime | None = None) -> dict:
    """整改率 (closed findings / all findings) and 整改及时率 (closed on time / all findings) of the plan, in percent
    (None without findings), over every finding of the plan whoever asks: the plan's targets measure the plan."""
    counts = (
        plan.cases.filter(kind=case_rules.RECTIFICATION)
        .exclude(state__in=case_rules.NOT_COUNTED)
        .aggregate(
            total=Count("pk"),
            closed=Count("pk", filter=Q(state=case_rules.CLOSED)),
            on_time=Count("pk", filter=Q(state=case_rules.CLOSED, on_time=True)),
        )
    )
    return {
        "rectification_rate": rules.percent(counts["closed"], counts["total"]),
        "rectification_on_time": rules.percent(counts["on_time"], counts["total"]),
        "findings": counts["total"],
        "closed": counts["closed"],
        "closed_on_time": counts["on_time"],
    }


def _volunteering(plan: Plan, now: datetime) -> dict:
    """注册志愿者占常住人口比例 and 人均志愿服务时长 of the plan's region, the hours confirmed during its period
    (volunteers.stats.selectors.region_measures, as the volunteers' statistics count them)."""
    start, end = day_bounds(*measure_window(plan, timezone.localdate(now)))
    return volunteer_stats.region_measures(plan.region.path, start, end)


MEASURERS = {
    "property_rate": lambda plan, now: {"property_rate": property_selectors.property_rate(plan.region.path)},
    "complaint_rate": _complaint_rate,
    "case_close_rate": _case_rates,
    "case_on_time_rate": _case_rates,
    "case_satisfaction": _case_rates,
    "rectification_rate": lambda plan, now: rectification_rates(plan),
    "rectification_on_time": lambda plan, now: rectification_rates(plan),
    "volunteer_share": _volunteering,
    "volunteer_hours_per_capita": _volunteering,
}


def plan_targets(plan: Plan, now: datetime | None = None) -> list[TargetRow]:
    """Every target of the plan with its current figure: measured from the system, or the reported one. Each kind of
    measure is computed once whatever the number of targets (at most four queries besides the targets)."""
    now = now or timezone.now()
    targets = list(plan.targets.all())
    measured: dict = {}
    for measure in {t.measure for t in targets} - {rules.REPORTED}:
        if measure not in measured:
            measured.update(MEASURERS[measure](plan, now))
    rows = []
    for t in targets:
        actual = t.reported_value if t.measure == rules.REPORTED else measured.get(t.measure)
        label = rules.target_label(t.indicator, t.comparator, t.value, t.unit)
        met = rules.target_met(actual, t.comparator, t.value)
        rows.append(TargetRow(t, label, actual, met, rules.MEASURE_LABELS[t.measure]))
    return rows


# ---------------------------------------------------------------- task tree and completion


@dataclass
class TaskNode:
    task: Task
    number: str  # 1, 1.2, 1.2.1
    depth: int
    completion: Decimal = Decimal(0)
    leads: list[TaskUnit] = field(default_factory=list)
    responsibles: list[TaskUnit] = field(default_factory=list)
    children: list["TaskNode"] = field(default_factory=list)

    @property
    def reporting(self) -> list[TaskUnit]:
        units = self.leads + self.responsibles
        named = [u.role for u in units]
        return [u for u in units if rules.reports_on(u.role, named)]


@dataclass
class TaskTree:
    roots: list[TaskNode]
    nodes: list[TaskNode]  # depth first, in order
    completion: Decimal  # the plan's

    def node(self, task_id: int) -> TaskNode:
        return next(n for n in self.nodes if n.task.pk == task_id)


def task_tree(plan: Plan) -> TaskTree:
    """The plan's tasks as a numbered tree with units and completion: a leaf's completion is the mean of its
    reporting units' latest progress reported on time, parents roll up by weight (rules.rollup). Two queries
    whatever the size."""
    tasks = list(Task.objects.filter(plan=plan).order_by("order", "id"))
    # 未能及时上报的视为未完成 (004 篇十一): a late report does not move completion (progress.rules.report_status).
    on_time = ProgressReport.objects.filter(task_unit=OuterRef("pk"), submitted_at__lt=F("due_at"))
    latest = on_time.order_by("-period").values("progress")[:1]
    units = (
        TaskUnit.objects.filter(task__plan=plan)
        .select_related("organization", "region")
        .annotate(latest=Subquery(latest), **work_selectors.work_annotations(rules.WORK_SOURCE))
        .order_by("role", "id")
    )
    nodes = {t.pk: TaskNode(t, "", 0) for t in tasks}
    for u in units:
        node = nodes[u.task_id]
        (node.leads if rules.is_lead(u.role) else node.responsibles).append(u)
    roots = []
    for t in tasks:
        (nodes[t.parent_id].children if t.parent_id in nodes else roots).append(nodes[t.pk])
    leaves = {pk: rules.mean_progress([u.latest or 0 for u in n.reporting]) for pk, n in nodes.items()}
    done = rules.rollup({t.pk: t.parent_id for t in tasks}, {t.pk: t.weight for t in tasks}, leaves)
    flat: list[TaskNode] = []

    def walk(siblings: list[TaskNode], prefix: str, depth: int) -> None:
        for i, n in enumerate(siblings, 1):
            n.number, n.depth, n.completion = f"{prefix}{i}", depth, done[n.task.pk]
            flat.append(n)
            walk(n.children, f"{n.number}.", depth + 1)

    walk(roots, "", 0)
    weights = {n.task.pk: n.task.weight for n in roots}
    return TaskTree(roots, flat, rules.plan_completion([n.task.pk for n in roots], weights, done))


def current_phase(phases, today: date):
    return next((p for p in phases if p.starts_on <= today <= p.ends_on), None)


def task_get(user, plan_id: int, task_id: int) -> Task:
    """A task of a plan the user sees; Http404 otherwise."""
    return get_or_404(Task.objects.filter(plan__in=plan_queryset(user)), plan_id=plan_id, pk=task_id)


def target_get(user, plan_id: int, target_id: int) -> Target:
    """A target of a plan the user sees, with its plan; Http404 otherwise."""
    qs = Target.objects.filter(plan__in=plan_queryset(user)).select_related("plan__region")
    return get_or_404(qs, plan_id=plan_id, pk=target_id)


# ---------------------------------------------------------------- the plan page


@dataclass
class PlanDetail:
    """A plan as its page and the API show it: its rows, targets with their figures, the task tree and phases."""

    plan: Plan
    can_edit: bool
    targets: list[TargetRow]
    tree: TaskTree
    phases: list
    period: tuple[date, date | None]
    today: date

    @property
    def editable(self) -> bool:
        """Tasks may be added and changed: by an editor, until the plan is finished."""
        return self.can_edit and self.plan.status != rules.FINISHED

    @property
    def current_phase(self):
        return current_phase(self.phases, self.today)

    @property
    def group(self) -> list[tuple[str, list]]:
        """The leading group by duty (组长, 副组长, 成员, 办公室主任) in the plan's order."""
        out: dict[str, list] = {}
        for m in self.plan.group.all():
            out.setdefault(rules.DUTY_LABELS[m.duty], []).append(m)
        return list(out.items())


def plan_with_rows(user, pk: int) -> Plan:
    """A plan in the user's scope with its sections, leading group and phases; Http404 otherwise."""
    qs = plan_queryset(user).select_related("region").prefetch_related("sections", "group", "phases")
    return get_or_404(qs, pk=pk)


def plan_detail(user, pk: int, now: datetime | None = None) -> PlanDetail:
    now = now or timezone.now()
    plan = plan_with_rows(user, pk)
    return PlanDetail(
        plan=plan,
        can_edit=can_edit_plan(user, plan),
        targets=plan_targets(plan, now),
        tree=task_tree(plan),
        phases=list(plan.phases.all()),
        period=plan_period_of(plan),
        today=timezone.localdate(now),
    )


# ---------------------------------------------------------------- dashboard


@dataclass
class UnitRow:
    key: str
    name: str
    completion: Decimal  # mean latest progress over the unit's reporting tasks
    tasks: int
    late: int = 0  # reports in after their due time
    missing: int = 0  # periods already due with no report


@dataclass
class PhaseRow:
    phase: object
    tasks: list[TaskNode]  # leaf tasks due within the phase
    done: int
    current: bool


@dataclass
class Dashboard:
    tree: TaskTree
    units: list[UnitRow]
    phases: list[PhaseRow]


@dataclass
class DashboardPage:
    plans: list[Plan]  # the issued and finished plans the user sees, to choose from
    plan: Plan | None
    board: Dashboard | None


def dashboard(user, plan_id: int | None = None, now: datetime | None = None) -> DashboardPage:
    """The dashboard of `plan_id`, or of the first plan the user may choose (Http404 for a plan out of scope)."""
    plans = list(plan_queryset(user).exclude(status=rules.DRAFT).only("pk", "title")[:200])
    if plan_id is None and plans:
        plan_id = plans[0].pk
    if plan_id is None:
        return DashboardPage(plans, None, None)
    plan = plan_with_rows(user, plan_id)
    return DashboardPage(plans, plan, plan_dashboard(plan, now))


def plan_board(user, plan_id: int, now: datetime | None = None) -> Dashboard:
    """One plan's dashboard (Http404 for a plan out of scope)."""
    return plan_dashboard(plan_with_rows(user, plan_id), now)


def plan_dashboard(plan: Plan, now: datetime | None = None) -> Dashboard:
    """Completion by top-level task, by unit and by phase, and late/missing reports per unit for the periods already
    due (a period is owed from the plan's first phase until the task's deadline). Four queries whatever the size."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    tree = task_tree(plan)
    phases = list(plan.phases.all())
    # The same owed periods as the late list and 我的任务 (progress_rules), so the counts agree.
    start = progress_rules.plan_start([p.starts_on for p in phases], plan.issued_on)
    phase_ends = [p.ends_on for p in phases]
    reports = {}
    for tu, period, due_at, submitted_at in ProgressReport.objects.filter(task_unit__task__plan=plan).values_list(
        "task_unit_id", "period", "due_at", "submitted_at"
    ):
        reports[(tu, period)] = (due_at, submitted_at)
    tz = timezone.get_current_timezone()
    units: dict[str, UnitRow] = {}
    progress: dict[str, list[int]] = {}
    for node in tree.nodes:
        if node.children:
            continue
        end = progress_rules.task_end(node.task.due_on, phase_ends)
        owed = [
            p
            for p in progress_rules.owed_periods(start, end, plan.report_cycle, today)
            if progress_rules.report_due(p, plan.report_cycle, tz) <= now
        ]
        for u in node.reporting:
            key = unit_key(u)
            row = units.setdefault(key, UnitRow(key, str(u.unit), Decimal(0), 0))
            row.tasks += 1
            progress.setdefault(key, []).append(u.latest or 0)
            for p in owed:
                due = progress_rules.report_due(p, plan.report_cycle, tz)
                due_at, submitted_at = reports.get((u.pk, p), (due, None))
                status = progress_rules.report_status(due_at, submitted_at, now)
                row.late += status == progress_rules.LATE
                row.missing += status == progress_rules.MISSING
    for key, row in units.items():
        row.completion = rules.mean_progress(progress[key])
    leaves = [n for n in tree.nodes if not n.children and n.task.due_on]
    phase_rows = []
    for ph in phases:
        due = [n for n in leaves if ph.starts_on <= n.task.due_on <= ph.ends_on]
        phase_rows.append(PhaseRow(ph, due, sum(n.completion >= 100 for n in due), ph.starts_on <= today <= ph.ends_on))
    return Dashboard(tree, sorted(units.values(), key=lambda r: (-r.completion, r.name)), phase_rows)
