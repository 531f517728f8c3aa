"""Campaign plan API under /api/v1/campaigns: plans with their nested rows, issue/finish, the task tree and
targets with measured values. Thin: selectors read, services write; out of scope answers 404."""

from ninja import Router, Status
from ninja.pagination import paginate

from linli.core.pagination import Pages
from linli.core.schemas import Id, Version, Year

from . import selectors, services
from .schemas import (
    DashboardOut,
    PlanCreateIn,
    PlanDetailOut,
    PlanOut,
    PlanUpdateIn,
    TargetOut,
    TargetReportIn,
    TaskCreateIn,
    TaskMoveIn,
    TaskOut,
    TaskUpdateIn,
    VersionIn,
    dashboard_out,
    plan_detail_out,
    target_rows,
    task_row,
)

router = Router(tags=["campaigns"])


def _data(payload) -> dict:
    return {k: v for k, v in payload.dict(exclude_unset=True).items() if k != "version"}


@router.get("/plans", response=list[PlanOut], summary="工作方案列表（本人可见范围）")
@paginate(Pages)
def plan_list(request, status: str | None = None, region: Id | None = None, year: Year | None = None):
    return selectors.plan_list(request.user, status=status, region=region, year=year)


@router.post("/plans", response={201: PlanDetailOut}, summary="制定方案（含目标、领导小组、阶段、章节）")
def plan_create(request, payload: PlanCreateIn):
    plan = services.plan_create(user=request.user, data=_data(payload))
    return Status(201, _detail(request.user, plan.pk))


@router.get("/plans/{plan_id}", response=PlanDetailOut, summary="方案详情：目标当前值、阶段、总体完成度")
def plan_detail(request, plan_id: Id):
    return _detail(request.user, plan_id)


@router.patch("/plans/{plan_id}", response=PlanDetailOut, summary="修改方案；给出的嵌套列表整体替换原有内容")
def plan_update(request, plan_id: Id, payload: PlanUpdateIn):
    plan = selectors.plan_get(request.user, plan_id)
    services.plan_update(user=request.user, plan=plan, version=payload.version, data=_data(payload))
    return _detail(request.user, plan_id)


@router.post("/plans/{plan_id}/issue", response=PlanDetailOut, summary="印发方案（草拟中→已印发）")
def plan_issue(request, plan_id: Id, payload: VersionIn):
    services.plan_issue(user=request.user, plan=selectors.plan_get(request.user, plan_id), version=payload.version)
    return _detail(request.user, plan_id)


@router.post("/plans/{plan_id}/finish", response=PlanDetailOut, summary="结束方案（已印发→已结束）")
def plan_finish(request, plan_id: Id, payload: VersionIn):
    services.plan_finish(user=request.user, plan=selectors.plan_get(request.user, plan_id), version=payload.version)
    return _detail(request.user, plan_id)


@router.get("/plans/{plan_id}/targets", response=list[TargetOut], summary="目标及当前值（系统计算或填报）")
def target_list(request, plan_id: Id):
    return target_rows(selectors.plan_targets(selectors.plan_get(request.user, plan_id)))


@router.post("/plans/{plan_id}/targets/{target_id}/report", response=list[TargetOut], summary="记录填报目标的数值")
def target_report(request, plan_id: Id, target_id: Id, payload: TargetReportIn):
    target = selectors.target_get(request.user, plan_id, target_id)
    services.target_report(user=request.user, target=target, version=payload.version, value=payload.value)
    return target_rows(selectors.plan_targets(target.plan))


@router.get(
    "/plans/{plan_id}/dashboard", response=DashboardOut, summary="方案进展看板：各大类、各单位完成度，各阶段到期任务"
)
def plan_dashboard(request, plan_id: Id):
    return dashboard_out(selectors.plan_board(request.user, plan_id))


@router.get("/plans/{plan_id}/tasks", response=list[TaskOut], summary="任务分解树：单位、时限、完成度")
def task_list(request, plan_id: Id):
    return [task_row(n) for n in selectors.task_tree(selectors.plan_get(request.user, plan_id)).roots]


def _detail(user, plan_id: int) -> dict:
    return plan_detail_out(selectors.plan_detail(user, plan_id))


def _task_out(task) -> dict:
    return task_row(selectors.task_tree(task.plan).node(task.pk))


@router.post("/plans/{plan_id}/tasks", response={201: TaskOut}, summary="添加任务（顶层或子任务）")
def task_create(request, plan_id: Id, payload: TaskCreateIn):
    plan = selectors.plan_get(request.user, plan_id)
    task = services.task_create(user=request.user, plan=plan, data=_data(payload))
    return Status(201, _task_out(task))


@router.patch("/plans/{plan_id}/tasks/{task_id}", response=TaskOut, summary="修改任务；给出的单位列表整体替换")
def task_update(request, plan_id: Id, task_id: Id, payload: TaskUpdateIn):
    task = selectors.task_get(request.user, plan_id, task_id)
    services.task_update(user=request.user, task=task, version=payload.version, data=_data(payload))
    return _task_out(task)


@router.post("/plans/{plan_id}/tasks/{task_id}/move", response=TaskOut, summary="在同级任务中上移或下移")
def task_move(request, plan_id: Id, task_id: Id, payload: TaskMoveIn):
    task = selectors.task_get(request.user, plan_id, task_id)
    services.task_move(user=request.user, task=task, version=payload.version, direction=payload.direction)
    return _task_out(task)


@router.delete(
    "/plans/{plan_id}/tasks/{task_id}", response={204: None}, summary="删除任务及其子任务（已有报送的不能删）"
)
def task_delete(request, plan_id: Id, task_id: Id, version: Version):
    services.task_delete(user=request.user, task=selectors.task_get(request.user, plan_id, task_id), version=version)
    return Status(204, None)
