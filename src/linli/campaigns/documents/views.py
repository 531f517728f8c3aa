"""Downloads of a plan (公文 .docx, 任务分解表 .xlsx) and the import of a task table: upload, preview, confirm.

The plan is read through campaigns.plans.selectors.plan_get (404 out of scope); importing needs can_edit_plan (403).
Between preview and confirm the checked file waits in the file storage under a random token kept in the user's
session, so the confirmed import reads exactly the file that was previewed, whichever application node the confirm
reaches (a node's temporary folder is its own).
"""

import secrets
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from linli.core.errors import DomainError, PermissionDenied, ValidationFailed

from ..downloads import DOCX, XLSX, download
from ..plans.selectors import plan_get
from . import services, task_table
from .forms import ImportForm
from .official import plan_docx as build_docx
from .selectors import COLUMNS
from .tables import tasks_xlsx as build_xlsx

SESSION_KEY = "campaign_task_imports"
PENDING_DIR = "pending/task-imports"
PENDING_TTL = timedelta(hours=24)


@login_required
@require_GET
def plan_docx(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_get(request.user, plan_id)
    return download(build_docx(plan), f"{plan.title}.docx", DOCX)


@login_required
@require_GET
def tasks_xlsx(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_get(request.user, plan_id)
    return download(build_xlsx(plan), _("%(title)s-任务分解表.xlsx") % {"title": plan.title}, XLSX)


def _page(request, plan, form, *, status=200, errors=(), detail="", preview=None, token="", mode=""):
    return render(
        request,
        "campaigns/documents/import.html",
        {
            "plan": plan,
            "form": form,
            "errors": errors,
            "detail": detail,
            "preview": preview,
            "token": token,
            "mode": mode,
            "mode_label": task_table.MODE_LABELS.get(mode, ""),
            "columns": COLUMNS,
            "max_mb": task_table.MAX_BYTES // (1024 * 1024),
            "max_rows": task_table.MAX_ROWS,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def tasks_import(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_get(request.user, plan_id)
    try:
        services.check_task_importer(request.user, plan)
    except PermissionDenied as exc:
        return render(request, "403.html", {"detail": exc.detail}, status=403)
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect("campaigns:detail", plan.pk)
    if request.method == "GET":
        return _page(request, plan, ImportForm())
    if request.POST.get("token"):
        return _confirm(request, plan)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, plan, form, status=400)
    upload = form.cleaned_data["file"]
    try:
        tasks = task_table.parse_task_table(plan=plan, file=upload)
    except ValidationFailed as exc:
        return _page(request, plan, form, status=400, errors=exc.errors, detail=exc.detail)
    token = _keep(request, plan, upload, form.cleaned_data["mode"])
    return _page(request, plan, ImportForm(), preview=tasks, token=token, mode=form.cleaned_data["mode"])


def _keep(request: HttpRequest, plan, upload, mode: str) -> str:
    _forget_abandoned()
    token = secrets.token_urlsafe(18)
    upload.seek(0)
    stored = default_storage.save(f"{PENDING_DIR}/{token}.xlsx", upload)
    pending = request.session.get(SESSION_KEY, {})
    pending[token] = {"plan": plan.pk, "mode": mode, "name": upload.name, "file": stored}
    request.session[SESSION_KEY] = pending
    return token


def _forget_abandoned() -> None:
    """Previews nobody confirmed, a day on."""
    try:
        names = default_storage.listdir(PENDING_DIR)[1]
    except FileNotFoundError:  # a local folder not made yet; object storage lists nothing instead
        return
    cutoff = timezone.now() - PENDING_TTL
    for name in names:
        path = f"{PENDING_DIR}/{name}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)


def _confirm(request: HttpRequest, plan) -> HttpResponse:
    token = request.POST["token"]
    pending = request.session.get(SESSION_KEY, {})
    entry = pending.get(token)
    stored = entry and entry.get("file")
    if not stored or entry["plan"] != plan.pk or not default_storage.exists(stored):
        messages.error(request, _("预览已过期，请重新上传文件"))
        return redirect("campaign_documents:tasks_import", plan.pk)
    try:
        with default_storage.open(stored, "rb") as file:
            result = services.tasks_import(user=request.user, plan=plan, file=file, mode=entry["mode"])
    except ValidationFailed as exc:
        return _page(request, plan, ImportForm(), status=400, errors=exc.errors, detail=exc.detail)
    except DomainError as exc:
        return render(request, "403.html", {"detail": exc.detail}, status=exc.status)
    default_storage.delete(stored)
    del pending[token]
    request.session[SESSION_KEY] = pending
    text = _("已导入%(created)s项任务，涉及%(units)s个单位") % {"created": result.created, "units": result.units}
    messages.success(
        request,
        text + (_("；原有的%(removed)s项任务已删除。") % {"removed": result.removed} if result.removed else "。"),
    )
    return redirect("campaigns:detail", plan.pk)
