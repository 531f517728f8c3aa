"""Pure rules of assessment (测评体系): scoring methods, the star rating of 001 篇5, grades, rankings, the stages
of a round and who scores in each. No ORM: services feed facts in and store what comes out.

A round assesses units (communities or streets) through four stages:

    自评 self ─提交─▶ 初审 first ─提交─▶ 复核 recheck ─提交─▶ 认定 confirm ─(round confirmed)─▶ done

自评, 初审 and 复核 advance per unit, each at its own pace; 认定 is one act for the whole round that locks it.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.accounts.roles import ASSESSMENT, FIRST_REVIEW_COMMUNITY, REVIEW, SELF_SCORE_COMMUNITY, SELF_SCORE_STREET

# ---------------------------------------------------------------- scoring methods

DEDUCTION = "deduction"  # 扣分: start from the item's points, take off per finding, never below zero
PASSFAIL = "passfail"  # 达标得满分, 不达标 0
SCALE = "scale"  # a score 0..max (the star scheme's ten-point aspects)
METHOD_LABELS = {DEDUCTION: gettext_lazy("扣分制"), PASSFAIL: gettext_lazy("达标制"), SCALE: gettext_lazy("评分制")}

ZERO = Decimal(0)
CENT = Decimal("0.01")
MAX_POINTS = Decimal(1000)


def decimal(value) -> Decimal | None:
    """A score as entered (number or text) as a Decimal of at most two places; None when it is not one."""
    if value is None or isinstance(value, bool) or value == "":
        return None
    try:
        d = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    # The size first: quantize() raises on a number too large for the context's precision (1e30).
    if not d.is_finite() or abs(d) >= MAX_POINTS or d != d.quantize(CENT):
        return None
    return d.quantize(CENT)


@dataclass(frozen=True)
class Finding:
    """One deduction: what was found and how much it costs."""

    points: Decimal
    reason: str


def item_score(
    method: str, max_points: Decimal, *, points=None, passed=None, findings: Sequence = ()
) -> tuple[Decimal | None, str]:
    """The item's score from what the scorer entered, or (None, a Chinese reason) when the entry is not valid.

    `findings` is a sequence of {"points", "reason"} mappings (or Finding) for the deduction method.
    """
    if method == SCALE:
        d = decimal(points)
        if d is None:
            return None, _("请填写得分（最多两位小数）")
        if d < ZERO:
            return None, _("得分不能为负数")
        if d > max_points:
            return None, _("得分不能超过分值%(fmt)s分") % {"fmt": fmt(max_points)}
        return d, ""
    if method == PASSFAIL:
        if passed is None:
            return None, _("请选择达标或不达标")
        return (max_points if passed else ZERO), ""
    if method == DEDUCTION:
        total = ZERO
        for i, f in enumerate(findings, start=1):
            f = f if isinstance(f, Finding) else Finding(f.get("points"), str(f.get("reason") or ""))
            d = decimal(f.points)
            if d is None or d <= ZERO:
                return None, _("第%(i)s处扣分应为大于0的数（最多两位小数）") % {"i": i}
            if not f.reason.strip():
                return None, _("第%(i)s处扣分须写明扣分原因") % {"i": i}
            total += d
        return max(ZERO, max_points - total), ""
    return None, _("评分方式不正确")


def fmt(value: Decimal | None) -> str:
    """A score as people write it: 9, 9.5, 8.25 (no trailing zeros)."""
    if value is None:
        return "—"
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# ---------------------------------------------------------------- star rating (001 篇5)

STARS = "stars"
TOTAL = "total"
RATING_LABELS = {STARS: gettext_lazy("星级评定"), TOTAL: gettext_lazy("总分评定")}

STAR_ASPECTS = (
    gettext_lazy("创建理念"),
    gettext_lazy("办公设施"),
    gettext_lazy("班子团结"),
    gettext_lazy("居民自治"),
    gettext_lazy("民间组织"),
    gettext_lazy("社区服务"),
    gettext_lazy("实事工程"),
    gettext_lazy("主题活动"),
    gettext_lazy("文明祥和"),
    gettext_lazy("管理良好"),
)
ASPECT_POINTS = Decimal(10)  # 按照十分制考核
# "达到9分以上获得一星": in official Chinese usage 以上 includes the number itself, so 9.0 earns the star.
STAR_AT = Decimal(9)
PASS_STARS = 7  # 获得"七星"以上为"达标社区"
TEN_STARS = 10  # 十个方面都在9分以上的为"十星级和谐社区"

TEN_STAR = "ten_star"
PASSED = "passed"
FAILED = "failed"
STAR_LEVEL_LABELS = {
    TEN_STAR: gettext_lazy("十星级和谐社区"),
    PASSED: gettext_lazy("达标社区"),
    FAILED: gettext_lazy("未达标"),
}


@dataclass(frozen=True)
class StarRating:
    stars: int
    level: str

    @property
    def label(self) -> str:
        return STAR_LEVEL_LABELS[self.level]


def star_rating(aspect_scores: Iterable[Decimal]) -> StarRating:
    """Stars and level from the ten aspect scores (each out of 10): ≥9 is a star; ten stars 十星级; ≥7 达标."""
    scores = list(aspect_scores)
    return star_level(sum(1 for s in scores if s >= STAR_AT), len(scores))


def star_level(stars: int, aspects: int = len(STAR_ASPECTS)) -> StarRating:
    """The level a star count earns: 十星级 needs every one of the ten aspects starred."""
    if stars >= TEN_STARS and stars == aspects:
        return StarRating(stars, TEN_STAR)
    return StarRating(stars, PASSED if stars >= PASS_STARS else FAILED)


# ---------------------------------------------------------------- total rating: grades

DEFAULT_GRADES = (
    (gettext_lazy("优秀"), Decimal(90)),
    (gettext_lazy("良好"), Decimal(80)),
    (gettext_lazy("合格"), Decimal(60)),
)
BELOW_GRADES = gettext_lazy("不合格")


def grade(total: Decimal, grades: Sequence[tuple[str, Decimal]]) -> str:
    """The first grade (highest threshold first) whose threshold the total reaches; 不合格 below all of them;
    "" when the scheme has no grades."""
    if not grades:
        return ""
    for label, at in sorted(grades, key=lambda g: g[1], reverse=True):
        if total >= at:
            return label
    return BELOW_GRADES


def grades_errors(grades: Sequence) -> list[str]:
    errors, seen = [], set()
    for i, g in enumerate(grades, start=1):
        if not isinstance(g, (list, tuple)) or len(g) != 2 or not str(g[0]).strip():
            errors.append(_("第%(i)s个等次应写成[名称, 最低分]") % {"i": i})
            continue
        at = decimal(g[1])
        if at is None or at < ZERO:
            errors.append(_("第%(i)s个等次的最低分应为不小于0的数") % {"i": i})
        elif at in seen:
            errors.append(_("第%(i)s个等次的最低分与其他等次重复") % {"i": i})
        else:
            seen.add(at)
    return errors


# ---------------------------------------------------------------- ranking


def competition_ranks(values: Sequence) -> list[int]:
    """Ranks, highest first, equal values sharing a rank and the next rank skipping (1, 1, 3)."""
    order = sorted(range(len(values)), key=lambda i: values[i], reverse=True)
    ranks = [0] * len(values)
    for position, i in enumerate(order):
        if position and values[i] == values[order[position - 1]]:
            ranks[i] = ranks[order[position - 1]]
        else:
            ranks[i] = position + 1
    return ranks


# ---------------------------------------------------------------- stages and who scores in each

SELF = "self"
FIRST = "first"
RECHECK = "recheck"
CONFIRM = "confirm"
DONE = "done"
STAGES = (SELF, FIRST, RECHECK, CONFIRM)
STAGE_LABELS = {
    SELF: gettext_lazy("自评"),
    FIRST: gettext_lazy("初审"),
    RECHECK: gettext_lazy("复核"),
    CONFIRM: gettext_lazy("认定"),
    DONE: gettext_lazy("已认定"),
}
NEXT_STAGE = {SELF: FIRST, FIRST: RECHECK, RECHECK: CONFIRM, CONFIRM: DONE}

COMMUNITY_LEVEL = 5
STREET_LEVEL = 4
SELF_SCORERS = {COMMUNITY_LEVEL: SELF_SCORE_COMMUNITY, STREET_LEVEL: SELF_SCORE_STREET}


def may_score(stage: str, *, role: str | None, in_scope: bool, user_is_unit: bool, unit_level: int) -> bool:
    """Whether a user of `role` may score a unit in a stage; `in_scope`: the unit lies in the user's subtree.

    自评: the unit's own office (a community worker of that community; street staff for a street unit).
    初审: the level above — street staff whose street contains the community; the district for a street unit.
    复核 and 认定: district staff or the administrator, over units in their region.
    """
    if not in_scope:
        return False
    caps = ASSESSMENT.get(role, ())
    if stage == SELF:
        return user_is_unit and SELF_SCORERS.get(unit_level) in caps
    if stage == FIRST and unit_level == COMMUNITY_LEVEL:
        return FIRST_REVIEW_COMMUNITY in caps and not user_is_unit
    return stage in (FIRST, RECHECK, CONFIRM) and REVIEW in caps


def stage_reached(current: str, stage: str) -> bool:
    """Whether a unit at `current` has reached `stage` (so its sheet for that stage may be read)."""
    order = (*STAGES, DONE)
    return order.index(current) >= order.index(stage)


def final_stage(current: str) -> str | None:
    """The last completed stage of a unit at `current`, whose total is its result so far; None before 自评 ends."""
    if current == DONE:
        return CONFIRM
    i = STAGES.index(current)
    return STAGES[i - 1] if i else None


# ---------------------------------------------------------------- figures the system measures, cited on a sheet

# 测评内容 that names a figure the system measures cites it: the phrase → the measure of
# campaigns.plans.rules.MEASURE_LABELS. The scorer still scores; the sheet shows the measured figure of the unit.
MEASURED_CUES = {"注册志愿者": "volunteer_share", "志愿服务时长": "volunteer_hours_per_capita"}


def cited_measure(content: str) -> str | None:
    """The measure an item's 测评内容 names (注册志愿者人数达到社区常住人口的13%以上 → volunteer_share), or None."""
    return next((measure for cue, measure in MEASURED_CUES.items() if cue in content), None)
