"""What the import and job tests share: a valid ID number per n, a workbook of rows, the registry's counts."""

import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from linli.people import rules
from linli.people.imports.columns import SHEET_COLUMNS
from linli.people.models import Household, ImportJob, Person, PersonTag

HEADER = [c.label for c in SHEET_COLUMNS]


def rid(n: int, birth: date = date(1990, 3, 7), female: bool = False, prefix: str = "210103") -> str:
    """A valid resident ID number, distinct for each n below 100 (same birth date and gender)."""
    body = f"{prefix}{birth:%Y%m%d}{n % 100:02d}{(n % 5) * 2 + (0 if female else 1)}"
    return body + rules.id_check_char(body)


def xlsx(rows: list[dict], header: list[str] = HEADER, name: str = "人员.xlsx") -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append([row.get(label) for label in header])
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def row(n: int, **over) -> dict:
    values = {
        "户号": "H100",
        "小区": "幸福里",
        "楼栋": "3",
        "单元": "1",
        "房号": "502",
        "姓名": f"居民{n}",
        "证件号码": rid(n),
        "联系电话": "13912345678",
        "与户主关系": "子女",
    }
    values.update(over)
    return values


def issues(job: ImportJob) -> list[tuple]:
    return list(job.issues.order_by("row", "column", "message").values_list("row", "column", "message"))


def counts() -> tuple[int, int, int, int]:
    return (
        Person.objects.count(),
        Household.objects.count(),
        Person.history.count() + Household.history.count(),
        PersonTag.objects.count(),
    )
