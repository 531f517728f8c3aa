"""A box as a zip: an index sheet (目录.xlsx: 序号、类别、标题、日期、标签、文件名) and each item's file in a folder of
its category ("01-上级文件/…"), written to a temporary file on disk so a box of large files never sits in memory."""

import tempfile
import zipfile
from io import BytesIO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from linli.core.spreadsheets import row_out

from . import rules, selectors
from .models import Box

INDEX = gettext_lazy("目录.xlsx")
HEADER = (
    gettext_lazy("序号"),
    gettext_lazy("类别"),
    gettext_lazy("标题"),
    gettext_lazy("日期"),
    gettext_lazy("标签"),
    gettext_lazy("文件名"),
)
CHUNK = 1024 * 1024


def zip_name(box: Box) -> str:
    return rules.safe_name(
        _("%(name)s-%(year)s年-%(topic)s.zip") % {"name": box.region.name, "year": box.year, "topic": box.topic}
    )


def _index(box: Box, rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("目录")
    sheet.append(
        row_out(
            [
                _("%(name)s %(year)s年 %(topic)s 档案目录")
                % {"name": box.region.name, "year": box.year, "topic": box.topic}
            ]
        )
    )
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(row_out(HEADER))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row_out(row))
    for column, width in zip("ABCDEF", (6, 12, 40, 12, 24, 40), strict=True):
        sheet.column_dimensions[column].width = width
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def write_zip(box: Box):
    """The box's zip in a temporary file (positioned at its start; deleted when closed) and how many items it
    holds. Items without a file are in the index only; a file gone from storage is listed as 文件缺失."""
    contents = selectors.box_contents(box)
    handle = tempfile.TemporaryFile()
    rows, taken, n = [], set(), 0
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for order, shelf in enumerate(contents.shelves, start=1):
            folder = rules.folder_name(order, shelf.category.name)
            for item in shelf.items:
                n += 1
                shown = ""
                if item.file:
                    name = rules.unique_name(f"{folder}/{rules.safe_name(item.file_name or 'file')}", taken)
                    try:
                        with item.file.open("rb") as src, archive.open(name, "w", force_zip64=True) as dst:
                            while chunk := src.read(CHUNK):
                                dst.write(chunk)
                        shown = name
                    except FileNotFoundError:
                        shown = _("%(file_name)s（文件缺失）") % {"file_name": item.file_name}
                tags = "、".join(item.tags or [])
                rows.append([n, shelf.category.name, item.title, item.date, tags, shown])
        archive.writestr(INDEX, _index(box, rows))
    handle.seek(0)
    return handle, n
