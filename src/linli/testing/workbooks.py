"""Hostile .xlsx packages for the upload tests: small files that would keep openpyxl busy for minutes."""

import io
import zipfile

from openpyxl import Workbook
from openpyxl.reader.excel import ExcelReader

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def with_sheet(sheet_xml: str, *, member: str = "xl/worksheets/sheet1.xml") -> bytes:
    """A valid workbook whose worksheet is `sheet_xml`, stored as `member` (openpyxl finds it by relationship)."""
    buffer = io.BytesIO()
    Workbook().save(buffer)
    source = zipfile.ZipFile(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        for item in source.infolist():
            name, data = item.filename, source.read(item)
            if name == "xl/worksheets/sheet1.xml":
                name, data = member, sheet_xml.encode()
            elif name == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"/xl/worksheets/sheet1.xml", f"/{member}".encode())
            package.writestr(name, data)
    return out.getvalue()


def sheet(rows: str) -> str:
    return f'<worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>'


def empty_rows(count: int = 5_000_000) -> bytes:
    """The probe's file: about 45 KB holding five million empty `<row/>` elements."""
    return with_sheet(sheet("<row/>" * count))


def forbid_reading(monkeypatch) -> None:
    """From here on openpyxl may not open a workbook: the checks must refuse the file before it does."""

    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl was asked to read a file the checks should have refused")

    monkeypatch.setattr(ExcelReader, "__init__", refuse)
