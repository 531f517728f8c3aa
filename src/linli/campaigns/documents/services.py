"""Writes of plan documents: importing a task table (任务分解表) into a plan, all or nothing."""

from typing import IO

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from linli.audit.services import audit_record
from linli.core.errors import DomainError, FieldError, PermissionDenied, ValidationFailed

from ..models import Notice, Plan, ProgressReport, Task, TaskUnit
from ..plans import rules as plan_rules
from ..plans.selectors import can_edit_plan
from .task_table import MODE_LABELS, REPLACE, ImportResult, ParsedTask, parse_task_table


def check_task_importer(user, plan: Plan) -> None:
    if not can_edit_plan(user, plan):
        raise PermissionDenied(_("只有方案所属区域及上级的区、街道工作人员可以导入任务"))
    if plan.status == plan_rules.FINISHED:
        raise DomainError(_("方案已结束，不能再导入任务"))


def tasks_import(*, user, plan: Plan, file: IO[bytes], mode: str) -> ImportResult:
    """Read the file and, if it is clean, add its tasks to the plan or replace the plan's tasks with them."""
    check_task_importer(user, plan)
    if mode not in MODE_LABELS:
        raise ValidationFailed([FieldError("mode", _("请选择导入方式：追加或替换"))])
    tasks = parse_task_table(plan=plan, file=file)
    with transaction.atomic():
        plan = Plan.objects.select_for_update().select_related("region").get(pk=plan.pk)  # one import at a time
        check_task_importer(user, plan)
        removed = 0
        base = 0
        if mode == REPLACE:
            _check_replaceable(plan)
            removed = Task.objects.filter(plan=plan).count()
            Task.objects.filter(plan=plan).delete()
        else:
            base = Task.objects.filter(plan=plan, parent=None).aggregate(m=Max("order"))["m"] or 0
        units = _save(plan, tasks, base)
        audit_record(
            actor=user,
            action="import",
            object_type="campaign_task",
            count=len(tasks),
            detail=f"方案#{plan.pk}“{plan.title}”导入任务分解表：{MODE_LABELS[mode]}，新增{len(tasks)}项，删除{removed}项",
        )
    return ImportResult(created=len(tasks), removed=removed, units=units, tasks=tasks)


def _check_replaceable(plan: Plan) -> None:
    reports = ProgressReport.objects.filter(task_unit__task__plan=plan).count()
    notices = Notice.objects.filter(task_unit__task__plan=plan).count()
    if reports or notices:
        found = "、".join(
            t
            for n, t in (
                (reports, _("%(reports)s条进度报送") % {"reports": reports}),
                (notices, _("%(notices)s条督办通报") % {"notices": notices}),
            )
            if n
        )
        message = _("现有任务已有%(found)s，替换会把它们一并删除；请改用“追加”，或在方案页面逐项调整任务") % {
            "found": found
        }
        raise ValidationFailed([FieldError("mode", message)], detail=message)


def _save(plan: Plan, tasks: list[ParsedTask], base: int) -> int:
    """Create the tree one level at a time (an insert per level, so parents have keys), then all units at once."""
    parent_of: list[int | None] = []
    open_rows: list[int] = []  # the row indexes of the current row's ancestors
    for index, t in enumerate(tasks):
        del open_rows[t.level - 1 :]
        parent_of.append(open_rows[-1] if open_rows else None)
        open_rows.append(index)
    objects: dict[int, Task] = {}
    for level in sorted({t.level for t in tasks}):
        batch = {
            index: Task(
                plan=plan,
                parent=objects[parent_of[index]] if parent_of[index] is not None else None,
                order=t.position + (base if parent_of[index] is None else 0),
                title=t.title,
                content=t.content,
                direct_person=t.direct_person,
                handler=t.handler,
                due_on=t.due_on,
                deliverables=t.deliverables,
            )
            for index, t in enumerate(tasks)
            if t.level == level
        }
        Task.objects.bulk_create(batch.values())
        objects.update(batch)
    links = [
        TaskUnit(task=objects[index], role=role, **{"organization_id" if ref.kind == "org" else "region_id": ref.pk})
        for index, t in enumerate(tasks)
        for role, refs in ((plan_rules.LEAD, t.leads), (plan_rules.RESPONSIBLE, t.responsibles))
        for ref in refs
    ]
    TaskUnit.objects.bulk_create(links, batch_size=1000)
    return len(links)
