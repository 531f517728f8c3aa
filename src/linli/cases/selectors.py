"""Reads of the case engine, always through the user's scope: region roles see the cases of their subtree,
department and company staff the cases sent to their organisation (as lead or assisting)."""

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, time
from types import MappingProxyType

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Case as SqlCase
from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts import roles
from linli.accounts.scope import get_or_404, in_subtree, region_path, scope_roots, within
from linli.core.reference import covering, kept
from linli.organizations.models import Organization
from linli.people.models import House
from linli.people.selectors import house_list
from linli.regions import rules as region_rules
from linli.regions.selectors import region_get, region_list, region_names
from linli.stats.selectors import case_days
from linli.workdays.services import Calendar, working_seconds_between

from . import access, rules
from .models import Assignment, Attachment, Case, CaseEvent, Category


def case_queryset(*, user) -> QuerySet:
    qs = Case.objects.all()
    if roles.effective_role(user) is None:
        return qs.none()
    if roles.in_group(user, roles.ORG_ROLES):
        if not user.organization_id:
            return qs.none()
        assisted = Case.assisting.through.objects.filter(organization_id=user.organization_id).values("case_id")
        return qs.filter(Q(lead_department_id=user.organization_id) | Q(pk__in=assisted))
    return within(qs, region_path(user), "region")


def department_staff(organization_ids: list[int]) -> list:
    """The active staff of these departments: who is told of a case dispatched to them."""
    users = get_user_model().objects.filter(organization_id__in=organization_ids, is_active=True)
    return list(users.order_by("pk"))


LIST_RELATED = ("category", "category__parent", "region", "lead_department")


def case_get(*, user, pk: int) -> Case:
    """A case for its page and its actions. The categories are joined, the region read by key: each table joined to
    `cases_case` costs PostgreSQL more to plan than a lookup by key costs to run (3.7 → 2.9 ms at 1,000,000 cases,
    in process; case_detail_get below reads every related row that way). The lead department is read where an
    action or an answer needs its row; the page names it from the kept names (case_department)."""
    qs = case_queryset(user=user).select_related("category__parent").prefetch_related("region")
    return get_or_404(qs, pk=pk)


@kept(Category)
def category_names() -> Mapping[int, tuple[str, str]]:
    """(name, its major category's name) of every category by id, kept in memory (linli.core.reference)."""
    rows = Category.objects.values_list("pk", "name", "parent__name")
    return MappingProxyType({pk: (name, major or "") for pk, name, major in rows})


@kept(Organization)
def organization_names() -> Mapping[int, str]:
    """Every department's and company's name by id, kept in memory (linli.core.reference)."""
    return MappingProxyType(dict(Organization.objects.values_list("pk", "name")))


@dataclass(frozen=True)
class RowLabels:
    """What the rows of a page of cases name besides the case's own columns (cases/rows.html)."""

    categories: Mapping[int, tuple[str, str]]
    organizations: Mapping[int, str]


def list_rows(qs: QuerySet) -> QuerySet:
    """A list of cases as its page's rows read it: joined to the region, the categories and the lead department
    named from kept data (row_labels) instead of three more queries a page."""
    return qs.select_related(None).select_related("region").prefetch_related(None)


def row_labels(cases: list[Case]) -> RowLabels:
    return RowLabels(
        categories=covering(category_names, {c.category_id for c in cases}),
        organizations=covering(organization_names, {c.lead_department_id for c in cases}),
    )


def case_place(case: Case) -> str:
    """所在区域 as the case page shows it: its street, its community and its own region (a grid, or the community)."""
    community = case.community_id if case.community_id != case.region_id else None
    regions = [pk for pk in (case.street_id, community, case.region_id) if pk]
    names = covering(region_names, regions)
    return " · ".join(names[pk] for pk in regions)


def case_department(case: Case) -> str:
    """主办单位 as the case page shows it ("" before the case is dispatched)."""
    if case.lead_department_id is None:
        return ""
    return covering(organization_names, {case.lead_department_id})[case.lead_department_id]


def case_assisting(case: Case) -> list[Organization]:
    """协办单位 as the case page shows them: none before the case's first dispatch, which names them, so a case
    still on the desk costs no query."""
    return list(case.assisting.all()) if case.dispatched_at else []


def case_detail_get(*, user, pk: int) -> Case:
    """A case with everything its detail shows, each related row by a query of its own. Joined, the planner took
    7 ms to order 13 tables for a case it then read in half a millisecond; with the 7 tables of the list's and the
    place's columns still joined, the read took 12.8 ms at 1,000,000 cases against 7.9 ms with none (in process,
    median of 30): a lookup by key is planned at once."""
    house = Prefetch("house", queryset=House.objects.select_related("unit__building__estate"))
    related = ("category__parent", "region", "lead_department", "community", "street", "assisting", "merged_into")
    return get_or_404(case_queryset(user=user).prefetch_related(*related, house), pk=pk)


@dataclass
class CaseFilter:
    state: str | None = None
    states: tuple[str, ...] = ()
    channel: str | None = None
    category: int | None = None  # a minor category, or a major one with all its minor ones
    department: int | None = None
    region: int | None = None  # a street, community or grid in scope
    light: str | None = None  # green / yellow / red, for open cases
    supervised: bool | None = None
    received_from: datetime | None = None
    received_to: datetime | None = None
    q: str | None = None  # case number, or words of the description or address


def case_list(*, user, filters: CaseFilter | None = None, now: datetime | None = None) -> QuerySet:
    f = filters or CaseFilter()
    now = now or timezone.now()
    qs = case_queryset(user=user)
    if f.region:
        qs = qs.filter(in_subtree("region", region_get(user=user, pk=f.region).path))
    states = set(f.states) | ({f.state} if f.state else set())
    if states:
        qs = qs.filter(state__in=states)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.category:
        # A subquery, not a join on the category: joined, SQLite can no longer read the queue in index order.
        qs = qs.filter(category_id__in=Category.objects.filter(Q(pk=f.category) | Q(parent_id=f.category)).values("pk"))
    if f.department:
        qs = qs.filter(lead_department_id=f.department)
    if f.light:
        qs = qs.filter(light_q(f.light, now, signing=True))
    if f.supervised is not None:
        qs = qs.filter(supervision_level__gt=0) if f.supervised else qs.filter(supervision_level=0)
    if f.received_from:
        qs = qs.filter(received_at__gte=f.received_from)
    if f.received_to:
        qs = qs.filter(received_at__lt=f.received_to)
    if f.q:
        term = f.q.strip()
        qs = qs.filter(Q(number=term) | Q(description__contains=term) | Q(address__contains=term))
    # Only the region is joined; the categories and the department come by prefetch (three small queries). With
    # them joined, SQLite joins every queued case in scope before sorting the queue (80 ms for a street's 8,000 on
    # 1,000,000 cases, 350 ms for the district; docs/performance.md, 事件闭环), and PostgreSQL spends 10-20 ms
    # choosing a join order for a page it reads in under a millisecond.
    return qs.select_related("region").prefetch_related("category__parent", "lead_department")


def _clock_at(field: str, now: datetime, compare: str) -> Q:
    """`field <compare> the moment the case's clock reads`: now while it runs, the feedback time once stopped
    (rules.light); among open cases only those waiting for the check have a feedback time."""
    return Q(feedback_at__isnull=True, **{f"{field}__{compare}": now}) | Q(
        feedback_at__isnull=False, **{f"{field}__{compare}": F("feedback_at")}
    )


def light_q(light: str, now: datetime, *, signing: bool = False) -> Q:
    """Open cases whose 处置时限's light (rules.light) is `light`, as a filter; with `signing`, the light the lists
    show (rules.case_light), the 签收时限 counted too while the case waits to be signed for. The indicators and the
    overdue list take the 处置时限 alone."""
    open_ = Q(state__in=rules.OPEN_STATES)
    handling = {
        rules.RED: open_ & _clock_at("due_at", now, "lt"),
        rules.YELLOW: open_ & _clock_at("due_at", now, "gte") & _clock_at("warn_at", now, "lte"),
        rules.GREEN: open_ & (Q(due_at__isnull=True) | _clock_at("warn_at", now, "gt")),
    }
    if light not in handling:
        return Q(pk__in=[])
    if not signing:
        return handling[light]
    unsigned = Q(state=rules.DISPATCHED, response_due__isnull=False)
    late = unsigned & Q(response_due__lt=now)
    warned = unsigned & Q(response_due__gte=now, response_warn_at__lte=now)
    return {
        rules.RED: handling[rules.RED] | late,
        rules.YELLOW: (handling[rules.YELLOW] | warned) & ~handling[rules.RED],
        rules.GREEN: handling[rules.GREEN] & ~late & ~warned,
    }[light]


def dispatch_queue(*, user, filters: CaseFilter | None = None) -> QuerySet:
    """The dispatcher's desk: new, registered and returned cases, the most urgent and oldest first. Only for
    dispatchers (access.check_dispatcher), on the page and in the API alike."""
    access.check_dispatcher(user)
    f = filters or CaseFilter()
    asked = set(f.states) | ({f.state} if f.state else set())
    # A state filter narrows the queue and never widens it: asking for closed cases here finds none.
    states = rules.QUEUE_STATES & asked if asked else rules.QUEUE_STATES
    if not states:
        return Case.objects.none()
    f = replace(f, state=None, states=tuple(sorted(states)))
    # Joined to the region only (case_list), SQLite reads each (region, state) range of case_region_queue in queue
    # order and stops at the page.
    return case_list(user=user, filters=f).order_by("priority", "received_at", "id")


def next_on_desk(*, user, after: Case) -> dict | None:
    """The number and id of the case after `after` in the desk's order, or of the first one when `after` was the
    last or has left the desk (dispatched, merged); None when the desk holds nothing else. For "next case" on the
    case page, after each step."""
    desk = dispatch_queue(user=user).prefetch_related(None).exclude(pk=after.pk).values("pk", "number")
    later = (
        Q(priority__gt=after.priority)
        | Q(priority=after.priority, received_at__gt=after.received_at)
        | Q(priority=after.priority, received_at=after.received_at, pk__gt=after.pk)
    )
    return desk.filter(later).first() or desk.first()


def todo(*, user, now: datetime | None = None) -> QuerySet:
    """A handler's to-do: cases their organisation leads and must sign for, handle, or assist with; for grid and
    community workers, fixed cases waiting for their on-site check. Overdue first, then supervised (挂牌 before 督办),
    then by deadline: what is already late or watched from above is what the handler opens first."""
    now = now or timezone.now()
    qs = case_queryset(user=user)
    if roles.in_group(user, roles.ORG_ROLES):
        mine = Q(lead_department_id=user.organization_id, state__in=rules.WITH_DEPARTMENT)
        assisted = Q(state=rules.HANDLING) & ~Q(lead_department_id=user.organization_id)
        qs = qs.filter(mine | assisted)
    else:
        qs = qs.filter(state=rules.FEEDBACK)
    late_first = SqlCase(When(light_q(rules.RED, now), then=Value(0)), default=Value(1))
    return qs.select_related(*LIST_RELATED).order_by(late_first, F("supervision_level").desc(), "due_at", "id")


def overdue(*, user, now=None) -> QuerySet:
    """Open cases past their deadline, the earliest deadline first. Only for supervisors (access.check_supervisor),
    on the 超期督办 page and in the API alike."""
    access.check_supervisor(user)
    now = now or timezone.now()
    qs = case_queryset(user=user).filter(light_q(rules.RED, now))
    return qs.select_related(*LIST_RELATED).order_by("due_at", "id")


PHOTO_MAX_AGE = 3600  # seconds a user's browser may keep a case photo (a page and the API alike)


def photo_get(*, user, case_id: int, pk: int) -> Attachment:
    """A photo of a case the user may open; 404 for another case's photo, as for a case out of scope."""
    return get_or_404(case_get(user=user, pk=case_id).attachments.all(), pk=pk)


def timeline(*, case: Case) -> list[CaseEvent]:
    """The case's events in order, with their photos. Each names its actor by `actor_label`, written when it was
    taken (the account may be renamed or gone since), so the actor's row is not read."""
    return list(case.events.prefetch_related("attachments"))


# ---------------------------------------------------------------- the case page's history


@dataclass
class Clock:
    """Working time of the deadline now running, or how the closed case did against it."""

    label: str
    due: datetime
    total: int
    used: int
    left: int
    overdue: int
    # Past the deadline even when no working time has passed since (after hours, at a weekend): still late.
    late: bool

    @property
    def percent_used(self) -> int:
        """The share of the time limit used, in whole percent (rounded as Python rounds), for the page's meter."""
        return round(self.used / self.total * 100) if self.total else 0


def _clock(case, events, now=None) -> Clock | None:
    if case.due_at is None or case.state not in rules.WITH_DEPARTMENT | {rules.FEEDBACK, rules.CLOSED}:
        return None
    now = now or timezone.now()
    start = rules.deadline_start(((e.action, e.at) for e in events), case.dispatched_at or case.received_at)
    end = case.feedback_at or case.closed_at or now
    if case.state == rules.DISPATCHED and case.response_due is not None:
        label, due = _("签收时限"), case.response_due
    else:
        label, due = _("处置时限"), case.due_at
    calendar = Calendar()
    total = working_seconds_between(start, due, calendar) if due > start else 0
    used = working_seconds_between(start, end, calendar) if end > start else 0
    return Clock(
        label=label,
        due=due,
        total=total,
        used=used,
        left=working_seconds_between(end, due, calendar) if due > end else 0,
        overdue=working_seconds_between(due, end, calendar) if end > due else 0,
        late=end > due,
    )


@dataclass
class Entry:
    event: object
    details: list[str]
    state_change: str


def _entry(e) -> Entry:
    d = e.data or {}
    details = []
    if e.action == "dispatch":
        details.append(_("主办单位：%(get)s") % {"get": d.get("department", "")})
        if d.get("assisting"):
            details.append(_("协办单位：") + "、".join(d["assisting"]))
        if d.get("due_at"):
            details.append(_("处置时限：%(when)s") % {"when": _when(d["due_at"])})
    elif e.action == "return" and d.get("department"):
        details.append(_("退单单位：%(d)s") % {"d": d["department"]})
    elif e.action == "request_extension":
        details.append(_("申请延期%(get)s个工作日") % {"get": d.get("days")})
    elif e.action == "approve_extension":
        details.append(
            _("延期%(get)s个工作日，新的处置时限：%(when)s") % {"get": d.get("days"), "when": _when(d.get("due_at"))}
        )
    elif e.action == "deny_extension":
        details.append(_("驳回延期%(get)s个工作日的申请") % {"get": d.get("days")})
    elif e.action in ("request_deferral", "approve_deferral") and d.get("resume_on"):
        details.append(_("预计恢复办理日期：%(d)s") % {"d": d["resume_on"]})
    elif e.action == "deny_deferral":
        details.append(_("驳回预计%(get)s恢复办理的缓办申请") % {"get": d.get("resume_on")})
    elif e.action == "resume" and d.get("due_at"):
        details.append(_("新的处置时限：%(when)s") % {"when": _when(d["due_at"])})
    elif e.action == "supervise":
        details.append(rules.SUPERVISION_LABELS.get(d.get("level"), "督办"))
    elif e.action == "rate":
        details.append(_("评价：%(get)s") % {"get": rules.RATING_LABELS.get(d.get("rating"), "")})
    elif e.action == "merge":
        details.append(_("并入案件：%(get)s") % {"get": d.get("original", "")})
    elif summary := rules.visit_summary(e.action, d):
        details.append(summary)
    change = ""
    if e.from_state and e.from_state != e.to_state:
        change = f"{rules.STATE_LABELS[e.from_state]} → {rules.STATE_LABELS[e.to_state]}"
    elif not e.from_state:
        change = rules.STATE_LABELS[e.to_state]
    return Entry(e, details, change)


def _when(value) -> str:
    if not value:
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


@dataclass
class History:
    """The case's timeline as its page shows it (each entry with its details and change of state), and the
    deadline now running."""

    events: list[CaseEvent]
    entries: list[Entry]
    clock: Clock | None

    @property
    def reported_photos(self) -> list:
        return [a for e in self.events if e.action == "receive" for a in e.attachments.all()]

    @property
    def feedback(self) -> CaseEvent | None:
        """The department's latest 处置反馈."""
        return next((e for e in reversed(self.events) if e.action == "feedback"), None)


def case_history(*, case: Case, now: datetime | None = None) -> History:
    events = timeline(case=case)
    return History(events, [_entry(e) for e in events], _clock(case, events, now))


def actions_for(*, user, case: Case) -> list[rules.Transition]:
    return rules.available(case.facts(), access.capabilities_of(user, case))


@kept(Organization)
def departments() -> tuple[tuple[int, str], ...]:
    """(id, name) of the departments a case may be dispatched to, kept in memory (linli.core.reference)."""
    return tuple(Organization.objects.filter(kind=Organization.Kind.DEPARTMENT).values_list("pk", "name"))


def grids_geojson(*, user) -> dict:
    """The grids of the user's scope that have a boundary, for picking a point (no tile server needed)."""
    features = [
        {
            "type": "Feature",
            "geometry": g.boundary,
            "properties": {"id": g.pk, "name": g.name, "label": rules.short_name(g.name, g.parent and g.parent.name)},
        }
        for g in region_list(user=user, level=region_rules.GRID)
        if g.boundary
    ]
    return {"type": "FeatureCollection", "features": features}


def houses_matching(*, user, estate: int, building: str = "", unit: str = "", number: str = "") -> list:
    """At most 20 houses of one estate in scope whose building, unit and room are those typed (blank: any)."""
    qs = house_list(user=user, estate=estate)
    for value, lookup in ((building, "unit__building__number"), (unit, "unit__number"), (number, "number")):
        if value.strip():
            qs = qs.filter(**{lookup: value.strip()})
    return list(qs[:20])


def reported_by(*, user) -> QuerySet:
    """The cases the user took in themselves, newest first (the phone's 我的上报)."""
    qs = case_queryset(user=user).filter(created_by=user).select_related("category")
    return qs.order_by("-received_at", "-id")


def categories() -> QuerySet:
    return Category.objects.filter(active=True).select_related("parent", "department")


@kept(Category)
def _active_categories() -> tuple[tuple, ...]:
    """The active categories with their major category, kept in memory (linli.core.reference). Values, not
    instances: a filter on every list page draws a hundred of them (descriptions, keywords unused)."""
    columns = ("pk", "parent_id", "name", "sort", "code", "parent__name", "parent__sort", "parent__code")
    return tuple(Category.objects.filter(active=True).order_by("sort", "code").values_list(*columns))


def category_choices(*, minors_only: bool) -> list:
    """Categories grouped under their major category (<optgroup>s), from one query. For filters a major category
    is also a choice (all its minor ones); intake, on the staff and the public pages, takes minor categories only."""
    majors, minors = {}, {}
    for pk, parent, name, sort, code, parent_name, parent_sort, parent_code in _active_categories():
        if parent is None:
            majors[pk] = (sort, code, name)
        else:
            majors.setdefault(parent, (parent_sort, parent_code, parent_name))
            minors.setdefault(parent, []).append((str(pk), name))
    groups = []
    for major, (_sort, _code, name) in sorted(majors.items(), key=lambda item: item[1][:2]):
        options = minors.get(major, [])
        if not minors_only:
            options.insert(0, (str(major), _("%(name)s（全部小类）") % {"name": name}))
        if options:
            groups.append((name, options))
    return groups


# ---------------------------------------------------------------- indicators

GROUPS = {"department": "lead_department", "street": "street", "community": "community"}
# The group of a dispatch (派单): its own department, its case's street or community.
DISPATCH_GROUPS = {"department": "department", "street": "case__street", "community": "case__community"}


def assignment_queryset(*, user) -> QuerySet:
    """The dispatches (派单) a user sees: region roles those of the cases in their subtree; department and company
    staff their own organisation's, also of cases it returned and no longer holds (the return counts against it)."""
    qs = Assignment.objects.all()
    if roles.effective_role(user) is None:
        return qs.none()
    if roles.in_group(user, roles.ORG_ROLES):
        return qs.filter(department_id=user.organization_id) if user.organization_id else qs.none()
    return within(qs, region_path(user), "case__region")


def dispatches_in(*, user, filters: CaseFilter) -> QuerySet:
    """The dispatches in scope of the cases received in the period of `filters`, within its region."""
    qs = assignment_queryset(user=user)
    if filters.region:
        qs = qs.filter(in_subtree("case__region", region_get(user=user, pk=filters.region).path))
    if filters.received_from:
        qs = qs.filter(case__received_at__gte=filters.received_from)
    if filters.received_to:
        qs = qs.filter(case__received_at__lt=filters.received_to)
    return qs


def _unanswered_late(now: datetime) -> Q:
    """Dispatches neither signed for nor returned and past their response deadline: known to be late."""
    return Q(answered_at__isnull=True, response_due__lt=now)


def _answered_in_time() -> Q:
    return Q(answered_at__isnull=False) & (Q(response_due__isnull=True) | Q(answered_at__lte=F("response_due")))


def counts_query(qs: QuerySet, dispatches: QuerySet, group: str, now: datetime) -> list[dict]:
    """What rules.Counts needs for each group (`group`: a key of GROUPS) as dicts keyed by the group's field
    (GROUPS[group] + "_id"), in the order of the groups' ids, none last: one GROUP BY over the cases `qs` and one
    over their `dispatches`."""
    field = GROUPS[group] + "_id"
    closed = Q(state=rules.CLOSED)
    deferred = Q(state=rules.DEFERRED)
    cases = (
        qs.exclude(state__in=rules.NOT_COUNTED)
        .values(field)
        .annotate(
            cases=Count("pk"),
            dispatched=Count("pk", filter=Q(dispatched_at__isnull=False)),
            closed=Count("pk", filter=closed),
            due=Count("pk", filter=closed | light_q(rules.RED, now) | deferred),
            on_time=Count("pk", filter=closed & Q(on_time=True)),
            deferred=Count("pk", filter=deferred),
            reworked=Count("pk", filter=closed & Q(rework_count__gt=0)),
            rated=Count("pk", filter=closed & ~Q(rating="")),
            satisfied=Count("pk", filter=closed & Q(rating__in=(rules.SATISFIED, rules.BASIC))),
            handling_seconds=Sum("handling_seconds", filter=closed, default=0),
            visited=Count("pk", filter=closed & Q(visit_result__in=(rules.SOLVED, rules.UNSOLVED))),
            solved=Count("pk", filter=closed & Q(visit_result=rules.SOLVED)),
            unreachable=Count("pk", filter=closed & Q(visit_result=rules.UNREACHABLE)),
        )
        .order_by()
    )
    by_dispatch = (
        dispatches.values(key=F(DISPATCH_GROUPS[group]))
        .annotate(
            assigned=Count("pk"),
            returned=Count("pk", filter=Q(returned_at__isnull=False)),
            # Not named response_due: the annotation would hide the dispatch's own field of that name.
            signable=Count("pk", filter=Q(answered_at__isnull=False) | _unanswered_late(now)),
            responded=Count("pk", filter=_answered_in_time()),
        )
        .order_by()
    )
    rows = {r.pop(field): r for r in cases}
    for r in by_dispatch:
        rows.setdefault(r.pop("key"), {}).update(r, response_due=r.pop("signable"))
    return [_row(field, key, rows[key]) for key in sorted(rows, key=lambda k: (k is None, k or 0))]


def _row(field: str, key, counted: dict) -> dict:
    return {field: key, **{f.name: counted.get(f.name, 0) for f in fields(rules.Counts)}}


@dataclass
class IndicatorRow:
    key: int | None
    name: str
    counts: rules.Counts
    values: rules.Indicators
    ranks: dict


def indicators(
    *, user, group: str, start: datetime, end: datetime, region: int | None = None, now: datetime | None = None
) -> list[IndicatorRow]:
    """响应率, 按期结案率, 结案率, 返工率, 退单率, 满意率, 解决率, 平均处置时长 and 缓办数 per department, street or
    community, for cases received in [start, end) within the user's scope; each row ranked on each indicator.
    Definitions: docs/cases.md."""
    if group not in GROUPS:
        raise ValueError(group)
    now = now or timezone.now()
    field = GROUPS[group]
    rows = _summed(user=user, group=group, start=start, end=end, region=region, now=now)
    if rows is None:
        f = CaseFilter(region=region, received_from=start, received_to=end)
        qs = case_list(user=user, filters=f).select_related(None).order_by()
        rows = counts_query(qs, dispatches_in(user=user, filters=f), group, now)
    names = covering(organization_names if group == "department" else region_names, [r[field + "_id"] for r in rows])
    count_names = [f.name for f in fields(rules.Counts)]
    result = []
    for r in rows:
        counts = rules.Counts(**{k: r[k] for k in count_names})
        key = r[field + "_id"]
        result.append(IndicatorRow(key, names.get(key, "（未派遣）" if group == "department" else "（未定位）"),
                                   counts, indicators_of(counts), {}))  # fmt: skip
    for indicator in rules.INDICATOR_LABELS:
        ranked = rules.rank([(row.key, getattr(row.values, indicator)) for row in result if row.key], indicator)
        by_key = {r.key: r.rank for r in ranked}
        for row in result:
            row.ranks[indicator] = by_key.get(row.key)
    return result


@dataclass
class Summed:
    """Where the case summaries of linli.stats (CaseDay) answer for the cases received in a period: the regions
    whose subtrees make up the scope, and the local days from `first` to `end` (excluded)."""

    roots: list
    first: date
    end: date


def summed(*, user, start: datetime, end: datetime, region: int | None) -> Summed | None:
    """The summaries answer for a region scope and whole local days; None otherwise: organisation staff see the
    cases their organisation leads or assists, which the summaries do not tell apart, and a period that cuts a day
    needs the time of receipt. Those reads count the cases themselves."""
    path = region_path(user)
    first, last = timezone.localtime(start), timezone.localtime(end)
    if path is None or roles.in_group(user, roles.ORG_ROLES) or first.time() != time(0) or last.time() != time(0):
        return None
    roots = [region_get(user=user, pk=region)] if region else list(scope_roots(path))
    return Summed(roots, first.date(), last.date())


def _summed(*, user, group: str, start: datetime, end: datetime, region: int | None, now: datetime):
    """counts_query's rows from the summaries where they answer (summed), else None. Only what depends on `now` is
    counted live: the open cases past their deadline, few, through the index case_open_late; the dispatches still
    unsigned past their response deadline, fewer, through the index assignment_unanswered. Groups in the order of
    their id, none last."""
    span = summed(user=user, start=start, end=end, region=region)
    if span is None:
        return None
    days = case_days(roots=span.roots, kind=group, start=span.first, end=span.end)
    field = GROUPS[group] + "_id"
    red = {
        row[field]: row["n"] for row in late_open(user=user, region=region, field=field, now=now, period=(start, end))
    }
    f = CaseFilter(region=region, received_from=start, received_to=end)
    unsigned = dict(
        dispatches_in(user=user, filters=f)
        .filter(_unanswered_late(now))
        .values_list(DISPATCH_GROUPS[group])
        .annotate(Count("pk"))
        .order_by()
    )
    # Every group with a late case or dispatch has its counted cases or dispatches in the summaries.
    keys = sorted(days, key=lambda k: (k is None, k or 0))
    return [
        _row(field, k, {**days[k], "due": days[k]["closed"] + red.get(k, 0) + days[k]["deferred"],
                        "response_due": days[k]["answered"] + unsigned.get(k, 0)})
        for k in keys
    ]  # fmt: skip


def late_open(*, user, region: int | None, field: str, now: datetime, period: tuple[datetime, datetime]) -> QuerySet:
    """The open cases in scope past their deadline at `now` and received in `period`, counted per `field`: read
    from the index case_open_late alone on PostgreSQL. The period is counted, not filtered: in the WHERE clause
    the database would read every case of the period through its index rather than the few open ones."""
    late = case_list(user=user, filters=CaseFilter(region=region)).filter(light_q(rules.RED, now))
    start, end = period
    in_period = Q(received_at__gte=start, received_at__lt=end)
    # received_at rather than the id: it is in the index, the id is not, and it is never null.
    return late.select_related(None).order_by().values(field).annotate(n=Count("received_at", filter=in_period))


def total_counts(rows: list[IndicatorRow]) -> rules.Counts:
    total = rules.Counts()
    for row in rows:
        for f in fields(rules.Counts):
            setattr(total, f.name, getattr(total, f.name) + getattr(row.counts, f.name))
    return total


def indicators_of(counts: rules.Counts) -> rules.Indicators:
    """rules.indicators under the configured rule for unreachable return visits (settings.VISIT_UNREACHABLE)."""
    return rules.indicators(counts, unreachable=settings.VISIT_UNREACHABLE)


def totals(rows: list[IndicatorRow]) -> rules.Indicators:
    return indicators_of(total_counts(rows))
