"""The burden report as an Excel workbook: the month-by-month totals, then per community and per requesting body."""

from io import BytesIO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from linli.core.spreadsheets import row_out

from . import rules
from .selectors import Line, Report

KINDS = list(rules.burden_rules.WORK_KIND_LABELS)
STATES = list(rules.burden_rules.WORK_STATE_LABELS)
HEAD = [
    *rules.burden_rules.WORK_KIND_LABELS.values(),
    gettext_lazy("合计"),
    *rules.burden_rules.WORK_STATE_LABELS.values(),
    gettext_lazy("清单外"),
    gettext_lazy("清单外占比(%)"),
]


def figures(tally: rules.Tally) -> list:
    return [*(tally.by_kind[k] for k in KINDS), tally.total, *(tally.by_state[s] for s in STATES), tally.unlisted,
            tally.unlisted_share]  # fmt: skip


def _lines(sheet, title: str, lines: list[Line], months) -> None:
    sheet.append(row_out([title, _("月份"), *HEAD]))
    for line in lines:
        for month, tally in zip(months, line.row(months), strict=True):
            if tally.total:
                sheet.append(row_out([line.name, f"{month:%Y-%m}", *figures(tally)]))
        sheet.append(row_out([line.name, _("合计"), *figures(line.total)]))
    for cell in sheet[1]:
        cell.font = Font(bold=True)


def workbook(report: Report) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("按月")
    sheet.append(row_out([_("月份"), *HEAD]))
    for month, tally in zip(report.months, report.trend.row(report.months), strict=True):
        sheet.append(row_out([f"{month:%Y-%m}", *figures(tally)]))
    sheet.append(row_out([_("合计"), *figures(report.trend.total)]))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    _lines(book.create_sheet(_("按社区")), _("社区"), report.communities, report.months)
    _lines(book.create_sheet(_("按交办单位")), _("交办单位"), report.requesters, report.months)
    out = BytesIO()
    book.save(out)
    return out.getvalue()
