"""业主委员会 and 红色物业, pure: the term of a committee and when its re-election is due, the composition the
guidance rules ask of a committee, the kinds of Party organisation, and the shares the 红色物业 figures show.

Sources: 《业主大会和业主委员会指导规则》(建房〔2009〕274号): a committee of 5 to 11 members, an odd number, owners of
the estate, elected by the owners' assembly for a term of at most 5 years (seed 004 篇六 asks for 5); the next one is
elected before the term ends, which the reminders below prompt the community to guide.
"""

from datetime import date
from fractions import Fraction

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

TERM_YEARS = 5
# How many months before the end of term the community's workers are reminded: six months leaves time for the
# preparatory group (换届小组) and an owners' assembly; three months is the last call; 0 says the term has run out.
REMINDER_MONTHS = (6, 3, 0)

MIN_MEMBERS, MAX_MEMBERS = 5, 11

CHAIR, VICE_CHAIR, MEMBER = "chair", "vice_chair", "member"
MEMBER_ROLES = {
    CHAIR: gettext_lazy("主任"),
    VICE_CHAIR: gettext_lazy("副主任"),
    MEMBER: gettext_lazy("委员"),
}  # in the order a committee is listed

ELECTED = "elected"
FORMATION = {ELECTED: gettext_lazy("业主大会选举产生")}

# 红色物业: Party organisations set up in property companies, in owners' committees and the community's own.
BRANCH, GROUP, JOINT_BRANCH = "branch", "group", "joint_branch"
PARTY_KINDS = {BRANCH: gettext_lazy("党支部"), GROUP: gettext_lazy("党小组"), JOINT_BRANCH: gettext_lazy("联合党支部")}
COMMUNITY, COMMITTEE, COMPANY = "community", "committee", "company"
HOSTS = {COMMUNITY: gettext_lazy("社区"), COMMITTEE: gettext_lazy("业主委员会"), COMPANY: gettext_lazy("物业企业")}


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier (later if negative), on the month's last day where it has no such day (31 August
    → 28 or 29 February)."""
    return day - relativedelta(months=months)


def term_end(formed_on: date, years: int = TERM_YEARS) -> date:
    """The last day of a committee's term, by the Civil Code arts. 201–202: the term is counted from the day after
    the election, and its last day is the corresponding day five years on (the month's last day where there is none:
    a committee elected on 29 February 2024 serves to 28 February 2029)."""
    return formed_on + relativedelta(years=years)


def reminder_due(term_ends: date, today: date) -> int | None:
    """The reminder threshold (months before the end) reached on `today`: the nearest to the end that has been
    reached, so a job that missed the six-month day sends the three-month one only. None before the first."""
    reached = [m for m in REMINDER_MONTHS if today >= reminder_day(term_ends, m)]
    return min(reached) if reached else None


def reminder_day(term_ends: date, months: int) -> date:
    """The day the reminder `months` before the end falls due (0: the day after the last day of the term)."""
    return date.fromordinal(term_ends.toordinal() + 1) if months == 0 else months_before(term_ends, months)


def term_state(term_ends: date, months: int | None) -> str:
    """What a reminder at `months` says of the term: "将于2031年5月31日届满（已进入届满前6个月）" or "已于…届满"."""
    day = _("%(year)s年%(month)s月%(day)s日") % {"year": term_ends.year, "month": term_ends.month, "day": term_ends.day}
    if months is None:
        return _("至%(day)s") % {"day": day}
    if months == 0:
        return _("已于%(day)s届满") % {"day": day}
    return _("将于%(day)s届满（已进入届满前%(months)s个月）") % {"day": day, "months": months}


def member_errors(roles: list[str], people: list[int]) -> list[str]:
    """What is wrong with a committee of members with these roles (and these person ids, in the same order)."""
    errors = []
    n = len(roles)
    if not MIN_MEMBERS <= n <= MAX_MEMBERS or n % 2 == 0:
        errors.append(
            _("业主委员会应由%(MIN_MEMBERS)s至%(MAX_MEMBERS)s名委员组成且为单数，现为%(n)s名")
            % {"MIN_MEMBERS": MIN_MEMBERS, "MAX_MEMBERS": MAX_MEMBERS, "n": n}
        )
    if roles.count(CHAIR) != 1:
        errors.append(_("业主委员会应有且只有一名主任，现为%(count)s名") % {"count": roles.count(CHAIR)})
    if unknown := set(roles) - set(MEMBER_ROLES):
        errors.append(
            _("委员职务应为：%(join)s（收到 %(join2)s）")
            % {"join": "、".join(map(str, MEMBER_ROLES.values())), "join2": "、".join(map(str, sorted(unknown)))}
        )
    if len(set(people)) != len(people):
        errors.append(_("同一业主不能在一届业主委员会中担任两个职务"))
    return errors


def share(part: int, whole: int) -> Fraction | None:
    """part / whole, exact; None when there is nothing to divide."""
    return Fraction(part, whole) if whole else None


def percent(value: Fraction | None) -> str:
    """A share as the page prints it: "62.5%"; "—" when there is none."""
    if value is None:
        return "—"
    tenths = round(value * 1000)
    return f"{tenths // 10}.{tenths % 10}%" if tenths % 10 else f"{tenths // 10}%"
