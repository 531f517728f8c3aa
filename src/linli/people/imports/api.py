"""Person workbook API: an import (multipart upload) and an export are queued as jobs; their status, progress,
issues and the export's file are read here. The worker does the work (docs/operations.md, 后台任务)."""

from datetime import datetime

from django.urls import reverse
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from linli.core.files import file_response
from linli.core.pagination import Pages
from linli.core.schemas import Id, In
from linli.people.models import ExportJob, ImportJob
from linli.people.selectors import PersonFilter

from . import selectors, services

router = Router(tags=["imports"])


class PersonImportIn(In):
    on_duplicate: ImportJob.OnDuplicate = ImportJob.OnDuplicate.SKIP


class JobProgressOut(Schema):
    id: int
    status: str
    status_label: str
    active: bool = Field(description="排队或处理中：稍后再查询")
    progress: int
    progress_total: int
    percent: int
    progress_text: str
    message: str
    started_at: datetime
    finished_at: datetime | None


class ImportJobOut(JobProgressOut):
    file_name: str
    on_duplicate: str
    stage: str
    rows: int
    created: int
    updated: int
    skipped: int
    households_created: int
    error_count: int


class ImportIssueOut(Schema):
    row: int | None
    column: str
    message: str


class PersonExportIn(In):
    region: Id | None = Field(None, description="区域（含下级）")
    grid: Id | None = Field(None, description="网格")
    tag: str | None = Field(None, max_length=50, description="标签代码")
    residence_type: str | None = Field(None, max_length=20, description="人口类型")
    gender: str | None = Field(None, max_length=1, description="性别")
    age_min: int | None = Field(None, ge=0, le=150, description="最小年龄（含）")
    age_max: int | None = Field(None, ge=0, le=150, description="最大年龄（含）")
    name: str | None = Field(None, max_length=50, description="姓名（包含）")
    unmasked: bool = Field(False, description="导出完整证件号码和电话（须有权限并填写用途）")
    purpose: str = Field("", max_length=200, description="导出用途")


class ExportJobOut(JobProgressOut):
    unmasked: bool
    purpose: str
    count: int
    file_url: str | None = Field(description="完成后下载文件的地址")


def _progress(job) -> dict:
    return {
        "id": job.pk,
        "status": job.status,
        "status_label": job.get_status_display(),
        "message": job.message,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
        **selectors.job_progress(job),
    }


def _import_out(job: ImportJob) -> dict:
    fields = ("file_name", "on_duplicate", "stage", "rows", "created", "updated", "skipped", "households_created")
    return {**_progress(job), **{name: getattr(job, name) for name in fields}, "error_count": job.error_count}


def _export_out(job: ExportJob) -> dict:
    done = job.status == ExportJob.Status.DONE
    url = reverse("api-v1:export_file", args=[job.pk]) if done else None
    return {**_progress(job), "unmasked": job.unmasked, "purpose": job.purpose, "count": job.count, "file_url": url}


@router.post("/imports/persons", response={202: ImportJobOut}, summary="上传人员登记表并排队导入（全部无误才导入）")
def import_create(request, payload: Form[PersonImportIn], file: File[UploadedFile]):
    job = services.persons_import(user=request.user, file=file, on_duplicate=payload.on_duplicate)
    return Status(202, _import_out(job))


@router.get("/imports/{job_id}", response=ImportJobOut, url_name="import_job", summary="导入任务的状态和进度")
def import_job(request, job_id: Id):
    return _import_out(selectors.import_job_get(user=request.user, pk=job_id))


@router.get("/imports/{job_id}/issues", response=list[ImportIssueOut], summary="导入任务发现的错误（行号、列、说明）")
@paginate(Pages, page_size=50, max_page_size=500)
def import_issues(request, job_id: Id):
    return selectors.import_issues(job=selectors.import_job_get(user=request.user, pk=job_id))


@router.post("/exports/persons", response={202: ExportJobOut}, summary="排队导出人员名单（.xlsx），完成后下载")
def export_create(request, payload: PersonExportIn):
    data = payload.dict()
    unmasked, purpose = data.pop("unmasked"), data.pop("purpose")
    job = services.persons_export(user=request.user, filters=PersonFilter(**data), unmasked=unmasked, purpose=purpose)
    return Status(202, _export_out(job))


@router.get("/exports/{job_id}", response=ExportJobOut, url_name="export_job", summary="导出任务的状态和进度")
def export_job(request, job_id: Id):
    return _export_out(selectors.export_job_get(user=request.user, pk=job_id))


@router.get("/exports/{job_id}/file", response={200: None}, url_name="export_file", summary="下载导出的人员名单")
def export_file(request, job_id: Id):
    job = selectors.export_job_get(user=request.user, pk=job_id)
    file = services.export_download(user=request.user, job=job, request=request)
    return file_response(file, selectors.XLSX, filename=selectors.export_file_name(job))
