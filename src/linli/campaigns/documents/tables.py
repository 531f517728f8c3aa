"""A plan's 任务分解表 as .xlsx: the annex's columns, ready to send to the units and to import back (task_import)."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from linli.core.spreadsheets import cell_out

from ..models import Plan, ProgressReport, TaskUnit
from ..plans import rules as plan_rules
from .selectors import COLUMNS, annex_title, task_rows

SHEET_NAME = "任务分解表"
PROGRESS_SHEET = "单位进度"
COLUMN_WIDTHS = (8, 28, 44, 18, 22, 12, 12, 16, 16)
HEADER_ROW = 3  # title, a blank line, then the header: what an office sends looks like this

_thin = Side(style="thin", color="808080")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
HEADER_FILL = PatternFill("solid", fgColor="F0F2F4")


def tasks_xlsx(plan: Plan) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_NAME
    ws.cell(row=1, column=1, value=cell_out(annex_title(plan.title))).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    ws.cell(row=2, column=1, value=cell_out(f"{plan.issuer} {plan.doc_number}".strip())).font = Font(color="656D76")
    for index, (label, width) in enumerate(zip(COLUMNS, COLUMN_WIDTHS, strict=True), start=1):
        cell = ws.cell(row=HEADER_ROW, column=index, value=cell_out(label))
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(index)].width = width
    wrap = Alignment(vertical="top", wrap_text=True)
    for offset, row in enumerate(task_rows(plan), start=HEADER_ROW + 1):
        for index, value in enumerate(row.cells(), start=1):
            cell = ws.cell(row=offset, column=index, value=cell_out(value) or None)
            cell.alignment = wrap
            cell.border = BORDER
            if row.level == 1 and index <= 2:
                cell.font = Font(bold=True)
        if row.task.due_on:
            # A real date cell, so Excel sorts and filters by it; shown the way the document writes it.
            due = ws.cell(row=offset, column=COLUMNS.index("完成时限") + 1, value=row.task.due_on)
            due.number_format = _('yyyy"年"m"月"d"日"')
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=3)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(COLUMNS))}{max(ws.max_row, HEADER_ROW)}"
    _progress_sheet(wb, plan)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _progress_sheet(wb: Workbook, plan: Plan) -> None:
    """Per unit: the tasks it is named on, the reports it has made and the mean progress of its latest ones."""
    ws = wb.create_sheet(PROGRESS_SHEET)
    header = (_("单位"), _("牵头任务数"), _("责任任务数"), _("已报送次数"), _("最近一期平均进度(%)"))
    for index, (label, width) in enumerate(zip(header, (28, 12, 12, 12, 20), strict=True), start=1):
        cell = ws.cell(row=1, column=index, value=label)
        cell.font, cell.fill, cell.border = Font(bold=True), HEADER_FILL, BORDER
        ws.column_dimensions[get_column_letter(index)].width = width
    units: dict[str, list[int]] = {}
    unit_of: dict[int, str] = {}
    for pk, org, region, unit_role in TaskUnit.objects.filter(task__plan=plan).values_list(
        "pk", "organization__name", "region__name", "role"
    ):
        name = unit_of[pk] = org or region
        units.setdefault(name, [0, 0])[0 if plan_rules.is_lead(unit_role) else 1] += 1
    latest: dict[int, int] = {}
    sent: dict[str, int] = {}
    # Reports come in period order, so the last one seen per task unit is its latest.
    reports = ProgressReport.objects.filter(task_unit__task__plan=plan).order_by("period")
    for task_unit, progress in reports.values_list("task_unit", "progress"):
        latest[task_unit] = progress
        sent[unit_of[task_unit]] = sent.get(unit_of[task_unit], 0) + 1
    by_unit: dict[str, list[int]] = {}
    for task_unit, progress in latest.items():
        by_unit.setdefault(unit_of[task_unit], []).append(progress)
    for row, (name, (lead, responsible)) in enumerate(sorted(units.items()), start=2):
        values = by_unit.get(name)
        mean = round(sum(values) / len(values), 1) if values else None
        for index, value in enumerate((name, lead, responsible, sent.get(name, 0), mean), start=1):
            ws.cell(row=row, column=index, value=cell_out(value)).border = BORDER
    ws.freeze_panes = "A2"
