"""The words of surveys and censuses (调查与普查): kinds, states and the roles a form plays in a survey."""

from datetime import timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

CENSUS = "census"  # 人口普查: households of a place at a standard moment
UNITS = "units"  # 单位调查: organisations of given kinds, e.g. the occupational-health survey of hazard enterprises
KINDS = {CENSUS: gettext_lazy("人口普查"), UNITS: gettext_lazy("单位调查")}

DRAFT = "draft"  # 筹备: forms, areas and enumerators are set up; the frame is not frozen yet
RUNNING = "running"  # 调查中: the frame is frozen, enumerators enter forms
FINISHED = "finished"  # 已结束: entry is closed; results and re-checks are final
STATES = {DRAFT: gettext_lazy("筹备中"), RUNNING: gettext_lazy("调查中"), FINISHED: gettext_lazy("已结束")}

# The role a form plays in a survey: each unit of the frame fills in its main form (short or long for a census
# household, the unit form for an organisation); a census household with a death in the reference year also fills
# in the death form; a re-check fills in the quality-control record beside the form it checks.
SHORT = "short"
LONG = "long"
DEATH = "death"
UNIT = "unit"
RECHECK = "recheck"
FORM_ROLES = {
    SHORT: gettext_lazy("普查表短表"),
    LONG: gettext_lazy("普查表长表"),
    DEATH: gettext_lazy("死亡人口调查表"),
    UNIT: gettext_lazy("用人单位调查表"),
    RECHECK: gettext_lazy("质量控制检查结果抽查记录表"),
}

# 入户状态 of a unit of the frame, as the enumerator records it.
NOT_VISITED = "not_visited"
VISITED = "visited"
REFUSED = "refused"
EMPTY = "empty"
DONE = "done"
UNIT_STATES = {
    NOT_VISITED: gettext_lazy("未访"),
    VISITED: gettext_lazy("已访"),
    REFUSED: gettext_lazy("拒访"),
    EMPTY: gettext_lazy("空户"),
    DONE: gettext_lazy("完成"),
}

# What a random draw picks: households for the long form, returned forms for the on-site re-check.
DRAW_LONG_FORM = "long_form"
DRAW_RECHECK = "recheck"
DRAW_PURPOSES = {DRAW_LONG_FORM: gettext_lazy("长表户抽选"), DRAW_RECHECK: gettext_lazy("复核抽查")}

# ---- projects: the phases a survey's plan starts with, and what must hold before a survey starts

# The default forms a new survey uses, by the role they play (codes of the forms the forms package ships).
DEFAULT_FORMS = {
    CENSUS: {SHORT: "census-short", LONG: "census-long", DEATH: "census-death"},
    UNITS: {UNIT: "ohs-unit", RECHECK: "ohs-recheck"},
}
# The roles without which entry cannot begin: every household fills in a short or a long form and a death form
# when someone died; every organisation fills in the unit form.
REQUIRED_ROLES = {CENSUS: (SHORT, LONG, DEATH), UNITS: (UNIT,)}

# Phases by kind, as days from an anchor: a census's standard moment (第六次人口普查: 摸底 and 小区划分 before
# 11月1日, 入户登记 11月1日至10日, 复查 11月11日至15日, then 汇总上报); a unit survey's start (000 篇3: 组织部署 by
# 7月20日, forms sent out by 7月22日 and back by 7月25日, re-checked by 8月5日, entered and reported by 8月10日).
PHASES = {
    CENSUS: (
        (
            gettext_lazy("组织部署"),
            -90,
            -61,
            gettext_lazy("成立普查领导小组和办公室，制定实施方案，选调培训普查指导员和普查员"),
        ),
        (
            gettext_lazy("摸底与小区划分"),
            -60,
            -1,
            gettext_lazy("户口整顿，按建筑物摸底，划分普查区和普查小区，绘制小区图，确定长表户"),
        ),
        (gettext_lazy("入户登记"), 0, 9, gettext_lazy("普查员入户查点，当场填报，当面宣读核对")),
        (gettext_lazy("复查"), 10, 14, gettext_lazy("逐户复查，抽取已登记的表复核，核对漏登重登")),
        (gettext_lazy("汇总上报"), 15, 44, gettext_lazy("快速汇总，数据录入与审核，户口整顿清单处理，上报普查结果")),
    ),
    UNITS: (
        (
            gettext_lazy("组织部署"),
            0,
            19,
            gettext_lazy("成立调查工作领导小组和调查工作小组，制定实施方案，确定调查对象名录"),
        ),
        (gettext_lazy("调查"), 20, 24, gettext_lazy("分发用人单位调查表，由企业填写后寄回")),
        (
            gettext_lazy("复核"),
            25,
            35,
            gettext_lazy("随机抽取2%的调查表，由调查员入厂复核，填写质量控制检查结果抽查记录表"),
        ),
        (gettext_lazy("录入与上报"), 36, 40, gettext_lazy("数据录入、审核、结果分析和总结上报")),
    ),
}


def phase_template(kind: str, anchor):
    """The plan's phases for a survey of `kind`: (name, starts_on, ends_on, description), dated from `anchor` (a
    census's standard day, a unit survey's first day)."""
    return [(name, anchor + timedelta(days=a), anchor + timedelta(days=b), text) for name, a, b, text in PHASES[kind]]


def start_problems(kind: str, *, roles: set[str], areas: int, without_enumerators: list[str],
                   coverage: list[str]) -> list[str]:  # fmt: skip
    """Why a survey cannot start yet, in the words the survey's page shows (empty: it can)."""
    problems = [
        _("尚未指定%(FORM_ROLES)s") % {"FORM_ROLES": FORM_ROLES[r]} for r in REQUIRED_ROLES[kind] if r not in roles
    ]
    if kind == CENSUS:
        if not areas:
            problems.append(_("尚未划分普查小区"))
        problems += coverage
    if without_enumerators:
        problems.append(_("以下小区尚未安排普查员：%(join)s") % {"join": "、".join(without_enumerators[:10])}
                        + (_("等") if len(without_enumerators) > 10 else ""))  # fmt: skip
    return problems


# 社区工作准入 (linli.burden): a survey with areas in a community gives it forms to fill (one work row per survey and
# community). While that work is held (待准入), the community does not see the survey's areas there.
WORK_SOURCE = "surveys.survey"
