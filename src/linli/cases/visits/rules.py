"""The return visit's call script (回访话术): what the caller reads out, from what the case says. Pure: the selectors
hand in the facts."""

from dataclasses import dataclass
from datetime import date

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
    handled = f"已由{f.department}办理，" if f.department else ""
    lines = [
        f"您好，我是{f.office}的工作人员，就您{month_day(f.received)}反映的“{f.category}”问题做个回访，耽误您一分钟。",
        f"您反映的问题{handled}于{month_day(f.closed)}办结。",
        "请问您反映的问题解决了吗？（已解决／未解决）",
    ]
    if not f.rated:
        lines.append("您对这次办理的结果满意吗？（满意／基本满意／不满意）")
    lines.append("感谢您对我们工作的支持，再见。")
    return lines


def tries_left(tries: int, max_tries: int) -> str:
    """What the call list says about earlier calls nobody answered."""
    if not tries:
        return ""
    return f"已拨打{tries}次未接通，再有{max_tries - tries}次未接通记为联系不上"
