"""Pages for Excel import and export. Thin: the services queue the work, the selectors read the jobs."""

import tempfile

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.core.files import file_response
from linli.core.forms import checked_text
from linli.core.pages import error_text, forbidden
from linli.core.text import Kind
from linli.people.models import ImportJob
from linli.people.selectors import PersonFilter

from . import selectors, services
from .forms import ExportForm, UploadForm
from .importer import ISSUE_CAP

ISSUES_PER_PAGE = 50
RECENT_JOBS = 10


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
            "exports": selectors.export_jobs(user=user)[:RECENT_JOBS],
            "show_importer": selectors.sees_everyones_jobs(user),
            "max_mb": settings.IMPORT_MAX_BYTES // (1024 * 1024),
            "max_rows": settings.IMPORT_MAX_ROWS,
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
        return _upload_page(request, form, status=400, error=error_text(exc))
    if job.status == ImportJob.Status.DONE:
        messages.success(
            request,
            _("导入完成：新增%(created)s人，更新%(updated)s人，跳过%(skipped)s人。")
            % {"created": job.created, "updated": job.updated, "skipped": job.skipped},
        )
    return redirect("imports:job", pk=job.pk)


@login_required
def template(request: HttpRequest) -> HttpResponse:
    try:
        content = selectors.persons_template(user=request.user)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    response = HttpResponse(content, content_type=selectors.XLSX)
    response["Content-Disposition"] = content_disposition_header(True, _("人员导入模板.xlsx"))
    return response


@login_required
def job(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.import_job_get(user=request.user, pk=pk)
    page = Paginator(selectors.import_issues(job=job), ISSUES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "imports/job.html",
        {
            "job": job,
            "progress": selectors.job_progress(job),
            "page": page,
            "truncated": job.error_count > ISSUE_CAP,
            "cap": ISSUE_CAP,
        },
    )


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.import_job_get(user=request.user, pk=pk)
    out = tempfile.TemporaryFile()
    selectors.issues_workbook(job=job, out=out)
    out.seek(0)
    return FileResponse(
        out, as_attachment=True, filename=_("导入错误清单-%(pk)s.xlsx") % {"pk": job.pk}, content_type=selectors.XLSX
    )


@login_required
@require_POST
def export(request: HttpRequest) -> HttpResponse:
    """Queue an export of the list's filters; full numbers need the permission and a purpose."""
    data = request.POST
    try:
        job = services.persons_export(
            user=request.user,
            filters=services.export_filters(data),
            unmasked=data.get("unmasked") in ("on", "1", "true"),
            purpose=checked_text(data.get("purpose", ""), Kind.LINE, "purpose"),
        )
    except PermissionDenied as exc:
        return forbidden(request, exc)
    except ValidationFailed as exc:
        messages.error(request, _("未能导出：%(error_text)s") % {"error_text": error_text(exc)})
        return redirect("imports:upload")
    return redirect("imports:export_job", pk=job.pk)


@login_required
def export_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.export_job_get(user=request.user, pk=pk)
    return render(
        request,
        "imports/export_job.html",
        {
            "job": job,
            "progress": selectors.job_progress(job),
            "filters": services.describe_filters(PersonFilter(**job.filters)),
            "keep_hours": int(settings.EXPORT_KEEP.total_seconds() // 3600),
        },
    )


@login_required
def export_file(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.export_job_get(user=request.user, pk=pk)
    try:
        file = services.export_download(user=request.user, job=job, request=request)
    except Conflict as exc:
        messages.error(request, exc.detail)
        return redirect("imports:export_job", pk=job.pk)
    return file_response(file, selectors.XLSX, filename=selectors.export_file_name(job))
