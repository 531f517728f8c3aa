"""The return visit's call script (回访话术): what the caller reads out, from what the case says. Pure: the selectors
hand in the facts."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from linli.core.dates import month_day


@dataclass(frozen=True)
class CallFacts:
    office: str  # the caller's unit, named to the reporter
    received: date
    category: str
    department: str  # who handled the case last
    closed: date
    rated: bool  # the reporter rated this handling already (online): the rating is not asked again


def script(f: CallFacts) -> list[str]:
    """The lines of the call, in order: greeting, what was reported and who handled it, the two questions (whether
    the problem is solved, then satisfaction unless rated already), thanks."""
    handled = _("已由%(department)s办理，") % {"department": f.department} if f.department else ""
    lines = [
        _("您好，我是%(office)s的工作人员，就您%(month_day)s反映的“%(category)s”问题做个回访，耽误您一分钟。")
        % {"office": f.office, "month_day": month_day(f.received), "category": f.category},
        _("您反映的问题%(handled)s于%(month_day)s办结。") % {"handled": handled, "month_day": month_day(f.closed)},
        _("请问您反映的问题解决了吗？（已解决／未解决）"),
    ]
    if not f.rated:
        lines.append(_("您对这次办理的结果满意吗？（满意／基本满意／不满意）"))
    lines.append(_("感谢您对我们工作的支持，再见。"))
    return lines


def tries_left(tries: int, max_tries: int) -> str:
    """What the call list says about earlier calls nobody answered."""
    if not tries:
        return ""
    return _("已拨打%(tries)s次未接通，再有%(value)s次未接通记为联系不上") % {
        "tries": tries,
        "value": max_tries - tries,
    }
