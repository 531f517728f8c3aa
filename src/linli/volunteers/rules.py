"""The words of volunteering (志愿服务): teams, skills, activities and sign-ups, and the default star levels."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

# ---- volunteers
PORTAL = "portal"  # registered by the resident in the portal, after agreeing to the privacy notice
STAFF = "staff"  # registered by the community from a paper form the volunteer signed
REGISTERED_VIA = {PORTAL: _("居民端自主注册"), STAFF: _("社区代为登记")}

ACTIVE = "active"
SUSPENDED = "suspended"
LEFT = "left"
VOLUNTEER_STATES = {ACTIVE: _("在册"), SUSPENDED: _("暂停"), LEFT: _("已退出")}

SKILLS = {
    "medical": _("医疗护理"),
    "legal": _("法律咨询"),
    "teaching": _("教育辅导"),
    "arts": _("文艺表演"),
    "repair": _("维修技能"),
    "it": _("信息技术"),
    "psychology": _("心理疏导"),
    "language": _("外语翻译"),
    "driving": _("驾驶"),
    "cooking": _("烹饪"),
    "photo": _("摄影摄像"),
    "sports": _("体育健身"),
}
AVAILABILITY = {
    "weekday_day": _("工作日白天"),
    "weekday_evening": _("工作日晚上"),
    "weekend": _("周末"),
    "holiday": _("节假日"),
}

# ---- teams (志愿服务队)
TEAM_KINDS = {
    "party": _("党员志愿服务队"),
    "women": _("巾帼志愿服务队"),
    "youth": _("青少年志愿服务队"),
    "patrol": _("治安巡逻队"),
    "arts": _("文艺队"),
    "elderly": _("助老服务队"),
    "environment": _("环境保护队"),
    "other": _("其他"),
}

# ---- activities
DRAFT = "draft"  # 草稿: only the organisers see it
OPEN = "open"  # 报名中 / 进行中: published, volunteers sign up until the cut-off
CANCELLED = "cancelled"  # 已取消: by the organiser, or by the minimum rule at the cut-off
FINISHED = "finished"  # 已结束: hours confirmed
ACTIVITY_STATES = {DRAFT: _("草稿"), OPEN: _("已发布"), CANCELLED: _("已取消"), FINISHED: _("已结束")}

# What happens at the sign-up cut-off when fewer than the minimum signed up.
SHORT_CANCEL = "cancel"
SHORT_FLAG = "flag"
ON_SHORT = {SHORT_CANCEL: _("自动取消"), SHORT_FLAG: _("标记人数不足，由组织者决定")}

ACTIVITY_KINDS = {
    "environment": _("环境整治"),
    "elderly": _("助老助残"),
    "children": _("关爱少儿"),
    "patrol": _("治安巡逻"),
    "arts": _("文体活动"),
    "publicity": _("文明宣传"),
    "epidemic": _("卫生防疫"),
    "civilization": _("文明创建"),
    "other": _("其他"),
}

# ---- sign-ups
CONFIRMED = "confirmed"  # 已报名: holds a place
WAITING = "waiting"  # 候补: waits in sign-up order for a place to free up
WITHDRAWN = "withdrawn"  # 已取消报名 (by the volunteer, or the activity was cancelled)
SIGNUP_STATES = {CONFIRMED: _("已报名"), WAITING: _("候补中"), WITHDRAWN: _("已取消")}

# ---- hours
HOURS_MAX_PER_ACTIVITY = Decimal("24.0")  # one activity credits at most one day
DEFAULT_STARS = (100, 300, 600, 1000, 1500)  # 中国社区志愿者注册管理办法 第十八条: 1★ … 5★ by cumulative hours


# ---- waiting list (报名与候补)
# An activity holds at most `max_people` confirmed sign-ups; the others wait in sign-up order, and a freed place goes
# to the first of them. Pure: the services lock the activity row and apply these to what they read under the lock.


def placed(taken: int, max_people: int) -> str:
    """Where a new sign-up goes: a place while one is free, else the end of the waiting list."""
    return CONFIRMED if taken < max_people else WAITING


def promoted(waiting: list[int], taken: int, max_people: int) -> list[int]:
    """The waiting sign-ups (ids in sign-up order) that take the places free now: the first ones, as many as fit."""
    return list(waiting[: max(0, max_people - taken)])


def position(waiting: list[int], signup_id: int) -> int | None:
    """A waiting sign-up's place in the queue, from 1; None when it is not waiting."""
    return waiting.index(signup_id) + 1 if signup_id in waiting else None


# What the cut-off does: nothing when the minimum is reached, else what the organiser chose (cancel or flag).
CUTOFF_OK = "ok"


def at_cutoff(taken: int, min_people: int, on_short: str) -> str:
    return CUTOFF_OK if taken >= min_people else on_short
