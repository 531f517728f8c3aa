"""Pages for Excel import and export. Thin: the services import and export, the selectors read."""

import tempfile
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods

from linli.core.errors import PermissionDenied, ValidationFailed
from linli.core.forms import checked_text
from linli.core.pages import forbidden
from linli.core.text import Kind
from linli.people.models import ImportJob

from . import selectors, services
from .forms import ExportForm, UploadForm

ISSUES_PER_PAGE = 50
RECENT_JOBS = 10
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload_page(request: HttpRequest, form: UploadForm, *, status: int = 200, error: str = "") -> HttpResponse:
    user = request.user
    return render(
        request,
        "imports/upload.html",
        {
            "form": form,
            "error": error,
            "export_form": ExportForm(user=user),
            "jobs": selectors.import_jobs(user=user)[:RECENT_JOBS],
            "show_importer": selectors.sees_everyones_jobs(user),
            "max_mb": settings.IMPORT_MAX_BYTES // (1024 * 1024),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    try:
        selectors.check_importer(request.user)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    if request.method == "GET":
        return _upload_page(request, UploadForm())
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, form, status=400)
    try:
        job = services.persons_import(
            user=request.user, file=form.cleaned_data["file"], on_duplicate=form.cleaned_data["on_duplicate"]
        )
    except PermissionDenied as exc:
        return forbidden(request, exc)
    except ValidationFailed as exc:
        message = "；".join(e.message for e in exc.errors) or exc.detail
        return _upload_page(request, form, status=400, error=message)
    if job.status == ImportJob.Status.DONE:
        messages.success(request, f"导入完成：新增{job.created}人，更新{job.updated}人，跳过{job.skipped}人。")
    return redirect("imports:job", pk=job.pk)


@login_required
def template(request: HttpRequest) -> HttpResponse:
    try:
        content = selectors.persons_template(user=request.user)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, "人员导入模板.xlsx")
    return response


@login_required
def job(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.import_job_get(user=request.user, pk=pk)
    page = Paginator(selectors.import_issues(job=job), ISSUES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "imports/job.html",
        {"job": job, "page": page, "truncated": job.error_count > services.ISSUE_CAP, "cap": services.ISSUE_CAP},
    )


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.import_job_get(user=request.user, pk=pk)
    out = tempfile.TemporaryFile()
    selectors.issues_workbook(job=job, out=out)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=f"导入错误清单-{job.pk}.xlsx", content_type=XLSX)


@login_required
@require_http_methods(["GET", "POST"])
def export(request: HttpRequest) -> HttpResponse:
    """GET with the list's filters exports masked numbers; full numbers need a POST with a purpose (CSRF)."""
    data = request.POST if request.method == "POST" else request.GET
    unmasked = request.method == "POST" and data.get("unmasked") in ("on", "1", "true")
    try:
        filters = services.export_filters(data)
        out = tempfile.TemporaryFile()
        services.persons_export(
            user=request.user,
            filters=filters,
            out=out,
            unmasked=unmasked,
            purpose=checked_text(data.get("purpose", ""), Kind.LINE, "purpose"),
            request=request,
        )
    except PermissionDenied as exc:
        return forbidden(request, exc)
    except ValidationFailed as exc:
        message = "；".join(e.message for e in exc.errors) or exc.detail
        if request.method == "POST":
            messages.error(request, f"未能导出：{message}")
            return redirect("imports:upload")
        return HttpResponse(f"未能导出：{message}", status=400, content_type="text/plain; charset=utf-8")
    out.seek(0)
    name = f"人员名单-{date.today():%Y%m%d}.xlsx"
    return FileResponse(out, as_attachment=True, filename=name, content_type=XLSX)
