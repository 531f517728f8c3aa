"""Excel import and export of persons and households (SPEC §2): the use cases pages and the API call, and the tasks
the worker runs for them.

An import or an export is a job. The request checks at once what it can (the permission, the file's size and rows,
the export's purpose and filters), keeps the upload and queues the job; the worker (`./linli worker`:
django-tasks with its database backend) does the work and reports progress on the job, which the job page and the
API show. No request holds the database's write lock for more than a moment. The import's batches and their undo
are in `importer`.
"""

import logging
import tempfile
from collections.abc import Mapping
from dataclasses import asdict, fields
from datetime import datetime
from typing import IO, Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus, task
from django_tasks.exceptions import TaskResultDoesNotExist
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from linli.accounts.scope import registry_path
from linli.audit.services import MAX_IDS, audit_record
from linli.core.errors import Conflict, DomainError, FieldError, PermissionDenied, ValidationFailed
from linli.core.pages import error_text
from linli.core.pii import mask_id_number, mask_phone
from linli.core.schemas import ID_MAX, whole_number
from linli.core.spreadsheets import CORRUPT_ERRORS, check_xlsx, row_out
from linli.core.text import Kind, check
from linli.people.models import ExportJob, ImportIssue, ImportJob
from linli.people.selectors import PersonFilter, can_export_pii, person_list

from .columns import SHEET_COLUMNS
from .importer import (
    BATCH_SIZE,
    Abandoned,
    PersonsImport,
    RegistryChanged,
    UndoIncomplete,
    beat,
    column_map,
    open_rows,
    undo,
)
from .selectors import check_importer

log = logging.getLogger(__name__)

HEADER_ROWS = 2  # the template's column names and its example row come on top of the data rows


# ---------------------------------------------------------------------------------------------- jobs


def _queue(job, run) -> Any:
    """Hand the saved job to the worker; answer it as it stands then (already ended where tasks run at once)."""
    result = run.enqueue(job.pk)
    type(job).objects.filter(pk=job.pk).update(task_id=result.id)
    job.refresh_from_db()
    return job


def _claim(model, job_id: int):
    """Take up a queued job: one worker only, and never a job the stale-job sweep has already failed."""
    taken = model.objects.filter(pk=job_id, status="queued").update(status="running", heartbeat_at=timezone.now())
    return model.objects.select_related("user").get(pk=job_id) if taken else None


def _end(job, **values) -> None:
    """Write a job's outcome, if it is still running here (the sweep may have ended it meanwhile)."""
    beat(job, finished_at=timezone.now(), **values)


# ---------------------------------------------------------------------------------------------- import


def _check_import(user) -> None:
    check_importer(user)
    if registry_path(user) is None:
        raise PermissionDenied(_("您的账号没有关联辖区，不能导入人员"))


def persons_import(*, user, file: IO[bytes], on_duplicate: str = ImportJob.OnDuplicate.SKIP) -> ImportJob:
    """Queue an import of persons and households from an uploaded .xlsx, all or nothing.

    Problems of the file as a whole (not an .xlsx, corrupt, too big, too many rows) raise ValidationFailed and leave
    no job. Otherwise the upload is kept with a queued job that the worker takes up; it ends "done" with its counts,
    "rejected" with its issues (a header without the template's columns is one) and nothing changed in the
    registry, or "failed" with everything undone.
    """
    _check_import(user)
    if on_duplicate not in ImportJob.OnDuplicate.values:
        raise ValidationFailed([FieldError("on_duplicate", _("请选择已登记人员的处理方式：跳过或更新"))])
    name = (getattr(file, "name", "") or "").rsplit("/", 1)[-1]
    # Only what a stream can tell at once: openpyxl itself may read the whole sheet just to open it.
    rows = check_xlsx(file, name, max_rows=settings.IMPORT_MAX_ROWS + HEADER_ROWS)
    job = ImportJob(
        user=user,
        file_name=name[:200] or _("未命名.xlsx"),
        on_duplicate=on_duplicate,
        progress_total=rows,
        heartbeat_at=timezone.now(),
    )
    job.upload.save(name, file if isinstance(file, File) else File(file))
    return _queue(job, persons_import_run)


@task()
def persons_import_run(job_id: int) -> None:
    """The worker's part of an import: check the whole file, then write it in batches; undo on failure."""
    job = _claim(ImportJob, job_id)
    if job is None:
        return
    try:
        _import(job)
    except Abandoned:
        log.warning("import job %s was taken over by the stale-job sweep", job_id)
    except Exception:
        log.exception("import job %s failed", job_id)
        _undo_and_fail(job, None, _("导入中途出错，已全部撤销；请联系系统管理员"))
        raise


def _import(job: ImportJob) -> None:
    try:
        _check_import(job.user)  # the user's role may have changed since the upload
    except DomainError as exc:
        _finish(job, None, ImportJob.Status.FAILED, error_text(exc))
        return
    work = PersonsImport(user=job.user, job=job, on_duplicate=job.on_duplicate)
    with job.upload.open("rb") as file:
        _check(work, file)
    if work.failed:
        _finish(job, work, ImportJob.Status.REJECTED, _rejected_message(work))
        return
    try:
        work.write()
    except (RegistryChanged, IntegrityError):
        log.warning("import job %s met a concurrent change; undoing it", job.pk, exc_info=True)
        _undo_and_fail(job, work, _("导入期间数据被他人同时修改（如同一证件号码被同时登记），已全部撤销，请重新导入"))
        return
    _finish(job, work, ImportJob.Status.DONE, "")


def _check(work: PersonsImport, file) -> None:
    try:
        wb, header, rows = open_rows(file)
    except ValidationFailed as exc:  # what openpyxl cannot open
        work.file_errors(exc)
        return
    try:
        work.check(rows, column_map(header))
    except ValidationFailed as exc:  # a header without the template's columns
        work.file_errors(exc)
    except CORRUPT_ERRORS:
        work.error(None, "", _("文件读取到一半出错，文件可能已损坏；请用Excel打开检查后重新保存再上传"))
    finally:
        wb.close()


def _undo_and_fail(job: ImportJob, work: PersonsImport | None, message: str) -> None:
    try:
        undo(job)
    except UndoIncomplete:
        log.exception("import job %s could not be undone completely", job.pk)
        message = _(
            "导入未能完成；撤销时发现部分已导入的人员已被其他业务使用（如租赁登记），未能全部撤销，请联系系统管理员"
        )
    _finish(job, work, ImportJob.Status.FAILED, message)


def _rejected_message(work: PersonsImport) -> str:
    text = _("发现%(error_count)s处错误，未导入任何数据；请按错误清单修改后重新上传") % {
        "error_count": work.error_count
    }
    if work.error_count > len(work.issues):
        text += _("（错误过多，只列出前%(len)s处）") % {"len": len(work.issues)}
    return text


def _finish(job: ImportJob, work: PersonsImport | None, status: str, message: str) -> None:
    done = status == ImportJob.Status.DONE
    counts = {"rows": work.rows, "error_count": work.error_count} if work else {}
    if work and done:
        counts.update(
            created=work.created, updated=work.updated, skipped=work.skipped, households_created=work.households_created
        )
    upload = job.upload.name
    with transaction.atomic():
        _end(job, status=status, message=message[:300], upload="", **counts)
        if status == ImportJob.Status.REJECTED:
            ImportIssue.objects.bulk_create(
                (
                    ImportIssue(job=job, row=row, column=column[:20], message=msg[:300])
                    for row, column, msg in work.issues
                ),
                batch_size=BATCH_SIZE,
            )
        if done:
            job.steps.all().delete()
        audit_record(
            actor=job.user,
            action="import",
            object_type="person",
            object_ids=work.changed_ids if work and done else (),
            count=job.created + job.updated,
            detail=(
                f"导入任务#{job.pk} {job.file_name}：{job.get_status_display()}；共{job.rows}行，新增{job.created}人、"
                f"更新{job.updated}人、跳过{job.skipped}人、新增{job.households_created}户，错误{job.error_count}处"
            ),
        )
    _discard(job.upload, upload)


def _discard(field_file, name: str) -> None:
    """Delete a file a job no longer names: uploads and exports hold personal data, so none is kept longer."""
    if name:
        field_file.storage.delete(name)


# ---------------------------------------------------------------------------------------------- export

# The import template's columns, so an unmasked export can be corrected and imported back; then the grid.
EXPORT_HEADER = [c.label for c in SHEET_COLUMNS] + ["网格"]
EXPORT_FILTERS = ("region", "grid", "tag", "residence_type", "gender", "age_min", "age_max", "name")
_INT_FILTERS = {"region": "区域", "grid": "网格", "age_min": "最小年龄", "age_max": "最大年龄"}
EXPORT_CHUNK = 2000  # persons read per query, and between progress reports


def export_filters(params: Mapping[str, Any]) -> PersonFilter:
    """The person list's filters from query parameters; blank ones are ignored, bad numbers refused."""
    values: dict[str, Any] = {}
    errors = []
    for name in EXPORT_FILTERS:
        text = str(params.get(name) or "").strip()
        if not text:
            continue
        if name in _INT_FILTERS:
            values[name] = whole_number(text, 0, ID_MAX)
            if values[name] is None:
                errors.append(FieldError(name, _("%(INT_FILTERS)s应为数字") % {"INT_FILTERS": _INT_FILTERS[name]}))
        elif problem := check(text, Kind.LINE):
            errors.append(FieldError(name, problem.message))
        else:
            values[name] = text[:50]
    if errors:
        raise ValidationFailed(errors)
    return PersonFilter(**values)


def describe_filters(filters: PersonFilter) -> str:
    used = {f.name: v for f in fields(filters) if (v := getattr(filters, f.name)) not in (None, "")}
    return urlencode(used) or _("全部")


def _row(person, unmasked: bool) -> list:
    household = person.household
    house = household.house if household else None
    unit = house.unit if house else None
    building = unit.building if unit else None
    id_number = person.id_number if unmasked else mask_id_number(person.id_number)
    phone = person.phone if unmasked else mask_phone(person.phone)
    tags = ",".join(
        _("%(name)s(%(grade)s级)") % {"name": link.tag.name, "grade": link.grade} if link.grade else link.tag.name
        for link in person.visible_tags
    )
    return [
        household.number if household else "",
        household.get_kind_display() if household else "",
        building.estate.name if building else "",
        building.number if building else "",
        unit.number if unit else "",
        house.number if house else "",
        person.name,
        person.get_id_type_display(),
        id_number,
        person.get_gender_display(),
        person.birth_date.isoformat() if person.birth_date else "",
        person.ethnicity,
        phone,
        person.hukou_address,
        person.current_address,
        person.get_residence_type_display(),
        person.get_education_display(),
        person.get_employment_display(),
        person.employer,
        person.get_political_status_display(),
        person.get_marital_status_display(),
        person.get_relationship_display(),
        person.note,
        tags,
        person.grid.name,
    ]


def _check_export(*, user, filters: PersonFilter, unmasked: bool, purpose: str) -> str:
    """Who may export what; the purpose as it will be recorded."""
    if registry_path(user) is None:
        raise PermissionDenied(_("您的角色不能导出人口信息"))
    purpose = (purpose or "").strip()
    if unmasked:
        if not can_export_pii(user):
            raise PermissionDenied(_("您没有导出完整证件号码和电话的权限"))
        if len(purpose) < 2:
            raise ValidationFailed([FieldError("purpose", _("导出完整信息须填写用途"))], detail=_("请填写导出用途"))
    person_list(user=user, filters=filters)  # a region filter outside the user's scope answers 404 here
    return purpose


def persons_export(*, user, filters: PersonFilter, unmasked: bool = False, purpose: str = "") -> ExportJob:
    """Queue an export of the filtered person list as .xlsx; the worker writes it (persons_export_run).

    ID and phone numbers are masked unless the user holds people.export_pii and asked for full numbers with a
    stated purpose. Each download of the file is written to the audit log (export_download).
    """
    purpose = _check_export(user=user, filters=filters, unmasked=unmasked, purpose=purpose)
    job = ExportJob.objects.create(
        user=user,
        filters={name: value for name, value in asdict(filters).items() if value not in (None, "")},
        unmasked=unmasked,
        purpose=purpose,
        heartbeat_at=timezone.now(),
    )
    return _queue(job, persons_export_run)


@task()
def persons_export_run(job_id: int) -> None:
    """The worker's part of an export: the file, streamed from the database, with progress on the job."""
    job = _claim(ExportJob, job_id)
    if job is None:
        return
    try:
        filters = PersonFilter(**job.filters)
        _check_export(user=job.user, filters=filters, unmasked=job.unmasked, purpose=job.purpose)
        with tempfile.TemporaryFile() as out:
            count, ids = persons_workbook(user=job.user, filters=filters, unmasked=job.unmasked, out=out, job=job)
            out.seek(0)
            job.file.save("export.xlsx", File(out), save=False)
        try:
            _end(job, status=ExportJob.Status.DONE, count=count, object_ids=ids, file=job.file.name, progress=count)
        except Abandoned:
            _discard(job.file, job.file.name)
            raise
    except Abandoned:
        log.warning("export job %s was taken over by the stale-job sweep", job_id)
    except DomainError as exc:  # the user lost the permission since asking
        _end(job, status=ExportJob.Status.FAILED, message=error_text(exc)[:300])
    except Http404:  # or the region named in the filters
        _end(job, status=ExportJob.Status.FAILED, message=_("筛选的区域已不在您的辖区内，请重新选择后导出"))
    except Exception:
        log.exception("export job %s failed", job_id)
        _end(job, status=ExportJob.Status.FAILED, message=_("导出中途出错，请重新导出；如仍出错请联系系统管理员"))
        raise


def persons_workbook(*, user, filters: PersonFilter, unmasked: bool, out: IO[bytes], job: ExportJob) -> tuple:
    """Write the person list to `out` as .xlsx, streaming; answer the count and the first ids (for the audit)."""
    qs = person_list(user=user, filters=filters).select_related("household__house__unit__building__estate")
    beat(job, progress=0, progress_total=qs.count())
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("人员"))
    for index, column in enumerate(SHEET_COLUMNS):
        ws.column_dimensions[get_column_letter(index + 1)].width = column.width
    ws.freeze_panes = "A2"
    ws.append(EXPORT_HEADER)
    count, ids = 0, []
    for person in qs.iterator(chunk_size=EXPORT_CHUNK):
        ws.append(row_out(_row(person, unmasked)))
        count += 1
        if len(ids) < MAX_IDS:
            ids.append(person.pk)
        if count % EXPORT_CHUNK == 0:
            beat(job, progress=count)
    wb.save(out)
    return count, ids


def export_download(*, user, job: ExportJob, request=None):
    """The finished file of the user's own export, written to the audit log with its count, purpose and filters."""
    if job.status != ExportJob.Status.DONE or not job.file:
        expired = job.status == ExportJob.Status.EXPIRED
        raise Conflict(_("导出文件已过期，请重新导出") if expired else _("导出文件尚未生成，请稍候"))
    audit_record(
        actor=user,
        action="export",
        object_type="person",
        object_ids=job.object_ids,
        count=job.count,
        purpose=job.purpose,
        detail=(
            f"{'完整信息' if job.unmasked else '脱敏'}导出人员名单（导出任务#{job.pk}）；"
            f"筛选条件：{describe_filters(PersonFilter(**job.filters))}"
        ),
        request=request,
    )
    return job.file


# ---------------------------------------------------------------------------------------------- stale jobs


def fail_stale_jobs(*, now: datetime | None = None) -> list[str]:
    """Mark failed, with their reason, the jobs whose worker died; delete export files past their keeping time.

    A running job whose heartbeat is older than JOB_STALE_AFTER lost its worker: an import's written batches are
    undone first. A queued job that old whose task is no longer waiting in the queue will never run. Run every
    minute by the scheduler (linli.ops.jobs), and by `./linli manage fail_stale_jobs`; answers a line per job.
    """
    now = now or timezone.now()
    cutoff = now - settings.JOB_STALE_AFTER
    minutes = int(settings.JOB_STALE_AFTER.total_seconds() // 60)
    report = []
    running = ImportJob.objects.filter(status=ImportJob.Status.RUNNING, heartbeat_at__lt=cutoff)
    for pk in running.values_list("pk", flat=True):
        # Taking the job over is one conditional update: its worker, if alive after all, stops at its next batch.
        if not running.filter(pk=pk).update(stage=ImportJob.Stage.UNDO, heartbeat_at=now):
            continue
        job = ImportJob.objects.select_related("user").get(pk=pk)
        message = _("导入中断：超过%(minutes)s分钟没有进展（处理进程可能已停止），已撤销已写入的数据；请重新导入") % {
            "minutes": minutes
        }
        _undo_and_fail(job, None, message)
        report.append(_("导入任务#%(pk)s：%(message)s") % {"pk": pk, "message": job.message})
    for pk, name in ExportJob.objects.filter(status=ExportJob.Status.RUNNING, heartbeat_at__lt=cutoff).values_list(
        "pk", "file"
    ):
        message = _("导出中断：超过%(minutes)s分钟没有进展（处理进程可能已停止）；请重新导出") % {"minutes": minutes}
        if _fail_if(ExportJob, pk, ExportJob.Status.RUNNING, cutoff, message, now):
            _discard(ExportJob().file, name)
            report.append(_("导出任务#%(pk)s：%(message)s") % {"pk": pk, "message": message})
    for model, run, again in ((ImportJob, persons_import_run, _("导入")), (ExportJob, persons_export_run, _("导出"))):
        for pk, task_id in model.objects.filter(status="queued", heartbeat_at__lt=cutoff).values_list("pk", "task_id"):
            if _waiting(run, task_id):
                continue  # still in the queue behind other work
            message = _(
                "排队超过%(minutes)s分钟仍未开始，后台任务进程可能没有运行；请联系系统管理员，或重新%(again)s"
            ) % {"minutes": minutes, "again": again}
            if _fail_if(model, pk, "queued", cutoff, message, now):
                if model is ImportJob:
                    upload = ImportJob.objects.filter(pk=pk).values_list("upload", flat=True).get()
                    ImportJob.objects.filter(pk=pk).update(upload="")
                    _discard(ImportJob().upload, upload)
                report.append(_("%(again)s任务#%(pk)s：%(message)s") % {"again": again, "pk": pk, "message": message})
    expired = ExportJob.objects.filter(status=ExportJob.Status.DONE, finished_at__lt=now - settings.EXPORT_KEEP)
    for pk, name in expired.values_list("pk", "file"):
        if expired.filter(pk=pk).update(status=ExportJob.Status.EXPIRED, file=""):
            _discard(ExportJob().file, name)
    return report


def _fail_if(model, pk: int, status: str, cutoff: datetime, message: str, now: datetime) -> bool:
    """Fail the job if it is still as stale as it was found."""
    return bool(
        model.objects.filter(pk=pk, status=status, heartbeat_at__lt=cutoff).update(
            status="failed", message=message, finished_at=now
        )
    )


def _waiting(run, task_id: str) -> bool:
    """Whether the job's task still waits in the queue (a backend that keeps no results cannot say: it does not)."""
    try:
        return bool(task_id) and run.get_result(task_id).status == TaskResultStatus.READY
    except (TaskResultDoesNotExist, NotImplementedError):
        return False
