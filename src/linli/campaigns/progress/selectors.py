"""Reads of progress reporting, always through plan visibility (plan_selectors.plan_queryset): what a unit owes across
plans (我的任务), a plan's (task unit × period) status matrix and its late list, the notices a unit received.

Missing reports are not rows: a status is computed per (task unit, period) from the owed periods
(rules.owed_periods) and the reports there are. Each read costs a fixed number of queries, whatever the
number of plans, tasks, units and periods: the task units in one query, phases in one, reports in one, and the
statuses in Python.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.utils import timezone
from django.utils.translation import gettext

from linli.accounts import roles, scope
from linli.accounts.scope import get_or_404
from linli.burden import selectors as burden_selectors
from linli.core.errors import PermissionDenied
from linli.regions.models import Region

from ..models import Notice, NoticeRead, Phase, Plan, ProgressReport, Task, TaskUnit
from ..plans import rules as plan_rules
from ..plans import selectors as plan_selectors
from . import rules

NOT_DONE = (rules.LATE, rules.MISSING)


# ---------------------------------------------------------------- the unit a user acts for


@dataclass(frozen=True)
class Unit:
    """An organisation, or region offices (one node; the district offices for an admin without a region)."""

    organization_id: int | None = None
    region_ids: tuple[int, ...] = ()

    def q(self, prefix: str = "") -> Q:
        """Task units of this unit; `prefix` reaches a TaskUnit through a relation ("task_unit__")."""
        if self.organization_id:
            return Q(**{f"{prefix}organization_id": self.organization_id})
        if self.region_ids:
            return Q(**{f"{prefix}region_id__in": self.region_ids})
        return Q(pk__in=[])

    def owns(self, task_unit) -> bool:
        """Whether a TaskUnit (or anything with its organization_id and region_id) names this unit."""
        if self.organization_id:
            return task_unit.organization_id == self.organization_id
        return task_unit.region_id is not None and task_unit.region_id in self.region_ids


NO_UNIT = Unit()


def unit_of(user) -> Unit:
    """A user acts for their organisation, or for their region node's office (a community worker for the
    community, street staff for the street, district staff for the district); an admin without a region acts
    for the district office."""
    if not user.is_authenticated or not user.is_active:
        return NO_UNIT
    cached = getattr(user, "_progress_unit", None)
    if cached is not None:
        return cached
    if user.organization_id:
        unit = Unit(organization_id=user.organization_id)
    elif user.region_id:
        unit = Unit(region_ids=(user.region_id,))
    elif roles.is_admin(user):
        unit = Unit(region_ids=tuple(Region.objects.filter(level=Region.Level.DISTRICT).values_list("pk", flat=True)))
    else:
        unit = NO_UNIT
    user._progress_unit = unit
    return unit


# ---------------------------------------------------------------- task units and what they owe


def leaf_q(prefix: str = "", plan: Plan | None = None) -> Q:
    """Task units on leaf tasks (of `plan`, when given): parents roll up and are not reported on."""
    parents = Task.objects.filter(parent__isnull=False, **({"plan": plan} if plan else {})).values("parent_id")
    return ~Q(**{f"{prefix}task__in": parents})


def _held_q() -> Q:
    """Task units whose work is held from their community (社区工作准入, linli.burden): 待准入 or 准入未批."""
    return Q(pk__in=burden_selectors.held_source_ids(plan_rules.WORK_SOURCE))


def task_unit_queryset(user) -> QuerySet:
    """Task units of the plans the user sees."""
    return TaskUnit.objects.filter(task__plan__in=plan_selectors.plan_queryset(user).values("pk"))


def with_reporting(qs: QuerySet) -> QuerySet:
    """Annotate `task_has_responsible`, which with the row's role decides whether it reports (plans.rules)."""
    return qs.annotate(
        task_has_responsible=Exists(TaskUnit.objects.filter(task_id=OuterRef("task_id"), role=plan_rules.RESPONSIBLE))
    )


def reports(task_unit: TaskUnit) -> bool:
    named = {task_unit.role} | ({plan_rules.RESPONSIBLE} if task_unit.task_has_responsible else set())
    return plan_rules.reports_on(task_unit.role, named)


@dataclass(frozen=True)
class Span:
    """A plan's reporting calendar: its cycle, first day and the end of its last phase."""

    cycle: str
    start: date | None
    phases_end: list[date]

    def owed(self, due_on: date | None, today: date) -> list[date]:
        end = rules.task_end(due_on, self.phases_end)
        return rules.owed_periods(self.start, end, self.cycle, today)


def spans(plans: dict[int, Plan]) -> dict[int, Span]:
    """{plan id: Span}, one query for the phases of all the plans."""
    starts: dict[int, list[date]] = defaultdict(list)
    ends: dict[int, list[date]] = defaultdict(list)
    rows = Phase.objects.filter(plan_id__in=plans).order_by().values_list("plan_id", "starts_on", "ends_on")
    for plan_id, s, e in rows:
        starts[plan_id].append(s)
        ends[plan_id].append(e)
    return {
        pk: Span(plan.report_cycle, rules.plan_start(starts[pk], plan.issued_on), ends[pk])
        for pk, plan in plans.items()
    }


@dataclass(frozen=True)
class ReportFact:
    """What a status needs of a report. Read as values, with the on-time test done by the database (the comparison
    of rules.report_status: submitted before the due time stored with it), not as models: a plan holds tens of
    thousands of reports, and converting their datetimes would cost several times the query."""

    pk: int
    on_time: bool
    progress: int


def report_facts(qs: QuerySet) -> dict[int, dict[date, ReportFact]]:
    """{task unit id: {period: ReportFact}} of the reports in `qs`, periods in order; one query."""
    in_time = ExpressionWrapper(Q(submitted_at__lt=F("due_at")), output_field=BooleanField())
    rows = qs.annotate(in_time=in_time).order_by("period")
    out: dict[int, dict[date, ReportFact]] = defaultdict(dict)
    for tu_id, period, pk, on_time, progress in rows.values_list("task_unit_id", "period", "pk", "in_time", "progress"):
        out[tu_id][period] = ReportFact(pk, bool(on_time), progress)
    return out


def fact_status(due_at: datetime, fact: ReportFact | None, now: datetime) -> str:
    """rules.report_status for a report read as a fact."""
    if fact is None:
        return rules.report_status(due_at, None, now)
    return rules.ON_TIME if fact.on_time else rules.LATE


@dataclass
class Cell:
    """One (task unit, period): its status and the report, if any."""

    period: date
    label: str
    short_label: str
    due_at: datetime
    status: str
    fact: ReportFact | None = None

    @property
    def status_label(self) -> str:
        return rules.REPORT_STATUS_LABELS[self.status]

    @property
    def done(self) -> bool:
        return rules.counts_as_done(self.status)

    @property
    def overdue_text(self) -> str:
        """3月未报送，视为未完成 / 3月逾期报送，视为未完成."""
        word = gettext("未报送") if self.status == rules.MISSING else gettext("逾期报送")
        return gettext("%(short_label)s%(word)s，视为未完成") % {"short_label": self.short_label, "word": word}


class Calendar:
    """Due times and labels per (cycle, period), computed once for a whole page (a page of task units shares most
    of its periods)."""

    def __init__(self, now: datetime):
        self.now = now
        self.tz = timezone.get_current_timezone()
        self.today = timezone.localdate(now)
        self._periods: dict[tuple[str, date], tuple[datetime, str, str]] = {}

    def _period(self, period: date, cycle: str) -> tuple[datetime, str, str]:
        """(due time, label, short label)."""
        key = (cycle, period)
        if key not in self._periods:
            labels = rules.period_label(period, cycle), rules.short_period_label(period, cycle)
            self._periods[key] = (rules.report_due(period, cycle, self.tz), *labels)
        return self._periods[key]

    def due(self, period: date, cycle: str) -> datetime:
        return self._period(period, cycle)[0]

    def cell(self, period: date, cycle: str, fact: ReportFact | None) -> Cell:
        due, label, short_label = self._period(period, cycle)
        return Cell(
            period=period,
            label=label,
            short_label=short_label,
            due_at=due,
            status=fact_status(due, fact, self.now),
            fact=fact,
        )

    def current(self, cycle: str) -> date:
        return rules.period_start(self.today, cycle)


# ---------------------------------------------------------------- 我的任务


@dataclass
class LeadSummary:
    """What a lead unit that does not report sees of a task: its responsible units' progress and who is behind."""

    progress: Decimal
    period_label: str = ""  # the last period due
    lagging: int = 0  # responsible units whose report for it is missing or late

    @property
    def text(self) -> str:
        return (
            gettext("%(period_label)s%(lagging)s个责任单位未按时报送")
            % {"period_label": self.period_label, "lagging": self.lagging}
            if self.lagging
            else ""
        )


@dataclass
class Obligation:
    """One task unit of the user's unit: its cells when it reports, else the reporting units' progress."""

    task_unit: TaskUnit
    reporting: bool
    cells: list[Cell] = field(default_factory=list)
    current: Cell | None = None
    lead: LeadSummary | None = None  # for a lead unit that does not report
    state: str = rules.BY_OTHERS  # rules.current_state of a reporting unit
    last_period: str = ""  # the label of the last period owed, for a task whose reporting has ended

    @property
    def task(self) -> Task:
        return self.task_unit.task

    @property
    def plan(self) -> Plan:
        return self.task_unit.task.plan

    @property
    def role_label(self) -> str:
        return gettext("牵头") if plan_rules.is_lead(self.task_unit.role) else gettext("责任")

    @property
    def overdue(self) -> list[Cell]:
        """Past periods counting as not done: missing, or in late."""
        return [c for c in self.cells if c.status in NOT_DONE]

    @property
    def missing(self) -> list[Cell]:
        return [c for c in self.cells if c.status == rules.MISSING]

    @property
    def latest(self) -> ReportFact | None:
        reported = [c.fact for c in self.cells if c.fact is not None]
        return reported[-1] if reported else None

    @property
    def progress(self) -> int | Decimal | None:
        latest = self.latest
        if latest is not None:
            return latest.progress
        return self.lead.progress if self.lead is not None else None

    @property
    def current_reportable(self) -> bool:
        return self.current is not None and self.current.fact is None


# What 我的任务 reads of a task unit: not the plan's body text, which select_related would copy into every row.
OBLIGATION_FIELDS = (
    "role", "organization_id", "region_id", "task__title", "task__content", "task__due_on", "task__order",
    "task__plan_id", "task__plan__title", "task__plan__report_cycle", "task__plan__issued_on", "task__plan__status",
)  # fmt: skip


def obligations(*, user, now: datetime | None = None, task_unit_id: int | None = None) -> list[Obligation]:
    """Everything the user's unit is named on across the issued plans the user sees (or only `task_unit_id`),
    most urgent first: those with missing reports, then those owing this period's report, then the rest by
    deadline. At most six queries."""
    now = now or timezone.now()
    unit = unit_of(user)
    qs = (
        task_unit_queryset(user)
        .filter(unit.q(), leaf_q(), task__plan__status=plan_rules.ISSUED)
        .exclude(_held_q())  # 待准入: not the unit's work yet
        .select_related("task", "task__plan")
        .only(*OBLIGATION_FIELDS)
    )
    if task_unit_id is not None:
        qs = qs.filter(pk=task_unit_id)
    task_units = list(with_reporting(qs).order_by("task__plan_id", "task__order", "task_id", "id"))
    if not task_units:
        return []
    _name_units(task_units, user)
    plans = {tu.task.plan_id: tu.task.plan for tu in task_units}
    plan_spans = spans(plans)
    by_period = report_facts(ProgressReport.objects.filter(task_unit__in=[tu.pk for tu in task_units]))
    calendar = Calendar(now)
    result, lead_tasks = [], []
    for tu in task_units:
        span = plan_spans[tu.task.plan_id]
        if not reports(tu):
            lead_tasks.append(tu)
            result.append(Obligation(tu, reporting=False))
            continue
        own = by_period[tu.pk]
        owed = span.owed(tu.task.due_on, calendar.today)
        cells = [calendar.cell(p, span.cycle, own.get(p)) for p in owed]
        current = calendar.current(span.cycle)
        ob = Obligation(tu, reporting=True, cells=cells, current=next((c for c in cells if c.period == current), None))
        ob.cells = [c for c in cells if c.period <= current]  # periods to come are not shown yet
        ob.state = rules.current_state(owed, current, current in own)
        ob.last_period = rules.period_label(owed[-1], span.cycle) if owed else ""
        result.append(ob)
    if lead_tasks:
        summaries = lead_summaries(lead_tasks, plan_spans, calendar)
        for ob in result:
            if not ob.reporting:
                ob.lead = summaries[ob.task_unit.task_id]

    def urgency(ob: Obligation):
        return (
            0 if ob.missing else 1 if ob.current_reportable else 2 if ob.lead and ob.lead.lagging else 3,
            ob.task.due_on or date.max,
            ob.task_unit.pk,
        )

    result.sort(key=urgency)
    return result


def _name_units(task_units: list[TaskUnit], user) -> None:
    """Give the user's unit's task units their unit (TaskUnit.unit, which the API and the report page name). It is
    the user's own organisation or region office, which reading the plans the user sees has read already: joined
    to the task units as well, the two tables cost PostgreSQL 0.5 ms more to plan 我的任务's read. An administrator
    acting for the district offices has no region of their own: theirs are read by key."""
    own = user.organization if user.organization_id else user.region if user.region_id else None
    if own is None:
        prefetch_related_objects(task_units, "region")
        return
    relation = "organization" if user.organization_id else "region"
    for tu in task_units:
        setattr(tu, relation, own)


def lead_summaries(lead_units: list[TaskUnit], spans_by_plan: dict[int, Span], calendar: Calendar) -> dict:
    """{task id: LeadSummary} for the tasks a unit leads without reporting; two queries."""
    tasks = {tu.task_id: tu.task for tu in lead_units}
    responsible_units = TaskUnit.objects.filter(task_id__in=tasks, role=plan_rules.RESPONSIBLE)
    responsible = dict(responsible_units.values_list("pk", "task_id"))
    facts = report_facts(ProgressReport.objects.filter(task_unit_id__in=responsible))
    out = {}
    for task_id, task in tasks.items():
        span = spans_by_plan[task.plan_id]
        due = [p for p in span.owed(task.due_on, calendar.today) if calendar.due(p, span.cycle) <= calendar.now]
        units = [tu_id for tu_id, t in responsible.items() if t == task_id]
        latest = [list(facts[u].values())[-1].progress for u in units if facts[u]]
        summary = LeadSummary(plan_rules.mean_progress(latest))
        if due:
            last = due[-1]
            summary.period_label = rules.short_period_label(last, span.cycle)
            due_at = calendar.due(last, span.cycle)
            summary.lagging = sum(fact_status(due_at, facts[u].get(last), calendar.now) in NOT_DONE for u in units)
        out[task_id] = summary
    return out


# ---------------------------------------------------------------- the report form


@dataclass
class ReportChoice:
    """A period the unit may report for now, and the report the form would correct (None: a new report)."""

    period: date
    label: str
    report: ProgressReport | None

    @property
    def value(self) -> str:
        """The period's first day, YYYY-MM-DD, as forms and links carry it."""
        return self.period.isoformat()


@dataclass
class ReportDesk:
    """What the report form of one task unit offers: the periods open now, newest first, and the reports made."""

    obligation: Obligation | None
    reports: dict[date, ProgressReport]
    choices: list[ReportChoice]
    closed: str = ""  # why nothing can be reported now

    def report_for(self, value: str | None) -> ProgressReport | None:
        choice = self.choice(value)
        return choice.report if choice else None

    def choice(self, value: str | None) -> ReportChoice | None:
        return next((c for c in self.choices if c.value == value), None)

    def start_from(self, period: date) -> int | None:
        """The figure a new report for `period` is pre-filled with: the unit's last one before it."""
        return rules.last_before({p: r.progress for p, r in self.reports.items()}, period)

    def neighbours(self, period: date) -> list[tuple[str, int]]:
        """(label, progress) of the unit's reports just before and just after `period`: the bounds a cumulative
        figure keeps to without a reason (rules.out_of_order)."""
        cycle = self.obligation.plan.report_cycle
        earlier = [p for p in self.reports if p < period]
        later = [p for p in self.reports if p > period]
        chosen = ([max(earlier)] if earlier else []) + ([min(later)] if later else [])
        return [(rules.period_label(p, cycle), self.reports[p].progress) for p in chosen]

    def default(self, wanted: str) -> ReportChoice:
        """The period asked for if it is open, else the current one if open, else the oldest open one."""
        current = self.obligation.current.period.isoformat() if self.obligation.current else None
        by_value = {c.value: c for c in self.choices}
        return by_value.get(wanted) or by_value.get(current) or self.choices[-1]

    @property
    def history(self) -> list[tuple[Cell, ProgressReport]]:
        cells = self.obligation.cells if self.obligation else []
        return [(c, self.reports[c.period]) for c in cells if c.period in self.reports]


def report_desk(*, user, task_unit_id: int, now: datetime) -> ReportDesk:
    """The report form of a task unit of the user's own unit (Http404 out of scope, PermissionDenied for another
    unit's): the current period, past ones not reported (late), and reports still open to correction."""
    tu = get_or_404(task_unit_queryset(user).select_related("organization", "region"), pk=task_unit_id)
    if not unit_of(user).owns(tu):
        raise PermissionDenied(gettext("只有%(unit)s的工作人员可以报送该单位的进度。") % {"unit": tu.unit})
    found = obligations(user=user, now=now, task_unit_id=task_unit_id)
    if not found or not found[0].reporting:
        return ReportDesk(None, {}, [], closed=gettext("该任务无需本单位报送进度。"))
    ob = found[0]
    made = ProgressReport.objects.filter(task_unit_id=task_unit_id).select_related("submitted_by")
    reports = {r.period: r for r in made}
    choices = []
    for cell in reversed(ob.cells):
        if cell.fact is not None and not rules.editable(cell.due_at, now):
            continue
        if cell.fact is not None:
            note = gettext("修改已报送的报告")
        elif cell.status == rules.MISSING:
            note = gettext("逾期补报，视为未完成")
        else:
            note = gettext("本期")
        choices.append(ReportChoice(cell.period, f"{cell.label}（{note}）", reports.get(cell.period)))
    return ReportDesk(ob, reports, choices, "" if choices else closed_reason(ob))


def closed_reason(ob: Obligation) -> str:
    """Why a reporting task unit has no period open: the page says so instead of offering a form."""
    locked = gettext("已报送的报告过了报送时限即锁定，逾期报送的仍视为未完成。")
    if ob.state == rules.ENDED:
        return gettext("该任务的报送期已结束（最后一期：%(last_period)s），不再报送进度；%(locked)s") % {
            "last_period": ob.last_period,
            "locked": locked,
        }
    if ob.state == rules.NOT_STARTED:
        return gettext("该任务尚未开始报送：方案的第一个报送期还没有到。")
    return gettext("该任务本期及以前各期的进度都已报送，没有可以报送的报送期；%(locked)s") % {"locked": locked}


# ---------------------------------------------------------------- one plan: status matrix and late list


@dataclass
class Line:
    """A reporting task unit of the plan with its status per owed period (plain values: a plan may have thousands)."""

    task_unit_id: int
    task_id: int
    task_title: str
    role: str
    organization_id: int | None
    region_id: int | None
    unit_name: str
    owed: list[date]
    statuses: dict[date, str]
    reports: dict[date, ReportFact]

    @property
    def unit_key(self) -> str:
        return f"org:{self.organization_id}" if self.organization_id else f"region:{self.region_id}"

    @property
    def role_label(self) -> str:
        return plan_rules.UNIT_ROLE_LABELS[self.role]


@dataclass
class Tally:
    on_time: int = 0
    late: int = 0
    missing: int = 0
    pending: int = 0

    @property
    def owed(self) -> int:
        return self.on_time + self.late + self.missing + self.pending

    @property
    def not_done(self) -> int:
        return self.late + self.missing

    @property
    def css(self) -> str:
        if not self.owed:
            return "none"
        if self.not_done:
            return "bad" if self.missing else "late"
        return "ok" if self.on_time else "pending"


@dataclass
class UnitRow:
    key: str
    name: str
    tallies: list[Tally]  # one per plan period


@dataclass
class PlanStatus:
    plan: Plan
    periods: list[date]
    lines: list[Line]
    calendar: Calendar

    def label(self, period: date) -> str:
        return rules.period_label(period, self.plan.report_cycle)

    def due_periods(self) -> list[date]:
        """Periods whose reports are due by now: those a late list can be asked for."""
        return [p for p in self.periods if self.calendar.due(p, self.plan.report_cycle) <= self.calendar.now]

    def late_period(self, asked: date | None) -> date | None:
        """The period a late list shows, page and API alike: the one asked for if its reports are due, otherwise
        the latest due one (None while none is due)."""
        due = self.due_periods()
        if asked in due:
            return asked
        return due[-1] if due else None

    def by_unit(self) -> list[UnitRow]:
        """The units × periods matrix: per unit and period, how many of its tasks' reports are in on time, late,
        missing or not yet due."""
        rows: dict[str, UnitRow] = {}
        index = {p: i for i, p in enumerate(self.periods)}
        for line in self.lines:
            row = rows.get(line.unit_key)
            if row is None:
                row = rows[line.unit_key] = UnitRow(line.unit_key, line.unit_name, [Tally() for _ in self.periods])
            for period, status in line.statuses.items():
                tally = row.tallies[index[period]]
                setattr(tally, status, getattr(tally, status) + 1)
        return sorted(rows.values(), key=lambda r: (r.key.startswith("org"), r.name))

    def totals(self, period: date) -> Tally:
        tally = Tally()
        for line in self.lines:
            status = line.statuses.get(period)
            if status:
                setattr(tally, status, getattr(tally, status) + 1)
        return tally

    def late(self, period: date, *, status: str | None = None, task: int | None = None, q: str = "") -> list[Line]:
        """Task units whose report for `period` is missing or came in late, filtered."""
        wanted = (status,) if status in NOT_DONE else NOT_DONE
        q = q.strip()
        return [
            line
            for line in self.lines
            if line.statuses.get(period) in wanted
            and (task is None or line.task_id == task)
            and (not q or q in line.unit_name or q in line.task_title)
        ]


def plan_status(*, plan: Plan, now: datetime | None = None) -> PlanStatus:
    """The (task unit × period) statuses of a plan the caller already holds through plan_selectors.plan_get; three
    queries (phases, task units, reports) whatever the plan's size."""
    now = now or timezone.now()
    calendar = Calendar(now)
    span = spans({plan.pk: plan})[plan.pk]
    fields = ("pk", "task_id", "task__title", "task__due_on", "role", "organization_id", "region_id",
              "organization__name", "region__name")  # fmt: skip
    rows = list(
        TaskUnit.objects.filter(leaf_q(plan=plan), task__plan=plan)
        .annotate(held=ExpressionWrapper(_held_q(), output_field=BooleanField()))
        .order_by("task__order", "task_id", "role", "id")
        .values_list(*fields, "held")
    )
    named: dict[int, set[str]] = defaultdict(set)
    for row in rows:
        named[row[1]].add(row[4])
    facts = report_facts(ProgressReport.objects.filter(task_unit__task__plan=plan))
    owed_by_due: dict[date | None, list[date]] = {}
    lines, all_periods = [], set()
    for pk, task_id, title, due_on, unit_role, org_id, region_id, org_name, region_name, held in rows:
        if held or not plan_rules.reports_on(unit_role, named[task_id]):  # 待准入 owes nothing yet
            continue
        if due_on not in owed_by_due:
            owed_by_due[due_on] = span.owed(due_on, calendar.today)
        owed = owed_by_due[due_on]
        own = facts.get(pk, {})
        statuses = {p: fact_status(calendar.due(p, span.cycle), own.get(p), now) for p in owed}
        all_periods.update(owed)
        name = org_name or region_name
        lines.append(Line(pk, task_id, title, unit_role, org_id, region_id, name, owed, statuses, own))
    return PlanStatus(plan, sorted(all_periods), lines, calendar)


def plan_matrix(*, user, plan_id: int, now: datetime | None = None) -> PlanStatus:
    """报送情况 of a plan the user sees (Http404 otherwise): units × periods."""
    return plan_status(plan=plan_selectors.plan_get(user, plan_id), now=now)


def late_list(*, user, plan_id: int, now: datetime | None = None) -> PlanStatus:
    """未按时报送 of a plan the user sees, for its editors only (Http404, PermissionDenied): the statuses from which
    `PlanStatus.late` picks a period's missing and late task units."""
    plan = plan_selectors.plan_get(user, plan_id)
    if not plan_selectors.can_edit_plan(user, plan):
        raise PermissionDenied(gettext("只有方案的印发单位（所在街道、区级工作人员）可以查看未按时报送清单并督办。"))
    return plan_status(plan=plan, now=now)


def submitted_at(lines: list[Line], period: date) -> dict[int, datetime]:
    """{task unit id: when its report for `period` came in}, for the lines shown; one query."""
    pks = [line.reports[period].pk for line in lines if period in line.reports]
    return dict(ProgressReport.objects.filter(pk__in=pks).values_list("task_unit_id", "submitted_at"))


# ---------------------------------------------------------------- reading reports: text and 佐证材料

REPORT_RELATED = ("task_unit__task__plan", "task_unit__organization", "task_unit__region", "submitted_by")


def reader_of(user) -> rules.Reader:
    return rules.Reader(organization_id=user.organization_id, office_path=scope.office_path(user))


def named_unit(organization_id: int | None, path: str | None) -> rules.NamedUnit:
    if organization_id is not None:
        return rules.NamedUnit(organization_id=organization_id)
    return rules.NamedUnit(path=path, enclosing=frozenset(scope.enclosing_paths(path)))


def readable_task_units(user, task: Task) -> set[int]:
    """The task units of `task` (its plan's region loaded) whose reports the user may read (rules.may_read_report);
    two queries, the plan's task tree and the units of the task and of the tasks above it."""
    parents = dict(Task.objects.filter(plan_id=task.plan_id).values_list("pk", "parent_id"))
    rows = TaskUnit.objects.filter(task_id__in=rules.task_and_above(parents, task.pk)).values_list(
        "pk", "task_id", "role", "organization_id", "region__path"
    )
    units = [(pk, task_id, unit_role, named_unit(org, path)) for pk, task_id, unit_role, org, path in rows]
    leads = [unit for _, _, unit_role, unit in units if plan_rules.is_lead(unit_role)]
    own = {pk: unit for pk, task_id, _, unit in units if task_id == task.pk}
    reader, issuer = reader_of(user), named_unit(None, task.plan.region.path)
    return {pk for pk, unit in own.items() if rules.may_read_report(reader, unit, issuer, leads)}


def readable_reports(user, task: Task) -> QuerySet:
    """The reports on `task` whose text and 佐证材料 the user may read: the one check of the report's page, its
    attachment and a task's report list, API and pages alike. Others see the status grid (plan_matrix)."""
    return ProgressReport.objects.filter(task_unit_id__in=readable_task_units(user, task))


def _visible_tasks(user) -> QuerySet:
    return Task.objects.filter(plan__in=plan_selectors.plan_queryset(user).values("pk")).select_related("plan__region")


def task_reports(*, user, task_id: int) -> QuerySet:
    """The reports on a task of a plan the user sees (Http404 otherwise) that the user may read, by unit and period."""
    task = get_or_404(_visible_tasks(user), pk=task_id)
    return readable_reports(user, task).select_related(*REPORT_RELATED).order_by("task_unit_id", "period")


def report_get(*, user, pk: int) -> ProgressReport:
    """A report the user may read (readable_reports); Http404 otherwise, as for a missing one, so that a report out
    of reach does not show it exists."""
    task = get_or_404(_visible_tasks(user), units__reports=pk)
    return get_or_404(readable_reports(user, task).select_related(*REPORT_RELATED), pk=pk)


# ---------------------------------------------------------------- notices


def notice_queryset(user) -> QuerySet:
    """督办 sent to the user's unit, and 通报 of every plan the unit is named on, on plans the user sees."""
    unit = unit_of(user)
    mine = task_unit_queryset(user).filter(unit.q())
    return Notice.objects.filter(
        Q(task_unit__in=mine.values("pk")) | Q(kind="circular", plan__in=mine.values("task__plan_id"))
    )


def notice_recipients(notice: Notice) -> QuerySet:
    """Who is told of a notice: the staff of the 督办's unit, or of every unit on the 通报's plan (an organisation's
    staff, or the staff attached to the region office itself)."""
    units = (
        TaskUnit.objects.filter(pk=notice.task_unit_id)
        if notice.task_unit_id
        else TaskUnit.objects.filter(task__plan_id=notice.plan_id)
    )
    return get_user_model().objects.filter(
        Q(organization_id__in=units.exclude(organization=None).values("organization_id"))
        | Q(organization=None, region_id__in=units.exclude(region=None).values("region_id")),
        is_active=True,
    )


# What the page and the API show of a notice: not the plan's body text nor the issuer's whole account.
NOTICE_FIELDS = (
    "plan", "kind", "task_unit", "period", "text", "issued_by", "issued_at", "plan__title",
    "issued_by__first_name", "issued_by__last_name", "issued_by__username",
)  # fmt: skip


def notices(*, user) -> QuerySet:
    """The user's notices, unread first, newest first, each annotated `is_read`. Joined to what the page and the
    API show of them only (the plan's title, who issued it): with the task unit's task, unit and region joined too,
    PostgreSQL spent 1.7 ms planning a read that took 0.4."""
    read = NoticeRead.objects.filter(notice=OuterRef("pk"), user_id=user.pk)
    return (
        notice_queryset(user)
        .annotate(is_read=Exists(read))
        .select_related("plan", "issued_by")
        .only(*NOTICE_FIELDS)
        .order_by("is_read", "-issued_at", "-id")
    )
