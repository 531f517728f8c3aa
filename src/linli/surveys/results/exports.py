"""A survey's results as files: the tables as .xlsx, the forms' data as CSV for statistical software (UTF-8 with a
byte-order mark, so that Excel reads Chinese right) and its codebook. Built from what the selectors read (already
scoped); the services check and audit."""

import csv
import io
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Font

from linli.core.spreadsheets import row_out
from linli.core.text import printable

from .. import rules as survey_rules
from . import rules

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
# A spreadsheet program runs a cell beginning with one of these as a formula: text answers that begin with one are
# written with a leading apostrophe (numbers are written as numbers and keep their sign).
_FORMULA_START = ("=", "+", "-", "@")


def _sheet(ws, header: list[str], rows: Iterable[list]) -> None:
    ws.append(row_out(header))
    for row in rows:
        ws.append(row_out(row))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "B2"
    ws.column_dimensions["A"].width = 22


def _rate(value) -> float | str:
    return "" if value is None else float(value)


def _state_rows(rows: list[rules.StateCounts]) -> Iterable[list]:
    for r in rows:
        yield [r.label, *r.cells, r.total, _rate(r.rate)]


def workbook(survey, progress, tables: dict, errors) -> bytes:
    """`tables`: {"population": Population} for a census, {"hazards": (rows, total)} for a unit survey."""
    wb = Workbook()
    states = [survey_rules.UNIT_STATES[s] for s in rules.STATES]
    _sheet(
        wb.active,
        [gettext("普查小区"), *states, gettext("合计"), gettext("应答率")],
        _state_rows([*progress.by_area, progress.total]),
    )
    wb.active.title = gettext("进度（按小区）")
    _sheet(
        wb.create_sheet(gettext("进度（按普查员）")),
        [gettext("普查员"), *states, gettext("合计"), gettext("应答率")],
        _state_rows(progress.by_enumerator),
    )
    days = progress.days
    _sheet(
        wb.create_sheet(gettext("每日进度")),
        [gettext("日期"), gettext("完成"), gettext("拒访"), gettext("空户"), gettext("已访"), gettext("累计完成")],
        (
            [d, days["done"][n], days["refused"][n], days["empty"][n], days["visited"][n], days["done_total"][n]]
            for n, d in enumerate(days["days"])
        ),
    )
    if "population" in tables:
        pop = tables["population"]
        bands = [label for *_, label in rules.BROAD_BANDS]
        _sheet(
            wb.create_sheet(gettext("人口（按小区）")),
            [gettext("普查小区"), gettext("男"), gettext("女"), gettext("合计"), *bands],
            ([r.label, r.male, r.female, r.total, *r.band_cells] for r in [*pop.by_area, pop.total]),
        )
        _sheet(
            wb.create_sheet(gettext("人口（按年龄）")),
            [gettext("年龄组"), gettext("男"), gettext("女"), gettext("合计")],
            ([r.label, r.male, r.female, r.total] for r in [*pop.by_broad_band, *pop.by_five_year_band]),
        )
    if "hazards" in tables:
        rows, total = tables["hazards"]
        _sheet(
            wb.create_sheet(gettext("职业病危害（按行业）")),
            [
                gettext("行业"),
                gettext("企业数"),
                gettext("职工总数"),
                gettext("接触危害人数"),
                gettext("接触比例"),
                gettext("病例数"),
            ],
            ([r.label, r.enterprises, r.workers, r.exposed, _rate(r.exposed_share), r.cases] for r in [*rows, total]),
        )
    _sheet(
        wb.create_sheet(gettext("差错率")),
        [
            gettext("分组"),
            gettext("项目/普查员/小区"),
            gettext("复核表数"),
            gettext("核对项数"),
            gettext("差错项数"),
            gettext("差错率"),
        ],
        (
            [group, r.label, r.forms, r.checked, r.wrong, _rate(r.rate)]
            for group, rates in (
                (gettext("按项目"), errors.by_item),
                (gettext("按普查员"), errors.by_enumerator),
                (gettext("按小区"), errors.by_area),
            )
            for r in rates
        ),
    )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _csv_cell(value: Any) -> Any:
    if isinstance(value, str):
        value = printable(value)
        return "'" + value if value.startswith(_FORMULA_START) else value
    if isinstance(value, list):
        return ";".join(str(_csv_cell(v)) for v in value)
    return value


def _csv(header: list[str], rows: Iterable[list]) -> tuple[bytes, int]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
        count += 1
    return ("\ufeff" + out.getvalue()).encode("utf-8"), count


def data_csv(definition: dict, forms: Iterable[tuple], table: str | None = None) -> tuple[bytes, int]:
    """One row per form (its questions outside tables), or with `table` one row per row of that table question,
    each led by the unit's key (its position in the frame), its area and the form's version. Returns the file and
    the number of rows."""
    head = ["unit", "area", "form_version"]
    if table is None:
        cols = rules.columns(definition)
        return _csv(
            head + [c.name for c in cols],
            ([unit, area or "", version, *rules.cells(cols, answers)] for unit, area, version, answers in forms),
        )
    (question,) = [t for t in rules.tables(definition) if t["key"] == table]
    cols = rules.table_columns(question)
    return _csv(
        [*head, "row", *(c.name for c in cols)],
        (
            [unit, area or "", version, n, *rules.cells(cols, row)]
            for unit, area, version, answers in forms
            for n, row in enumerate(answers.get(table) or [], 1)
            if isinstance(row, dict)
        ),
    )


def codebook_csv(definition: dict) -> bytes:
    """Each variable of the data files: which file holds it ("main" the one row per form, a table question's key
    its rows), its label, type and codes."""
    fixed = [
        rules.Column("unit", "", gettext("户/单位序号（调查名录中的序号）"), "number", "", "*"),
        rules.Column("area", "", gettext("普查小区编号"), "text", "", "*"),
        rules.Column("form_version", "", gettext("调查表版本号"), "number", "", "*"),
        rules.Column("row", "", gettext("表内行号"), "number", "", gettext("（各表格文件）")),
    ]
    rows = (
        [c.table or "main", c.name, c.label, c.type, c.values, c.unit] for c in [*fixed, *rules.codebook(definition)]
    )
    return _csv(["file", "variable", "label", "type", "values", "unit"], rows)[0]
