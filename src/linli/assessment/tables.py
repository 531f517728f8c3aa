"""A round's results as .xlsx, for the results page and the API alike: the ranking, and a second sheet of each
unit's item scores in its final stage. Takes the report `selectors.round_report` made (already scoped)."""

from io import BytesIO

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from linli.core.spreadsheets import row_out
from linli.core.text import Kind, printable

from . import rules, selectors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def results_download(rnd) -> HttpResponse:
    response = HttpResponse(results_workbook(rnd), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        True, printable(_("%(name)s_测评结果.xlsx") % {"name": rnd.name}, Kind.LINE)
    )
    return response


def results_workbook(rnd) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("测评结果")
    header = (
        [_("名次"), _("单位"), _("所处阶段")]
        + [_("%(STAGE_LABELS)s得分") % {"STAGE_LABELS": rules.STAGE_LABELS[s]} for s in rules.STAGES]
        + [_("最终得分")]
    )
    header += [_("星数"), _("评定结果")] if rnd.stars else [_("等次")]
    ws.append(row_out(header))
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
    _detail_sheet(wb.create_sheet(_("得分明细")), rnd)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _detail_sheet(ws, rnd) -> None:
    items, points = selectors.final_scores(rnd)
    ws.append(
        row_out(
            [_("单位"), _("阶段")]
            + [
                _("%(name)s：%(content)s（%(fmt)s分）")
                % {"name": i.indicator.name, "content": i.content[:12], "fmt": rules.fmt(i.max_points)}
                for i in items
            ]
        )
    )
    for r in rnd.results:
        if r.final_stage:
            ws.append(
                row_out([r.unit.region.name, r.final_label] + [float(points.get((r.unit.pk, i.pk), 0)) for i in items])
            )
    for cell in ws[1]:
        cell.font = Font(bold=True)
