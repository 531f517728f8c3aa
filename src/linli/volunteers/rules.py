"""The words of volunteering (志愿服务): teams, skills, activities and sign-ups, and the default star levels."""

from decimal import Decimal

# ---- volunteers
PORTAL = "portal"  # registered by the resident in the portal, after agreeing to the privacy notice
STAFF = "staff"  # registered by the community from a paper form the volunteer signed
REGISTERED_VIA = {PORTAL: "居民端自主注册", STAFF: "社区代为登记"}

ACTIVE = "active"
SUSPENDED = "suspended"
LEFT = "left"
VOLUNTEER_STATES = {ACTIVE: "在册", SUSPENDED: "暂停", LEFT: "已退出"}

SKILLS = {
    "medical": "医疗护理",
    "legal": "法律咨询",
    "teaching": "教育辅导",
    "arts": "文艺表演",
    "repair": "维修技能",
    "it": "信息技术",
    "psychology": "心理疏导",
    "language": "外语翻译",
    "driving": "驾驶",
    "cooking": "烹饪",
    "photo": "摄影摄像",
    "sports": "体育健身",
}
AVAILABILITY = {"weekday_day": "工作日白天", "weekday_evening": "工作日晚上", "weekend": "周末", "holiday": "节假日"}

# ---- teams (志愿服务队)
TEAM_KINDS = {
    "party": "党员志愿服务队",
    "women": "巾帼志愿服务队",
    "youth": "青少年志愿服务队",
    "patrol": "治安巡逻队",
    "arts": "文艺队",
    "elderly": "助老服务队",
    "environment": "环境保护队",
    "other": "其他",
}

# ---- activities
DRAFT = "draft"  # 草稿: only the organisers see it
OPEN = "open"  # 报名中 / 进行中: published, volunteers sign up until the cut-off
CANCELLED = "cancelled"  # 已取消: by the organiser, or by the minimum rule at the cut-off
FINISHED = "finished"  # 已结束: hours confirmed
ACTIVITY_STATES = {DRAFT: "草稿", OPEN: "已发布", CANCELLED: "已取消", FINISHED: "已结束"}

# What happens at the sign-up cut-off when fewer than the minimum signed up.
SHORT_CANCEL = "cancel"
SHORT_FLAG = "flag"
ON_SHORT = {SHORT_CANCEL: "自动取消", SHORT_FLAG: "标记人数不足，由组织者决定"}

ACTIVITY_KINDS = {
    "environment": "环境整治",
    "elderly": "助老助残",
    "children": "关爱少儿",
    "patrol": "治安巡逻",
    "arts": "文体活动",
    "publicity": "文明宣传",
    "epidemic": "卫生防疫",
    "civilization": "文明创建",
    "other": "其他",
}

# ---- sign-ups
CONFIRMED = "confirmed"  # 已报名: holds a place
WAITING = "waiting"  # 候补: waits in sign-up order for a place to free up
WITHDRAWN = "withdrawn"  # 已取消报名 (by the volunteer, or the activity was cancelled)
SIGNUP_STATES = {CONFIRMED: "已报名", WAITING: "候补中", WITHDRAWN: "已取消"}

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
