"""Notification rules, pure: the template registry and its rendering, the personal-information guard on what a
message may say, which channels a message goes out on, and the rate-limit arithmetic.

Every message is rendered from a registered template; callers name the template's key and give its context, and
never write message text themselves, so that what can reach a phone is this table and the masked context only."""

import re
import string
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext_lazy

INBOX = "inbox"  # the in-app message, kept in the database with its read mark
SMS = "sms"
CHANNELS = {INBOX: gettext_lazy("站内消息"), SMS: gettext_lazy("短信")}

# Kinds are what a user sets preferences for: one switch per kind and channel, not per template.
KINDS = {
    "supervision": gettext_lazy("督办与通报"),
    "cases": gettext_lazy("事件办理进展"),
    "security": gettext_lazy("登录验证码"),
    "notices": gettext_lazy("社区公告"),
    "dispatch": gettext_lazy("案件派遣"),
    "account": gettext_lazy("实名认证与信息更正"),
    "votes": gettext_lazy("业主大会表决"),
    "consultation": gettext_lazy("议事协商"),
    "activities": gettext_lazy("志愿服务活动"),  # volunteers' sign-ups
    "access": gettext_lazy("社区工作准入"),  # burden.access: the applying body told of 初审 and 审批
}
# The kinds residents receive, and those only residents receive: each side's preferences offer its own switches.
RESIDENT_ONLY = frozenset({"notices", "account", "votes", "consultation", "activities"})
RESIDENT_KINDS = RESIDENT_ONLY | {"cases", "security"}
STAFF_KINDS = frozenset(KINDS) - RESIDENT_ONLY


@dataclass(frozen=True)
class Template:
    kind: str
    title: str
    body: str  # string.Template text: $name or ${name}; no attribute or index access, unlike str.format
    channels: frozenset[str]  # where this message may go at all
    default: frozenset[str]  # where it goes unless the user has chosen for its kind
    required: frozenset[str] = frozenset()  # what the user cannot switch off (a login code must reach the phone)

    def placeholders(self) -> set[str]:
        found = set()
        for text in (str(self.title), str(self.body)):  # lazy translations: read in the language of the moment
            for m in string.Template.pattern.finditer(text):
                name = m.group("named") or m.group("braced")
                if name:
                    found.add(name)
        return found


def _t(kind, title, body, channels, default=None, required=()):
    channels = frozenset(channels)
    return Template(kind, title, body, channels, frozenset(default or channels), frozenset(required))


TEMPLATES: dict[str, Template] = {
    "campaigns.supervise": _t(
        "supervision", gettext_lazy("督办：${task}"), "${text}（${issuer}，${issued}）", {INBOX, SMS}, default={INBOX}
    ),
    "campaigns.circular": _t(
        "supervision", gettext_lazy("通报：${plan}"), "${text}（${issuer}，${issued}）", {INBOX, SMS}, default={INBOX}
    ),
    "cases.dispatched": _t(
        "cases",
        gettext_lazy("事件已派遣"),
        gettext_lazy("您反映的问题（${case_number}）已派遣至${department}办理。"),
        {INBOX, SMS},
    ),
    "cases.feedback": _t(
        "cases",
        gettext_lazy("事件处理反馈"),
        gettext_lazy("您反映的问题（${case_number}）有新的处理反馈：${text}"),
        {INBOX, SMS},
    ),
    "cases.closed": _t(
        "cases",
        gettext_lazy("事件已办结"),
        gettext_lazy("您反映的问题（${case_number}）已办结，欢迎对办理结果进行评价。"),
        {INBOX, SMS},
    ),
    # Staff: a case dispatched to their department (part: 主办 or 协办); a 考核通报 ranking their unit (standing: its
    # score and rank, bulletins.rules.standing).
    "cases.assigned": _t(
        "dispatch",
        gettext_lazy("派遣：${category}"),
        gettext_lazy("事件${case_number}（${category}）已派遣，本单位为${part}单位，请及时办理。"),
        {INBOX, SMS},
        default={INBOX},
    ),  # fmt: skip
    "bulletins.issued": _t(
        "supervision",
        gettext_lazy("考核通报：${bulletin}"),
        gettext_lazy("${bulletin}已发布，${standing}。"),
        {INBOX, SMS},
        default={INBOX},
    ),
    "accounts.login_code": _t(
        "security",
        gettext_lazy("登录验证码"),
        gettext_lazy("您的登录验证码为${code}，5分钟内有效。如非本人操作，请忽略。"),
        {SMS},
        required={SMS},
    ),
    # A resident's request decided by the community (result: 已通过 or 未通过; note: the reviewer's reason).
    "residents.binding_decided": _t(
        "account",
        gettext_lazy("实名认证${result}"),
        gettext_lazy("您的实名认证申请${result}。${note}"),
        {INBOX, SMS},
        default={INBOX},
    ),
    "residents.correction_decided": _t(
        "account",
        gettext_lazy("信息更正${result}"),
        gettext_lazy("您的信息更正申请${result}。${note}"),
        {INBOX, SMS},
        default={INBOX},
    ),
    # Owners in a vote's frozen electorate who have a portal account: when it opens, and its result once published.
    # `closes` is a date written 12月31日 (digits kept short: a run of seven would be masked as a number).
    "votes.opened": _t(
        "votes",
        gettext_lazy("业主大会表决：${title}"),
        gettext_lazy("${estate}业主大会表决已开始，${closes}截止，请在居民端投票。"),
        {INBOX, SMS},
        default={INBOX},
    ),
    "votes.published": _t(
        "votes",
        gettext_lazy("表决结果公示：${title}"),
        gettext_lazy("${estate}业主大会表决结果已公示：${verdict}。"),
        {INBOX},
    ),
    # 议事协商: the resident who proposed, when the office decides; the residents of the place, when a poll opens.
    "consultation.decided": _t(
        "consultation",
        gettext_lazy("议题${result}：${title}"),
        gettext_lazy("您提出的议题${result}。${note}"),
        {INBOX, SMS},
        default={INBOX},
    ),
    "consultation.poll_opened": _t(
        "consultation",
        gettext_lazy("议事投票：${title}"),
        gettext_lazy("“${question}”开始投票，${closes}截止，欢迎参与。"),
        {INBOX},
    ),
    # In the inbox only: a notice reaches a whole community, too many texts to send unasked.
    "notices.published": _t(
        "notices", gettext_lazy("社区公告：${title}"), gettext_lazy("${issuer}发布了新的公告，请点击查看。"), {INBOX}
    ),
    # Staff: an owners' committee nearing the end of its term (committees.rules.REMINDER_MONTHS).
    "committees.reelection": _t(
        "supervision",
        gettext_lazy("业主委员会换届提醒：${estate}"),
        gettext_lazy("${estate}业主委员会任期${term}，请指导做好换届选举工作。"),
        {INBOX, SMS},
        default={INBOX},
    ),
    # 志愿服务活动 (volunteers.activities): the volunteers signed up when an activity is cancelled (by its organiser,
    # or at the cut-off below its minimum), the waiting volunteer who takes a freed place, hours once confirmed.
    # `when` is a start written 12月31日 09:00.
    "activities.cancelled": _t(
        "activities",
        gettext_lazy("活动取消：${title}"),
        gettext_lazy("您报名的志愿服务活动“${title}”（${when}）已取消：${reason}"),
        {INBOX, SMS},
        default={INBOX},
    ),
    "activities.promoted": _t(
        "activities",
        gettext_lazy("候补转正：${title}"),
        gettext_lazy("有人取消报名，您已由候补转为正式报名，活动${when}开始，请准时参加。"),
        {INBOX, SMS},
        default={INBOX},
    ),
    "activities.hours": _t(
        "activities",
        gettext_lazy("服务时长已确认：${title}"),
        gettext_lazy("组织者已确认您在“${title}”的服务时长${hours}小时。"),
        {INBOX},
    ),
    # 社区工作准入 (burden.access): the applicant, at 初审 and at 审批 (result: 初审通过, 初审不通过, 批准, 不批准).
    "burden.access_decided": _t(
        "access",
        gettext_lazy("准入申请${result}：${title}"),
        gettext_lazy("您提出的社区工作准入申请“${title}”${result}。${note}"),
        {INBOX},
    ),
}

# Placeholders whose values pass whole, never masked: a code, a case number, a date. Each must have exactly its
# shape, which no phone or ID number has.
CODES = {
    "case_number": re.compile(r"[0-9]{4}-[0-9]{6}"),
    "code": re.compile(r"[0-9]{6}"),
    "issued": re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"),
}

# A run of seven or more digits, whatever separates them (spaces, dashes, dots), ending maybe in the X of an ID
# number: a phone or ID number, or enough of one to identify a person. \d also matches full-width digits.
_NUMBER = re.compile(r"\d(?:[\s\-‐‑–—.·_/]*\d){6,}(?:[\s\-–—.]*[xX])?")


def mask_numbers(text: str) -> str:
    """Every run that could be a phone or ID number loses all but its last four characters."""

    def star(m: re.Match) -> str:
        chars = [c for c in m.group() if c.isdigit() or c in "xX"]
        return "*" * (len(chars) - 4) + "".join(chars[-4:])

    return _NUMBER.sub(star, text)


def has_number(text: str) -> bool:
    return _NUMBER.search(text) is not None


class TemplateError(ValueError):
    """A template key or context the registry does not know: a programming error, not a user's."""


def render(key: str, context: dict) -> tuple[str, str, dict[str, str]]:
    """(title, body, the masked context) of template `key`: every context value is masked before it is used, codes
    are checked for their shape; a missing or extra name is refused."""
    try:
        template = TEMPLATES[key]
    except KeyError:
        raise TemplateError(f"unknown notification template {key!r}") from None
    wanted = template.placeholders()
    if set(context) != wanted:
        raise TemplateError(f"{key}: context must name exactly {sorted(wanted)}, got {sorted(context)}")
    safe = {}
    for name, value in context.items():
        value = str(value)
        if name in CODES:
            if not CODES[name].fullmatch(value):
                raise TemplateError(f"{key}: {name} must match {CODES[name].pattern}")
            safe[name] = value
        else:
            safe[name] = mask_numbers(value)
    title = string.Template(str(template.title)).substitute(safe)
    return title, string.Template(str(template.body)).substitute(safe), safe


def channels_for(
    key: str, chosen: frozenset[str] | None, *, only: frozenset[str] | None = None, reachable: frozenset[str]
) -> frozenset[str]:
    """Where a message goes: the user's choice for its kind (or the template's default), always its required
    channels, narrowed by what the caller asked (`only`) and what can reach the user (no phone, no SMS)."""
    template = TEMPLATES[key]
    wanted = (template.default if chosen is None else chosen) | template.required
    if only is not None:
        wanted &= only | template.required
    return wanted & template.channels & reachable


def optional_channels(kind: str) -> frozenset[str]:
    """The channels a user may switch on or off for a kind: offered by one of its templates, required by none."""
    templates = [t for t in TEMPLATES.values() if t.kind == kind]
    offered = frozenset().union(*(t.channels for t in templates))
    required = frozenset().union(*(t.required for t in templates))
    return offered - required


# Per user and channel: at most `count` messages within each `window`. Generous for the inbox (a 通报 names many
# units at once), tight for SMS, which costs money and wakes people.
LIMITS: dict[str, tuple[tuple[timedelta, int], ...]] = {
    INBOX: ((timedelta(minutes=1), 60),),
    SMS: ((timedelta(minutes=1), 2), (timedelta(hours=1), 10), (timedelta(days=1), 30)),
}


def longest_window(channel: str) -> timedelta:
    return max(window for window, _ in LIMITS[channel])


def within_limits(channel: str, sent: list[datetime], now: datetime) -> bool:
    """Whether one more message may go out on `channel`, given when the earlier ones in the longest window went."""
    return all(sum(1 for at in sent if at > now - window) < count for window, count in LIMITS[channel])
