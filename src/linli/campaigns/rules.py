"""Pure rules of campaign work (工作方案): plan states, targets and comparators, reporting periods and lateness,
completion roll-up. No ORM: services feed facts in and store what comes out."""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from datetime import date, datetime, time, tzinfo
from decimal import Decimal

from linli.cases import rules as case_rules

# ---------------------------------------------------------------- plans

DRAFT = "draft"
ISSUED = "issued"
FINISHED = "finished"
PLAN_STATUS_LABELS = {DRAFT: "草拟中", ISSUED: "已印发", FINISHED: "已结束"}

MONTHLY = "monthly"
QUARTERLY = "quarterly"
CYCLE_LABELS = {MONTHLY: "每月底报送", QUARTERLY: "每季度末报送"}

# ---------------------------------------------------------------- targets

COMPARATORS = (">=", ">", "=", "<=", "<")
REPORTED = "reported"
# Indicators the system measures from its own data; anything else is reported by the office.
MEASURE_LABELS = {
    REPORTED: "单位填报",
    "property_rate": "物业化率(房屋登记)",
    "rectification_rate": "整改率(整改事件)",
    "rectification_on_time": "整改及时率(整改事件)",
    "case_close_rate": "结案率(事件)",
    "case_on_time_rate": "按期处置率(事件)",
    "case_satisfaction": "满意率(事件回访)",
}

# ---------------------------------------------------------------- leading group, units, notices

DUTY_LABELS = {"leader": "组长", "deputy": "副组长", "member": "成员", "office": "办公室主任"}
LEAD = "lead"
RESPONSIBLE = "responsible"
UNIT_ROLE_LABELS = {LEAD: "牵头单位", RESPONSIBLE: "责任单位"}
NOTICE_LABELS = {"supervise": "督办", "circular": "通报"}


def target_met(actual: Decimal | None, comparator: str, value: Decimal) -> bool | None:
    """Whether a measured figure meets its target; None while there is no figure yet."""
    if actual is None:
        return None
    return {
        ">=": actual >= value,
        ">": actual > value,
        "=": actual == value,
        "<=": actual <= value,
        "<": actual < value,
    }[comparator]


COMPARATOR_SIGNS = {">=": "≥", ">": ">", "=": "", "<=": "≤", "<": "<"}
# How the seeds write a comparator in running text: 达到90%以上, 大于95%.
COMPARATOR_WORDS = {">=": "不低于", ">": "大于", "=": "达到", "<=": "不高于", "<": "低于"}


def target_label(indicator: str, comparator: str, value: Decimal, unit: str = "%") -> str:
    """整改率≥90%, 物业化率100%, 社会保险基金征缴率>95%."""
    return f"{indicator}{COMPARATOR_SIGNS[comparator]}{_plain(value)}{unit}"


def target_sentence(indicator: str, comparator: str, value: Decimal, unit: str = "%") -> str:
    """The same target as a plan's body says it: 整改率不低于90%."""
    return f"{indicator}{COMPARATOR_WORDS[comparator]}{_plain(value)}{unit}"


def _plain(value: Decimal) -> str:
    """90.00 → 90, 92.50 → 92.5."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# ---------------------------------------------------------------- reporting periods and lateness

ON_TIME = "on_time"
LATE = "late"
MISSING = "missing"
PENDING = "pending"
REPORT_STATUS_LABELS = {
    ON_TIME: "按时报送",
    LATE: "逾期报送（视为未完成）",
    MISSING: "未报送（视为未完成）",
    PENDING: "未到报送时限",
}
CYCLE_MONTHS = {MONTHLY: 1, QUARTERLY: 3}


def period_start(day: date, cycle: str) -> date:
    """The first day of the period that contains `day` (months, or calendar quarters)."""
    months = CYCLE_MONTHS[cycle]
    return date(day.year, (day.month - 1) // months * months + 1, 1)


def next_period(period: date, cycle: str) -> date:
    month = period.month - 1 + CYCLE_MONTHS[cycle]
    return date(period.year + month // 12, month % 12 + 1, 1)


def periods(start: date, end: date, cycle: str) -> list[date]:
    """Every period that overlaps [start, end], named by its first day."""
    out, p = [], period_start(start, cycle)
    while p <= end:
        out.append(p)
        p = next_period(p, cycle)
    return out


def report_due(period: date, cycle: str, tz: tzinfo) -> datetime:
    """每月底报送: a period's report is due by the end of its last day, i.e. before the next period begins."""
    return datetime.combine(next_period(period, cycle), time.min, tzinfo=tz)


def report_status(due_at: datetime, submitted_at: datetime | None, now: datetime) -> str:
    """A report not in by its due time counts as not done (001 篇5 每月底报送; 004 篇十一 未能及时上报的视为未完成)."""
    if submitted_at is not None:
        return ON_TIME if submitted_at < due_at else LATE
    return MISSING if now >= due_at else PENDING


def counts_as_done(status: str) -> bool:
    return status == ON_TIME


def reporting_roles(roles: Iterable[str]) -> set[str]:
    """Who reports on a task: its 责任单位; a task with only a 牵头单位 is reported by the lead."""
    roles = set(roles)
    return {RESPONSIBLE} if RESPONSIBLE in roles else roles & {LEAD}


# ---------------------------------------------------------------- completion roll-up


def rollup(parents: Mapping[int, int | None], weights: Mapping[int, int], leaves: Mapping[int, Decimal]) -> dict:
    """Completion (0–100) of every task: a leaf's is given (its units' mean latest progress, 0 when nobody has
    reported); a parent's is the weighted mean of its children's. Parents with no children count as leaves."""
    children: dict[int, list[int]] = {}
    for task, parent in parents.items():
        if parent is not None:
            children.setdefault(parent, []).append(task)
    done: dict[int, Decimal] = {}

    def completion(task: int) -> Decimal:
        if task not in done:
            kids = children.get(task)
            if not kids:
                done[task] = leaves.get(task, Decimal(0))
            else:
                total = sum(weights[k] for k in kids)
                done[task] = (sum(completion(k) * weights[k] for k in kids) / total if total else Decimal(0)).quantize(
                    Decimal("0.1")
                )
        return done[task]

    for task in parents:
        completion(task)
    return done


def mean_progress(values: Sequence[int]) -> Decimal:
    """A leaf task's completion: the mean of the latest progress each reporting unit gave (0 for none)."""
    return (Decimal(sum(values)) / len(values)).quantize(Decimal("0.1")) if values else Decimal(0)


def plan_completion(roots: Sequence[int], weights: Mapping[int, int], completion: Mapping[int, Decimal]) -> Decimal:
    total = sum(weights[r] for r in roots)
    if not total:
        return Decimal(0)
    return (sum(completion[r] * weights[r] for r in roots) / total).quantize(Decimal("0.1"))


# ---------------------------------------------------------------- rectification (整改) and accountability

# 003 篇3: units with "两次以上整改不力" are called to account (责任追究).
ACCOUNTABILITY_THRESHOLD = 2


def finding_late(*, state: str, due_at, feedback_at, now) -> bool:
    """Not fixed by its deadline (整改时限): the fix that stands came in after it, or none has come and the deadline
    has passed. As everywhere in the case engine the owner's clock stops at its feedback, so a finding fixed in
    time and waiting for the check is not late; a failed check (返工) clears the feedback and restarts the clock."""
    if due_at is None or state in case_rules.NOT_COUNTED:
        return False
    if feedback_at is not None:
        return feedback_at > due_at
    return state in case_rules.OPEN_STATES and now > due_at


def rectification_failed(*, state: str, due_at, feedback_at, rework_count: int, now) -> bool:
    """整改不力: the on-site check failed at least once (返工), or the fix was late (finding_late)."""
    if state in case_rules.NOT_COUNTED:
        return False
    return rework_count >= 1 or finding_late(state=state, due_at=due_at, feedback_at=feedback_at, now=now)


def accountability_flags(counts: Mapping[Hashable, int], threshold: int = ACCOUNTABILITY_THRESHOLD) -> list:
    """The units to call to account: those with `threshold` or more failed rectifications in one plan, most
    failures first (ties in the order given)."""
    flagged = [(unit, n) for unit, n in counts.items() if n >= threshold]
    return [unit for unit, _ in sorted(flagged, key=lambda item: -item[1])]


def percent(numerator: int, denominator: int) -> Decimal | None:
    """A rate in percent to one decimal; None when there is nothing to divide by."""
    if denominator < 0 or not 0 <= numerator <= denominator:
        raise ValueError(f"inconsistent counts: {numerator}/{denominator}")
    if denominator == 0:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"))
