"""Pure rules of the case lifecycle (事件闭环): states, the transition table, who may act, traffic lights,
escalation and the indicators. No ORM: services feed facts in and apply what comes out.

The lifecycle of SPEC.md §3:

    受理 received ─立案─▶ registered ─派遣─▶ dispatched ─签收─▶ handling ─反馈─▶ feedback ─核查通过─▶ closed
        └─不予受理─▶ rejected          ▲  └─退单─▶ returned ─(再派遣)─┘        ▲   └─返工──────┘          │
        └─合并─▶ merged                └────────────────────────────────────┴── 不满意 or 未解决, once ◀─回访┘
                                                     handling ─批准缓办─▶ deferred ─恢复办理─▶ handling

延期 (request, approve, deny), 申请缓办, 驳回缓办, 督办 and 协办意见 leave the state as it is; they are timeline
entries with effects on the deadline or the supervision level.
"""

import math
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from django.utils.translation import gettext, gettext_lazy

from linli.accounts.roles import CASES, DISPATCHER, INTAKE, ON_SITE, SUPERVISION_LEVEL, SUPERVISOR

# ---------------------------------------------------------------- states

RECEIVED = "received"
REJECTED = "rejected"
REGISTERED = "registered"
DISPATCHED = "dispatched"
RETURNED = "returned"
HANDLING = "handling"
FEEDBACK = "feedback"
CLOSED = "closed"
MERGED = "merged"
DEFERRED = "deferred"

STATE_LABELS = {
    RECEIVED: gettext_lazy("已受理"),
    REJECTED: gettext_lazy("不予受理"),
    REGISTERED: gettext_lazy("已立案待派遣"),
    DISPATCHED: gettext_lazy("已派遣待签收"),
    RETURNED: gettext_lazy("已退单待改派"),
    HANDLING: gettext_lazy("处置中"),
    FEEDBACK: gettext_lazy("已反馈待核查"),
    CLOSED: gettext_lazy("已结案"),
    MERGED: gettext_lazy("已合并"),
    DEFERRED: gettext_lazy("缓办中"),
}
# Cases somebody still has to act on; deadlines and lights apply to them. An approved 缓办 (DEFERRED) waits for a
# condition outside the department (funds, the season): no deadline runs and it is neither open nor closed here.
OPEN_STATES = frozenset({RECEIVED, REGISTERED, DISPATCHED, RETURNED, HANDLING, FEEDBACK})
# A department holds the case (its deadline runs) from dispatch until it feeds back.
WITH_DEPARTMENT = frozenset({DISPATCHED, HANDLING})
# Cases that never enter the indicators: not accepted, or folded into another case.
NOT_COUNTED = frozenset({REJECTED, MERGED})
QUEUE_STATES = frozenset({RECEIVED, REGISTERED, RETURNED})  # the dispatcher's desk
# Not yet resolved, as the reporter sees it (Open311's "open"): the open cases and those in 缓办.
UNRESOLVED = OPEN_STATES | {DEFERRED}

EVENT = "event"
RECTIFICATION = "rectification"
KIND_LABELS = {EVENT: gettext_lazy("事件"), RECTIFICATION: gettext_lazy("整改")}

# ---------------------------------------------------------------- actors

# What a role may do on a case in its scope (DISPATCHER, SUPERVISOR, INTAKE, ON_SITE) is the roles module's table
# roles.CASES; the actors below are given per case (LEAD, ASSIST) or act without an account.
LEAD = "lead"  # the lead department's handlers
ASSIST = "assist"  # assisting departments' handlers
RESIDENT = "resident"  # the reporter, through the tracking code
SYSTEM = "system"  # scheduled escalation

SUPERVISION_LABELS = {0: "", 1: gettext_lazy("督办"), 2: gettext_lazy("挂牌督办")}


def capabilities(
    role: str | None,
    *,
    in_region: bool,
    lead: bool = False,
    assisting: bool = False,
    verification_on_site: bool = True,
) -> frozenset[str]:
    """What a user may do on one case. `in_region`: the case lies in the user's region subtree; `lead` and
    `assisting`: the user's organisation is the case's lead or an assisting department. When the category does
    not require an on-site check, the dispatcher may verify from the feedback alone. Of the role's capabilities
    (roles.CASES) only those that act in the transition table count here."""
    caps = set(CASES.get(role, ())) & ACTORS if in_region else set()
    if lead:
        caps.add(LEAD)
    if assisting:
        caps.add(ASSIST)
    if DISPATCHER in caps and not verification_on_site:
        caps.add(ON_SITE)
    return frozenset(caps)


def verified_on_site(requires_verification: bool, kind: str) -> bool:
    """Whether closing needs the on-site check: as the category says, except that a rectification is accepted
    (验收) by the office that registered it, on site or from the feedback."""
    return requires_verification and kind != RECTIFICATION


def supervision_level(role: str | None) -> int:
    """The 督办 level a supervisor of `role` reaches (roles.SUPERVISION_LEVEL): a street's 1, the district's 2."""
    return SUPERVISION_LEVEL.get(role, 1)


# ---------------------------------------------------------------- ratings

SATISFIED = "satisfied"
BASIC = "basic"
UNSATISFIED = "unsatisfied"
RATING_LABELS = {SATISFIED: gettext_lazy("满意"), BASIC: gettext_lazy("基本满意"), UNSATISFIED: gettext_lazy("不满意")}
MAX_REOPENS = 1  # 不满意 may send the case back once

# ---------------------------------------------------------------- return visits (回访)
#
# After each close the return-visit staff call the reporter and ask two separate questions: is the problem solved,
# and how satisfied are they. A resident who cannot be reached is called again, up to the configured number of
# tries (settings.VISIT_TRIES), and then recorded as unreachable; how an unreachable visit counts in 解决率 is
# configured too (settings.VISIT_UNREACHABLE, solve_rate below).

SOLVED = "solved"
UNSOLVED = "unsolved"
UNREACHABLE = "unreachable"
VISIT_LABELS = {SOLVED: gettext_lazy("已解决"), UNSOLVED: gettext_lazy("未解决"), UNREACHABLE: gettext_lazy("联系不上")}


def visit_summary(action: str, data: dict) -> str:
    """The timeline's line for a 回访 entry (`data` as the visit effects record it), on the case and tracking pages."""
    if action == "visit" and isinstance(data.get("solved"), bool):
        answer = gettext("问题已解决") if data["solved"] else gettext("问题未解决")
        rating = RATING_LABELS.get(data.get("rating"))
        return gettext("%(answer)s，评价：%(rating)s") % {"answer": answer, "rating": rating} if rating else answer
    if action == "visit_try" and data.get("try"):
        return gettext("第%(data)s次未接通") % {"data": data["try"]} + (
            gettext("，记为联系不上") if data.get("unreachable") else ""
        )
    return ""


# ---------------------------------------------------------------- transitions


@dataclass(frozen=True)
class Facts:
    """What the table's guards need to know about a case, besides its state."""

    state: str
    extension_pending: bool = False
    rated: bool = False  # rated since it was last closed
    rating: str = ""
    reopen_count: int = 0
    has_lead: bool = False
    deferral_pending: bool = False
    visit_result: str = ""  # the return visit's outcome since the case was last closed


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset[str]
    target: str | None  # None: the state stays
    actors: frozenset[str]
    note_required: bool = False
    public: bool = False  # shown to the reporter on the tracking page and in Open311
    guard: str = ""  # name of a check in GUARDS


def _t(action, label, sources, target, actors, **kw) -> Transition:
    return Transition(action, label, frozenset(sources), target, frozenset(actors), **kw)


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        _t("receive", gettext_lazy("受理"), (), RECEIVED, {INTAKE, RESIDENT, SYSTEM}, public=True),
        _t("register", gettext_lazy("立案"), {RECEIVED}, REGISTERED, {DISPATCHER}, public=True),
        _t("reject", gettext_lazy("不予受理"), {RECEIVED}, REJECTED, {DISPATCHER}, note_required=True, public=True),
        _t("merge", gettext_lazy("合并重复件"), {RECEIVED, REGISTERED}, MERGED, {DISPATCHER}, public=True),
        _t("dispatch", gettext_lazy("派遣"), {REGISTERED, RETURNED}, DISPATCHED, {DISPATCHER}, public=True),
        _t("accept", gettext_lazy("签收"), {DISPATCHED}, HANDLING, {LEAD}, public=True),
        _t("return", gettext_lazy("退单"), {DISPATCHED, HANDLING}, RETURNED, {LEAD}, note_required=True),
        _t("assist_note", gettext_lazy("协办意见"), {HANDLING}, None, {ASSIST}, note_required=True),
        _t(
            "request_extension",
            gettext_lazy("申请延期"),
            {HANDLING},
            None,
            {LEAD},
            note_required=True,
            guard="no_extension",
        ),
        _t("approve_extension", gettext_lazy("批准延期"), {HANDLING}, None, {DISPATCHER}, guard="extension"),
        _t(
            "deny_extension",
            gettext_lazy("驳回延期"),
            {HANDLING},
            None,
            {DISPATCHER},
            note_required=True,
            guard="extension",
        ),
        _t(
            "request_deferral",
            gettext_lazy("申请缓办"),
            {HANDLING},
            None,
            {LEAD},
            note_required=True,
            guard="no_deferral",
        ),
        _t("approve_deferral", gettext_lazy("批准缓办"), {HANDLING}, DEFERRED, {DISPATCHER}, guard="deferral"),
        _t(
            "deny_deferral",
            gettext_lazy("驳回缓办"),
            {HANDLING},
            None,
            {DISPATCHER},
            note_required=True,
            guard="deferral",
        ),
        _t("resume", gettext_lazy("恢复办理"), {DEFERRED}, HANDLING, {DISPATCHER, LEAD}, note_required=True),
        _t("feedback", gettext_lazy("处置反馈"), {HANDLING}, FEEDBACK, {LEAD}, note_required=True, public=True),
        _t("verify", gettext_lazy("核查通过，结案"), {FEEDBACK}, CLOSED, {ON_SITE}, public=True),
        _t(
            "rework", gettext_lazy("核查不通过，返工"), {FEEDBACK}, HANDLING, {ON_SITE}, note_required=True, public=True
        ),
        _t("supervise", gettext_lazy("督办"), OPEN_STATES, None, {SUPERVISOR, SYSTEM}, note_required=True),
        _t("rate", gettext_lazy("回访评价"), {CLOSED}, None, {DISPATCHER, RESIDENT}, public=True, guard="not_rated"),
        _t("visit", gettext_lazy("回访"), {CLOSED}, None, {DISPATCHER, RESIDENT}, public=True, guard="not_visited"),
        _t("visit_try", gettext_lazy("回访未接通"), {CLOSED}, None, {DISPATCHER}, guard="not_visited"),
        _t("reopen", gettext_lazy("重新办理"), {CLOSED}, HANDLING, {DISPATCHER, RESIDENT}, public=True, guard="reopen"),
    ]
}

# The steps a resident who reported the case is told of (residents' portal), by notification template: 派遣, 处置反馈
# and 办结, which asks them to rate the result.
REPORTER_MESSAGES = {"dispatch": "cases.dispatched", "feedback": "cases.feedback", "verify": "cases.closed"}

# Everyone who acts somewhere in the table.
ACTORS = frozenset().union(*(t.actors for t in TRANSITIONS.values()))

GUARDS = {
    "no_extension": (lambda f: not f.extension_pending, gettext_lazy("已有延期申请待审批")),
    "extension": (lambda f: f.extension_pending, gettext_lazy("没有待审批的延期申请")),
    "no_deferral": (lambda f: not f.deferral_pending, gettext_lazy("已有缓办申请待审批")),
    "deferral": (lambda f: f.deferral_pending, gettext_lazy("没有待审批的缓办申请")),
    "not_rated": (lambda f: not f.rated, gettext_lazy("本次办理已评价")),
    "not_visited": (lambda f: not f.visit_result, gettext_lazy("本次办理已回访")),
    "reopen": (
        lambda f: (
            ((f.rated and f.rating == UNSATISFIED) or f.visit_result == UNSOLVED)
            and f.reopen_count < MAX_REOPENS
            and f.has_lead
        ),
        gettext_lazy("只有评价为不满意或回访未解决的案件可以重新办理，且只能重新办理一次"),
    ),
}


class IllegalTransition(ValueError):
    """The case's state (or a guard) does not allow the action: answered 400 with this Chinese message."""


class NotPermitted(ValueError):
    """The actor may not take the action on this case: answered 403."""


def check(action: str, facts: Facts, caps: Iterable[str]) -> Transition:
    """The transition `action` from `facts`, or the reason it is refused. Permission is checked before state,
    so a user who may never act learns nothing from the message about the case's progress."""
    t = TRANSITIONS.get(action)
    if t is None or action == "receive":
        raise IllegalTransition(gettext("未知的操作：%(action)s") % {"action": action})
    if not t.actors & set(caps):
        raise NotPermitted(gettext("您无权对该案件执行「%(label)s」") % {"label": t.label})
    if facts.state not in t.sources:
        raise IllegalTransition(
            gettext("案件当前状态为「%(STATE_LABELS)s」，不能执行「%(label)s」")
            % {"STATE_LABELS": STATE_LABELS[facts.state], "label": t.label}
        )
    if t.guard:
        ok, message = GUARDS[t.guard]
        if not ok(facts):
            raise IllegalTransition(message)
    return t


def available(facts: Facts, caps: Iterable[str]) -> list[Transition]:
    """The actions a user may take now, in the table's order: the buttons on the case page."""
    caps = set(caps)
    result = []
    for t in TRANSITIONS.values():
        if t.action == "receive" or not t.actors & caps or facts.state not in t.sources:
            continue
        if t.guard and not GUARDS[t.guard][0](facts):
            continue
        result.append(t)
    return result


def facts_of(case) -> Facts:
    """The Facts of anything holding a case's lifecycle fields: a Case row, or one of the demo's drafts."""
    return Facts(
        state=case.state,
        extension_pending=case.extension_days is not None,
        rated=bool(case.rating),
        rating=case.rating,
        reopen_count=case.reopen_count,
        has_lead=case.lead_department_id is not None,
        deferral_pending=case.state == HANDLING and case.resume_on is not None,
        visit_result=case.visit_result,
    )


def reopens(facts: Facts) -> bool:
    """Whether a resident's 不满意 (or 未解决) sends the case, just rated or visited, back to its department (once)."""
    return GUARDS["reopen"][0](facts)


# ---------------------------------------------------------------- effects
#
# What each action changes on the case, beside TRANSITIONS: a pure function of the case's lifecycle fields (a Case
# row, or a demo draft: anything with those attributes), the moment, the working-time clock and the action's own
# inputs, checked by the caller. services.case_act applies them to a row; the demo to the cases it builds.


class WorkingClock(Protocol):
    """Working time on the platform's calendar (linli.workdays), handed in by the caller."""

    def after(self, start: datetime, limit: Decimal | int, unit: str) -> datetime:
        """The moment `limit` working hours or working days (`unit`) after `start`."""

    def seconds(self, start: datetime, end: datetime) -> int:
        """Working seconds from `start` to `end`."""


def warn_at(clock: WorkingClock, start: datetime, due: datetime) -> datetime:
    """When the yellow light of a deadline running from `start` to `due` comes on."""
    return clock.after(start, Decimal(warn_offset_seconds(clock.seconds(start, due))) / 3600, HOURS)


def deadlines(clock: WorkingClock, start: datetime, category, due: datetime | None = None) -> dict:
    """签收时限 (response_due) and 处置时限 (due_at) of a deadline running from `start` by the category's limits, with
    their yellow lights (response_warn_at, warn_at); `due`, when given, is kept as the 处置时限."""
    due = due or clock.after(start, category.handle_limit, category.handle_unit)
    response_due = clock.after(start, category.response_limit, category.response_unit)
    return {"response_due": response_due, "response_warn_at": warn_at(clock, start, response_due), "due_at": due,
            "warn_at": warn_at(clock, start, due)}  # fmt: skip


@dataclass(frozen=True)
class Effect:
    changes: dict  # the case's fields the action sets, its state included
    data: dict = field(default_factory=dict)  # what the timeline entry records
    assisting: list | None = None  # the assisting departments, when the action sets them


def _dispatch(case, at, clock, *, lead, assisting=()) -> Effect:
    # A rectification keeps the deadline it was registered with (整改时限), whoever it is dispatched to.
    kept = case.due_at if case.kind == RECTIFICATION else None
    changes = {"lead_department": lead, "accepted_at": None, **deadlines(clock, at, case.category, kept)}
    if case.dispatched_at is None:
        changes["dispatched_at"] = at
    data = {"department": lead.name, "assisting": [o.name for o in assisting], "due_at": changes["due_at"]}
    return Effect(changes, data, list(assisting))


def _return(case, at, clock) -> Effect:
    # A pending extension request belongs to the department that held the case; it lapses when the case leaves it
    # (here and at feedback), or the next holder could neither ask for its own nor be refused it.
    changes = {"return_count": case.return_count + 1, "lead_department": None, "accepted_at": None,
               "extension_days": None, "resume_on": None}  # fmt: skip
    return Effect(changes, {"department": case.lead_department.name}, [])


def _approve_extension(case, at, clock, *, started) -> Effect:
    """`started`: when the running deadline started (deadline_start), where the yellow light is measured from."""
    due = clock.after(case.due_at, case.extension_days, DAYS)
    changes = {"due_at": due, "extension_days": None, "extension_count": case.extension_count + 1,
               "warn_at": warn_at(clock, started, due)}  # fmt: skip
    return Effect(changes, {"days": case.extension_days, "due_at": due})


def _resume(case, at, clock) -> Effect:
    # The department gets its full handling time again from the day work resumes: the condition it waited for
    # (funds, the heating season) is what the deferral was approved for, not time the department had.
    again = deadlines(clock, at, case.category)
    changes = {"resume_on": None, "due_at": again["due_at"], "warn_at": again["warn_at"]}
    return Effect(changes, {"due_at": again["due_at"]})


def _verify(case, at, clock) -> Effect:
    on_time = case.feedback_at is not None and case.due_at is not None and case.feedback_at <= case.due_at
    seconds = clock.seconds(case.dispatched_at or case.received_at, at)
    return Effect({"closed_at": at, "on_time": on_time, "handling_seconds": seconds})


def _reopen(case, at, clock) -> Effect:
    again = deadlines(clock, at, case.category)
    changes = {"reopen_count": case.reopen_count + 1, "rating": "", "rated_at": None, "closed_at": None,
               "feedback_at": None, "on_time": None, "handling_seconds": None, "due_at": again["due_at"],
               "warn_at": again["warn_at"], "visit_result": "", "visit_tries": 0, "visited_at": None}  # fmt: skip
    return Effect(changes)


def _visit(case, at, clock, *, solved: bool, rating: str = "") -> Effect:
    """The reporter answered: solved or not, and the rating unless they rated already (online)."""
    changes = {"visit_result": SOLVED if solved else UNSOLVED, "visited_at": at}
    data = {"solved": solved}
    if rating:
        changes |= {"rating": rating, "rated_at": at}
        data["rating"] = rating
    return Effect(changes, data)


def _visit_try(case, at, clock, *, tries: int) -> Effect:
    """A call nobody answered; the `tries`-th such call records the visit as unreachable."""
    n = case.visit_tries + 1
    changes = {"visit_tries": n}
    if n >= tries:
        changes |= {"visit_result": UNREACHABLE, "visited_at": at}
    return Effect(changes, {"try": n, "unreachable": n >= tries})


EFFECTS = {
    "dispatch": _dispatch,
    "accept": lambda case, at, clock: Effect({"accepted_at": at}),
    "return": _return,
    "request_extension": lambda case, at, clock, *, days: Effect({"extension_days": days}, {"days": days}),
    "approve_extension": _approve_extension,
    "deny_extension": lambda case, at, clock: Effect({"extension_days": None}, {"days": case.extension_days}),
    "request_deferral": lambda case, at, clock, *, resume_on: Effect(
        {"resume_on": resume_on}, {"resume_on": resume_on.isoformat()}
    ),
    "approve_deferral": lambda case, at, clock: Effect(
        {"extension_days": None, "deferral_count": case.deferral_count + 1}, {"resume_on": case.resume_on.isoformat()}
    ),
    "deny_deferral": lambda case, at, clock: Effect({"resume_on": None}, {"resume_on": case.resume_on.isoformat()}),
    "resume": _resume,
    "feedback": lambda case, at, clock: Effect({"feedback_at": at, "extension_days": None, "resume_on": None}),
    "verify": _verify,
    "rework": lambda case, at, clock: Effect({"rework_count": case.rework_count + 1, "feedback_at": None}),
    "supervise": lambda case, at, clock, *, level: Effect(
        {"supervision_level": max(case.supervision_level, level)}, {"level": level}
    ),
    "rate": lambda case, at, clock, *, rating: Effect({"rating": rating, "rated_at": at}, {"rating": rating}),
    "reopen": _reopen,
    "visit": _visit,
    "visit_try": _visit_try,
    "merge": lambda case, at, clock, *, original: Effect({"merged_into": original}, {"original": original.number}),
}


NEW_DISPATCH, CURRENT_DISPATCH = "new", "current"


def dispatch_record(action: str, at: datetime, changes: dict) -> tuple[str, dict] | None:
    """What `action` (taking effect `changes` at `at`) does to the case's dispatches (派单, one per dispatch):
    (NEW_DISPATCH, the new dispatch's fields), (CURRENT_DISPATCH, fields of the dispatch the department holds, each
    set only where it has none yet), or None. Signing for a dispatch or returning it answers it (签收时限); a return
    counts against the department that returned the case, whoever finishes it."""
    if action == "dispatch":
        return NEW_DISPATCH, {"department": changes["lead_department"], "dispatched_at": at,
                              "response_due": changes["response_due"]}  # fmt: skip
    if action == "accept":
        return CURRENT_DISPATCH, {"answered_at": at}
    if action == "return":
        return CURRENT_DISPATCH, {"answered_at": at, "returned_at": at}
    return None


def effects(action: str, case, at: datetime, clock: WorkingClock, **inputs) -> Effect:
    """What `action`, taken on `case` at `at`, changes and records. The inputs are the action's own: dispatch
    `lead` and `assisting` (departments), request_extension `days`, request_deferral `resume_on` (the expected
    date work resumes), approve_extension `started`, supervise `level`, rate `rating`, visit `solved` and `rating`
    (none when rated already), visit_try `tries` (the configured number of calls after which the reporter counts
    as unreachable), merge `original` (the case merged into). 立案, 不予受理 and 协办意见 change only the state."""
    effect = EFFECTS[action](case, at, clock, **inputs) if action in EFFECTS else Effect({})
    target = TRANSITIONS[action].target
    return effect if target is None else replace(effect, changes={**effect.changes, "state": target})


def derived_inputs(action: str, role: str | None, events: Iterable[tuple[str, datetime]], first: datetime) -> dict:
    """The inputs of `effects` that come from the case and the actor rather than from what was typed:
    approve_extension's `started` (deadline_start over the (action, at) timeline, `first` the first dispatch), a
    supervisor's 督办 `level` (their role's; the system names its own level instead). The one derivation
    services.case_act and the demo builder share; `events` is read only for an extension."""
    if action == "approve_extension":
        return {"started": deadline_start(events, first)}
    if action == "supervise":
        return {"level": supervision_level(role)}
    return {}


# ---------------------------------------------------------------- deadlines and lights

HOURS = "hours"
DAYS = "days"
LIMIT_UNITS = {HOURS: gettext_lazy("工作小时"), DAYS: gettext_lazy("工作日")}
GREEN, YELLOW, RED = "green", "yellow", "red"
LIGHT_LABELS = {GREEN: gettext_lazy("正常"), YELLOW: gettext_lazy("黄灯预警"), RED: gettext_lazy("红灯超期")}
WARN_SHARE = Decimal("0.8")  # 黄灯 at 80% of the working time used


# A department's running deadline starts again when the case is dispatched again, reopened or resumed after 缓办.
RESTARTS_DEADLINE = frozenset({"dispatch", "reopen", "resume"})


def deadline_start(events: Iterable[tuple[str, datetime]], first: datetime) -> datetime:
    """When the running deadline started: the last dispatch, reopening or resumption among (action, at) in timeline
    order, or `first` (the first dispatch, or the receipt) when there is none."""
    starts = [at for action, at in events if action in RESTARTS_DEADLINE]
    return starts[-1] if starts else first


def warn_offset_seconds(total_working_seconds: int) -> int:
    """Working seconds after the start at which the yellow light comes on (rounded up to the second)."""
    return math.ceil(total_working_seconds * WARN_SHARE)


def light(now: datetime, warn_at: datetime | None, due_at: datetime | None, stopped_at: datetime | None = None) -> str:
    """The light of a case's deadline. The department's clock stops when it feeds back (`stopped_at`): a case
    fed back in time and waiting for the on-site check is not late, however long the check takes."""
    if stopped_at is not None:
        now = min(now, stopped_at)
    if due_at is None:
        return GREEN
    if now > due_at:
        return RED
    if warn_at is not None and now >= warn_at:
        return YELLOW
    return GREEN


SEVERITY = (GREEN, YELLOW, RED)


def case_light(now: datetime, case) -> str:
    """The light of an open case: its 处置时限's, or while the department has not signed for it the worse of that and
    its 签收时限's."""
    handling = light(now, case.warn_at, case.due_at, case.feedback_at)
    if case.state != DISPATCHED or case.response_due is None:
        return handling
    return max(handling, light(now, case.response_warn_at, case.response_due), key=SEVERITY.index)


# Working days past the deadline after which the automatic 督办 becomes the district's (挂牌督办): the 3-day step
# follows the '三日内' reminder rhythm of the hotline plans.
DISTRICT_ESCALATION_DAYS = 3


def escalation_level(overdue_working_days: int) -> int:
    """Automatic 督办 of overdue cases: a street's supervision when overdue, the district's after
    DISTRICT_ESCALATION_DAYS working days more."""
    if overdue_working_days <= 0:
        return 0
    return 1 if overdue_working_days < DISTRICT_ESCALATION_DAYS else 2


RESPONSE_DEADLINE, HANDLING_DEADLINE = gettext_lazy("签收时限"), gettext_lazy("处置时限")


def escalation_deadline(state: str, response_due: datetime | None, due_at: datetime | None):
    """(name, moment) of the deadline the automatic 督办 watches on a case the department holds: the 签收时限 until
    it signs for the case (it runs in hours from the dispatch, so it passes before the 处置时限), then the 处置时限;
    None for a case no department holds."""
    if state == DISPATCHED and response_due is not None:
        return RESPONSE_DEADLINE, response_due
    if state in WITH_DEPARTMENT and due_at is not None:
        return HANDLING_DEADLINE, due_at
    return None


def escalation(
    overdue_seconds: int, day_seconds: int, supervision_level: int, deadline: str = HANDLING_DEADLINE
) -> tuple[int, str] | None:
    """The automatic 督办 of a case `overdue_seconds` of working time past its `deadline` (escalation_deadline's
    name; a working day lasting `day_seconds`): (level, note), or None when it is supervised at that level
    already."""
    days = overdue_seconds // day_seconds
    level = escalation_level(max(days, 1))
    if level <= supervision_level:
        return None
    if not days:  # past the deadline by less than a working day
        return level, gettext("已超过%(deadline)s，系统自动督办") % {"deadline": deadline}
    return level, gettext("超过%(deadline)s%(days)s个工作日，系统自动%(SUPERVISION_LABELS)s") % {
        "deadline": deadline,
        "days": days,
        "SUPERVISION_LABELS": SUPERVISION_LABELS[level],
    }


# ---------------------------------------------------------------- numbers and codes

TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone
TRACKING_LENGTH = 10


def case_number(year: int, serial: int) -> str:
    """2026-000123: the year of receipt and a serial that restarts each year."""
    if serial < 1:
        raise ValueError("serial starts at 1")
    return f"{year}-{serial:06d}"


def tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


def short_name(name: str, parent: str | None) -> str:
    """A grid's name without its parent's: "文艺路社区第3网格" under 文艺路社区 reads "第3网格"."""
    return name[len(parent) :] if parent and name.startswith(parent) and name != parent else name


def normalise_tracking_code(value: str) -> str:
    return "".join(ch for ch in (value or "").upper() if ch.isalnum())


# ---------------------------------------------------------------- indicators


@dataclass
class Counts:
    """Counts over the cases of one group (a department, a street, a community) received in the period.
    Definitions in docs/cases.md; every field is a count of cases except `handling_seconds` and the counts of
    dispatches (`assigned`, `response_due`, `responded`, `returned`), which follow each dispatch to the department
    it went to."""

    cases: int = 0  # received in the period, neither rejected nor merged
    dispatched: int = 0  # of which dispatched at least once
    closed: int = 0  # of which closed now
    due: int = 0  # 应结案数: closed, open and past their deadline, or deferred (缓办)
    on_time: int = 0  # 按期结案数: closed with the accepted feedback in by the deadline
    deferred: int = 0  # 缓办数: in an approved 缓办 now
    reworked: int = 0  # closed cases sent back at least once by verification
    assigned: int = 0  # 派单数: dispatches to the department
    returned: int = 0  # 退单数: dispatches the department returned (退单), counted against it
    response_due: int = 0  # 应签收数: dispatches signed for or returned, or still unsigned past the response deadline
    responded: int = 0  # 按时签收数: dispatches signed for or returned by the response deadline
    rated: int = 0  # closed cases with a rating
    satisfied: int = 0  # rated 满意 or 基本满意
    visited: int = 0  # 回访数: closed cases whose return visit reached the resident (回访)
    solved: int = 0  # of which the resident said the problem was solved
    unreachable: int = 0  # closed cases whose resident was not reached in the configured tries (解决率: by rule)
    handling_seconds: int = 0  # sum over closed cases of working seconds from first dispatch to close


def _rate(numerator: int, denominator: int) -> Decimal | None:
    if denominator == 0:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Indicators:
    cases: int
    on_time_rate: Decimal | None  # 按期结案率 = on_time / (due − deferred)
    close_rate: Decimal | None  # 结案率 = closed / cases
    rework_rate: Decimal | None  # 返工率 = reworked / closed
    return_rate: Decimal | None  # 退单率 = returned / assigned
    satisfaction_rate: Decimal | None  # 满意率 = satisfied / rated
    avg_handling_hours: Decimal | None  # 平均处置时长 = handling_seconds / closed, in working hours
    response_rate: Decimal | None = None  # 响应率 = responded / response_due
    solve_rate: Decimal | None = None  # 解决率 = solved / visited, unreachable visits as the configured rule says
    deferred: int = 0  # 缓办数


# How an unreachable return visit counts in 解决率 (settings.VISIT_UNREACHABLE): left out of it (the 12345 hotlines'
# usual rule: only residents reached are asked), counted as not solved, or counted as solved (默认解决).
EXCLUDED = "excluded"
AS_UNSOLVED = "unsolved"
AS_SOLVED = "solved"
UNREACHABLE_RULES = {
    EXCLUDED: gettext_lazy("不计入"),
    AS_UNSOLVED: gettext_lazy("计为未解决"),
    AS_SOLVED: gettext_lazy("计为已解决"),
}


def solve_rate(c: Counts, unreachable: str = EXCLUDED) -> Decimal | None:
    """解决率 of `c`, with the unreachable visits counted by the rule `unreachable` (UNREACHABLE_RULES)."""
    if unreachable == EXCLUDED:
        return _rate(c.solved, c.visited)
    if unreachable == AS_UNSOLVED:
        return _rate(c.solved, c.visited + c.unreachable)
    if unreachable == AS_SOLVED:
        return _rate(c.solved + c.unreachable, c.visited + c.unreachable)
    raise ValueError(f"unknown rule for unreachable visits: {unreachable}")


def hours(seconds: int | Decimal) -> Decimal:
    """Working seconds as working hours to one decimal, as the indicators, their basis and the export show them."""
    return (Decimal(seconds) / 3600).quantize(Decimal("0.1"))


def indicators(c: Counts, *, unreachable: str = EXCLUDED) -> Indicators:
    """The indicators of `c`; `unreachable`: how unreachable return visits count in 解决率 (solve_rate)."""
    consistent = (
        0 <= c.closed <= c.cases
        and 0 <= c.deferred <= c.due
        and 0 <= c.on_time <= c.due - c.deferred
        and c.dispatched <= c.cases
        and 0 <= c.returned <= c.assigned
        and 0 <= c.responded <= c.response_due
        and 0 <= c.solved <= c.visited
        and 0 <= c.unreachable
        and c.visited + c.unreachable <= c.closed
    )
    if not consistent:
        raise ValueError(f"inconsistent counts: {c}")
    avg = None
    if c.closed:
        avg = hours(Decimal(c.handling_seconds) / c.closed)
    return Indicators(
        cases=c.cases,
        on_time_rate=_rate(c.on_time, c.due - c.deferred),
        close_rate=_rate(c.closed, c.cases),
        rework_rate=_rate(c.reworked, c.closed),
        return_rate=_rate(c.returned, c.assigned),
        satisfaction_rate=_rate(c.satisfied, c.rated),
        avg_handling_hours=avg,
        response_rate=_rate(c.responded, c.response_due),
        solve_rate=solve_rate(c, unreachable),
        deferred=c.deferred,
    )


INDICATOR_LABELS = {
    "response_rate": gettext_lazy("响应率"),
    "on_time_rate": gettext_lazy("按期结案率"),
    "close_rate": gettext_lazy("结案率"),
    "rework_rate": gettext_lazy("返工率"),
    "return_rate": gettext_lazy("退单率"),
    "satisfaction_rate": gettext_lazy("满意率"),
    "avg_handling_hours": gettext_lazy("平均处置时长"),
    "solve_rate": gettext_lazy("解决率"),
}
# Higher is better for these; for the others lower is better. 解决率 joins the labels with the return visits' counts.
HIGHER_IS_BETTER = frozenset({"response_rate", "on_time_rate", "close_rate", "solve_rate", "satisfaction_rate"})


@dataclass
class Ranked:
    key: object
    value: Decimal | None
    rank: int | None = field(default=None)


def rank(values: Sequence[tuple[object, Decimal | None]], indicator: str) -> list[Ranked]:
    """Groups ranked on one indicator, in the direction the indicator is better (competition_rank)."""
    return competition_rank(values, higher_is_better=indicator in HIGHER_IS_BETTER)


def competition_rank(values: Sequence[tuple[object, Decimal | None]], *, higher_is_better: bool) -> list[Ranked]:
    """Standard competition ranking (1, 2, 2, 4): ties share a rank; groups without a value come last, unranked."""
    known = sorted((v for v in values if v[1] is not None), key=lambda kv: kv[1], reverse=higher_is_better)
    result, previous, previous_rank = [], None, 0
    for i, (key, value) in enumerate(known, start=1):
        r = previous_rank if value == previous else i
        result.append(Ranked(key, value, r))
        previous, previous_rank = value, r
    result.extend(Ranked(key, None) for key, value in values if value is None)
    return result
