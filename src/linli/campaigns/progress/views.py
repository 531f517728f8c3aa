"""Pages of progress reporting: 我的任务 with the report form, a plan's reporting matrix, the late list with 督办
and 通报. Thin: progress_selectors read (always in scope), progress_services write."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from linli.core.errors import DomainError, PermissionDenied
from linli.core.files import file_response
from linli.core.forms import id_or_none
from linli.core.pages import forbidden
from linli.core.pagination import CappedPaginator

from ..plans import selectors as plan_selectors
from . import rules, selectors, services
from .forms import ReportForm

PAGE_SIZE = 20
NOTICE_PAGE_SIZE = 10
MATRIX_PAGE_SIZE = 50
STATUS_FILTERS = {
    "": gettext_lazy("全部未按时"),
    rules.MISSING: gettext_lazy("未报送"),
    rules.LATE: gettext_lazy("逾期报送"),
}


def _message(exc: DomainError) -> str:
    return "；".join(e.message for e in exc.errors) or exc.detail


# ---------------------------------------------------------------- 我的任务


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """我的任务: what the user's unit owes across plans, overdue first, and the 督办/通报 it received."""
    now = timezone.now()
    obligations = selectors.obligations(user=request.user, now=now)
    page = Paginator(obligations, PAGE_SIZE).get_page(request.GET.get("page"))
    received = selectors.notices(user=request.user)
    notices = CappedPaginator(received, NOTICE_PAGE_SIZE).get_page(request.GET.get("npage"))
    overdue = sum(1 for ob in obligations if ob.missing)
    context = {
        "page": page,
        "obligations": page.object_list,
        "notices": notices,
        "unread": sum(1 for n in notices.object_list if not n.is_read),
        "overdue_count": overdue,
        "summary": rules.summary((ob.state for ob in obligations), overdue),
    }
    return render(request, "campaigns/progress/mine.html", context)


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """报送 / 修改 a task unit's progress for a period (?period=YYYY-MM-DD, default the current one)."""
    user, now = request.user, timezone.now()
    try:
        desk = selectors.report_desk(user=user, task_unit_id=pk, now=now)
    except PermissionDenied as exc:
        return forbidden(request, exc.detail)
    if desk.closed:  # nothing open: the page says why (and shows what was reported); a POST is refused
        status = 400 if desk.obligation is None or request.method == "POST" else 200
        return _report_page(request, desk, None, None, status=status)
    periods = [(c.value, c.label) for c in desk.choices]
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES, periods=periods)
        if form.is_valid():
            existing = desk.report_for(form.cleaned_data["period"])
            data = {k: form.cleaned_data[k] for k in ("progress", "content", "problems", "attachment")}
            try:
                if existing is None:
                    saved = services.report_submit(
                        user=user, task_unit_id=pk, period=form.cleaned_data["period"], now=now, **data
                    )
                else:
                    saved = services.report_update(
                        user=user, report_id=existing.pk, version=form.cleaned_data["version"], now=now, **data
                    )
            except PermissionDenied as exc:
                return forbidden(request, exc.detail)
            except DomainError as exc:
                form.add_domain_error(exc)
                return _report_page(request, desk, form, existing, status=exc.status)
            label = rules.period_label(saved.period, desk.obligation.plan.report_cycle)
            late = saved.submitted_at >= saved.due_at
            messages.success(
                request,
                _("已报送%(label)s《%(title)s》进度") % {"label": label, "title": desk.obligation.task.title}
                + (_("（逾期报送，视为未完成）") if late else ""),
            )
            return redirect("progress:mine")
        return _report_page(request, desk, form, desk.report_for(request.POST.get("period")), status=400)
    choice = desk.default(request.GET.get("period", ""))
    existing = choice.report
    initial = {"period": choice.value}
    if existing is not None:
        initial |= {
            "progress": existing.progress,
            "content": existing.content,
            "problems": existing.problems,
            "version": existing.version,
        }
    else:
        initial["progress"] = desk.start_from(choice.period)
    return _report_page(request, desk, ReportForm(initial=initial, periods=periods), existing)


def _report_page(request, desk, form, existing, status: int = 200) -> HttpResponse:
    period = desk.choice(form["period"].value()) if form is not None else None
    context = {
        "ob": desk.obligation,
        "form": form,
        "existing": existing,
        "history": desk.history,
        "closed": desk.closed,
        "choices": desk.choices,
        "period": period,
        "neighbours": desk.neighbours(period.period) if period else [],
    }
    return render(request, "campaigns/progress/report.html", context, status=status)


@login_required
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(user=request.user, pk=pk)
    if not report.attachment:
        raise Http404(_("没有佐证材料"))
    name = report.attachment.name.rsplit("/", 1)[-1]
    return file_response(report.attachment, None, filename=name)


@login_required
@require_POST
def notice_read(request: HttpRequest, pk: int) -> HttpResponse:
    services.notice_read(user=request.user, notice_id=pk)
    return redirect("progress:mine")


# ---------------------------------------------------------------- a plan's reporting


@login_required
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    """报送情况: units × periods of a plan, each cell the unit's reports in on time, late, missing or not yet due."""
    status = selectors.plan_matrix(user=request.user, plan_id=pk)
    the_plan = status.plan
    rows = status.by_unit()
    page = Paginator(rows, MATRIX_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "plan": the_plan,
        "status": status,
        "page": page,
        "columns": [(p, status.label(p), status.totals(p)) for p in status.periods],
        "due": set(status.due_periods()),
        "can_edit": plan_selectors.can_edit_plan(request.user, the_plan),
    }
    return render(request, "campaigns/progress/plan.html", context)


def _date_arg(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return None


@login_required
def late(request: HttpRequest, pk: int) -> HttpResponse:
    """未按时报送: the late and missing reports of a plan for a period, with 督办 to the ticked units and 通报."""
    try:
        matrix = selectors.late_list(user=request.user, plan_id=pk)
    except PermissionDenied as exc:
        return forbidden(request, exc.detail)
    if request.method == "POST":
        return _notice(request, matrix)
    return _late_page(request, matrix)


def _late_page(request, matrix, *, status: int = 200, error: str = "", note: str = "") -> HttpResponse:
    the_plan = matrix.plan
    due = matrix.due_periods()
    period = matrix.late_period(_date_arg(request.GET.get("period")))
    wanted = request.GET.get("status", "")
    wanted = wanted if wanted in STATUS_FILTERS else ""
    task_id = id_or_none(request.GET.get("task"))
    q = request.GET.get("q", "")[:50]
    lines = matrix.late(period, status=wanted or None, task=task_id, q=q) if period else []
    page = Paginator(lines, PAGE_SIZE).get_page(request.GET.get("page"))
    tasks = {line.task_id: line.task_title for line in matrix.lines}
    submitted = selectors.submitted_at(page.object_list, period) if period else {}
    context = {
        "plan": the_plan,
        "periods": [(p.isoformat(), matrix.label(p)) for p in reversed(due)],
        "period": period,
        "period_label": matrix.label(period) if period else "",
        "totals": matrix.totals(period) if period else None,
        "all_late": len(matrix.late(period)) if period else 0,
        "page": page,
        "rows": [
            (
                line,
                line.statuses[period],
                rules.REPORT_STATUS_LABELS[line.statuses[period]],
                submitted.get(line.task_unit_id),
                line.reports.get(period),
            )
            for line in page.object_list
        ],
        "status_filters": STATUS_FILTERS.items(),
        "status": wanted,
        "tasks": sorted(tasks.items(), key=lambda t: t[1]),
        "task": task_id,
        "q": q,
        "error": error,
        "note": note,
    }
    return render(request, "campaigns/progress/late.html", context, status=status)


def _notice(request, matrix) -> HttpResponse:
    kind = request.POST.get("kind", "")
    note = request.POST.get("note", "")
    ids = [pk for v in request.POST.getlist("task_units") if (pk := id_or_none(v)) is not None]
    try:
        issued = services.notice_issue(
            user=request.user, plan_id=matrix.plan.pk, kind=kind, period=request.POST.get("period", ""),
            task_unit_ids=ids, note=note,
        )  # fmt: skip
    except PermissionDenied as exc:
        return forbidden(request, exc.detail)
    except DomainError as exc:
        return _late_page(request, matrix, status=exc.status, error=_message(exc), note=note)
    if kind == "circular":
        messages.success(request, _("已发出通报，方案涉及的所有单位都能在“我的任务”中看到"))
    else:
        messages.success(request, _("已向%(len)s个单位发出督办") % {"len": len(issued)})
    return redirect(request.get_full_path())
