"""A plan's task tree in reading order, with its numbers and unit names, as both exports print it."""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Plan, Task, TaskUnit
from ..plans import rules as plan_rules
from . import rules

# The columns of 任务分解表, in the order the annex and the xlsx print them and the import reads them.
COLUMNS = (
    gettext_lazy("序号"),
    gettext_lazy("任务"),
    gettext_lazy("工作内容及标准"),
    gettext_lazy("牵头单位"),
    gettext_lazy("责任单位"),
    gettext_lazy("直接责任人"),
    gettext_lazy("承办人"),
    gettext_lazy("完成时限"),
    gettext_lazy("成果形式"),
)
UNIT_SEPARATOR = "、"


@dataclass
class TaskRow:
    task: Task
    level: int  # 1 for a top-level task
    position: int  # 1-based among its siblings
    leads: list[str] = field(default_factory=list)
    responsibles: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return rules.marker(rules.style_at(rules.TABLE_STYLES, self.level), self.position)

    @property
    def due(self) -> str:
        return rules.chinese_date(self.task.due_on) if self.task.due_on else ""

    def cells(self) -> list[str]:
        t = self.task
        return [
            self.label,
            rules.split_own_number(t.title)[1],
            t.content,
            UNIT_SEPARATOR.join(self.leads),
            UNIT_SEPARATOR.join(self.responsibles),
            t.direct_person,
            t.handler,
            self.due,
            t.deliverables,
        ]


def task_rows(plan: Plan) -> list[TaskRow]:
    """Depth-first rows of the tree (two queries whatever its size)."""
    units = TaskUnit.objects.select_related("organization", "region").order_by("id")
    tasks = list(Task.objects.filter(plan=plan).prefetch_related(Prefetch("units", queryset=units)))
    children: dict[int | None, list[Task]] = {}
    for t in tasks:
        children.setdefault(t.parent_id, []).append(t)
    for siblings in children.values():
        siblings.sort(key=lambda t: (t.order, t.pk))
    rows: list[TaskRow] = []

    def walk(parent_id: int | None, level: int) -> None:
        for position, t in enumerate(children.get(parent_id, ()), start=1):
            row = TaskRow(t, level, position)
            for tu in t.units.all():
                (row.leads if plan_rules.is_lead(tu.role) else row.responsibles).append(str(tu.unit))
            rows.append(row)
            walk(t.pk, level + 1)

    walk(None, 1)
    return rows


def annex_title(plan_title: str) -> str:
    """关于依法加强居民小区物业管理的工作方案 → 依法加强居民小区物业管理任务分解表."""
    core = plan_title.strip()
    if core.startswith("关于"):
        core = core[2:]
    for suffix in (_("的实施方案"), _("的工作方案"), _("实施方案"), _("工作方案"), _("的方案"), _("方案")):
        if core.endswith(suffix) and len(core) > len(suffix):
            core = core[: -len(suffix)]
            break
    return _("%(core)s任务分解表") % {"core": core}
