"""Rules of community notices (社区公告), pure: what a notice may hold, its life (draft → published → withdrawn),
the audiences it may address, how its text falls into paragraphs and the share of its audience that read it."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.regions import rules as region_rules

TITLE_MAX = 60
BODY_MAX = 5000

DRAFT, PUBLISHED, WITHDRAWN = "draft", "published", "withdrawn"
STATUS_LABELS = {DRAFT: gettext_lazy("草稿"), PUBLISHED: gettext_lazy("已发布"), WITHDRAWN: gettext_lazy("已撤回")}

COMMUNITY, GRID, ESTATE, BUILDING = "community", "grid", "estate", "building"
AUDIENCE_LABELS = {
    COMMUNITY: gettext_lazy("社区"),
    GRID: gettext_lazy("网格"),
    ESTATE: gettext_lazy("小区"),
    BUILDING: gettext_lazy("楼栋"),
}
# A notice addressed to a region reaches the residents of its subtree: a community or a grid, never a whole street
# (a street's announcement goes to each of its communities, which answer for what they publish).
REGION_AUDIENCES = {region_rules.COMMUNITY: COMMUNITY, region_rules.GRID: GRID}

# action: (the states it starts from, the state it leads to). Only a draft changes: what residents have read stays
# as they read it; a published notice that was wrong is withdrawn and a corrected one published.
ACTIONS = {
    "edit": (frozenset({DRAFT}), DRAFT),
    "publish": (frozenset({DRAFT}), PUBLISHED),
    "withdraw": (frozenset({PUBLISHED}), WITHDRAWN),
}
ACTION_REFUSED = {
    "edit": gettext_lazy("只有草稿可以修改；已发布的公告请撤回后重新发布"),
    "publish": gettext_lazy("该公告已发布或已撤回，不能再次发布"),
    "withdraw": gettext_lazy("只有已发布的公告可以撤回"),
}


def may(action: str, status: str) -> bool:
    return status in ACTIONS[action][0]


def after(action: str) -> str:
    return ACTIONS[action][1]


def text_errors(title: str, body: str) -> list[tuple[str, str]]:
    """(field, message) for each thing wrong with a notice's title and body."""
    errors = []
    if not title.strip():
        errors.append(("title", _("请填写标题")))
    elif len(title.strip()) > TITLE_MAX:
        errors.append(("title", _("标题不能超过%(TITLE_MAX)s个字") % {"TITLE_MAX": TITLE_MAX}))
    if not paragraphs(body):
        errors.append(("body", _("请填写正文")))
    elif len(body.strip()) > BODY_MAX:
        errors.append(("body", _("正文不能超过%(BODY_MAX)s个字") % {"BODY_MAX": BODY_MAX}))
    return errors


def paragraphs(body: str) -> list[str]:
    """The body as paragraphs: one per line, blank lines and the indentation typed before a line dropped (the page
    indents every paragraph alike)."""
    return [line.strip() for line in body.splitlines() if line.strip()]


def read_share(read: int, audience: int) -> int | None:
    """Percentage of the audience that read the notice, rounded down; None without an audience. Residents who read
    it and later moved away still count as readers, so the share stops at 100."""
    if audience <= 0:
        return None
    return min(100, read * 100 // audience)
