"""A year of cases (事件) in the demo district, each one played through the lifecycle step by step.

Every step passes cases.rules.check with the capabilities of whoever takes it: the demo account of that role
and place where there is one, otherwise a named colleague with the same role (the grid's 网格员 from its
GridStaff, a community's clerk, a street's dispatcher, a department's handler), so no timeline holds a
transition the services would refuse, and each step changes the case as cases.services.case_act changes it:
through the same effects table (cases.rules.effects), on linli.workdays' calendar asked once per date.

Cases are received over the twelve months before `now` and each play stops at `now`: old cases are closed,
recent ones are wherever their timeline has got to, and a department that lets a deadline pass gets the
automatic 督办 of services.escalate_overdue (cases.rules.escalation) at the hour it would have run. Cases are
played CHUNK at a time, in worker processes when asked, and go in with their timelines through the bulk writer.
"""

import multiprocessing
import os
import random
from bisect import bisect
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from itertools import accumulate

from django.conf import settings
from django.utils import timezone

from linli.accounts import roles, scope
from linli.accounts.models import Role, User
from linli.cases import rules
from linli.cases.models import Assignment, Case, CaseCounter, CaseEvent, Category, Open311Key
from linli.cases.open311.services import key_hash
from linli.cases.services import actor_label
from linli.core.pii import lookup_hash
from linli.organizations.models import Organization
from linli.people.models import Building, House
from linli.regions.models import GridStaff, Region
from linli.workdays import rules as workdays_rules
from linli.workdays import services as workdays

from . import bulk, catalog, population
from .geometry import Rect
from .identity import PhoneAllocator

CASES_PER_YEAR = 5000  # at scale 1: about one case a year for every four households
MIN_CASES = 300  # a small demo still has a value for every indicator of every street and community
DAYS = 365

# Share of the year's cases by month of receipt (January first): more in the heating season and in summer.
MONTH_VOLUME = (1.15, 1.0, 0.95, 0.9, 0.95, 1.05, 1.1, 1.1, 0.95, 0.9, 1.05, 1.15)
SEASONS = {
    "all": (1,) * 12,
    "heating": (4, 3, 2, 0, 0, 0, 0, 0, 0, 0, 3, 4),  # 沈阳 heats from 1 November to 31 March
    "snow": (4, 3, 1, 0, 0, 0, 0, 0, 0, 0, 0.5, 3),
    "summer": (0, 0, 0, 0.3, 1, 3, 4, 4, 1.5, 0.3, 0, 0),
    "summer_more": (1, 1, 1, 1, 1.5, 2.5, 3, 3, 1.5, 1, 1, 1),
    "rain": (1, 1, 1, 1, 1.2, 2, 3, 3, 1.2, 1, 1, 1),
    "burning": (1, 1, 2.5, 2.5, 1, 1, 1, 1, 1, 2.5, 2.5, 1),
}
# Hours of the day at which residents call the hotline or report online.
HOTLINE_HOURS = {7: 0.3, 8: 1, 9: 1.6, 10: 1.6, 11: 1.4, 12: 0.8, 13: 1, 14: 1.5, 15: 1.5, 16: 1.4, 17: 1.1,
                 18: 0.9, 19: 0.9, 20: 0.7, 21: 0.4, 22: 0.2}  # fmt: skip
ONLINE_HOURS = {h: w for h, w in zip(range(6, 24), (0.2, 0.5, 1, 1, 1, 1, 1.2, 0.9, 0.9, 1, 1, 1, 1, 1.3, 1.6, 1.8,
                                                     1.5, 0.8), strict=True)}  # fmt: skip
STAFF_CHANNELS = {Case.Channel.WINDOW, Case.Channel.PATROL, Case.Channel.INSPECTION}  # working hours only
DISTRICT_DESK = {Case.Channel.HOTLINE, Case.Channel.ONLINE, Case.Channel.OPEN311, Case.Channel.INSPECTION}
RESIDENT_RATED = {Case.Channel.ONLINE, Case.Channel.OPEN311}  # rated through the tracking code
# The hourly escalation (cases_escalate) is taken to look at a case half an hour of working time after each
# threshold it crosses: the deadline, and rules.DISTRICT_ESCALATION_DAYS working days after it.
ESCALATION_RUN_HOURS = 0.5

# Fates, tuned so the indicators land where a district's usually do (about 9 in 10 closed on time, 1 in 10
# reworked, 1 in 20 returned, 3 in 100 extended, 85% satisfied).
P_REJECT = 0.02
P_MERGE = 0.025
P_SLOW_DISPATCH = 0.15
P_MISROUTED = 0.05
P_ASSISTED = 0.08
P_LATE_ACCEPT = 0.06
P_EXTENSION = 0.045
P_EXTENSION_APPROVED = 0.7
P_DEFERRAL = 0.012  # 缓办: waiting for funds or the season, weeks to months
P_DEFERRAL_APPROVED = 0.8
P_LATE = 0.035
P_STUCK = 0.03  # of the cases of the last STUCK_DAYS: the department sits on them for weeks
STUCK_DAYS = 100
P_SUPERVISED = 0.03
P_REWORK = 0.10
P_RATED = 0.9  # of the closed cases with a reporter to call back: reached (the others never answer the 回访)
RATINGS = ((rules.SATISFIED, 0.55), (rules.BASIC, 0.23), (rules.UNSATISFIED, 0.22))
RATINGS_AGAIN = ((rules.SATISFIED, 0.40), (rules.BASIC, 0.25), (rules.UNSATISFIED, 0.35))
P_DESK_REOPENS = 0.5  # a dispatcher who hears 不满意 or 未解决 on the phone sends the case back
# Share of the reporters reached who say the problem is not solved, by their rating: now and then a satisfied one
# (the effort was fine, the lamp still flickers), most of the unsatisfied. About 94% solved, as hotlines publish.
P_UNSOLVED = {rules.SATISFIED: 0.01, rules.BASIC: 0.06, rules.UNSATISFIED: 0.2}
MERGE_WINDOW = timedelta(days=7)


def tracking_code(rng: random.Random, taken: set[str]) -> str:
    """A tracking code from the demo's own random stream (same seed, same codes), not yet in `taken`."""
    while True:
        code = "".join(rng.choice(rules.TRACKING_ALPHABET) for _ in range(rules.TRACKING_LENGTH))
        if code not in taken:
            taken.add(code)
            return code


def reference_now(today: date | None = None) -> datetime:
    """The demo's present: the local midnight that starts the day of the build (never before the census day
    population.REFERENCE_DATE), so the cases end where the pages' lights and periods begin."""
    day = max(today or timezone.localdate(), population.REFERENCE_DATE)
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


class Clock:
    """linli.workdays' arithmetic (a cases.rules.WorkingClock), with each date's working status asked once: the
    services' calendar reads the holiday table on every call, which a year of cases cannot afford."""

    def __init__(self):
        self.periods = workdays_rules.parse_periods(settings.WORK_PERIODS)
        self.day_seconds = sum(
            (datetime.combine(date.min, end) - datetime.combine(date.min, start)).seconds for start, end in self.periods
        )
        self._workdays: dict[date, bool] = {}

    def is_workday(self, day: date) -> bool:
        known = self._workdays.get(day)
        if known is None:
            known = self._workdays[day] = workdays.is_workday(day)
        return known

    def hours(self, start: datetime, hours) -> datetime:
        return workdays_rules.add_working_hours(start, hours, self.is_workday, self.periods)

    def days(self, start: datetime, n: int) -> datetime:
        return workdays_rules.add_working_days(start, n, self.is_workday, self.periods)

    def seconds(self, start: datetime, end: datetime) -> int:
        return workdays_rules.working_seconds_between(start, end, self.is_workday, self.periods)

    def after(self, start: datetime, limit: Decimal | int, unit: str) -> datetime:
        return self.days(start, int(limit)) if unit == rules.DAYS else self.hours(start, limit)


# --- who acts -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    """Whoever takes a step with a role: a demo account (user_id) or a named colleague without one. `path` is
    the region subtree of a region role, `org_id` the department of a handler."""

    label: str
    role: Role
    user_id: int | None = None
    path: str | None = None
    org_id: int | None = None

    def caps(self, case: "Draft") -> frozenset[str]:
        return rules.capabilities(
            self.role,
            in_region=scope.contains(self.path, case.grid.path),
            lead=self.org_id is not None and self.org_id == case.lead_department_id,
            assisting=self.org_id is not None and any(o.pk == self.org_id for o in case.assisting),
            verification_on_site=rules.verified_on_site(case.category.requires_verification, case.kind),
        )


@dataclass(frozen=True)
class Outsider:
    """The reporter (or an Open311 client) and the system: they act without an account, as themselves."""

    label: str
    actor: str  # rules.RESIDENT or rules.SYSTEM
    user_id = None
    role = None  # no staff role

    def caps(self, case: "Draft") -> frozenset[str]:
        return frozenset({self.actor})


RESIDENT = Outsider("反映人", rules.RESIDENT)
SYSTEM = Outsider("系统", rules.SYSTEM)


class Staff:
    """The people who act on the demo's cases, by place and department."""

    def __init__(self, ctx: population.Context, district: Region, grids: list[Region], departments):
        users = User.objects.select_related("region", "organization").order_by("pk")
        by_region = {u.region_id: u for u in users if u.region_id and not roles.is_admin(u)}
        by_org = {u.organization_id: u for u in users if roles.has_role(u, Role.DEPT_HANDLER)}

        def account(user: User) -> Actor:
            path = user.region.path if user.region_id else None
            return Actor(actor_label(user), roles.effective_role(user), user.pk, path, user.organization_id)

        def named(role: Role, unit, **where) -> Actor:
            name = ctx.surname() + ctx.given_name(ctx.rng.random() < 0.5, ctx.rng.randint(1968, 1996))
            return Actor(f"{name}（{unit.name}）", role, **where)

        self.district = account(by_region[district.pk])
        nodes = {g.parent_id for g in grids}
        communities = list(Region.objects.filter(pk__in=nodes).order_by("path"))
        streets = list(Region.objects.filter(pk__in={c.parent_id for c in communities}).order_by("path"))
        self.streets = {
            s.pk: account(by_region[s.pk]) if s.pk in by_region else named(Role.STREET_STAFF, s, path=s.path)
            for s in streets
        }
        self.street_of = {c.pk: c.parent_id for c in communities}
        self.communities = {
            c.pk: account(by_region[c.pk]) if c.pk in by_region else named(Role.COMMUNITY_WORKER, c, path=c.path)
            for c in communities
        }
        workers = GridStaff.objects.filter(grid__in=grids, duty=GridStaff.Duty.WORKER)
        workers = workers.select_related("grid", "user__region")
        self.grids = {}
        for s in workers.order_by("grid__path", "pk"):
            if s.grid_id not in self.grids:
                self.grids[s.grid_id] = (
                    account(s.user)
                    if s.user_id
                    else Actor(f"{s.name}（{s.grid.name}）", Role.GRID_WORKER, path=s.grid.path)
                )
        self.departments = {
            d.pk: account(by_org[d.pk]) if d.pk in by_org else named(Role.DEPT_HANDLER, d, org_id=d.pk)
            for d in departments
        }

    def street_desk(self, grid: Region) -> Actor:
        return self.streets[self.street_of[grid.parent_id]]


# --- one case -----------------------------------------------------------------------------------------------


@dataclass(eq=False)
class Draft:
    """A case under play: the Case fields the lifecycle changes, and its timeline so far."""

    number: str
    channel: str
    category: Category
    grid: Region
    received_at: datetime
    desk: Actor  # who registers and dispatches it
    reporter: tuple[str, str] | None  # (name, phone) of a resident who can be called back
    place: str  # where, in the words of the description
    fields: dict  # the rest of the Case row: description, address, reporter, tracking code
    original: "Draft | None" = None  # an earlier report of the same problem, which this one will join
    kind: str = rules.EVENT
    state: str = rules.RECEIVED
    lead_department: Organization | None = None
    assisting: list[Organization] = field(default_factory=list)
    merged_into: "Draft | None" = None
    dispatched_at: datetime | None = None
    response_due: datetime | None = None
    response_warn_at: datetime | None = None
    accepted_at: datetime | None = None
    warn_at: datetime | None = None
    due_at: datetime | None = None
    feedback_at: datetime | None = None
    closed_at: datetime | None = None
    extension_days: int | None = None
    resume_on: date | None = None
    deferral_count: int = 0
    supervision_level: int = 0
    return_count: int = 0
    rework_count: int = 0
    reopen_count: int = 0
    extension_count: int = 0
    rating: str = ""
    rated_at: datetime | None = None
    on_time: bool | None = None
    handling_seconds: int | None = None
    visit_result: str = ""
    visit_tries: int = 0
    visited_at: datetime | None = None
    events: list[tuple] = field(default_factory=list)  # (action, from, to, actor, at, note, data)
    # The dispatches (cases.Assignment): department, dispatched_at, response_due, answered_at, returned_at.
    dispatches: list[list] = field(default_factory=list)

    @property
    def lead_department_id(self) -> int | None:
        return self.lead_department.pk if self.lead_department else None

    def facts(self) -> rules.Facts:
        return rules.facts_of(self)


class _Stop(Exception):
    """The next step would come after `now`: the case stays where it is."""


def _iso(moment: datetime) -> str:
    # As services.case_act writes deadlines into the timeline: in UTC, the zone of timezone.now().
    return moment.astimezone(UTC).isoformat()


class Player:
    """Plays cases forward from receipt, one legal step at a time, until `now`."""

    def __init__(self, rng: random.Random, clock: Clock, now: datetime, staff: Staff, departments: dict):
        self.rng, self.clock, self.now, self.staff = rng, clock, now, staff
        self.departments = departments  # name → Organization
        self._escalation_runs: dict[datetime, list[tuple[datetime, int]]] = {}
        # Some departments are slower and sloppier than others, so the rankings have something to rank.
        self.pace = {org.pk: rng.uniform(0.5, 1.6) for org in departments.values()}

    # The one way a step is taken: checked by the rules and applied through their effects table, with the inputs
    # services.case_act gives them (the deadline's start for an extension, the supervisor's level).
    def act(self, d: Draft, action: str, at: datetime, actor: Actor | Outsider, note: str = "", **inputs) -> None:
        if not (action == "supervise" and actor is SYSTEM):
            self.escalate(d, at)
        last = d.events[-1][4]
        if at <= last:
            at = last + timedelta(seconds=self.rng.randint(20, 300))
        if at >= self.now:
            raise _Stop
        t = rules.check(action, d.facts(), actor.caps(d))
        if t.note_required and not note:
            raise ValueError(f"{action} needs a note")
        # What the caller gives wins: the system's 督办 names its level.
        inputs = {**rules.derived_inputs(action, actor.role, ((e[0], e[4]) for e in d.events), d.dispatched_at),
                  **inputs}  # fmt: skip
        effect = rules.effects(action, d, at, self.clock, **inputs)
        previous = d.state
        for name, value in effect.changes.items():
            setattr(d, name, value)
        if effect.assisting is not None:
            d.assisting = effect.assisting
        data = {k: _iso(v) if isinstance(v, datetime) else v for k, v in effect.data.items()}
        d.events.append((action, previous, d.state, actor, at, note, data))
        record = rules.dispatch_record(action, at, effect.changes)
        if record is not None:
            kind, values = record
            if kind == rules.NEW_DISPATCH:
                d.dispatches.append([values["department"], at, values["response_due"], None, None])
            else:  # as services.case_act: each field set where the dispatch has none yet
                current = d.dispatches[-1]
                current[3] = current[3] or values["answered_at"]
                current[4] = current[4] or values.get("returned_at")

    def escalate(self, d: Draft, until: datetime) -> None:
        """services.escalate_overdue, run every working hour: 督办 ESCALATION_RUN_HOURS of working time after the
        deadline it watches (the 签收时限, then the 处置时限), 挂牌督办 as long after rules.DISTRICT_ESCALATION_DAYS
        working days have passed."""
        watched = rules.escalation_deadline(d.state, d.response_due, d.due_at)
        if watched is None or watched[1] >= until:
            return
        name, deadline = watched
        for at, overdue in self._escalations(deadline):
            if at >= min(until, self.now) or at <= d.events[-1][4]:
                continue
            escalation = rules.escalation(overdue, self.clock.day_seconds, d.supervision_level, name)
            if escalation is not None:
                level, note = escalation
                self.act(d, "supervise", at, SYSTEM, note, level=level)

    def _escalations(self, due: datetime) -> list[tuple[datetime, int]]:
        """(when, working seconds overdue) of the hourly escalation's first look at an overdue case and of its
        look rules.DISTRICT_ESCALATION_DAYS working days on. Kept per deadline: most deadlines are the end of some
        working day."""
        runs = self._escalation_runs.get(due)
        if runs is None:
            runs = []
            district = rules.DISTRICT_ESCALATION_DAYS * self.clock.day_seconds / 3600  # in working hours
            for hours in (ESCALATION_RUN_HOURS, district + ESCALATION_RUN_HOURS):
                at = self.clock.hours(due, hours)
                runs.append((at, self.clock.seconds(due, at)))
            self._escalation_runs[due] = runs
        return runs

    # --- the story of one case

    def play(self, d: Draft) -> None:
        try:
            self._triage(d)
        except _Stop:
            self.escalate(d, self.now)

    def _triage(self, d: Draft) -> None:
        rng, clock, desk = self.rng, self.clock, d.desk
        t = clock.hours(d.received_at, rng.uniform(0.1, 1.5))
        if d.original is not None:
            note = catalog.CASE_NOTES["merge"].format(original=d.original.number)
            return self.act(d, "merge", t, desk, note, original=d.original)
        if rng.random() < P_REJECT:
            return self.act(d, "reject", t, desk, rng.choice(catalog.CASE_NOTES["reject"]))
        self.act(d, "register", t, desk)
        default = d.category.department
        lead = self.departments[default.name if default else catalog.CASE_UNROUTED_DEPARTMENT]
        t = clock.hours(t, rng.uniform(3, 10) if rng.random() < P_SLOW_DISPATCH else rng.uniform(0.05, 0.8))
        wrong = catalog.CASE_MISROUTED.get(lead.name)
        if wrong and rng.random() < P_MISROUTED:
            wrong = self.departments[wrong]
            self.act(d, "dispatch", t, desk, lead=wrong)
            t = clock.hours(t, rng.uniform(0.2, 3))
            if rng.random() < 0.4:
                self.act(d, "accept", t, self.staff.departments[wrong.pk])
                t = clock.hours(t, rng.uniform(0.5, 4))
            note = catalog.CASE_NOTES["return"].format(right=lead.name)
            self.act(d, "return", t, self.staff.departments[wrong.pk], note)
            t = clock.hours(t, rng.uniform(0.2, 6))
        helper = catalog.CASE_ASSISTING.get(lead.name)
        assisting = [self.departments[helper]] if helper and rng.random() < P_ASSISTED else []
        self.act(d, "dispatch", t, desk, lead=lead, assisting=assisting)
        response = float(d.category.response_limit)
        late = rng.random() < P_LATE_ACCEPT
        t = clock.hours(t, response * (rng.uniform(1.1, 2.5) if late else rng.uniform(0.05, 0.8)))
        self.act(d, "accept", t, self.staff.departments[lead.pk])
        self._handle(d, t, first=True)

    def _handle(self, d: Draft, start: datetime, *, first: bool) -> None:
        """From taking the case on (or getting it back after 不满意) to its close and the rating."""
        rng, clock = self.rng, self.clock
        handler = self.staff.departments[d.lead_department_id]
        if first and rng.random() < P_DEFERRAL:
            resumed = self._defer(d, handler, start)
            if resumed is not None:
                return self._handle(d, resumed, first=False)
        days = rng.randint(3, 10) if first and d.return_count == 0 and rng.random() < P_EXTENSION else None
        planned_due = clock.days(d.due_at, days) if days else d.due_at
        # Working hours the department takes from `start` to its feedback.
        budget = clock.seconds(start, planned_due) / 3600
        roll = rng.random()
        if roll < P_STUCK and d.received_at >= self.now - timedelta(days=STUCK_DAYS):
            work = budget + rng.uniform(20, 60) * clock.day_seconds / 3600
        elif roll < P_STUCK + P_LATE * self.pace[d.lead_department_id]:
            work = budget + (rng.uniform(0.5, 7) if rng.random() < 0.7 else rng.uniform(7, 35))
        else:
            work = max(0.2, budget * rng.uniform(0.15, 0.95))
        feedback = clock.hours(start, work)

        def along(share: float) -> datetime:
            return clock.hours(start, work * share)

        notes = catalog.CASE_NOTES
        if d.assisting and rng.random() < 0.8:
            helper = self.staff.departments[d.assisting[0].pk]
            self.act(d, "assist_note", along(rng.uniform(0.05, 0.3)), helper, rng.choice(notes["assist_note"]))
        if days:
            self.act(d, "request_extension", along(rng.uniform(0.32, 0.45)), handler,
                     rng.choice(notes["request_extension"]), days=days)  # fmt: skip
            decided = along(rng.uniform(0.46, 0.58))
            if rng.random() < P_EXTENSION_APPROVED:
                self.act(d, "approve_extension", decided, d.desk, "同意延期。")
            else:
                self.act(d, "deny_extension", decided, d.desk, rng.choice(notes["deny_extension"]))
        if rng.random() < P_SUPERVISED:
            supervisor = self.staff.district if rng.random() < 0.4 else d.desk
            self.act(d, "supervise", along(rng.uniform(0.6, 0.85)), supervisor, rng.choice(notes["supervise"]))
        result = catalog.CASE_CATEGORIES[d.category.code][3]
        self.act(d, "feedback", feedback, handler, rng.choice(result))
        verifier = self._verifier(d)
        checked = clock.hours(d.events[-1][4], rng.uniform(0.3, 8))
        if first and rng.random() < P_REWORK * self.pace[d.lead_department_id] ** 0.5:
            self.act(d, "rework", checked, verifier, rng.choice(notes["rework"]))
            self.act(d, "feedback", clock.hours(d.events[-1][4], rng.uniform(0.5, 8)), handler, rng.choice(result))
            checked = clock.hours(d.events[-1][4], rng.uniform(0.3, 8))
        self.act(d, "verify", checked, verifier, rng.choice(notes["verify"]))
        self._rate(d)

    def _defer(self, d: Draft, handler: Actor, start: datetime) -> datetime | None:
        """缓办: asked for early in the handling, decided by the desk; when approved, the case waits until the date
        given and resumes that morning (later than the demo's now, it is still waiting). When work resumed, or None
        when the request was refused."""
        rng, clock, notes = self.rng, self.clock, catalog.CASE_NOTES
        asked = clock.hours(start, rng.uniform(2, 10))
        resume_on = asked.astimezone(self.now.tzinfo).date() + timedelta(days=rng.randint(14, 90))
        self.act(d, "request_deferral", asked, handler, rng.choice(notes["request_deferral"]), resume_on=resume_on)
        decided = clock.hours(asked, rng.uniform(0.5, 6))
        if rng.random() >= P_DEFERRAL_APPROVED:
            self.act(d, "deny_deferral", decided, d.desk, rng.choice(notes["deny_deferral"]))
            return None
        self.act(d, "approve_deferral", decided, d.desk, "同意缓办。")
        day = resume_on
        while not clock.is_workday(day):
            day += timedelta(days=1)
        resumed = datetime.combine(day, time(9), tzinfo=self.now.tzinfo) + timedelta(minutes=rng.randint(0, 90))
        self.act(d, "resume", resumed, handler, notes["resume"])
        return resumed

    def _rate(self, d: Draft) -> None:
        """The reporter rates online (the online channels), then the dispatcher's 回访 asks whether the problem is
        solved and, unless rated, how satisfied they are; a reporter who never answers is unreachable after the
        configured tries. 不满意 or 未解决 may send the case back once."""
        rng, notes, clock = self.rng, catalog.CASE_NOTES, self.clock
        if d.reporter is None:
            return
        reached = rng.random() < P_RATED
        ratings = RATINGS if d.reopen_count == 0 else RATINGS_AGAIN
        rating = rng.choices([r for r, _ in ratings], [w for _, w in ratings])[0]
        note = rng.choice(notes["rate_unsatisfied" if rating == rules.UNSATISFIED else "rate_satisfied"])
        if reached and d.channel in RESIDENT_RATED:
            self.act(d, "rate", self._resident_moment(d.closed_at), RESIDENT, note, rating=rating)
            if rules.reopens(d.facts()):  # services.public_rate reopens in the same call
                self.act(d, "reopen", d.events[-1][4] + timedelta(seconds=1), RESIDENT, notes["reopen_resident"])
                self._handle(d, d.events[-1][4], first=False)
                return
        at = clock.hours(d.events[-1][4], rng.uniform(1, 16))
        if not reached:
            for _ in range(settings.VISIT_TRIES):
                self.act(d, "visit_try", at, d.desk, rng.choice(notes["visit_try"]), tries=settings.VISIT_TRIES)
                at = clock.hours(at, rng.uniform(3, 8))
            return
        solved = rng.random() >= P_UNSOLVED[rating]
        asked = "" if d.rating else rating
        self.act(d, "visit", at, d.desk, note if asked else "", solved=solved, rating=asked)
        if not rules.reopens(d.facts()) or rng.random() >= P_DESK_REOPENS:
            return
        reason = notes["reopen_desk"].format(note=note) if solved else notes["reopen_unsolved"]
        self.act(d, "reopen", clock.hours(d.events[-1][4], rng.uniform(0.1, 1)), d.desk, reason)
        self._handle(d, d.events[-1][4], first=False)

    def _resident_moment(self, after: datetime) -> datetime:
        """Some time in the next three days, between 7:00 and 22:00."""
        at = after + timedelta(hours=self.rng.uniform(0.5, 72))
        if at.hour < 7:
            at = at.replace(hour=self.rng.randint(7, 9))
        elif at.hour >= 22:
            at = (at + timedelta(days=1)).replace(hour=self.rng.randint(7, 9))
        return at

    def _verifier(self, d: Draft) -> Actor:
        if not d.category.requires_verification:
            return d.desk  # the dispatcher closes from the feedback alone
        community = self.staff.communities[d.grid.parent_id]
        if community.user_id and self.rng.random() < 0.3:
            return community
        return self.staff.grids[d.grid.pk]


# --- intake -------------------------------------------------------------------------------------------------


def _grid_rect(grid: Region) -> Rect:
    ring = grid.boundary["coordinates"][0]
    lons, lats = [p[0] for p in ring], [p[1] for p in ring]
    return Rect(min(lons), min(lats), max(lons), max(lats))


class Intake:
    """What arrives: when, through which channel, about what, where and from whom."""

    def __init__(self, rng, ctx, clock, now, grids, staff, categories, open311_key):
        self.rng, self.ctx, self.clock, self.now, self.staff = rng, ctx, clock, now, staff
        self.grids = grids
        self.grid_weights = list(accumulate(g.households_planned + 30 for g in grids))
        self.rects = {g.pk: _grid_rect(g) for g in grids}
        self.open311 = Outsider(f"Open311：{open311_key.name}", rules.RESIDENT)
        self.open311_key = open311_key
        first = now.date() - timedelta(days=DAYS)
        self.days = [first + timedelta(days=i) for i in range(DAYS)]
        self.day_weights = list(accumulate(MONTH_VOLUME[d.month - 1] for d in self.days))
        self.channels = list(catalog.CASE_CHANNELS)
        self.channel_weights = list(accumulate(catalog.CASE_CHANNELS.values()))
        self.categories = categories
        self.category_weights = {}  # (channel, month) → cumulative weights over `categories`
        for channel in self.channels:
            affinity = catalog.CASE_CHANNEL_AFFINITY[channel]
            for month in range(1, 13):
                weights = []
                for c in categories:
                    base, season, _, _ = catalog.CASE_CATEGORIES[c.code]
                    weights.append(base * SEASONS[season][month - 1] * affinity[int(c.code[:2]) - 1])
                self.category_weights[channel, month] = list(accumulate(weights))
        self.estates: dict[int, list[tuple]] = {}  # grid → (estate name, estate address, building number)
        for b in Building.objects.filter(grid__in=grids).select_related("estate").order_by("pk"):
            self.estates.setdefault(b.grid_id, []).append((b.estate.name, b.estate.address, b.number))
        self.houses: dict[int, list[tuple]] = {}  # grid → (house id, estate, address, building, unit, number)
        self.building_of: dict[int, int] = {}  # house id → building id
        rows = House.objects.filter(grid__in=grids).order_by("pk")
        for row in rows.values_list("pk", "grid_id", "unit__building__estate__name",
                                    "unit__building__estate__address", "unit__building__number", "unit__number",
                                    "number", "unit__building_id"):  # fmt: skip
            self.houses.setdefault(row[1], []).append((row[0], *row[2:-1]))
            self.building_of[row[0]] = row[-1]
        self.codes: set[str] = set()

    def _pick(self, cumulative: list[float]) -> int:
        return bisect(cumulative, self.rng.random() * cumulative[-1])

    def moments(self, n: int) -> list[tuple[datetime, str]]:
        """(received_at, channel) of n cases, oldest first."""
        rng, result = self.rng, []
        while len(result) < n:
            day = self.days[self._pick(self.day_weights)]
            channel = self.channels[self._pick(self.channel_weights)]
            if channel in STAFF_CHANNELS:
                while not self.clock.is_workday(day):
                    day -= timedelta(days=1)
                start = datetime.combine(day, time.min, tzinfo=self.now.tzinfo)
                moment = self.clock.hours(start, rng.uniform(0.05, self.clock.day_seconds / 3600 - 0.05))
                moment = moment.replace(second=rng.randint(0, 59), microsecond=0)
            else:
                hours = HOTLINE_HOURS if channel == Case.Channel.HOTLINE else ONLINE_HOURS
                hour = rng.choices(list(hours), list(hours.values()))[0]
                moment = datetime.combine(day, time(hour, rng.randint(0, 59), rng.randint(0, 59)), self.now.tzinfo)
            if day < self.days[0] or moment >= self.now:
                continue  # a staff case moved back before the year began: drawn again
            result.append((moment, channel))
        result.sort()
        return result

    def tracking_code(self) -> str:
        return tracking_code(self.rng, self.codes)

    def _place(self, grid: Region, code: str) -> tuple[str, str, int | None]:
        """(words in the description, address, house id)."""
        rng = self.rng
        kind = catalog.CASE_PLACES.get(code) or catalog.CASE_PLACES.get(code[:2]) or rng.choice(("road", "estate"))
        if kind == "house" and self.houses.get(grid.pk):
            house, estate, address, building, unit, number = rng.choice(self.houses[grid.pk])
            flat = f"{estate}{building}号楼{unit}单元{number}室"
            return flat, f"{catalog.CITY_PREFIX}{address}{flat}", house
        if kind in ("house", "estate") and self.estates.get(grid.pk):
            estate, address, building = rng.choice(self.estates[grid.pk])
            place = f"{estate}{building}号楼"
            return place, f"{catalog.CITY_PREFIX}{address}{place}", None
        road = rng.choice(catalog.ROADS)
        if rng.random() < 0.3:
            other = rng.choice([r for r in catalog.ROADS if r != road])
            return f"{road}与{other}交汇处", f"{catalog.CITY_PREFIX}{road}与{other}交汇处", None
        number = rng.randint(1, 320)
        return f"{road}{number}号附近", f"{catalog.CITY_PREFIX}{road}{number}号", None

    def _reporter(self, channel: str) -> tuple[str, str] | None:
        rng, ctx = self.rng, self.ctx
        if channel in (Case.Channel.PATROL, Case.Channel.INSPECTION):
            return None
        if channel == Case.Channel.OPEN311 and rng.random() < 0.5:
            return None
        male = rng.random() < 0.45
        if channel in (Case.Channel.HOTLINE, Case.Channel.ONLINE) and rng.random() < 0.6:
            name = ctx.surname() + ("先生" if male else "女士")
        else:
            name = ctx.surname() + ctx.given_name(male, rng.randint(1950, 2000))
        return name, ctx.phones.mobile()

    def draft(self, number: str, received_at: datetime, channel: str, original: Draft | None = None) -> Draft:
        """A new case; with `original`, another report of the same problem at the same place."""
        rng = self.rng
        if original is None:
            grid = self.grids[self._pick(self.grid_weights)]
            category = self.categories[self._pick(self.category_weights[channel, received_at.month])]
            place, address, house = self._place(grid, category.code)
        else:
            grid, category, place = original.grid, original.category, original.place
            address, house = original.fields["address"], original.fields["house_id"]
        description = rng.choice(catalog.CASE_CATEGORIES[category.code][2]).format(place=place)
        reporter = self._reporter(channel)
        lon, lat = self.rects[grid.pk].point(rng)
        staff = self.staff
        intake = {
            Case.Channel.HOTLINE: staff.district,
            Case.Channel.INSPECTION: staff.district,
            Case.Channel.WINDOW: staff.communities[grid.parent_id],
            Case.Channel.PATROL: staff.grids[grid.pk],
            Case.Channel.ONLINE: RESIDENT,
            Case.Channel.OPEN311: self.open311,
        }[channel]
        desk = staff.district if channel in DISTRICT_DESK else staff.street_desk(grid)
        fields = {
            "tracking_code": self.tracking_code(),
            "description": description,
            "address": address,
            "house_id": house,
            "latitude": Decimal(f"{lat:.6f}"),
            "longitude": Decimal(f"{lon:.6f}"),
            "reporter_name": reporter[0] if reporter else "",
            "reporter_phone": reporter[1] if reporter else "",
            "reporter_phone_hash": lookup_hash(reporter[1]) if reporter else "",
            "open311_key": self.open311_key if channel == Case.Channel.OPEN311 else None,
            "created_by_id": intake.user_id,
        }
        d = Draft(number, channel, category, grid, received_at, desk, reporter, place, fields, original)
        if not rules.TRANSITIONS["receive"].actors & intake.caps(d):
            raise ValueError(f"{intake.label} may not receive a case in {grid.name}")
        d.events.append(("receive", "", rules.RECEIVED, intake, received_at, "", {}))
        return d


# --- the phase ----------------------------------------------------------------------------------------------


CHUNK = 2000  # consecutive cases played with a random stream of their own, possibly in a worker process


@dataclass
class _Game:
    """What playing a chunk of cases needs; built before the worker processes fork, so they share it."""

    seed: int
    intake: Intake
    player: Player
    street_of: dict[int, int]
    moments: list[tuple[datetime, str, str]]  # (received_at, channel, number), oldest first
    first_id: int
    # The first chunk goes on with the streams the cases began with (the moments, the staff's names), so a
    # district of one chunk is what it was before cases were played in chunks.
    first_streams: tuple[tuple, tuple]


_game: _Game | None = None


def build_cases(
    *, seed: int, scale: float, now: datetime, count: int | None = None, writer=None, parallel: bool = False
) -> int:
    """Play and write `count` cases (default: about CASES_PER_YEAR × scale) received in the year before `now`.
    Returns the count.

    The cases are played CHUNK at a time, each chunk on a random stream of its own, so the result is the same
    whether the chunks are played here or (`parallel`) in worker processes on the other cores."""
    global _game
    rng = random.Random(f"{seed}:cases")
    ctx = population.Context(random.Random(f"{seed}:case-people"))
    clock = Clock()
    district = Region.objects.get(level=Region.Level.DISTRICT, code=catalog.DISTRICT[0])
    grids = list(scope.subtree(district.path, Region.objects.filter(level=Region.Level.GRID)).order_by("path"))
    departments = list(Organization.objects.filter(kind=Organization.Kind.DEPARTMENT).order_by("name"))
    staff = Staff(ctx, district, grids, departments)
    categories = list(
        Category.objects.filter(parent__isnull=False, active=True, code__in=catalog.CASE_CATEGORIES)
        .select_related("department")
        .order_by("code")
    )
    key = Open311Key.objects.create(
        name=catalog.CASE_OPEN311_CLIENT,
        # Nobody holds this client's key: the administrator issues real ones (open311.services.key_issue).
        key_hash=key_hash(f"demo:{rng.getrandbits(128):032x}"),
    )
    intake = Intake(rng, ctx, clock, now, grids, staff, categories, key)
    player = Player(rng, clock, now, staff, {d.name: d for d in departments})
    serials: dict[int, int] = {}
    moments = []
    for received_at, channel in intake.moments(count or max(MIN_CASES, round(CASES_PER_YEAR * scale))):
        year = received_at.year
        serials[year] = serials.get(year, 0) + 1
        moments.append((received_at, channel, rules.case_number(year, serials[year])))
    # The workers never ask the database: every day a case can meet is looked up now.
    first = intake.days[0]
    for offset in range(-7, DAYS + 400):
        clock.is_workday(first + timedelta(days=offset))
    writer = writer or bulk.Writer(timezone.now())
    _game = _Game(
        seed,
        intake,
        player,
        staff.street_of,
        moments,
        writer.ids(Case, len(moments)).start,
        (rng.getstate(), ctx.rng.getstate()),
    )
    chunks = range(0, len(moments), CHUNK)
    codes: set[str] = set()
    try:
        if parallel and len(chunks) > 1:
            with multiprocessing.get_context("fork").Pool(os.cpu_count()) as pool:
                for played in pool.imap(_play_chunk, chunks):
                    _write_chunk(writer, played, codes)
        else:
            for start in chunks:
                _write_chunk(writer, _play_chunk(start), codes)
    finally:
        _game = None
    writer.finish()
    CaseCounter.objects.bulk_create(CaseCounter(year=y, last=n) for y, n in serials.items())
    return len(moments)


CASE_COLUMNS = (
    "id number channel category_id priority region_id community_id street_id received_at lead_department_id "
    "merged_into_id version kind tracking_code description address house_id building_id latitude longitude "
    "reporter_name reporter_phone reporter_phone_hash open311_key_id created_by_id"
).split()


@dataclass
class _Played:
    cases: list[tuple]  # CASE_COLUMNS + LIFECYCLE_FIELDS, reporter phones encrypted
    assisting: list[tuple[int, int]]  # (case id, organisation id)
    dispatches: list[tuple]  # (case id, department id, dispatched_at, response_due, answered_at, returned_at)
    events: list[tuple]  # EVENT_COLUMNS, without the event id


def _play_chunk(start: int) -> _Played:
    """Play the cases from `start` on (CHUNK of them) on the chunk's own random stream; no database access."""
    game = _game
    if start == 0:
        rng, people = random.Random(), random.Random()
        rng.setstate(game.first_streams[0])
        people.setstate(game.first_streams[1])
    else:
        rng, people = random.Random(f"{game.seed}:cases:{start}"), random.Random(f"{game.seed}:case-people:{start}")
    intake, player = game.intake, game.player
    intake.rng = player.rng = rng
    intake.ctx.rng = intake.ctx.fake.random = people
    intake.ctx.phones = PhoneAllocator(people)
    intake.codes = set()
    drafts, ids = [], {}
    for offset, (received_at, channel, number) in enumerate(game.moments[start : start + CHUNK]):
        original = _duplicated(rng, drafts, received_at) if rng.random() < P_MERGE else None
        d = intake.draft(number, received_at, channel, original)
        player.play(d)
        drafts.append(d)
        ids[d.number] = game.first_id + start + offset
    cases = []
    for d in drafts:
        f = d.fields
        cases.append(
            (ids[d.number], d.number, d.channel, d.category.pk, d.category.priority, d.grid.pk, d.grid.parent_id,
             game.street_of[d.grid.parent_id], d.received_at, d.lead_department_id,
             ids[d.merged_into.number] if d.merged_into else None, len(d.events), d.kind, f["tracking_code"],
             f["description"], f["address"], f["house_id"], intake.building_of.get(f["house_id"]), f["latitude"],
             f["longitude"], f["reporter_name"],
             f["reporter_phone"], f["reporter_phone_hash"], f["open311_key"].pk if f["open311_key"] else None,
             f["created_by_id"], *(getattr(d, name) for name in LIFECYCLE_FIELDS))
        )  # fmt: skip
    return _Played(
        bulk.Writer.encrypted(Case, [*CASE_COLUMNS, *LIFECYCLE_FIELDS], cases),
        [(ids[d.number], o.pk) for d in drafts for o in d.assisting],
        [(ids[d.number], department.pk, *rest) for d in drafts for department, *rest in d.dispatches],
        [
            (
                ids[d.number],
                seq,
                action,
                from_state,
                to_state,
                actor.user_id,
                actor.label,
                at,
                note,
                data,
                rules.TRANSITIONS[action].public,
            )
            for d in drafts
            for seq, (action, from_state, to_state, actor, at, note, data) in enumerate(d.events, start=1)
        ],  # fmt: skip
    )


def _write_chunk(writer, played: _Played, codes: set[str]) -> None:
    """One chunk's cases, assisting links and timelines. Tracking codes are unique within a chunk; one that an
    earlier chunk holds already is drawn again, from a stream of the case's own."""
    cases = []
    at = CASE_COLUMNS.index("tracking_code")
    for row in played.cases:
        code = row[at]
        if code in codes:
            code = tracking_code(random.Random(row[1]), codes)
            row = (*row[:at], code, *row[at + 1 :])
        codes.add(code)
        cases.append(row)
    writer.insert(Case, [*CASE_COLUMNS, *LIFECYCLE_FIELDS], cases, encrypted=True)
    through = Case.assisting.through
    writer.insert(
        through,
        ("id", "case_id", "organization_id"),
        [(pk, *link) for pk, link in zip(writer.ids(through, len(played.assisting)), played.assisting, strict=True)],
    )
    writer.insert(
        Assignment,
        ("id", "case_id", "department_id", "dispatched_at", "response_due", "answered_at", "returned_at"),
        [(pk, *row) for pk, row in zip(writer.ids(Assignment, len(played.dispatches)), played.dispatches, strict=True)],
    )
    writer.insert(
        CaseEvent,
        ("id", *(CaseEvent._meta.get_field(name).attname for name in EVENT_COLUMNS)),
        [(pk, *e) for pk, e in zip(writer.ids(CaseEvent, len(played.events)), played.events, strict=True)],
    )


def _duplicated(rng: random.Random, drafts: list[Draft], received_at: datetime) -> Draft | None:
    """A case of the last MERGE_WINDOW that somebody else reports again, if there is one that counts."""
    recent = []
    for d in reversed(drafts):
        if d.received_at < received_at - MERGE_WINDOW:
            break
        if d.state not in rules.NOT_COUNTED:
            recent.append(d)
    return rng.choice(recent) if recent else None


LIFECYCLE_FIELDS = (
    "state dispatched_at response_due accepted_at warn_at due_at feedback_at closed_at extension_days "
    "supervision_level return_count rework_count reopen_count extension_count rating rated_at on_time "
    "handling_seconds resume_on deferral_count response_warn_at visit_result visit_tries visited_at"
).split()


EVENT_COLUMNS = ("case", "seq", "action", "from_state", "to_state", "actor", "actor_label", "at", "note", "data",
                 "public")  # fmt: skip
