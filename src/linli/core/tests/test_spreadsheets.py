"""The file checks every import makes before openpyxl reads a workbook: rows counted as a stream (empty and
far-numbered rows included), the unpacked size bounded, worksheets found whatever their member's name."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from linli.core.errors import ValidationFailed
from linli.core.spreadsheets import check_xlsx
from linli.testing.workbooks import empty_rows, forbid_reading, sheet, with_sheet


@pytest.fixture
def no_openpyxl(monkeypatch):
    forbid_reading(monkeypatch)


def upload(content: bytes, name: str = "人员.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def refusal(content: bytes, max_rows: int = 1000) -> str:
    with pytest.raises(ValidationFailed) as exc:
        check_xlsx(upload(content), "人员.xlsx", max_rows=max_rows)
    return exc.value.errors[0].message


def test_five_million_empty_rows_in_a_small_file_are_refused_unread(no_openpyxl):
    content = empty_rows()
    assert len(content) < 60_000
    assert "超过1000行（空行也计算在内）" in refusal(content)


@pytest.mark.parametrize(
    "rows",
    [
        '<row r="2000000000"/>',  # one row, numbered far down: openpyxl would yield every row above it
        '<row r="1e9"/>',  # the same number written as a float, which openpyxl accepts
        '<row r="1"/>' * 1001,  # more row elements than the cap, all numbered 1
        '<x:row xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>' * 1001,  # prefixed
    ],
    ids=["far-numbered", "float-numbered", "repeated-number", "prefixed"],
)
def test_rows_are_counted_as_openpyxl_would_yield_them(no_openpyxl, rows):
    assert "超过1000行" in refusal(with_sheet(sheet(rows)))


def test_a_worksheet_is_found_by_its_content_not_its_name(no_openpyxl):
    assert "超过1000行" in refusal(with_sheet(sheet("<row/>" * 1001), member="xl/hidden/data.bin"))


def test_what_a_file_unpacks_to_is_bounded(no_openpyxl, settings):
    settings.IMPORT_MAX_UNPACKED_BYTES = 100_000
    assert "文件解压后有" in refusal(with_sheet(sheet("<row/>" * 20_000)), max_rows=100_000)


def test_a_readable_file_passes_with_its_row_count(no_openpyxl):
    wb = Workbook()
    for n in range(10):
        wb.active.append([n, f"第{n}行"])
    wb.active.append([])
    wb.active.cell(row=15, column=1, value="末行")  # rows 12-14 empty, as openpyxl would yield them
    buffer = io.BytesIO()
    wb.save(buffer)
    assert check_xlsx(upload(buffer.getvalue()), "人员.xlsx", max_rows=15) == 15
    assert "超过14行" in refusal(buffer.getvalue(), max_rows=14)


def test_a_sheet_that_is_not_xml_is_a_corrupt_file(no_openpyxl):
    assert "文件已损坏" in refusal(with_sheet(sheet("<row/>" * 3)[:-5]))
