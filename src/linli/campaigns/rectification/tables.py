"""The 整改台账 as an .xlsx workbook, for the register page's export and the API."""

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from linli.core.spreadsheets import row_out


def register_xlsx(rows) -> bytes:
    """One row per finding (selectors.FindingRow), in the register's columns."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("整改台账")
    header = [
        _("编号"),
        _("工作方案"),
        _("小区"),
        _("问题分类"),
        _("问题描述"),
        _("责任单位"),
        _("状态"),
        _("整改时限"),
        _("是否超期"),
        _("返工次数"),
        _("是否整改不力"),
        _("消号日期"),
    ]
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        c = r.case
        ws.append(
            row_out(
                [
                    c.number,
                    c.plan.title if c.plan else "",
                    c.estate.name if c.estate else c.region.name,
                    c.category.name,
                    c.description,
                    c.lead_department.name if c.lead_department else _("（待派遣）"),
                    c.get_state_display(),
                    timezone.localtime(c.due_at).date() if c.due_at else None,
                    _("是") if r.overdue else _("否"),
                    c.rework_count,
                    _("是") if r.failed else _("否"),
                    timezone.localtime(c.closed_at).date() if c.closed_at else None,
                ]
            )
        )
    for letter, width in zip("ABCDEFGHIJKL", (14, 30, 18, 12, 40, 24, 14, 12, 10, 10, 14, 12), strict=True):
        ws.column_dimensions[letter].width = width
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
