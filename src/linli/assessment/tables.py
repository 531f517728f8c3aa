"""A round's results as .xlsx, for the results page and the API alike: the ranking, and a second sheet of each
unit's item scores in its final stage. Takes the report `selectors.round_report` made (already scoped)."""

from io import BytesIO

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.styles import Font

from linli.core.spreadsheets import row_out
from linli.core.text import Kind, printable

from . import rules, selectors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def results_download(rnd) -> HttpResponse:
    response = HttpResponse(results_workbook(rnd), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        True, printable(f"{rnd.name}_测评结果.xlsx", Kind.LINE)
    )
    return response


def results_workbook(rnd) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "测评结果"
    header = ["名次", "单位", "所处阶段"] + [f"{rules.STAGE_LABELS[s]}得分" for s in rules.STAGES] + ["最终得分"]
    header += ["星数", "评定结果"] if rnd.stars else ["等次"]
    ws.append(header)
    for r in rnd.results:
        line = [r.rank or "—", r.unit.region.name, r.stage_label]
        line += [float(r.stage_totals[s]) if r.stage_totals[s] is not None else "" for s in rules.STAGES]
        line += [float(r.total) if r.total is not None else ""]
        line += [r.stars if r.stars is not None else "", r.level] if rnd.stars else [r.level]
        ws.append(row_out(line))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.column_dimensions["B"].width = 18
    ws.freeze_panes = "C2"
    _detail_sheet(wb.create_sheet("得分明细"), rnd)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _detail_sheet(ws, rnd) -> None:
    items, points = selectors.final_scores(rnd)
    ws.append(
        row_out(
            ["单位", "阶段"] + [f"{i.indicator.name}：{i.content[:12]}（{rules.fmt(i.max_points)}分）" for i in items]
        )
    )
    for r in rnd.results:
        if r.final_stage:
            ws.append(
                row_out([r.unit.region.name, r.final_label] + [float(points.get((r.unit.pk, i.pk), 0)) for i in items])
            )
    for cell in ws[1]:
        cell.font = Font(bold=True)
