"""Excel files in and out: for every import the file checks before parsing, the errors a broken file raises, and
cells as text; for every export the values as a cell may hold them.

openpyxl gives one row for every `<row>` element and fills the gaps up to a row's `r` number with empty rows, so a
small file of empty or far-numbered rows keeps it busy for minutes. `check_xlsx` therefore opens the package itself
first, bounds what it unpacks to, and counts the rows of every worksheet as a stream (lxml, entities off), stopping
at the cap: such a file is refused before openpyxl reads it.
"""

import unicodedata
import zipfile
import zlib
from collections.abc import Iterable
from datetime import date, datetime
from typing import IO, Any, NoReturn
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lxml import etree
from openpyxl.utils.exceptions import InvalidFileException

from linli.core import uploads
from linli.core.errors import FieldError, ValidationFailed
from linli.core.text import printable


def cell_out(value: Any) -> Any:
    """A value as an exported workbook holds it: text through linli.core.text.printable, so that no character stored
    before the rule was enforced (a NUL, a control, a lone surrogate) can make a download fail."""
    return printable(value) if isinstance(value, (str, Promise)) else value  # Promise: a gettext_lazy label


def row_out(values: Iterable[Any]) -> list:
    return [cell_out(v) for v in values]


def cell_text(value: Any) -> str:
    """A cell as typed: Excel keeps digits typed as numbers as floats, dates as datetimes."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def plain(value: Any) -> str:
    """A cell as text for codes and numbers: full-width digits and letters become ASCII (NFKC)."""
    return unicodedata.normalize("NFKC", cell_text(value)).strip()


# Cells right of this column are not read: a cell numbered XFD would otherwise widen every row to 16,384 cells.
MAX_COLUMNS = 200
_XML = {"resolve_entities": False, "no_network": True, "load_dtd": False}


def _refuse(message: str, detail: str | None = None) -> NoReturn:
    raise ValidationFailed([FieldError("file", message)], detail=detail or message)


def check_xlsx(file: IO[bytes], name: str, *, max_rows: int) -> int:
    """Refuse what is not an .xlsx we can read in bounded time; return the most rows a worksheet has.

    `max_rows` bounds every worksheet's rows, empty ones and the header included.
    """
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
    file.seek(0)
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        _refuse(
            _("文件大小为%(value)sMB，超过了%(value2)sMB的上限，请拆分后分批导入")
            % {"value": format(size / 1048576, ".1f"), "value2": limit // 1048576},
            _("文件过大"),
        )
    uploads.check(file, uploads.workbook(limit), field="file", label=_("上传的文件"), name=name)
    try:
        return _count_rows(file, max_rows)
    except (*CORRUPT_ERRORS, etree.LxmlError):
        _refuse(CORRUPT_MESSAGE)
    finally:
        file.seek(0)


def _count_rows(file: IO[bytes], max_rows: int) -> int:
    with zipfile.ZipFile(file) as archive:
        members = archive.infolist()
        # zipfile stops at a member's declared size (and fails its CRC), so the declared sizes bound the unpacking.
        unpacked = sum(m.file_size for m in members)
        if unpacked > settings.IMPORT_MAX_UNPACKED_BYTES:
            _refuse(
                _(
                    "文件解压后有%(value)sMB，超过了%(value2)sMB的上限，可能不是正常的Excel文件；请用Excel打开后另存为.xlsx再上传"
                )
                % {"value": format(unpacked / 1048576, ".0f"), "value2": settings.IMPORT_MAX_UNPACKED_BYTES // 1048576},
                _("文件过大"),
            )
        most = sheets = 0
        # Every member whose root is a worksheet, whatever its name: openpyxl finds sheets by relationships.
        for member in members:
            root, declares = _root(archive, member)
            if declares:  # a DTD, as "billion laughs" files bring: no spreadsheet program writes one
                _refuse(CORRUPT_MESSAGE)
            if root == "worksheet":
                sheets += 1
                rows = _sheet_rows(archive, member, max_rows)
                if rows > max_rows:
                    _refuse(
                        _(
                            "文件中有工作表超过%(max_rows)s行（空行也计算在内），超过了一次导入的上限；请删去多余的行（含空行），或拆分文件后分批导入"
                        )
                        % {"max_rows": max_rows},
                        _("文件行数过多"),
                    )
                most = max(most, rows)
        if not sheets:
            _refuse(CORRUPT_MESSAGE)
        return most


def _root(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> tuple[str, bool]:
    """The local name of a member's root element ("" for what is not XML) and whether it declares a DTD, reading
    no further than the root."""
    parser = etree.XMLPullParser(events=("start",), **_XML)
    with archive.open(member) as stream:
        try:
            while chunk := stream.read(16384):
                parser.feed(chunk)
                for _event, element in parser.read_events():
                    return etree.QName(element).localname, element.getroottree().docinfo.internalDTD is not None
        except etree.XMLSyntaxError:
            pass
    return "", False


def _sheet_rows(archive: zipfile.ZipFile, member: zipfile.ZipInfo, cap: int) -> int:
    """The rows openpyxl would yield for the sheet (the highest row number, or the count of row elements if more),
    counting no further than just past `cap`; constant memory."""
    number = elements = 0
    with archive.open(member) as stream:
        for _event, row in etree.iterparse(stream, events=("end",), tag="{*}row", **_XML):
            number = _row_number(row.get("r"), number)
            elements += 1
            if max(number, elements) > cap:
                return max(number, elements)
            row.clear(keep_tail=True)
            while row.getprevious() is not None:
                del row.getparent()[0]
    return max(number, elements)


def _row_number(text: str | None, previous: int) -> int:
    """A row's number as openpyxl reads its `r` attribute (an integer, or a float that is one); else the next."""
    if text is None:
        return previous + 1
    try:
        return int(text)
    except ValueError:
        try:
            value = float(text)
        except ValueError:
            return previous + 1
        return int(value) if value.is_integer() else previous + 1


# DefusedXmlException: defusedxml (installed for openpyxl) refuses entities, as "billion laughs" files declare.
CORRUPT_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    ParseError,
    DefusedXmlException,
    InvalidFileException,
    KeyError,
    EOFError,
    OSError,
)
CORRUPT_MESSAGE = gettext_lazy("文件已损坏或不是有效的Excel文件，无法读取；请用Excel打开检查后重新保存为.xlsx再上传")
