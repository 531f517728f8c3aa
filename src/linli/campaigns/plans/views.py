"""Plan pages: the list, the plan form with its nested rows, the plan page (正文, 目标, 任务分解, 阶段) with the task
tree editor, and the dashboard. Thin: selectors read, services write; scope decides what exists."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.burden.work import selectors as work_selectors
from linli.core.errors import Conflict, DomainError, PermissionDenied
from linli.core.forms import id_or_none
from linli.core.pages import error_text, forbidden

from ..models import Plan
from . import rules, selectors, services
from .forms import PlanFilterForm, PlanForm, TaskForm, add_row_errors, row_formsets, rows_data

PAGE_SIZE = 20


# ---------------------------------------------------------------- list


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    form = PlanFilterForm(request.GET)
    qs = selectors.plan_list(request.user, **form.filters())
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "statuses": rules.PLAN_STATUS_LABELS.items(),
        "regions": selectors.list_regions(),
        "years": range(timezone.localdate().year + 1, timezone.localdate().year - 5, -1),
        "filters": {name: request.GET.get(name, "") for name in form.fields},
        "can_create": selectors.plan_regions(request.user).exists(),
    }
    return render(request, "campaigns/list.html", context)


# ---------------------------------------------------------------- plan form


def _plan_initial(plan: Plan) -> tuple[dict, dict]:
    fields = {k: getattr(plan, k) for k in services.PLAN_FIELDS} | {"region": plan.region, "version": plan.version}
    rows = {
        "targets": list(
            plan.targets.values("id", "indicator", "comparator", "value", "unit", "measure", "description")
        ),
        "group": list(plan.group.values("duty", "name", "title", "unit")),
        "phases": list(plan.phases.values("name", "starts_on", "ends_on", "description")),
        "sections": list(plan.sections.values("heading", "body")),
    }
    return fields, rows


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    return _plan_form(request, None)


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(request.user, pk)
    if not selectors.can_edit_plan(request.user, plan):
        return forbidden(request, PermissionDenied(_("只有方案所属区域及上级的区、街道工作人员可以修改方案")))
    return _plan_form(request, plan)


def _plan_form(request, plan: Plan | None) -> HttpResponse:
    regions = selectors.plan_regions(request.user)
    if plan is None and not regions.exists():
        return forbidden(request, PermissionDenied(_("只有区、街道工作人员可以制定方案")))
    conflict, status = "", 200
    if request.method == "POST":
        form = PlanForm(request.POST, regions=regions)
        formsets = row_formsets(request.POST)
        if form.is_valid() and all(fs.is_valid() for fs in formsets.values()):
            data = form.to_data() | rows_data(formsets)
            try:
                if plan is None:
                    plan = services.plan_create(user=request.user, data=data)
                    messages.success(request, _("方案已保存为草稿。"))
                else:
                    version = form.cleaned_data["version"]
                    services.plan_update(user=request.user, plan=plan, version=version, data=data)
                    messages.success(request, _("方案已保存。"))
                return redirect("campaigns:detail", plan.pk)
            except PermissionDenied as exc:
                return forbidden(request, exc)
            except Conflict as exc:
                conflict, status = exc.detail, 409
            except DomainError as exc:
                form.add_domain_error(exc, add_row_errors(formsets, exc.errors))
                status = 400
        else:
            status = 400
    else:
        if plan is not None:
            initial, rows = _plan_initial(plan)
        else:
            user_region = request.user.region if request.user.region_id else regions.first()
            initial, rows = {"region": user_region, "report_cycle": rules.MONTHLY}, {}
        form = PlanForm(initial=initial, regions=regions)
        formsets = row_formsets(initial=rows)
    context = {"form": form, "formsets": formsets, "plan": plan, "conflict": conflict}
    return render(request, "campaigns/form.html", context, status=status)


# ---------------------------------------------------------------- plan page


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, selectors.plan_detail(request.user, pk))


def _render_detail(request, detail: selectors.PlanDetail, *, task_form: TaskForm | None = None, status: int = 200):
    if detail.editable and task_form is None:
        task_form = _task_form(request.user, detail.plan, detail.tree, initial={"parent_id": request.GET.get("parent")})
    context = {
        "plan": detail.plan,
        "editable": detail.editable,
        "targets": detail.targets,
        "tree": detail.tree,
        "phases": detail.phases,
        "current_phase": detail.current_phase,
        "period": detail.period,
        "today": detail.today,
        "group": detail.group,
        "task_form": task_form,
    }
    return render(request, "campaigns/detail.html", context, status=status)


def _task_form(user, plan: Plan, tree, data=None, initial=None) -> TaskForm:
    parents = [(n.task.pk, f"{n.number} {n.task.title}") for n in tree.nodes]
    basis = work_selectors.basis_choices(user)
    return TaskForm(data, initial=initial, units=selectors.unit_choices(plan), parents=parents, basis=basis)


def _plan_action(request, pk: int, action, done: str) -> HttpResponse:
    plan = selectors.plan_get(request.user, pk)
    try:
        action(user=request.user, plan=plan, version=request.POST.get("version"))
        messages.success(request, done)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    except DomainError as exc:
        messages.error(request, error_text(exc))
    return redirect("campaigns:detail", plan.pk)


@login_required
@require_POST
def plan_issue(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_action(request, pk, services.plan_issue, _("方案已印发。"))


@login_required
@require_POST
def plan_finish(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_action(request, pk, services.plan_finish, _("方案已结束。"))


@login_required
@require_POST
def target_report(request: HttpRequest, pk: int, tid: int) -> HttpResponse:
    target = selectors.target_get(request.user, pk, tid)
    try:
        services.target_report(user=request.user, target=target, version=request.POST.get("version"),
                               value=request.POST.get("value"))  # fmt: skip
        messages.success(request, _("已记录“%(indicator)s”的填报值。") % {"indicator": target.indicator})
    except PermissionDenied as exc:
        return forbidden(request, exc)
    except DomainError as exc:
        messages.error(request, error_text(exc))
    return redirect(reverse("campaigns:detail", args=[target.plan_id]) + "#targets")


# ---------------------------------------------------------------- tasks


@login_required
@require_POST
def task_create(request: HttpRequest, pk: int) -> HttpResponse:
    detail = selectors.plan_detail(request.user, pk)
    plan = detail.plan
    form = _task_form(request.user, plan, detail.tree, request.POST)
    if form.is_valid():
        try:
            services.task_create(user=request.user, plan=plan, data=form.to_data())
            messages.success(request, _("任务已添加。"))
            return redirect(reverse("campaigns:detail", args=[plan.pk]) + "#tasks")
        except PermissionDenied as exc:
            return forbidden(request, exc)
        except DomainError as exc:
            form.add_domain_error(exc)
    return _render_detail(request, detail, task_form=form, status=400)


@login_required
def task_edit(request: HttpRequest, pk: int, tid: int) -> HttpResponse:
    plan, task = selectors.plan_get(request.user, pk), selectors.task_get(request.user, pk, tid)
    if not selectors.can_edit_plan(request.user, plan):
        return forbidden(request, PermissionDenied(_("只有方案所属区域及上级的区、街道工作人员可以分解任务")))
    tree = selectors.task_tree(plan)
    conflict, status = "", 200
    if request.method == "POST":
        form = _task_form(request.user, plan, tree, request.POST)
        if form.is_valid():
            try:
                services.task_update(user=request.user, task=task, version=form.cleaned_data["version"],
                                     data={k: v for k, v in form.to_data().items() if k != "parent_id"})  # fmt: skip
                messages.success(request, _("任务已保存。"))
                return redirect(reverse("campaigns:detail", args=[plan.pk]) + "#tasks")
            except PermissionDenied as exc:
                return forbidden(request, exc)
            except Conflict as exc:
                conflict, status = exc.detail, 409
            except DomainError as exc:
                form.add_domain_error(exc)
                status = 400
        else:
            status = 400
    else:
        node = tree.node(task.pk)
        initial = {k: getattr(task, k) for k in services.TASK_FIELDS} | {
            "version": task.version,
            "parent_id": task.parent_id,
            "lead_units": [selectors.unit_key(u) for u in node.leads],
            "responsible_units": [selectors.unit_key(u) for u in node.responsibles],
            "basis": work_selectors.basis_of(rules.WORK_SOURCE, [u.pk for u in node.leads + node.responsibles]),
        }
        form = _task_form(request.user, plan, tree, initial=initial)
    form.fields["parent_id"].disabled = True
    context = {"plan": plan, "task": task, "form": form, "conflict": conflict}
    return render(request, "campaigns/task_form.html", context, status=status)


def _task_action(request, pk: int, tid: int, action, **kwargs) -> HttpResponse:
    task = selectors.task_get(request.user, pk, tid)
    try:
        action(user=request.user, task=task, version=request.POST.get("version"), **kwargs)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    except DomainError as exc:
        messages.error(request, error_text(exc))
    return redirect(reverse("campaigns:detail", args=[task.plan_id]) + "#tasks")


@login_required
@require_POST
def task_move(request: HttpRequest, pk: int, tid: int) -> HttpResponse:
    return _task_action(request, pk, tid, services.task_move, direction=request.POST.get("direction", ""))


@login_required
@require_POST
def task_delete(request: HttpRequest, pk: int, tid: int) -> HttpResponse:
    return _task_action(request, pk, tid, services.task_delete)


# ---------------------------------------------------------------- dashboard


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    page = selectors.dashboard(request.user, id_or_none(request.GET.get("plan")))
    board = page.board
    chart = None
    if board:
        chart = {
            "tasks": {
                "names": [f"{n.number} {n.task.title}" for n in board.tree.roots],
                "values": [float(n.completion) for n in board.tree.roots],
            },  # fmt: skip
            "units": {"names": [u.name for u in board.units], "values": [float(u.completion) for u in board.units]},
        }
    context = {"plans": page.plans, "plan": page.plan, "board": board, "chart": chart}
    return render(request, "campaigns/dashboard.html", context)
