"""电子台账与档案: the vocabulary of archive boxes and their items.

Pure: no database.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# "一盒档案" (000 篇4, the "四个一" of 扫黄打非进基层): what a station's box holds, in this order.
DEFAULT_CATEGORIES = (
    gettext_lazy("上级文件"),
    gettext_lazy("本级文件"),
    gettext_lazy("工作方案"),
    gettext_lazy("活动记录"),
    gettext_lazy("汇报"),
    gettext_lazy("总结"),
    gettext_lazy("报表"),
    gettext_lazy("图片"),
)

# Where an item's text stands in the search index; a file's text is extracted in the background.
PENDING = "pending"
INDEXED = "indexed"
FAILED = "failed"
INDEX_STATE_LABELS = {
    PENDING: gettext_lazy("待索引"),
    INDEXED: gettext_lazy("已索引"),
    FAILED: gettext_lazy("无法提取文字"),
}

# ---------------------------------------------------------------- boxes and items

TOPIC_MAX = 60
TITLE_MAX = 200
TEXT_MAX = 20_000
TAG_MAX = 20  # characters of one tag
TAGS_MAX = 10  # tags on one item
CATEGORY_MAX = 20
YEAR_MIN, YEAR_MAX = 2000, 2100
FILE_MAX_MB = 20


def clean_tags(tags) -> tuple[list[str], str | None]:
    """The tags as kept: trimmed, empty ones dropped, each once in the order given; or the problem with them.
    Tags may come as a list or as one line separated by commas, semicolons or spaces (either width)."""
    if isinstance(tags, str):
        for sep in "，,；;、\u3000":
            tags = tags.replace(sep, " ")
        tags = tags.split()
    seen: list[str] = []
    for tag in tags or []:
        tag = str(tag).strip()
        if not tag or tag in seen:
            continue
        if len(tag) > TAG_MAX:
            return [], _("每个标签不超过%(TAG_MAX)s个字") % {"TAG_MAX": TAG_MAX}
        seen.append(tag)
    if len(seen) > TAGS_MAX:
        return [], _("标签最多%(TAGS_MAX)s个") % {"TAGS_MAX": TAGS_MAX}
    return seen, None


def year_problem(year) -> str | None:
    if not isinstance(year, int) or isinstance(year, bool) or not YEAR_MIN <= year <= YEAR_MAX:
        return _("年度应在%(YEAR_MIN)s至%(YEAR_MAX)s之间") % {"YEAR_MIN": YEAR_MIN, "YEAR_MAX": YEAR_MAX}
    return None


def missing_categories(names: list[str], filled: set[str]) -> list[str]:
    """The categories of a box's checklist ("一盒档案") that hold no item yet, in the checklist's order."""
    return [n for n in names if n not in filled]


def folder_name(order: int, category: str) -> str:
    """A category's folder in a box's zip: numbered so the folders sort as the checklist does."""
    return f"{order:02d}-{safe_name(category)}"


def safe_name(name: str) -> str:
    """A file or folder name safe inside a zip on any system: no path separators, no control or reserved
    characters, no leading dots, not empty, at most 100 characters (the extension kept)."""
    cleaned = "".join("_" if c in '/\\:*?"<>|' or ord(c) < 32 or ord(c) == 127 else c for c in name).strip()
    cleaned = cleaned.lstrip(".").strip() or _("未命名")
    if len(cleaned) > 100:
        stem, dot, ext = cleaned.rpartition(".")
        cleaned = (stem[: 100 - len(ext) - 1] + "." + ext) if dot and len(ext) <= 10 else cleaned[:100]
    return cleaned


def unique_name(name: str, taken: set[str]) -> str:
    """`name`, or `name (2)`, `name (3)` … before the extension, whichever is not yet in `taken` (which it joins)."""
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    candidate, n = name, 1
    while candidate.lower() in taken:
        n += 1
        candidate = f"{stem} ({n}){'.' + ext if ext else ''}"
    taken.add(candidate.lower())
    return candidate


# ---------------------------------------------------------------- evidence

CAMPAIGN_REPORT = "campaigns.report"  # a progress report on a campaign task (source_id: the report)
ASSESSMENT_UNIT = "assessment.unit"  # an assessed unit's item (source_id: the round unit, part_id: the item)
SOURCES = {CAMPAIGN_REPORT: gettext_lazy("工作方案进度报送"), ASSESSMENT_UNIT: gettext_lazy("测评考核佐证材料")}
