"""The pure lifecycle rules against a table written out by hand from SPEC.md §3, so a change to rules.TRANSITIONS
that nobody meant shows up here; then lights, escalation, numbers and the indicators."""

from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from linli.accounts.roles import DISPATCHER, INTAKE, ON_SITE, SUPERVISOR
from linli.cases import rules
from linli.cases.rules import (
    ASSIST,
    CLOSED,
    DEFERRED,
    DISPATCHED,
    FEEDBACK,
    HANDLING,
    LEAD,
    MERGED,
    RECEIVED,
    REGISTERED,
    REJECTED,
    RESIDENT,
    RETURNED,
    SYSTEM,
    Counts,
    Facts,
    IllegalTransition,
    NotPermitted,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
STATES = [RECEIVED, REJECTED, REGISTERED, DISPATCHED, RETURNED, HANDLING, FEEDBACK, CLOSED, MERGED, DEFERRED]
OPEN = {RECEIVED, REGISTERED, DISPATCHED, RETURNED, HANDLING, FEEDBACK}
ALL_CAPS = frozenset({DISPATCHER, SUPERVISOR, INTAKE, ON_SITE, LEAD, ASSIST, RESIDENT, SYSTEM})

# action: (label, source states, target (None: unchanged), actors, note required, shown to the reporter)
TABLE = {
    "register": ("立案", {RECEIVED}, REGISTERED, {DISPATCHER}, False, True),
    "reject": ("不予受理", {RECEIVED}, REJECTED, {DISPATCHER}, True, True),
    "merge": ("合并重复件", {RECEIVED, REGISTERED}, MERGED, {DISPATCHER}, False, True),
    "dispatch": ("派遣", {REGISTERED, RETURNED}, DISPATCHED, {DISPATCHER}, False, True),
    "accept": ("签收", {DISPATCHED}, HANDLING, {LEAD}, False, True),
    "return": ("退单", {DISPATCHED, HANDLING}, RETURNED, {LEAD}, True, False),
    "assist_note": ("协办意见", {HANDLING}, None, {ASSIST}, True, False),
    "request_extension": ("申请延期", {HANDLING}, None, {LEAD}, True, False),
    "approve_extension": ("批准延期", {HANDLING}, None, {DISPATCHER}, False, False),
    "deny_extension": ("驳回延期", {HANDLING}, None, {DISPATCHER}, True, False),
    "request_deferral": ("申请缓办", {HANDLING}, None, {LEAD}, True, False),
    "approve_deferral": ("批准缓办", {HANDLING}, DEFERRED, {DISPATCHER}, False, False),
    "deny_deferral": ("驳回缓办", {HANDLING}, None, {DISPATCHER}, True, False),
    "resume": ("恢复办理", {DEFERRED}, HANDLING, {DISPATCHER, LEAD}, True, False),
    "feedback": ("处置反馈", {HANDLING}, FEEDBACK, {LEAD}, True, True),
    "verify": ("核查通过，结案", {FEEDBACK}, CLOSED, {ON_SITE}, False, True),
    "rework": ("核查不通过，返工", {FEEDBACK}, HANDLING, {ON_SITE}, True, True),
    "supervise": ("督办", OPEN, None, {SUPERVISOR, SYSTEM}, True, False),
    "rate": ("回访评价", {CLOSED}, None, {DISPATCHER, RESIDENT}, False, True),
    "visit": ("回访", {CLOSED}, None, {DISPATCHER, RESIDENT}, False, True),
    "visit_try": ("回访未接通", {CLOSED}, None, {DISPATCHER}, False, False),
    "reopen": ("重新办理", {CLOSED}, HANDLING, {DISPATCHER, RESIDENT}, False, True),
}
ACTIONS = list(TABLE)


def passing_facts(action: str, state: str) -> Facts:
    """Facts under which the action's guard (if any) holds, so only the state decides."""
    return {
        "approve_extension": Facts(state, extension_pending=True),
        "deny_extension": Facts(state, extension_pending=True),
        "approve_deferral": Facts(state, deferral_pending=True),
        "deny_deferral": Facts(state, deferral_pending=True),
        "reopen": Facts(state, rated=True, rating=rules.UNSATISFIED, has_lead=True),
    }.get(action, Facts(state, has_lead=True))


def test_the_table_has_exactly_the_actions_of_spec():
    assert set(rules.TRANSITIONS) == set(TABLE) | {"receive"}
    for action, (label, sources, target, actors, note, public) in TABLE.items():
        t = rules.TRANSITIONS[action]
        assert (t.label, set(t.sources), t.target, set(t.actors), t.note_required, t.public) == (
            label,
            sources,
            target,
            actors,
            note,
            public,
        ), action


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_action_from_every_state(action, state):
    label, sources, target, *_ = TABLE[action]
    facts = passing_facts(action, state)
    if state in sources:
        t = rules.check(action, facts, ALL_CAPS)
        assert t.action == action
        assert (t.target or state) == (target or state)
    else:
        with pytest.raises(IllegalTransition) as exc:
            rules.check(action, facts, ALL_CAPS)
        message = str(exc.value)
        assert str(rules.STATE_LABELS[state]) in message and f"「{label}」" in message
        assert message == f"案件当前状态为「{rules.STATE_LABELS[state]}」，不能执行「{label}」"


@pytest.mark.parametrize("cap", sorted(ALL_CAPS))
@pytest.mark.parametrize("action", ACTIONS)
def test_every_capability_against_every_action(action, cap):
    label, sources, _target, actors, *_ = TABLE[action]
    facts = passing_facts(action, sorted(sources)[0])
    if cap in actors:
        assert rules.check(action, facts, {cap}).action == action
    else:
        with pytest.raises(NotPermitted, match=f"您无权对该案件执行「{label}」"):
            rules.check(action, facts, {cap})


@pytest.mark.parametrize("state", STATES)
def test_permission_is_checked_before_state(state):
    # A user who may never act learns nothing about the case's progress from the refusal.
    for action in ACTIONS:
        with pytest.raises(NotPermitted):
            rules.check(action, Facts(state), {INTAKE})


@pytest.mark.parametrize("action", ["receive", "delete", ""])
def test_unknown_actions_and_receive_are_refused(action):
    with pytest.raises(IllegalTransition, match="未知的操作"):
        rules.check(action, Facts(RECEIVED), ALL_CAPS)


def test_extension_guards():
    pending, none = Facts(HANDLING, extension_pending=True), Facts(HANDLING)
    with pytest.raises(IllegalTransition, match="已有延期申请待审批"):
        rules.check("request_extension", pending, {LEAD})
    assert rules.check("request_extension", none, {LEAD}).action == "request_extension"
    for action in ("approve_extension", "deny_extension"):
        with pytest.raises(IllegalTransition, match="没有待审批的延期申请"):
            rules.check(action, none, {DISPATCHER})
        assert rules.check(action, pending, {DISPATCHER}).action == action


def test_deferral_guards():
    pending, none = Facts(HANDLING, deferral_pending=True), Facts(HANDLING)
    with pytest.raises(IllegalTransition, match="已有缓办申请待审批"):
        rules.check("request_deferral", pending, {LEAD})
    assert rules.check("request_deferral", none, {LEAD}).action == "request_deferral"
    for action in ("approve_deferral", "deny_deferral"):
        with pytest.raises(IllegalTransition, match="没有待审批的缓办申请"):
            rules.check(action, none, {DISPATCHER})
        assert rules.check(action, pending, {DISPATCHER}).action == action


def test_a_closed_case_is_rated_once():
    assert rules.check("rate", Facts(CLOSED), {RESIDENT}).target is None
    with pytest.raises(IllegalTransition, match="本次办理已评价"):
        rules.check("rate", Facts(CLOSED, rated=True, rating=rules.SATISFIED), {RESIDENT})


@pytest.mark.parametrize(
    ("facts", "allowed"),
    [
        (Facts(CLOSED, rated=True, rating=rules.UNSATISFIED, has_lead=True), True),
        (Facts(CLOSED, rated=True, rating=rules.UNSATISFIED, reopen_count=1, has_lead=True), False),  # only once
        (Facts(CLOSED, rated=True, rating=rules.BASIC, has_lead=True), False),
        (Facts(CLOSED, rated=True, rating=rules.SATISFIED, has_lead=True), False),
        (Facts(CLOSED, has_lead=True), False),  # not rated yet
        (Facts(CLOSED, rated=True, rating=rules.UNSATISFIED), False),  # nobody to send it back to
    ],
)
def test_reopen_only_once_and_only_after_unsatisfied(facts, allowed):
    if allowed:
        assert rules.check("reopen", facts, {RESIDENT}).target == HANDLING
    else:
        with pytest.raises(IllegalTransition, match="只能重新办理一次"):
            rules.check("reopen", facts, {RESIDENT})


def test_max_reopens_is_one():
    assert rules.MAX_REOPENS == 1


# ---------------------------------------------------------------- capabilities


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", {DISPATCHER, SUPERVISOR, INTAKE}),
        ("district_staff", {DISPATCHER, SUPERVISOR, INTAKE}),
        ("street_staff", {DISPATCHER, SUPERVISOR, INTAKE}),
        ("community_worker", {INTAKE, ON_SITE}),
        ("grid_worker", {INTAKE, ON_SITE}),
        ("dept_handler", set()),
        ("company_staff", set()),
        ("nobody", set()),
    ],
)
def test_capabilities_per_role(role, expected):
    assert rules.capabilities(role, in_region=True) == expected
    assert rules.capabilities(role, in_region=False) == set()
    assert rules.capabilities(role, in_region=False, lead=True) == {LEAD}
    assert rules.capabilities(role, in_region=False, assisting=True) == {ASSIST}
    assert rules.capabilities(role, in_region=True, lead=True, assisting=True) == expected | {LEAD, ASSIST}
    # Without an on-site check the dispatcher verifies from the feedback; others gain nothing.
    relaxed = expected | ({ON_SITE} if DISPATCHER in expected else set())
    assert rules.capabilities(role, in_region=True, verification_on_site=False) == relaxed
    assert rules.capabilities(role, in_region=False, verification_on_site=False) == set()


# ---------------------------------------------------------------- available agrees with check


def _allowed(action, facts, caps) -> bool:
    try:
        rules.check(action, facts, caps)
    except (IllegalTransition, NotPermitted):
        return False
    return True


facts_strategy = st.builds(
    Facts,
    state=st.sampled_from(STATES),
    extension_pending=st.booleans(),
    rated=st.booleans(),
    rating=st.sampled_from(["", *rules.RATING_LABELS]),
    reopen_count=st.integers(0, 2),
    has_lead=st.booleans(),
    visit_result=st.sampled_from(["", *rules.VISIT_LABELS]),
)
caps_strategy = st.frozensets(st.sampled_from(sorted(ALL_CAPS)))


@given(facts=facts_strategy, caps=caps_strategy)
def test_available_lists_exactly_what_check_allows(facts, caps):
    assert [t.action for t in rules.available(facts, caps)] == [a for a in ACTIONS if _allowed(a, facts, caps)]


# ---------------------------------------------------------------- the lifecycle as a state machine


class Lifecycle(RuleBasedStateMachine):
    """Random (action, capabilities) on one case; the facts evolve as services.case_act makes them evolve."""

    @initialize()
    def receive(self):
        self.facts = Facts(RECEIVED)
        self.reached = {RECEIVED}

    @rule(
        action=st.sampled_from(ACTIONS),
        caps=st.one_of(st.just(ALL_CAPS), caps_strategy),
        rating=st.sampled_from(list(rules.RATING_LABELS)),
    )
    def act(self, action, caps, rating):
        self._act(action, caps, rating)

    @rule(data=st.data(), rating=st.sampled_from(list(rules.RATING_LABELS)))
    def advance(self, data, rating):
        # Random actions mostly bounce off or end in 不予受理/合并 early; this walks the case further along.
        onward = [t.action for t in rules.available(self.facts, ALL_CAPS) if t.target not in (REJECTED, MERGED)]
        if onward:
            self._act(data.draw(st.sampled_from(onward)), ALL_CAPS, rating)

    def _act(self, action, caps, rating):
        before = self.facts
        try:
            t = rules.check(action, before, caps)
        except NotPermitted:
            assert not TABLE[action][3] & caps
            return
        except IllegalTransition:
            assert TABLE[action][3] & caps
            return
        assert before.state in TABLE[action][1] and TABLE[action][3] & caps
        f = {
            "state": t.target or before.state,
            "extension_pending": before.extension_pending,
            "rated": before.rated,
            "rating": before.rating,
            "reopen_count": before.reopen_count,
            "has_lead": before.has_lead,
            "visit_result": before.visit_result,
        }
        if action == "dispatch":
            f["has_lead"] = True
        elif action == "return":
            f.update(has_lead=False, extension_pending=False)
        elif action == "request_extension":
            f["extension_pending"] = True
        elif action in ("approve_extension", "deny_extension", "feedback"):
            f["extension_pending"] = False
        elif action == "rate":
            f.update(rated=True, rating=rating)
        elif action == "visit":
            # the answers drawn from the rating: 不满意 with 未解决, the others solved
            solved = rules.UNSOLVED if rating == rules.UNSATISFIED else rules.SOLVED
            f.update(visit_result=solved, rated=True, rating=before.rating or rating)
        elif action == "visit_try":
            f.update(visit_result=rules.UNREACHABLE)
        elif action == "reopen":
            f.update(rated=False, rating="", reopen_count=before.reopen_count + 1, visit_result="")
        self.facts = Facts(**f)
        self.reached.add(self.facts.state)

    @invariant()
    def one_known_state(self):
        assert self.facts.state in rules.STATE_LABELS

    @invariant()
    def terminal_states_accept_nothing(self):
        if self.facts.state in (REJECTED, MERGED):
            assert rules.available(self.facts, ALL_CAPS) == []
            assert not any(_allowed(a, self.facts, ALL_CAPS) for a in ACTIONS)

    @invariant()
    def closed_accepts_only_rating_visits_and_reopen(self):
        after_close = ("rate", "visit", "visit_try", "reopen")
        if self.facts.state == CLOSED:
            assert {t.action for t in rules.available(self.facts, ALL_CAPS)} <= set(after_close)
            assert not any(_allowed(a, self.facts, ALL_CAPS) for a in ACTIONS if a not in after_close)

    @invariant()
    def reopened_at_most_once(self):
        assert self.facts.reopen_count <= rules.MAX_REOPENS

    @invariant()
    def extension_pending_only_while_handling(self):
        assert not self.facts.extension_pending or self.facts.state == HANDLING


Lifecycle.TestCase.settings = settings(max_examples=200, stateful_step_count=60)
TestLifecycle = Lifecycle.TestCase


def test_every_state_is_reachable_along_the_table():
    # The machine above only proves something if its walks reach every state; this walk does, by hand.
    f = Facts(RECEIVED)
    path = [
        ("register", {}),
        ("dispatch", {"has_lead": True}),
        ("return", {"has_lead": False}),
        ("dispatch", {"has_lead": True}),
        ("accept", {}),
        ("feedback", {}),
        ("verify", {}),
    ]
    seen = [f.state]
    for action, change in path:
        t = rules.check(action, f, ALL_CAPS)
        f = Facts(**{**f.__dict__, "state": t.target or f.state, **change})
        seen.append(f.state)
    assert seen == [RECEIVED, REGISTERED, DISPATCHED, RETURNED, DISPATCHED, HANDLING, FEEDBACK, CLOSED]
    assert rules.check("reject", Facts(RECEIVED), ALL_CAPS).target == REJECTED
    assert rules.check("merge", Facts(REGISTERED), ALL_CAPS).target == MERGED


# ---------------------------------------------------------------- lights and escalation


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


WARN, DUE = at(2025, 3, 5, 15, 0), at(2025, 3, 6, 17, 30)
SECOND = timedelta(seconds=1)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (WARN - SECOND, rules.GREEN),
        (WARN, rules.YELLOW),  # exactly at warn_at
        (DUE - SECOND, rules.YELLOW),
        (DUE, rules.YELLOW),  # exactly at the deadline: still in time
        (DUE + SECOND, rules.RED),
        (DUE + timedelta(days=30), rules.RED),
    ],
)
def test_light_boundaries(now, expected):
    assert rules.light(now, WARN, DUE) == expected


@pytest.mark.parametrize(
    ("state", "now", "expected"),
    [
        (DISPATCHED, WARN - timedelta(days=1, hours=2), rules.GREEN),
        (DISPATCHED, WARN - timedelta(hours=22), rules.YELLOW),  # the 签收时限's yellow light
        (DISPATCHED, WARN - timedelta(hours=20), rules.RED),  # past the 签收时限, the 处置时限 still green
        (HANDLING, WARN - timedelta(hours=20), rules.GREEN),  # signed for: the 处置时限 alone
        (DISPATCHED, DUE + SECOND, rules.RED),
        (HANDLING, WARN, rules.YELLOW),
    ],
)
def test_an_unsigned_case_shows_the_worse_of_its_two_deadlines(state, now, expected):
    response_due = WARN - timedelta(hours=21)  # its yellow light two hours before
    case = SimpleNamespace(state=state, warn_at=WARN, due_at=DUE, feedback_at=None, response_due=response_due,
                           response_warn_at=response_due - timedelta(hours=2))  # fmt: skip
    assert rules.case_light(now, case) == expected


def test_the_clock_stops_at_feedback():
    later = DUE + timedelta(days=5)
    assert rules.light(later, WARN, DUE, stopped_at=WARN - SECOND) == rules.GREEN  # fed back early
    assert rules.light(later, WARN, DUE, stopped_at=DUE) == rules.YELLOW  # at the deadline: in time
    assert rules.light(later, WARN, DUE, stopped_at=DUE + SECOND) == rules.RED  # fed back late
    assert rules.light(WARN - SECOND, WARN, DUE, stopped_at=DUE) == rules.GREEN  # a future stop changes nothing


def test_light_without_deadline_or_warning():
    assert rules.light(DUE + timedelta(days=1), None, None) == rules.GREEN  # not dispatched yet
    assert rules.light(DUE, None, DUE) == rules.GREEN
    assert rules.light(DUE + SECOND, None, DUE) == rules.RED


@pytest.mark.parametrize(
    ("total", "offset"),
    [(0, 0), (1, 1), (5, 4), (10, 8), (11, 9), (3 * 7 * 3600, 60480), (24 * 3600, 69120), (199, 160)],
)
def test_warn_offset_is_eighty_percent_rounded_up(total, offset):
    # 11 s × 0.8 = 8.8 s → 9 s; 199 × 0.8 = 159.2 → 160: never earlier than 80 %.
    assert rules.warn_offset_seconds(total) == offset


@given(st.integers(0, 10**9))
def test_warn_offset_is_the_smallest_whole_second_at_or_after_eighty_percent(total):
    offset = rules.warn_offset_seconds(total)
    assert 5 * offset >= 4 * total > 5 * (offset - 1)


@pytest.mark.parametrize(("days", "level"), [(-5, 0), (0, 0), (1, 1), (2, 1), (3, 2), (4, 2), (30, 2)])
def test_escalation_level(days, level):
    assert rules.escalation_level(days) == level


def test_escalation_says_what_the_system_does_and_not_twice():
    day = 7 * 3600
    assert rules.escalation(600, day, 0) == (1, "已超过处置时限，系统自动督办")
    assert rules.escalation(2 * day, day, 0) == (1, "超过处置时限2个工作日，系统自动督办")
    assert rules.escalation(2 * day, day, 1) is None
    assert rules.escalation(3 * day, day, 1) == (2, "超过处置时限3个工作日，系统自动挂牌督办")
    assert rules.escalation(9 * day, day, 2) is None
    assert rules.escalation(600, day, 0, rules.RESPONSE_DEADLINE) == (1, "已超过签收时限，系统自动督办")
    assert rules.escalation(3 * day, day, 1, rules.RESPONSE_DEADLINE) == (2, "超过签收时限3个工作日，系统自动挂牌督办")


def test_the_escalation_watches_the_response_deadline_until_the_case_is_signed_for():
    response, due = at(2025, 3, 3, 14), at(2025, 3, 6, 17, 30)
    assert rules.escalation_deadline(DISPATCHED, response, due) == (rules.RESPONSE_DEADLINE, response)
    assert rules.escalation_deadline(HANDLING, response, due) == (rules.HANDLING_DEADLINE, due)
    assert rules.escalation_deadline(DISPATCHED, None, due) == (rules.HANDLING_DEADLINE, due)
    for state in (FEEDBACK, CLOSED, RETURNED, DEFERRED):
        assert rules.escalation_deadline(state, response, due) is None


def test_the_deadline_restarts_at_the_last_dispatch_or_reopening():
    t = [datetime(2025, 3, d, 10, tzinfo=SHANGHAI) for d in range(3, 9)]
    events = [("receive", t[0]), ("dispatch", t[1]), ("return", t[2]), ("dispatch", t[3]), ("accept", t[4])]
    assert rules.deadline_start(events, t[1]) == t[3]
    assert rules.deadline_start([*events, ("reopen", t[5])], t[1]) == t[5]
    assert rules.deadline_start([("receive", t[0])], t[0]) == t[0]


# ---------------------------------------------------------------- effects


class HourClock:
    """Every hour a working hour and a working day eight of them: deadlines by plain arithmetic."""

    def after(self, start, limit, unit):
        return start + timedelta(hours=float(limit) * (8 if unit == rules.DAYS else 1))

    def seconds(self, start, end):
        return int((end - start).total_seconds())


CLOCK = HourClock()
T0 = datetime(2025, 3, 3, 9, tzinfo=SHANGHAI)
HOUR = timedelta(hours=1)


def draft(**fields) -> SimpleNamespace:
    """A case's lifecycle fields, as a row or a demo draft holds them."""
    category = SimpleNamespace(response_limit=Decimal(2), response_unit=rules.HOURS, handle_limit=Decimal(3),
                               handle_unit=rules.DAYS)  # fmt: skip
    return SimpleNamespace(**{
        "kind": rules.EVENT, "category": category, "received_at": T0, "dispatched_at": None, "due_at": None,
        "feedback_at": None, "lead_department": None, "extension_days": None, "extension_count": 0,
        "return_count": 0, "rework_count": 0, "reopen_count": 0, "supervision_level": 0, "resume_on": None,
        "deferral_count": 0, "visit_tries": 0, **fields,
    })  # fmt: skip


def test_dispatch_sets_the_lead_and_the_deadlines_from_the_category():
    lead, helper = SimpleNamespace(name="城管"), SimpleNamespace(name="住建")
    e = rules.effects("dispatch", draft(), T0, CLOCK, lead=lead, assisting=[helper])
    assert e.changes == {
        "state": DISPATCHED, "lead_department": lead, "accepted_at": None, "dispatched_at": T0,
        "response_due": T0 + 2 * HOUR, "response_warn_at": T0 + timedelta(hours=1.6), "due_at": T0 + 24 * HOUR,
        "warn_at": T0 + timedelta(hours=19.2),
    }  # fmt: skip
    assert e.data == {"department": "城管", "assisting": ["住建"], "due_at": T0 + 24 * HOUR}
    assert e.assisting == [helper]
    # A second dispatch restarts the deadline, not the first dispatch; a rectification keeps its 整改时限.
    again = rules.effects("dispatch", draft(dispatched_at=T0), T0 + HOUR, CLOCK, lead=lead)
    assert "dispatched_at" not in again.changes and again.changes["due_at"] == T0 + 25 * HOUR
    kept = rules.effects("dispatch", draft(kind=rules.RECTIFICATION, due_at=T0 + 100 * HOUR), T0, CLOCK, lead=lead)
    assert kept.changes["due_at"] == T0 + 100 * HOUR and kept.changes["warn_at"] == T0 + 80 * HOUR


def test_return_hands_the_case_back_and_drops_a_pending_extension():
    e = rules.effects("return", draft(lead_department=SimpleNamespace(name="城管"), extension_days=3), T0, CLOCK)
    assert e.changes == {"state": RETURNED, "return_count": 1, "lead_department": None, "accepted_at": None,
                         "extension_days": None, "resume_on": None}  # fmt: skip
    assert (e.data, e.assisting) == ({"department": "城管"}, [])


def test_an_approved_extension_moves_the_deadline_and_the_yellow_light_from_the_running_start():
    case = draft(due_at=T0 + 24 * HOUR, extension_days=2, extension_count=1)
    e = rules.effects("approve_extension", case, T0 + 5 * HOUR, CLOCK, started=T0)
    assert e.changes == {"due_at": T0 + 40 * HOUR, "extension_days": None, "extension_count": 2,
                         "warn_at": T0 + 32 * HOUR}  # fmt: skip
    assert e.data == {"days": 2, "due_at": T0 + 40 * HOUR}


def test_a_deferral_is_asked_with_a_date_approved_into_its_own_state_and_resumed_with_a_new_deadline():
    resume_on = date(2025, 4, 15)
    asked = rules.effects("request_deferral", draft(), T0, CLOCK, resume_on=resume_on)
    assert (asked.changes, asked.data) == ({"resume_on": resume_on}, {"resume_on": "2025-04-15"})
    case = draft(due_at=T0 + 24 * HOUR, resume_on=resume_on, extension_days=2)
    approved = rules.effects("approve_deferral", case, T0 + HOUR, CLOCK)
    # The pending extension lapses: the deadline it would move no longer runs.
    assert approved.changes == {"state": DEFERRED, "extension_days": None, "deferral_count": 1}
    denied = rules.effects("deny_deferral", case, T0 + HOUR, CLOCK)
    assert (denied.changes, denied.data) == ({"resume_on": None}, {"resume_on": "2025-04-15"})
    # Resumed 100 hours later, the department has its full handling time again from then.
    resumed = rules.effects("resume", draft(state=DEFERRED, resume_on=resume_on), T0 + 100 * HOUR, CLOCK)
    assert resumed.changes == {"state": HANDLING, "resume_on": None, "due_at": T0 + 124 * HOUR,
                               "warn_at": T0 + timedelta(hours=119.2)}  # fmt: skip
    # A return or a feedback drops a pending request with the department's hold on the case.
    assert rules.effects("feedback", case, T0, CLOCK).changes["resume_on"] is None


def test_dispatches_are_recorded_per_dispatch_and_answered_by_signing_or_returning():
    lead = SimpleNamespace(name="城管")
    changes = rules.effects("dispatch", draft(), T0, CLOCK, lead=lead).changes
    assert rules.dispatch_record("dispatch", T0, changes) == (
        rules.NEW_DISPATCH,
        {"department": lead, "dispatched_at": T0, "response_due": T0 + 2 * HOUR},
    )
    assert rules.dispatch_record("accept", T0 + HOUR, {}) == (rules.CURRENT_DISPATCH, {"answered_at": T0 + HOUR})
    assert rules.dispatch_record("return", T0 + HOUR, {}) == (
        rules.CURRENT_DISPATCH,
        {"answered_at": T0 + HOUR, "returned_at": T0 + HOUR},
    )
    for action in set(rules.TRANSITIONS) - {"dispatch", "accept", "return"}:
        assert rules.dispatch_record(action, T0, {}) is None


def test_verify_closes_on_time_or_late_and_counts_working_time_from_the_first_dispatch():
    fed_back = draft(dispatched_at=T0, due_at=T0 + 24 * HOUR, feedback_at=T0 + 20 * HOUR)
    e = rules.effects("verify", fed_back, T0 + 30 * HOUR, CLOCK)
    assert e.changes == {"state": CLOSED, "closed_at": T0 + 30 * HOUR, "on_time": True, "handling_seconds": 108000}
    late = draft(dispatched_at=T0, due_at=T0 + 24 * HOUR, feedback_at=T0 + 25 * HOUR)
    assert rules.effects("verify", late, T0 + 30 * HOUR, CLOCK).changes["on_time"] is False


def test_reopen_starts_over_with_a_new_deadline_and_no_rating():
    e = rules.effects("reopen", draft(reopen_count=0), T0, CLOCK)
    assert e.changes == {
        "state": HANDLING, "reopen_count": 1, "rating": "", "rated_at": None, "closed_at": None,
        "feedback_at": None, "on_time": None, "handling_seconds": None, "due_at": T0 + 24 * HOUR,
        "warn_at": T0 + timedelta(hours=19.2), "visit_result": "", "visit_tries": 0, "visited_at": None,
    }  # fmt: skip


def test_supervision_keeps_the_highest_level_and_steps_without_a_target_keep_the_state():
    assert rules.effects("supervise", draft(supervision_level=2), T0, CLOCK, level=1).changes == {
        "supervision_level": 2
    }
    assert rules.effects("register", draft(), T0, CLOCK).changes == {"state": REGISTERED}
    assert rules.effects("assist_note", draft(), T0, CLOCK).changes == {}


def test_every_action_but_receive_has_its_effect():
    inputs = {"dispatch": {"lead": SimpleNamespace(name="城管")}, "request_extension": {"days": 1},
              "approve_extension": {"started": T0}, "supervise": {"level": 1}, "rate": {"rating": rules.SATISFIED},
              "request_deferral": {"resume_on": date(2025, 4, 1)}, "visit": {"solved": True},
              "visit_try": {"tries": 3}, "merge": {"original": SimpleNamespace(number="2025-000001")}}  # fmt: skip
    case = draft(lead_department=SimpleNamespace(name="城管"), due_at=T0 + HOUR, extension_days=1, dispatched_at=T0,
                 feedback_at=T0, resume_on=date(2025, 4, 1))  # fmt: skip
    for action, t in rules.TRANSITIONS.items():
        if action != "receive":
            changes = rules.effects(action, case, T0, CLOCK, **inputs.get(action, {})).changes
            assert changes.get("state", None) == t.target


# ---------------------------------------------------------------- numbers and codes


@pytest.mark.parametrize(
    ("year", "serial", "number"),
    [
        (2026, 1, "2026-000001"),
        (2026, 123, "2026-000123"),
        (2025, 999999, "2025-999999"),
        (2025, 1234567, "2025-1234567"),
    ],
)
def test_case_number(year, serial, number):
    assert rules.case_number(year, serial) == number


@pytest.mark.parametrize("serial", [0, -1])
def test_case_number_serial_starts_at_one(serial):
    with pytest.raises(ValueError):
        rules.case_number(2026, serial)


def test_tracking_codes_avoid_ambiguous_characters():
    codes = {rules.tracking_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert len(code) == rules.TRACKING_LENGTH and not set(code) & set("01OI")
        assert rules.normalise_tracking_code(f" {code[:5].lower()}-{code[5:]} ") == code
    assert rules.normalise_tracking_code(None) == ""


# ---------------------------------------------------------------- ranks


def D(value) -> Decimal:
    return Decimal(value)


def ranks(result) -> list[tuple]:
    return [(r.key, r.value, r.rank) for r in result]


def test_rank_ties_share_a_rank_and_skip_the_next():
    values = [("a", D("90.0")), ("b", D("95.5")), ("c", D("95.5")), ("d", D("80.0"))]
    assert ranks(rules.rank(values, "close_rate")) == [
        ("b", D("95.5"), 1),
        ("c", D("95.5"), 1),
        ("a", D("90.0"), 3),
        ("d", D("80.0"), 4),
    ]


def test_rank_groups_without_a_value_come_last_unranked():
    values = [("x", None), ("a", D("50.0")), ("y", None), ("b", D("60.0"))]
    assert ranks(rules.rank(values, "satisfaction_rate")) == [
        ("b", D("60.0"), 1),
        ("a", D("50.0"), 2),
        ("x", None, None),
        ("y", None, None),
    ]
    assert ranks(rules.rank([("x", None)], "on_time_rate")) == [("x", None, None)]
    assert rules.rank([], "on_time_rate") == []


@pytest.mark.parametrize("indicator", ["rework_rate", "return_rate", "avg_handling_hours"])
def test_rank_lower_is_better(indicator):
    values = [("a", D("12.5")), ("b", D("0.0")), ("c", D("0.0")), ("d", None), ("e", D("3.1"))]
    assert ranks(rules.rank(values, indicator)) == [
        ("b", D("0.0"), 1),
        ("c", D("0.0"), 1),
        ("e", D("3.1"), 3),
        ("a", D("12.5"), 4),
        ("d", None, None),
    ]


@pytest.mark.parametrize("indicator", ["on_time_rate", "close_rate", "satisfaction_rate"])
def test_rank_higher_is_better(indicator):
    values = [("a", D("12.5")), ("b", D("100.0")), ("c", D("12.5"))]
    assert ranks(rules.rank(values, indicator)) == [("b", D("100.0"), 1), ("a", D("12.5"), 2), ("c", D("12.5"), 2)]


@given(
    st.lists(st.one_of(st.none(), st.integers(0, 5).map(Decimal)), max_size=12),
    st.sampled_from(list(rules.INDICATOR_LABELS)),
)
def test_rank_is_one_plus_the_number_strictly_better(values, indicator):
    higher = indicator in rules.HIGHER_IS_BETTER
    result = rules.rank(list(enumerate(values)), indicator)
    assert sorted(r.key for r in result) == list(range(len(values)))
    for r in result:
        if r.value is None:
            assert r.rank is None
        else:
            better = [v for v in values if v is not None and (v > r.value if higher else v < r.value)]
            assert r.rank == 1 + len(better)


# ---------------------------------------------------------------- indicators


def test_indicators_from_hand_counts():
    c = Counts(
        cases=12, dispatched=10, closed=8, due=9, on_time=6, reworked=2, assigned=10, returned=3, rated=5,
        satisfied=4, handling_seconds=8 * 3 * 3600 + 1800, response_due=9, responded=8,
    )  # fmt: skip
    i = rules.indicators(c)
    assert i.cases == 12
    assert i.on_time_rate == D("66.7")  # 6 / 9
    assert i.close_rate == D("66.7")  # 8 / 12
    assert i.rework_rate == D("25.0")  # 2 / 8
    assert i.return_rate == D("30.0")  # 3 / 10
    assert i.response_rate == D("88.9")  # 8 / 9
    assert (i.deferred, i.solve_rate) == (0, None)
    assert i.satisfaction_rate == D("80.0")  # 4 / 5
    assert i.avg_handling_hours == D("3.1")  # 24.5 h / 8 = 3.0625 h


def test_indicators_round_half_even_to_one_decimal():
    # 1/8 = 12.5 %; 1/3 = 33.333 %; 2/3 = 66.666 %; 1/6 = 16.666 %; 5/16 = 31.25 % → 31.2 (half to even)
    assert rules.indicators(Counts(cases=8, closed=1)).close_rate == D("12.5")
    assert rules.indicators(Counts(cases=3, closed=1)).close_rate == D("33.3")
    assert rules.indicators(Counts(cases=3, closed=2)).close_rate == D("66.7")
    assert rules.indicators(Counts(cases=6, closed=1)).close_rate == D("16.7")
    assert rules.indicators(Counts(cases=16, closed=5)).close_rate == D("31.2")


def test_indicators_with_zero_denominators_are_none():
    i = rules.indicators(Counts())
    assert i == rules.Indicators(0, None, None, None, None, None, None, None, None, 0)
    # Cases received but none due, closed, dispatched or rated yet: only the close rate is known (0 %).
    i = rules.indicators(Counts(cases=4))
    assert (i.close_rate, i.on_time_rate, i.rework_rate, i.return_rate, i.satisfaction_rate) == (
        D("0.0"),
        None,
        None,
        None,
        None,
    )
    assert i.avg_handling_hours is None
    zero = rules.indicators(Counts(cases=2, closed=2, due=2, dispatched=2, assigned=2, rated=2))
    assert (zero.on_time_rate, zero.rework_rate, zero.return_rate, zero.satisfaction_rate) == (
        D("0.0"),
        D("0.0"),
        D("0.0"),
        D("0.0"),
    )
    assert zero.avg_handling_hours == D("0.0")


@pytest.mark.parametrize(
    "counts",
    [
        Counts(cases=1, closed=2),
        Counts(cases=3, due=1, on_time=2),
        Counts(cases=1, dispatched=2),
        Counts(cases=-1),
        Counts(cases=2, closed=-1),
        Counts(cases=2, due=1, on_time=-1),
        Counts(cases=3, due=2, deferred=1, on_time=2),  # on time beyond the denominator less the 缓办
        Counts(cases=3, due=1, deferred=2),
        Counts(cases=3, dispatched=2, assigned=2, returned=3),
        Counts(cases=3, response_due=1, responded=2),
        Counts(cases=3, closed=3, visited=1, solved=2),
    ],
)
def test_inconsistent_counts_are_refused(counts):
    with pytest.raises(ValueError, match="inconsistent counts"):
        rules.indicators(counts)


# ---------------------------------------------------------------- 按期结案率, 响应率 and 缓办 (issue 13)


@pytest.mark.parametrize(
    ("counts", "on_time_rate"),
    [
        # 20 应结案, of which 4 in an approved 缓办, 12 closed on time: 12 / (20 − 4) = 75 %.
        (Counts(cases=30, closed=14, due=20, deferred=4, on_time=12), D("75.0")),
        # The same period after two of the four resumed and closed late: back in the denominator, 12 / 18.
        (Counts(cases=30, closed=16, due=20, deferred=2, on_time=12), D("66.7")),
        # Every case due is deferred: nothing to measure yet.
        (Counts(cases=3, due=3, deferred=3), None),
        # Without 缓办 the formula is the former 按期处置率: 6 / 9.
        (Counts(cases=12, closed=8, due=9, on_time=6), D("66.7")),
    ],
)
def test_on_time_close_rate_leaves_approved_deferrals_out_of_the_denominator(counts, on_time_rate):
    i = rules.indicators(counts)
    assert (i.on_time_rate, i.deferred) == (on_time_rate, counts.deferred)


@pytest.mark.parametrize(
    ("counts", "return_rate", "response_rate"),
    [
        # 城管 was sent the case and returned it unsigned within the hour; 住建 was sent it, signed late, finished it.
        # 城管: 1 dispatch, 1 return, answered in time.
        (Counts(assigned=1, returned=1, response_due=1, responded=1), D("100.0"), D("100.0")),
        # 住建: 1 case, 1 dispatch, no return, signed late.
        (Counts(cases=1, dispatched=1, assigned=1, response_due=1), D("0.0"), D("0.0")),
        # A street with both dispatches of that case: 1 return in 2 dispatches, 1 of 2 answered in time.
        (Counts(cases=1, dispatched=1, assigned=2, returned=1, response_due=2, responded=1), D("50.0"), D("50.0")),
        # Dispatched and not yet due for signing: no 响应率 yet.
        (Counts(cases=1, dispatched=1, assigned=1), D("0.0"), None),
    ],
)
def test_returns_and_sign_ins_count_per_dispatch_against_the_department_sent_it(counts, return_rate, response_rate):
    i = rules.indicators(counts)
    assert (i.return_rate, i.response_rate) == (return_rate, response_rate)


@st.composite
def consistent_counts(draw) -> Counts:
    n = st.integers(0, 500)
    cases = draw(n)
    closed, dispatched = draw(st.integers(0, cases)), draw(st.integers(0, cases))
    deferred = draw(n)
    due = closed + deferred + draw(n)
    assigned = draw(n)
    response_due = draw(n)
    visited = draw(st.integers(0, closed))  # the return visits are of closed cases
    unreachable = draw(st.integers(0, closed - visited))
    rated = draw(st.integers(0, closed))
    return Counts(
        cases=cases, dispatched=dispatched, closed=closed, due=due, deferred=deferred,
        on_time=draw(st.integers(0, due - deferred)), reworked=draw(st.integers(0, closed)), assigned=assigned,
        returned=draw(st.integers(0, assigned)), response_due=response_due,
        responded=draw(st.integers(0, response_due)), rated=rated, satisfied=draw(st.integers(0, rated)),
        visited=visited, solved=draw(st.integers(0, visited)), unreachable=unreachable,
        handling_seconds=draw(st.integers(0, 10**9)),
    )  # fmt: skip


RATES = ("on_time_rate", "close_rate", "rework_rate", "return_rate", "satisfaction_rate", "response_rate",
         "solve_rate")  # fmt: skip


@given(consistent_counts())
@settings(max_examples=300)
def test_rates_stay_between_0_and_100(counts):
    i = rules.indicators(counts)
    for name in RATES:
        value = getattr(i, name)
        assert value is None or D(0) <= value <= D(100), (name, value)


@given(consistent_counts())
@settings(max_examples=300)
def test_an_on_time_close_never_lowers_the_on_time_close_rate(counts):
    before = rules.indicators(counts).on_time_rate
    after = rules.indicators(replace(counts, cases=counts.cases + 1, closed=counts.closed + 1, due=counts.due + 1,
                                     on_time=counts.on_time + 1)).on_time_rate  # fmt: skip
    assert after is not None and (before is None or after >= before)


@given(consistent_counts(), st.integers(1, 20))
@settings(max_examples=200)
def test_approving_a_deferral_of_a_late_case_never_lowers_the_on_time_close_rate(counts, n):
    # n open cases past their deadline go into 缓办: they stay 应结案 and leave the denominator.
    late = replace(counts, due=counts.due + n)
    deferred = replace(late, deferred=late.deferred + n)
    before, after = rules.indicators(late).on_time_rate, rules.indicators(deferred).on_time_rate
    assert before is not None and (after is None or after >= before)
