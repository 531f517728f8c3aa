"""Pure rules of honours (挂牌, 001 篇7): the flow 自主申报 → 初审 (street) → 认定 (district) → granted, the validity
period, the plate number, and the revocation rules (摘牌) that fire on the cases touching the honoured unit.

001 篇7 (三): "原达标小区新增确诊病例，立即摘牌；原达标小区集中投诉查实和突出问题未整改到位的，立即摘牌". The three
kinds of rule, configured per honour type with the case categories they watch:
- VERIFIED_COMPLAINT 投诉查实: a case of those categories received since the grant and closed after its check;
- NEW_INCIDENT 新发事件: any case of those categories received since the grant and registered (立案) by a dispatcher —
  an anonymous report nobody has looked at yet takes nothing down (001 篇7: 新增确诊病例, confirmed, not reported);
- RECTIFICATION_OVERDUE 整改未到位: a rectification finding (of those categories, or any) whose deadline fell after
  the grant and that was not fixed by it (campaigns.rectification.rules.finding_late).
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.accounts.roles import DECIDER, REVIEWER
from linli.campaigns.rectification import rules as campaign_rules
from linli.cases import rules as case_rules

# ---------------------------------------------------------------- levels and states

ESTATE = "estate"
COMMUNITY = "community"
LEVEL_LABELS = {ESTATE: gettext_lazy("小区"), COMMUNITY: gettext_lazy("社区")}

APPLIED = "applied"
REVIEWED = "reviewed"
GRANTED = "granted"
REJECTED = "rejected"
REVOKED = "revoked"
EXPIRED = "expired"  # set by the hourly review once valid_until has passed
STATUS_LABELS = {
    APPLIED: gettext_lazy("待初审"),
    REVIEWED: gettext_lazy("待认定"),
    GRANTED: gettext_lazy("已授牌"),
    REJECTED: gettext_lazy("未通过"),
    REVOKED: gettext_lazy("已摘牌"),
    EXPIRED: gettext_lazy("已到期"),
}
PENDING = frozenset({APPLIED, REVIEWED})

# ---------------------------------------------------------------- who does what

SYSTEM = "system"  # automatic 摘牌; the people's capabilities (APPLICANT, REVIEWER, DECIDER) are roles.HONOURS


@dataclass(frozen=True)
class Step:
    action: str
    label: str
    sources: frozenset[str]
    target: str
    actors: frozenset[str]
    note_required: bool = False


STEPS = {
    s.action: s
    for s in (
        Step("review", gettext_lazy("初审通过"), frozenset({APPLIED}), REVIEWED, frozenset({REVIEWER})),
        Step("review_reject", gettext_lazy("初审不通过"), frozenset({APPLIED}), REJECTED, frozenset({REVIEWER}), True),
        Step("grant", gettext_lazy("认定授牌"), frozenset({REVIEWED}), GRANTED, frozenset({DECIDER})),
        Step("reject", gettext_lazy("不予认定"), frozenset({REVIEWED}), REJECTED, frozenset({DECIDER}), True),
        Step("revoke", gettext_lazy("摘牌"), frozenset({GRANTED}), REVOKED, frozenset({DECIDER, SYSTEM}), True),
    )
}


class NotPermitted(ValueError):
    pass


class IllegalStep(ValueError):
    pass


def check(action: str, status: str, caps: Iterable[str]) -> Step:
    """The step, or why not: permission before state, as in the case engine."""
    step = STEPS.get(action)
    if step is None:
        raise IllegalStep(_("未知的操作：%(action)s") % {"action": action})
    if not step.actors & set(caps):
        raise NotPermitted(_("您无权执行「%(label)s」") % {"label": step.label})
    if status not in step.sources:
        raise IllegalStep(
            _("当前状态为「%(STATUS_LABELS)s」，不能执行「%(label)s」")
            % {"STATUS_LABELS": STATUS_LABELS[status], "label": step.label}
        )
    return step


def available(status: str, caps: Iterable[str]) -> list[Step]:
    caps = set(caps)
    return [s for s in STEPS.values() if s.actors & caps and status in s.sources]


# ---------------------------------------------------------------- validity and numbers


def valid_until(granted_on: date, months: int) -> date:
    """The last day of validity: the day before the same date `months` later (granted 2026-03-31 for 12 months:
    valid through 2027-03-30; for 1 month from 01-31: through 02-27, the day before the month's last day)."""
    if months < 1:
        raise ValueError("months starts at 1")
    month0 = granted_on.month - 1 + months
    year, month = granted_on.year + month0 // 12, month0 % 12 + 1
    day = min(granted_on.day, calendar.monthrange(year, month)[1])
    return date.fromordinal(date(year, month, day).toordinal() - 1)


def is_current(status: str, until: date | None, today: date) -> bool:
    return status == GRANTED and until is not None and today <= until


def plate_number(type_name: str, year: int, serial: int) -> str:
    """无疫小区〔2026〕第003号."""
    if serial < 1:
        raise ValueError("serial starts at 1")
    return _("%(type_name)s〔%(year)s〕第%(serial)s号") % {
        "type_name": type_name,
        "year": year,
        "serial": format(serial, "03d"),
    }


def may_reapply(revoking_case_state: str | None) -> bool:
    """After 摘牌 a unit may apply again once the case that revoked it is closed (整改到位), or turned out not to stand
    (不予受理, or a duplicate merged into another); a manual revocation names no case and does not block."""
    return revoking_case_state is None or revoking_case_state in ({case_rules.CLOSED} | case_rules.NOT_COUNTED)


# ---------------------------------------------------------------- revocation rules

VERIFIED_COMPLAINT = "verified_complaint"
NEW_INCIDENT = "new_incident"
RECTIFICATION_OVERDUE = "rectification_overdue"
MANUAL = "manual"
RULE_LABELS = {
    VERIFIED_COMPLAINT: gettext_lazy("投诉查实"),
    NEW_INCIDENT: gettext_lazy("新发事件"),
    RECTIFICATION_OVERDUE: gettext_lazy("整改未到位"),
    MANUAL: gettext_lazy("人工摘牌"),
}
# A rule that watches every category would revoke on any case at all: only the rectification rule may.
ANY_CATEGORY_ALLOWED = frozenset({RECTIFICATION_OVERDUE})


@dataclass(frozen=True)
class Rule:
    kind: str
    categories: frozenset[int] = frozenset()  # minor or major category ids; empty: any (rectification only)


@dataclass(frozen=True)
class CaseFact:
    """A case touching the honoured unit, as the rules need it."""

    case_id: int
    number: str
    kind: str
    category_id: int
    major_id: int | None
    state: str
    received_at: datetime
    closed_at: datetime | None = None
    due_at: datetime | None = None
    feedback_at: datetime | None = None
    category_name: str = ""


@dataclass(frozen=True)
class Firing:
    kind: str
    case_id: int
    number: str
    at: datetime  # when the fact happened: received, closed, or the deadline that passed
    reason: str


def _watched(rule: Rule, fact: CaseFact) -> bool:
    if not rule.categories:
        return rule.kind in ANY_CATEGORY_ALLOWED
    return fact.category_id in rule.categories or (fact.major_id is not None and fact.major_id in rule.categories)


def _local(moment: datetime) -> str:
    return f"{moment:%Y年%m月%d日}"


def fires(rule: Rule, fact: CaseFact, *, granted_at: datetime, now: datetime) -> Firing | None:
    """Whether this one case fires the rule for an honour granted at `granted_at`; `now` for deadlines. Times are
    compared as given (aware datetimes); the reason's date is in the zone the caller gave."""
    if not _watched(rule, fact):
        return None
    what = _("案件%(number)s") % {"number": fact.number} + (f"（{fact.category_name}）" if fact.category_name else "")
    if rule.kind == VERIFIED_COMPLAINT:
        closed = fact.state == case_rules.CLOSED and fact.closed_at is not None
        if fact.kind != case_rules.EVENT or not closed or fact.received_at < granted_at:
            return None
        return Firing(
            rule.kind,
            fact.case_id,
            fact.number,
            fact.closed_at,
            _("投诉查实：%(what)s于%(local)s经核查属实并办结") % {"what": what, "local": _local(fact.closed_at)},
        )
    if rule.kind == NEW_INCIDENT:
        unconfirmed = fact.state == case_rules.RECEIVED or fact.state in case_rules.NOT_COUNTED
        if fact.kind != case_rules.EVENT or unconfirmed or fact.received_at < granted_at:
            return None
        return Firing(
            rule.kind,
            fact.case_id,
            fact.number,
            fact.received_at,
            _("新发事件：%(local)s受理%(what)s") % {"local": _local(fact.received_at), "what": what},
        )
    if rule.kind == RECTIFICATION_OVERDUE:
        if fact.kind != case_rules.RECTIFICATION or fact.due_at is None or fact.due_at < granted_at:
            return None
        late = campaign_rules.finding_late(state=fact.state, due_at=fact.due_at, feedback_at=fact.feedback_at, now=now)
        if not late:
            return None
        return Firing(
            rule.kind,
            fact.case_id,
            fact.number,
            fact.due_at,
            _("整改未到位：整改问题%(what)s未在整改时限%(local)s前整改到位")
            % {"what": what, "local": _local(fact.due_at)},
        )
    raise ValueError(f"unknown rule kind {rule.kind}")


def first_firing(
    rules: Iterable[Rule], facts: Iterable[CaseFact], *, granted_at: datetime, now: datetime
) -> Firing | None:
    """The earliest firing of any rule over the facts (ties: the lower case number), or None: the reason an honour
    is revoked. Facts from the future of `now` never fire: a review sees what has happened by then."""
    rules, found = list(rules), []
    for fact in facts:
        if fact.received_at > now:
            continue
        for rule in rules:
            firing = fires(rule, fact, granted_at=granted_at, now=now)
            if firing is not None and firing.at <= now:
                found.append(firing)
    return min(found, key=lambda f: (f.at, f.number)) if found else None
