"""Pure rules of the residents' pages: the limits on anonymous reporters, what a tracking code looks like, the
timeline as the reporter may see it and when they may expect the problem solved."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import rules

# Online reports from one address (a household's router, a phone): generous for a resident, tight for a script.
# Behind carrier-grade NAT many phones share an address, so the daily cap stays well above one person's needs.
REPORTS_PER_IP_HOUR = 5
REPORTS_PER_IP_DAY = 20
REPORTS_PER_PHONE_DAY = 10
# Wrong tracking codes from one address per clock hour before lookups are refused. A code has 32^10 values, so
# twenty guesses an hour leave guessing hopeless while a resident mistyping a few times is never stopped.
TRACKING_FAILURES_PER_HOUR = 20
# A drawn report form may be sent for two hours, once (its anti-spam token says when it was drawn).
MAX_FORM_AGE = 2 * 3600
# Photos stored as the resident chooses them, before the report exists: per form, room to change one's mind a few
# times; per address, what the hourly cap on reports needs with photos changed, and a bound on what a script stores.
PHOTOS_PER_FORM = 18
PHOTOS_PER_IP_HOUR = 60


# What each state means to the reporter, in plain words.
STATE_HINTS = {
    rules.RECEIVED: gettext_lazy("您反映的问题已收到，工作人员将尽快核实。"),
    rules.REGISTERED: gettext_lazy("问题已核实立案，正在安排承办单位。"),
    rules.DISPATCHED: gettext_lazy("问题已交给承办单位，等待对方签收。"),
    rules.RETURNED: gettext_lazy("正在重新安排承办单位。"),
    rules.HANDLING: gettext_lazy("承办单位正在处理。"),
    rules.FEEDBACK: gettext_lazy("承办单位已反馈处理结果，等待工作人员现场核查。"),
    rules.CLOSED: gettext_lazy("问题已办结。"),
    rules.REJECTED: gettext_lazy("经核实，该问题不予受理，原因见下方办理记录。"),
    rules.MERGED: "",
}


def rateable(state: str, rating: str) -> bool:
    """The reporter may rate a closed case they have not rated since it was last closed."""
    return state == rules.CLOSED and not rating


def rating_answer(*, rating: str, reopened: bool) -> tuple[str, str]:
    """What the reporter is told once their rating is taken: (message level, text)."""
    if reopened:
        return "warning", _("已收到您的评价。因您对办理结果不满意，案件已重新交办，请继续关注办理进展。")
    if rating == rules.UNSATISFIED:
        return "info", (
            _("已收到您的评价。本件已重新办理过一次，不再自动重办；如问题仍未解决，可以重新反映或拨打12345热线。")
        )
    return "success", _("感谢您的评价！")


def well_formed(code: str) -> bool:
    return len(code) == rules.TRACKING_LENGTH and all(ch in rules.TRACKING_ALPHABET for ch in code)


@dataclass(frozen=True)
class PublicEntry:
    label: str
    at: datetime
    who: str
    note: str
    detail: str


def public_actor(event) -> str:
    """Who acted, as the reporter may see it: staff appear as their unit, never by name. Staff labels read
    "name（unit）" (services.actor_label); without a unit they are just 工作人员. 反映人, 系统 and Open311 clients
    act without a user and are shown as labelled."""
    if event.actor_id is None:
        return event.actor_label
    name, sep, unit = event.actor_label.rstrip("）").partition("（")
    return unit if sep and unit else _("工作人员")


def _detail(event) -> str:
    data = event.data or {}
    if event.action == "dispatch" and data.get("department"):
        return _("承办单位：%(data)s") % {"data": data["department"]}
    if event.action == "rate" and data.get("rating") in rules.RATING_LABELS:
        return _("评价：%(RATING_LABELS)s") % {"RATING_LABELS": rules.RATING_LABELS[data["rating"]]}
    if event.action == "merge" and data.get("original"):
        return _("并入案件：%(data)s") % {"data": data["original"]}
    return rules.visit_summary(event.action, data)


def public_entries(events) -> list[PublicEntry]:
    """The public timeline (selectors.public_timeline) as the tracking page shows it."""
    return [PublicEntry(e.label, e.at, public_actor(e), e.note, _detail(e)) for e in events]


@dataclass(frozen=True)
class Expectation:
    """When the reporter may expect the problem solved: a moment (`when`; `timed` when it has a time of day), or
    only a note while no deadline runs yet."""

    label: str
    note: str
    when: date | datetime | None = None
    timed: bool = False


def expectation(
    state: str,
    *,
    due_at: datetime | None,
    resume_on: date | None,
    handle_limit: Decimal | None,
    handle_unit: str,
) -> Expectation | None:
    """What the tracking page says of the expected completion. The deadline runs from dispatch (the case stores
    it then); before, the category's limit says how long it will take once a department has it."""
    if state in rules.WITH_DEPARTMENT and due_at is not None:
        return Expectation(_("预计办结"), _("承办单位须在此时间前处理完毕"), due_at, timed=True)
    if state == rules.DEFERRED and resume_on is not None:
        return Expectation(_("预计恢复办理"), _("因客观条件暂缓办理，届时恢复"), resume_on)
    if state in rules.QUEUE_STATES and handle_limit:
        limit = f"{handle_limit.normalize():f}"
        unit = rules.LIMIT_UNITS.get(handle_unit, "")
        return Expectation(
            _("预计办结"),
            _("交给承办单位后%(limit)s个%(unit)s内办结，交办后显示具体日期") % {"limit": limit, "unit": unit},
        )
    if state == rules.FEEDBACK:
        return Expectation(_("预计办结"), _("承办单位已处理完毕，工作人员现场核查后即可结案"))
    return None
