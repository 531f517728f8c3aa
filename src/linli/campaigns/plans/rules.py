"""Pure rules of campaign plans (工作方案): plan states and reporting cycles, targets and comparators, the units
named on tasks and which of them report, completion roll-up. No ORM: services feed facts in and store what comes out."""

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

# ---------------------------------------------------------------- plans

DRAFT = "draft"
ISSUED = "issued"
FINISHED = "finished"
PLAN_STATUS_LABELS = {DRAFT: _("草拟中"), ISSUED: _("已印发"), FINISHED: _("已结束")}

MONTHLY = "monthly"
QUARTERLY = "quarterly"
CYCLE_LABELS = {MONTHLY: _("每月底报送"), QUARTERLY: _("每季度末报送")}

# ---------------------------------------------------------------- targets

COMPARATORS = (">=", ">", "=", "<=", "<")
REPORTED = "reported"
# Indicators the system measures from its own data; anything else is reported by the office.
MEASURE_LABELS = {
    REPORTED: _("单位填报"),
    "property_rate": _("物业化率(小区物业化状态)"),
    "complaint_rate": _("物业投诉率(件/百户，派给物业企业的事件)"),
    "rectification_rate": _("整改率(整改事件)"),
    "rectification_on_time": _("整改及时率(整改事件)"),
    "case_close_rate": _("结案率(事件)"),
    "case_on_time_rate": _("按期处置率(事件)"),
    "case_satisfaction": _("满意率(事件回访)"),
    # 志愿服务 (volunteers.stats.selectors.region_measures)
    "volunteer_share": _("注册志愿者占常住人口比例(在册志愿者/辖区人员)"),
    "volunteer_hours_per_capita": _("人均志愿服务时长(方案期间确认的时长/辖区人员)"),
}

# The unit of a measured figure: percent, but for the complaint rate, counted per hundred households, and the hours
# of volunteering per resident.
MEASURE_UNITS = {"complaint_rate": _("件/百户"), "volunteer_hours_per_capita": _("小时/人")}


def measure_unit(measure: str) -> str:
    return MEASURE_UNITS.get(measure, "%")


# ---------------------------------------------------------------- leading group, units, notices

DUTY_LABELS = {"leader": _("组长"), "deputy": _("副组长"), "member": _("成员"), "office": _("办公室主任")}
LEAD = "lead"
RESPONSIBLE = "responsible"
UNIT_ROLE_LABELS = {LEAD: _("牵头单位"), RESPONSIBLE: _("责任单位")}


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
COMPARATOR_WORDS = {">=": _("不低于"), ">": _("大于"), "=": _("达到"), "<=": _("不高于"), "<": _("低于")}


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


# ---------------------------------------------------------------- units named on a task


def is_lead(unit_role: str) -> bool:
    """Whether a unit named on a task as `unit_role` leads it (牵头 or 责任: its part in the task, not a user role)."""
    return unit_role == LEAD


def reporting_roles(roles: Iterable[str]) -> set[str]:
    """Who reports on a task: its 责任单位; a task with only a 牵头单位 is reported by the lead."""
    roles = set(roles)
    return {RESPONSIBLE} if RESPONSIBLE in roles else roles & {LEAD}


def reports_on(unit_role: str, task_unit_roles: Iterable[str]) -> bool:
    """Whether the unit named as `unit_role` reports on a task whose units are named as `task_unit_roles`."""
    return unit_role in reporting_roles(task_unit_roles)


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


def percent(numerator: int, denominator: int) -> Decimal | None:
    """A rate in percent to one decimal; None when there is nothing to divide by."""
    if denominator < 0 or not 0 <= numerator <= denominator:
        raise ValueError(f"inconsistent counts: {numerator}/{denominator}")
    if denominator == 0:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"))


# 社区工作准入 (linli.burden): the work a task unit naming a community gives it, as burden's WorkRequest names it —
# the task, and the progress reports the unit then owes. Held work stays out of the community's 我的任务.
WORK_SOURCE = "campaigns.taskunit"
REPORT_SOURCE = "campaigns.taskunit.report"
