"""The indicator report as an Excel workbook: the same rows, order and figures as the page, with the counts behind
them. Served by the page and the API alike."""

from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext, gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from linli.core.spreadsheets import row_out

from .. import rules
from .selectors import Report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def response(report: Report) -> HttpResponse:
    out = BytesIO()
    _workbook(report).save(out)
    answer = HttpResponse(out.getvalue(), content_type=XLSX)
    answer["Content-Disposition"] = content_disposition_header(True, report.filename)
    return answer


COUNT_COLUMNS = [
    ("dispatched", gettext_lazy("已派遣")),
    ("closed", gettext_lazy("已结案")),
    ("due", gettext_lazy("应结案")),
    ("deferred", gettext_lazy("缓办")),
    ("on_time", gettext_lazy("按期结案")),
    ("reworked", gettext_lazy("返工过")),
    ("assigned", gettext_lazy("派单")),
    ("returned", gettext_lazy("退单")),
    ("response_due", gettext_lazy("应签收")),
    ("responded", gettext_lazy("按时签收")),
    ("rated", gettext_lazy("已评价")),
    ("satisfied", gettext_lazy("满意和基本满意")),
]


def export_header(group_label: str) -> list[str]:
    header = [group_label, gettext("案件数")]
    for k, label in rules.INDICATOR_LABELS.items():
        header += [
            gettext("%(label)s（工作小时）") % {"label": label} if k == "avg_handling_hours" else f"{label}（%）",
            gettext("%(label)s排名") % {"label": label},
        ]
    return header + [label for _, label in COUNT_COLUMNS] + [gettext("处置用时合计（工作小时）")]


def _export_row(name: str, counts: rules.Counts, values: rules.Indicators, ranks: dict | None) -> list:
    row = [name, counts.cases]
    for k in rules.INDICATOR_LABELS:
        value = getattr(values, k)
        row += [float(value) if value is not None else "—", (ranks or {}).get(k)]
    return row + [getattr(counts, k) for k, _ in COUNT_COLUMNS] + [float(rules.hours(counts.handling_seconds))]


def _workbook(report: Report) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = gettext("考核指标")
    header = export_header(report.group_label)
    ws.append(row_out(header))
    for row in report.rows:
        ws.append(row_out(_export_row(row.name, row.counts, row.values, row.ranks)))
    ws.append(row_out(_export_row(gettext("合计"), report.total_counts, report.total, None)))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    # Rates and hours keep one decimal, as on the page (100.0, not 100).
    decimal_columns = [3 + 2 * i for i in range(len(rules.INDICATOR_LABELS))] + [len(header)]
    for column in decimal_columns:
        for (cell,) in ws.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = "0.0"
    ws.freeze_panes = "B2"
    ws.column_dimensions["A"].width = 24
    for i in range(2, len(header) + 1):
        ws.column_dimensions[get_column_letter(i)].width = 12
    notes = wb.create_sheet(gettext("说明"))
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["B"].width = 80
    for line in _export_notes(report):
        notes.append(row_out(line))
    return wb


def _export_notes(report: Report) -> list[tuple[str, str]]:
    return [
        (
            gettext("统计期间"),
            gettext("%(isoformat)s 至 %(isoformat2)s（含首尾两日，按受理时间）")
            % {"isoformat": report.first.isoformat(), "isoformat2": report.last.isoformat()},
        ),
        (gettext("统计对象"), report.group_label),
        (gettext("区域范围"), report.region.name if report.region else gettext("全部管辖范围")),
        (gettext("导出时间"), timezone.localtime().strftime("%Y-%m-%d %H:%M")),
        (gettext("案件数"), gettext("期间内受理的案件，不含不予受理和已合并的案件")),
        (
            gettext("响应率"),
            gettext(
                "按时签收 ÷ 应签收：派单在签收时限内签收或退单的比例；"
                "应签收为已签收或退单的派单，加上超过签收时限仍未签收的派单"
            ),
        ),
        (
            gettext("按期结案率"),
            gettext(
                "按期结案 ÷（应结案 − 缓办）；应结案为已结案、未办结但已超过处置时限、缓办中的案件；"
                "缓办已批准的案件不计入分母"
            ),
        ),
        (gettext("结案率"), gettext("已结案 ÷ 案件数")),
        (gettext("返工率"), gettext("已结案案件中核查不通过、返工过的比例")),
        (gettext("退单率"), gettext("退单 ÷ 派单：每次派遣计一单，被退回的计在退单的单位，不计在最终办理的单位")),
        (gettext("满意率"), gettext("已结案并已评价的案件中，评价为满意或基本满意的比例")),
        (gettext("平均处置时长"), gettext("已结案案件从首次派遣到结案的平均工作小时数（按工作日历计算）")),
        (
            gettext("排名"),
            gettext("按各项指标分别排名，并列者名次相同；返工率、退单率、平均处置时长越低越靠前；无数据者不排名"),
        ),
        ("—", gettext("该项指标没有可计算的基数")),
    ]
