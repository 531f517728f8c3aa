"""Excel files in and out: for every import the file checks before parsing, the errors a broken file raises, and
cells as text; for every export the values as a cell may hold them."""

import unicodedata
import zipfile
import zlib
from collections.abc import Iterable
from datetime import date, datetime
from typing import IO, Any
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from django.conf import settings
from openpyxl.utils.exceptions import InvalidFileException

from linli.core import uploads
from linli.core.errors import FieldError, ValidationFailed
from linli.core.text import printable


def cell_out(value: Any) -> Any:
    """A value as an exported workbook holds it: text through linli.core.text.printable, so that no character stored
    before the rule was enforced (a NUL, a control, a lone surrogate) can make a download fail."""
    return printable(value) if isinstance(value, str) else value


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


def check_xlsx(file: IO[bytes], name: str) -> None:
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
    file.seek(0)
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        raise ValidationFailed(
            [
                FieldError(
                    "file", f"文件大小为{size / 1048576:.1f}MB，超过了{limit // 1048576}MB的上限，请拆分后分批导入"
                )
            ],
            detail="文件过大",
        )
    uploads.check(file, uploads.workbook(limit), field="file", label="上传的文件", name=name)


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
CORRUPT_MESSAGE = "文件已损坏或不是有效的Excel文件，无法读取；请用Excel打开检查后重新保存为.xlsx再上传"
