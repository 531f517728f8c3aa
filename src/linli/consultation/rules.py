"""Rules of community consultation (议事协商), pure: a proposal's life (submitted → accepted into consultation or
declined), what a proposal and a comment may hold, and the arithmetic of a poll: turnout against its quorum and the
leading option against its pass rule. Exact: counts compared as integers and Fractions, never floats."""

from dataclasses import dataclass
from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

TITLE_MAX = 60
BODY_MAX = 2000
COMMENT_MAX = 500
REASON_MAX = 200
OPTION_MAX = 30
OPTIONS_MIN, OPTIONS_MAX = 2, 8

SUBMITTED, ACCEPTED, DECLINED = "submitted", "accepted", "declined"
STATUS_LABELS = {
    SUBMITTED: gettext_lazy("待受理"),
    ACCEPTED: gettext_lazy("协商中"),
    DECLINED: gettext_lazy("不予受理"),
}

OPEN, CLOSED, PUBLISHED = "open", "closed", "published"
POLL_STATUS_LABELS = {OPEN: gettext_lazy("投票中"), CLOSED: gettext_lazy("已截止"), PUBLISHED: gettext_lazy("已公布")}

# Quorum: a minimum turnout, either as a percentage of the residents eligible when the poll closes or as a number of
# votes (a small building's consultation may set "at least 20 households" rather than a share).
SHARE, COUNT = "share", "count"
QUORUM_LABELS = {SHARE: gettext_lazy("按比例（%）"), COUNT: gettext_lazy("按人数")}

# Pass rule: the leading option needs more than half, or at least two thirds, of the votes cast.
SIMPLE, TWO_THIRDS = "simple", "two_thirds"
PASS_LABELS = {
    SIMPLE: gettext_lazy("过半数（超过投票数的1/2）"),
    TWO_THIRDS: gettext_lazy("三分之二（不少于投票数的2/3）"),
}
PASS_SHARE = {SIMPLE: Fraction(1, 2), TWO_THIRDS: Fraction(2, 3)}

DEFAULT_OPTIONS = (gettext_lazy("同意"), gettext_lazy("不同意"))


def text_errors(title: str, body: str) -> list[tuple[str, str]]:
    """(field, message) for each thing wrong with a proposal's title and body."""
    errors = []
    if not title.strip():
        errors.append(("title", _("请填写议题标题")))
    elif len(title.strip()) > TITLE_MAX:
        errors.append(("title", _("议题标题不能超过%(TITLE_MAX)s个字") % {"TITLE_MAX": TITLE_MAX}))
    if not body.strip():
        errors.append(("body", _("请写明议题的内容和理由")))
    elif len(body.strip()) > BODY_MAX:
        errors.append(("body", _("议题内容不能超过%(BODY_MAX)s个字") % {"BODY_MAX": BODY_MAX}))
    return errors


def comment_error(body: str) -> str | None:
    if not body.strip():
        return _("请填写评论内容")
    if len(body.strip()) > COMMENT_MAX:
        return _("评论不能超过%(COMMENT_MAX)s个字") % {"COMMENT_MAX": COMMENT_MAX}
    return None


def reason_error(reason: str, *, what: str) -> str | None:
    if not reason.strip():
        return _("请填写%(what)s的理由") % {"what": what}
    if len(reason.strip()) > REASON_MAX:
        return _("%(what)s的理由不能超过%(REASON_MAX)s个字") % {"what": what, "REASON_MAX": REASON_MAX}
    return None


def poll_errors(options: list[str], quorum_kind: str, quorum_value: int) -> list[tuple[str, str]]:
    """(field, message) for each thing wrong with a poll's options and quorum."""
    errors = []
    labels = [o.strip() for o in options if o.strip()]
    if len(labels) < OPTIONS_MIN or len(labels) > OPTIONS_MAX:
        errors.append(
            (
                "options",
                _("投票选项应为%(OPTIONS_MIN)s至%(OPTIONS_MAX)s个")
                % {"OPTIONS_MIN": OPTIONS_MIN, "OPTIONS_MAX": OPTIONS_MAX},
            )
        )
    elif len(set(labels)) != len(labels):
        errors.append(("options", _("投票选项不能重复")))
    elif any(len(o) > OPTION_MAX for o in labels):
        errors.append(("options", _("每个选项不能超过%(OPTION_MAX)s个字") % {"OPTION_MAX": OPTION_MAX}))
    if quorum_kind == SHARE and not 0 < quorum_value <= 100:
        errors.append(("quorum_value", _("按比例的最低参与率应在1%到100%之间")))
    elif quorum_kind == COUNT and quorum_value < 1:
        errors.append(("quorum_value", _("最低参与人数至少为1人")))
    elif quorum_kind not in QUORUM_LABELS:
        errors.append(("quorum_kind", _("最低参与要求应为按比例或按人数")))
    return errors


def quorum_met(turnout: int, eligible: int, kind: str, value: int) -> bool:
    """Whether `turnout` votes reach the quorum: at least `value`% of `eligible` (closed at the bound: exactly 50% of
    a 50% quorum is enough), or at least `value` votes."""
    if kind == SHARE:
        return eligible > 0 and Fraction(turnout, eligible) >= Fraction(value, 100)
    return turnout >= value


def carries(votes: int, turnout: int, rule: str) -> bool:
    """Whether an option with `votes` of `turnout` votes cast meets the pass rule: a simple majority is strictly more
    than half, two thirds is at least two thirds (the bound counts)."""
    if turnout == 0:
        return False
    share = Fraction(votes, turnout)
    return share > PASS_SHARE[rule] if rule == SIMPLE else share >= PASS_SHARE[rule]


@dataclass(frozen=True)
class Outcome:
    turnout: int
    eligible: int
    quorum_met: bool
    leading: int | None  # index of the option with the most votes, None on a tie for first or without votes
    passed: bool  # quorum met and the leading option carries

    @property
    def turnout_percent(self) -> Fraction | None:
        return Fraction(self.turnout * 100, self.eligible) if self.eligible else None


def outcome(counts: list[int], *, eligible: int, quorum_kind: str, quorum_value: int, rule: str) -> Outcome:
    """The result of a poll from its votes per option (in the options' order)."""
    turnout = sum(counts)
    top = max(counts, default=0)
    leaders = [i for i, n in enumerate(counts) if n == top]
    leading = leaders[0] if top > 0 and len(leaders) == 1 else None
    met = quorum_met(turnout, eligible, quorum_kind, quorum_value)
    passed = met and leading is not None and carries(counts[leading], turnout, rule)
    return Outcome(turnout, eligible, met, leading, passed)


def percent(share: Fraction | None) -> str:
    """A share shown to one decimal, rounded down so that 66.66…% never reads as a 66.7% bound it did not reach."""
    if share is None:
        return "—"
    tenths = share * 10 // 1
    return f"{tenths // 10}.{tenths % 10}%"
