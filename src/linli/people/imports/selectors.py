"""Reads of the person workbook: the import template, import and export jobs, an import's issues."""

from io import BytesIO
from typing import IO, Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from linli.accounts.roles import IMPORT_REGISTRY, REGISTRY, can, is_admin
from linli.accounts.scope import get_or_404
from linli.core.errors import PermissionDenied
from linli.core.spreadsheets import cell_out, row_out
from linli.people import rules
from linli.people.models import ExportJob, ImportJob
from linli.people.selectors import tag_rows

from .columns import EXAMPLE_PREFIX, SHEET_COLUMNS, SHEET_NAME, TEXT_FORMAT

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def can_import(user) -> bool:
    return can(user, REGISTRY, IMPORT_REGISTRY)


def check_importer(user) -> None:
    if not can_import(user):
        raise PermissionDenied(_("您的角色不能维护人口信息"))


# ---------------------------------------------------------------------------------------------- template


def _example_row() -> dict[str, Any]:
    body = "21010319850612003"
    return {
        "household_number": f"{EXAMPLE_PREFIX}0001",
        "kind": _("家庭户"),
        "estate": _("幸福里"),
        "building": "3",
        "unit": "1",
        "house_number": "502",
        "name": _("王建国"),
        "id_type": _("居民身份证"),
        "id_number": body + rules.id_check_char(body),
        "gender": _("男"),
        "birth_date": "1985-06-12",
        "ethnicity": _("汉族"),
        "phone": "13812345678",
        "hukou_address": _("辽宁省沈阳市沈河区"),
        "current_address": _("幸福里3号楼1单元502"),
        "residence_type": _("户籍人口"),
        "education": _("大学本科"),
        "employment": _("在业"),
        "employer": _("沈阳市第一医院"),
        "political_status": _("中共党员"),
        "marital_status": _("有配偶"),
        "relationship": _("户主"),
        "note": _("示例行（户号以“示例”开头的行导入时会跳过）"),
        "tags": _("退役军人"),
    }


def persons_template(*, user) -> bytes:
    """The import template: a header row, an example row, dropdowns for choice columns and a 说明 sheet."""
    check_importer(user)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_NAME
    options = wb.create_sheet(_("选项"))
    guide = wb.create_sheet(_("说明"))

    header_fill = PatternFill("solid", fgColor="F0F2F4")
    example = _example_row()
    for index, column in enumerate(SHEET_COLUMNS, start=1):
        letter = get_column_letter(index)
        cell = ws.cell(row=1, column=index, value=column.label)
        cell.font = Font(bold=True, color="B3261E" if column.required else "1F2328")
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center")
        cell.comment = Comment((_("必填。") if column.required else "") + column.help, _("邻里"))
        ws.column_dimensions[letter].width = column.width
        if column.text:
            ws.column_dimensions[letter].number_format = TEXT_FORMAT
        sample = ws.cell(row=2, column=index, value=example[column.field])
        sample.font = Font(italic=True, color="656D76")
        if column.text:
            sample.number_format = TEXT_FORMAT
        if column.choices:
            options.cell(row=1, column=index, value=column.label)
            for offset, label in enumerate(column.choices, start=2):
                options.cell(row=offset, column=index, value=label)
            source = f"{quote_sheetname(options.title)}!${letter}$2:${letter}${len(column.choices) + 1}"
            validation = DataValidation(
                type="list",
                formula1=source,
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=_("请从下拉列表中选择"),
                error=_("%(label)s应为下拉列表中的一项。") % {"label": column.label},
            )
            validation.add(f"{letter}2:{letter}100001")
            ws.add_data_validation(validation)
    ws.freeze_panes = "A2"
    options.sheet_state = "hidden"

    guide.column_dimensions["A"].width = 14
    guide.column_dimensions["B"].width = 8
    guide.column_dimensions["C"].width = 90
    guide.append([_("人员信息导入说明")])
    guide["A1"].font = Font(bold=True, size=14)
    for line in (
        _(
            "1. 在“人员登记”表中每行填写一人，第1行为列名，请勿修改列名；"
            "第2行是示例，可直接覆盖或保留（户号以“示例”开头的行不会导入）。"
        ),
        _(
            "2. 整个文件先全部校验：只要有一处错误，就不导入任何数据，"
            "并列出每处错误的行号、列名和原因；改正后重新上传即可。"
        ),
        _(
            "3. 证件号码已在系统中登记的人员，可选择“跳过”或“用表中内容更新”；更新时表中留空的项保留原值。"
            "已在其他辖区登记的人员不能导入，请与该辖区联系。"
        ),
        _("4. 同一户号的成员归入同一户；新户的房屋须已在系统中登记（小区、楼栋、单元、房号与系统一致）。"),
        _(
            "5. 单个文件不超过%(value)sMB，一次最多%(IMPORT_MAX_ROWS)s行（表中的空行也计算在内，请删去多余的"
            "空行）。只接受 .xlsx 格式。"
        )
        % {"value": settings.IMPORT_MAX_BYTES // (1024 * 1024), "IMPORT_MAX_ROWS": settings.IMPORT_MAX_ROWS},
    ):
        guide.append([line])
    guide.append([])
    guide.append([_("列名"), _("必填"), _("填写说明")])
    for cell in guide[guide.max_row]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
    for column in SHEET_COLUMNS:
        help_text = column.help
        if column.choices and column.field != "ethnicity":
            help_text += _("可选：") + "、".join(map(str, column.choices)) + "。"
        guide.append([column.label, _("是") if column.required else "", help_text])
    names = [f"{t.name}{'（分1-4级）' if t.graded else ''}" for t in tag_rows(user)]
    guide.append([])
    guide.append([_("可用标签"), "", cell_out("、".join(names))])
    for row in guide.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------- jobs


def sees_everyones_jobs(user) -> bool:
    return is_admin(user)


def import_jobs(*, user) -> QuerySet:
    """The user's own import jobs; administrators see everyone's."""
    qs = ImportJob.objects.select_related("user")
    if not sees_everyones_jobs(user):
        qs = qs.filter(user=user)
    return qs.order_by("-started_at", "-id")


def import_job_get(*, user, pk: int) -> ImportJob:
    return get_or_404(import_jobs(user=user), pk=pk)


def export_jobs(*, user) -> QuerySet:
    """The user's own exports: the file holds what this user may see, so nobody else (administrators neither)
    downloads it."""
    return ExportJob.objects.filter(user=user).order_by("-started_at", "-id")


def export_job_get(*, user, pk: int) -> ExportJob:
    return get_or_404(export_jobs(user=user), pk=pk)


def export_file_name(job: ExportJob) -> str:
    return _("人员名单-%(localtime)s.xlsx") % {
        "localtime": format(timezone.localtime(job.finished_at or job.started_at), "%Y%m%d")
    }


_ACTIVE = ("queued", "running")


def job_progress(job: ImportJob | ExportJob) -> dict[str, Any]:
    """Whether the job is still under way, and how far it got, as the job pages and the API show it."""
    done, total = job.progress, job.progress_total
    if job.status == "queued":
        text = _("排队等待处理")
    elif job.status != "running":
        text = job.get_status_display()
    elif isinstance(job, ExportJob):
        text = _("正在导出：%(done)s/%(total)s人") % {"done": done, "total": total}
    elif job.stage == ImportJob.Stage.CHECK:
        text = _("正在检查：第%(done)s行，共%(total)s行") % {"done": done, "total": total}
    elif job.stage == ImportJob.Stage.WRITE:
        text = _("正在写入：%(done)s/%(total)s人") % {"done": done, "total": total}
    else:
        text = _("出错了，正在撤销已写入的数据：%(done)s/%(total)s批") % {"done": done, "total": total}
    return {
        "active": job.status in _ACTIVE,
        "progress": done,
        "progress_total": total,
        "percent": min(100, done * 100 // total) if total else 0,
        "progress_text": text,
    }


def import_issues(*, job: ImportJob) -> QuerySet:
    return job.issues.order_by("row", "id")


def issues_workbook(*, job: ImportJob, out: IO[bytes]) -> None:
    """The issues of a job as an .xlsx (write_only, so a 10,000-line report stays small in memory)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("错误清单"))
    ws.column_dimensions["A"].width = 8
    ws.column_dimensions["B"].width = 14
    ws.column_dimensions["C"].width = 80
    ws.append(
        row_out([_("文件：%(file_name)s") % {"file_name": job.file_name}, "", job.message or job.get_status_display()])
    )
    ws.append([_("行号"), _("列"), _("错误说明")])
    for row, column, message in import_issues(job=job).values_list("row", "column", "message").iterator(2000):
        ws.append(row_out([row or "", column, message]))
    wb.save(out)
