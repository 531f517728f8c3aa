"""Excel import of persons and households (SPEC §2): the template, the all-or-nothing import, its report.

An upload is read as a stream (openpyxl read_only) and validated row by row; valid rows are written in
batches through the shared bulk insert path as they come, inside one transaction. If any row has a
problem, the transaction is rolled back at the end and only the problems are kept, so the file is either
imported whole or not at all.
"""

import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from io import BytesIO
from typing import IO, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from linli.accounts.roles import IMPORT_REGISTRY, REGISTRY, can, is_admin
from linli.accounts.scope import contains, get_or_404, registry_path
from linli.audit.services import audit_record
from linli.core.errors import FieldError, PermissionDenied, ValidationFailed
from linli.core.spreadsheets import CORRUPT_ERRORS, CORRUPT_MESSAGE, check_xlsx, plain

from . import rules
from .models import Household, ImportIssue, ImportJob, Person, PersonTag, Tag
from .selectors import can_view_sensitive_tags, house_queryset, visible_tags
from .services import (
    PERSON_COLUMNS,
    households_insert_batch,
    person_clean,
    persons_insert_batch,
)

log = logging.getLogger(__name__)

BATCH_SIZE = 1000
ISSUE_CAP = 10_000  # issues kept for the report; the total is always counted
SHEET_NAME = "人员登记"
EXAMPLE_PREFIX = "示例"  # a row whose 户号 starts with this is the template's example and is skipped
TEXT_FORMAT = "@"


@dataclass(frozen=True)
class SheetColumn:
    field: str
    label: str
    help: str
    required: bool = False
    choices: tuple[str, ...] = ()  # labels offered in the dropdown
    text: bool = False  # keep as text in Excel (numbers that must not become 1.1E+17)
    width: int = 12


def _labels(choices) -> tuple[str, ...]:
    return tuple(str(label) for _, label in choices.choices)


_PERSON_HELP = {
    "name": ("不超过50个字。", 10),
    "id_type": ("下拉选择；不填按居民身份证处理。", 14),
    "id_number": (
        "居民身份证为18位，系统核对出生日期、地址码和末位校验码。本列已设为文本格式，"
        "请勿改成数字格式，否则Excel会把号码变成科学计数法、丢失末几位。",
        22,
    ),
    "gender": ("居民身份证可不填，由号码推出；填写时须与号码一致。护照等证件必须填写。", 8),
    "birth_date": ("如 1990-03-07。居民身份证可不填，由号码推出；填写时须与号码一致。", 12),
    "ethnicity": ("下拉选择，如“汉族”；也可只写“汉”。", 10),
    "phone": ("11位手机号，或“区号-号码”格式的固定电话，如 024-88886666。", 14),
    "hukou_address": ("户籍所在地，不超过200个字。", 24),
    "current_address": ("现居住地址，不超过200个字。", 24),
    "residence_type": ("下拉选择；不填按户籍人口处理。", 12),
    "education": ("下拉选择。", 12),
    "employment": ("下拉选择。", 10),
    "employer": ("不超过100个字。", 18),
    "political_status": ("下拉选择。", 12),
    "marital_status": ("下拉选择。", 10),
    "relationship": ("下拉选择。每户只能有一名“户主”，导入后自动登记为该户户主。", 14),
    "note": ("不超过200个字。", 18),
}

HOUSEHOLD_COLUMNS = [
    SheetColumn(
        "household_number",
        "户号",
        "同一户的成员填写相同的户号。已登记的户填写原户号即可把人员归入该户；新户号会新建一户。",
        required=True,
        text=True,
        width=14,
    ),
    SheetColumn(
        "kind", "户别", "家庭户或集体户，不填按家庭户处理；只对新建的户有效。", choices=_labels(Household.Kind), width=9
    ),
    SheetColumn(
        "estate", "小区", "新户必填：本辖区内已登记的小区名称。已登记的户可不填小区、楼栋、单元、房号。", width=14
    ),
    SheetColumn("building", "楼栋", "新户必填：楼栋号，如“3”或“3号楼”。", text=True, width=8),
    SheetColumn("unit", "单元", "新户必填：单元号，如“1”或“1单元”。", text=True, width=8),
    SheetColumn("house_number", "房号", "新户必填：房号，如“502”。房屋须已在系统中登记。", text=True, width=8),
]
_PERSON_SHEET_COLUMNS = [
    SheetColumn(
        c.field,
        c.label,
        _PERSON_HELP[c.field][0],
        required=c.required,
        choices=(tuple(rules.ETHNIC_GROUPS) if c.field == "ethnicity" else _labels(c.choices) if c.choices else ()),
        text=c.field in ("id_number", "phone"),
        width=_PERSON_HELP[c.field][1],
    )
    for c in PERSON_COLUMNS
]
TAGS_COLUMN = SheetColumn(
    "tags",
    "标签",
    "可不填。多个标签用逗号分隔，如“独居老人,残疾人(2级)”；分等级的标签须在括号中写明等级（1-4级）。",
    width=22,
)
SHEET_COLUMNS = [*HOUSEHOLD_COLUMNS, *_PERSON_SHEET_COLUMNS, TAGS_COLUMN]
LABEL_BY_FIELD = {c.field: c.label for c in SHEET_COLUMNS}
FIELD_BY_LABEL = {c.label: c.field for c in SHEET_COLUMNS}
PERSON_FIELDS = [c.field for c in PERSON_COLUMNS]
HOUSE_FIELDS = ("estate", "building", "unit", "house_number")


def check_importer(user) -> None:
    if not can(user, REGISTRY, IMPORT_REGISTRY):
        raise PermissionDenied("您的角色不能维护人口信息")


# ---------------------------------------------------------------------------------------------- template


def _example_row() -> dict[str, Any]:
    body = "21010319850612003"
    return {
        "household_number": f"{EXAMPLE_PREFIX}0001",
        "kind": "家庭户",
        "estate": "幸福里",
        "building": "3",
        "unit": "1",
        "house_number": "502",
        "name": "王建国",
        "id_type": "居民身份证",
        "id_number": body + rules.id_check_char(body),
        "gender": "男",
        "birth_date": "1985-06-12",
        "ethnicity": "汉族",
        "phone": "13812345678",
        "hukou_address": "辽宁省沈阳市沈河区",
        "current_address": "幸福里3号楼1单元502",
        "residence_type": "户籍人口",
        "education": "大学本科",
        "employment": "在业",
        "employer": "沈阳市第一医院",
        "political_status": "中共党员",
        "marital_status": "有配偶",
        "relationship": "户主",
        "note": "示例行（户号以“示例”开头的行导入时会跳过）",
        "tags": "退役军人",
    }


def persons_template(*, user) -> bytes:
    """The import template: a header row, an example row, dropdowns for choice columns and a 说明 sheet."""
    check_importer(user)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_NAME
    options = wb.create_sheet("选项")
    guide = wb.create_sheet("说明")

    header_fill = PatternFill("solid", fgColor="F0F2F4")
    example = _example_row()
    for index, column in enumerate(SHEET_COLUMNS, start=1):
        letter = get_column_letter(index)
        cell = ws.cell(row=1, column=index, value=column.label)
        cell.font = Font(bold=True, color="B3261E" if column.required else "1F2328")
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center")
        cell.comment = Comment(("必填。" if column.required else "") + column.help, "邻里")
        ws.column_dimensions[letter].width = column.width
        if column.text:
            ws.column_dimensions[letter].number_format = TEXT_FORMAT
        sample = ws.cell(row=2, column=index, value=example[column.field])
        sample.font = Font(italic=True, color="656D76")
        if column.text:
            sample.number_format = TEXT_FORMAT
        if column.choices:
            options.cell(row=1, column=index, value=column.label)
            for offset, label in enumerate(column.choices, start=2):
                options.cell(row=offset, column=index, value=label)
            source = f"{quote_sheetname(options.title)}!${letter}$2:${letter}${len(column.choices) + 1}"
            validation = DataValidation(
                type="list",
                formula1=source,
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="请从下拉列表中选择",
                error=f"{column.label}应为下拉列表中的一项。",
            )
            validation.add(f"{letter}2:{letter}100001")
            ws.add_data_validation(validation)
    ws.freeze_panes = "A2"
    options.sheet_state = "hidden"

    guide.column_dimensions["A"].width = 14
    guide.column_dimensions["B"].width = 8
    guide.column_dimensions["C"].width = 90
    guide.append(["人员信息导入说明"])
    guide["A1"].font = Font(bold=True, size=14)
    for line in (
        "1. 在“人员登记”表中每行填写一人，第1行为列名，请勿修改列名；"
        "第2行是示例，可直接覆盖或保留（户号以“示例”开头的行不会导入）。",
        "2. 整个文件先全部校验：只要有一处错误，就不导入任何数据，"
        "并列出每处错误的行号、列名和原因；改正后重新上传即可。",
        "3. 证件号码已在系统中登记的人员，可选择“跳过”或“用表中内容更新”；更新时表中留空的项保留原值。"
        "已在其他辖区登记的人员不能导入，请与该辖区联系。",
        "4. 同一户号的成员归入同一户；新户的房屋须已在系统中登记（小区、楼栋、单元、房号与系统一致）。",
        f"5. 单个文件不超过{settings.IMPORT_MAX_BYTES // (1024 * 1024)}MB，一次可导入10万行。只接受 .xlsx 格式。",
    ):
        guide.append([line])
    guide.append([])
    guide.append(["列名", "必填", "填写说明"])
    for cell in guide[guide.max_row]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
    for column in SHEET_COLUMNS:
        help_text = column.help
        if column.choices and column.field != "ethnicity":
            help_text += "可选：" + "、".join(column.choices) + "。"
        guide.append([column.label, "是" if column.required else "", help_text])
    names = [f"{t.name}{'（分1-4级）' if t.graded else ''}" for t in visible_tags(user)]
    guide.append([])
    guide.append(["可用标签", "", "、".join(names)])
    for row in guide.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------- reading


def _strip_suffix(text: str, suffixes: Iterable[str]) -> str:
    text = text.replace(" ", "")
    for suffix in suffixes:
        if text.endswith(suffix) and len(text) > len(suffix):
            return text[: -len(suffix)]
    return text


def house_key(estate: str, building: str, unit: str, number: str) -> tuple[str, str, str, str]:
    """(小区, 楼栋, 单元, 房号) as clerks write them: “3号楼”, “3栋” and “3” name the same building."""
    return (
        unicodedata.normalize("NFKC", estate).replace(" ", ""),
        _strip_suffix(unicodedata.normalize("NFKC", building), ("号楼", "栋", "幢", "号", "#")),
        _strip_suffix(unicodedata.normalize("NFKC", unit), ("单元",)),
        _strip_suffix(unicodedata.normalize("NFKC", number), ("室", "号")),
    )


def _open_rows(file: IO[bytes]):
    """(workbook, header, rows iterator) of the import sheet, streaming; raises ValidationFailed."""
    try:
        wb = load_workbook(file, read_only=True, data_only=True)
        ws = wb[SHEET_NAME] if SHEET_NAME in wb.sheetnames else wb.worksheets[0]
        ws.reset_dimensions()  # some writers record a wrong used range; read what is there
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None)
    except (*CORRUPT_ERRORS, ValueError):  # openpyxl wraps what it cannot parse in a ValueError ("Unable to read")
        raise ValidationFailed([FieldError("file", CORRUPT_MESSAGE)], detail=CORRUPT_MESSAGE) from None
    return wb, header, rows


def _column_map(header) -> dict[str, int]:
    """Field → column index from the header row's labels; unknown columns are ignored."""
    found: dict[str, int] = {}
    for index, value in enumerate(header or ()):
        label = re.sub(r"[\s*＊]|[（(]必填[)）]", "", plain(value))
        field = FIELD_BY_LABEL.get(label)
        if field is None:
            continue
        if field in found:
            message = f"第1行有两列都叫“{label}”，请删去重复的列"
            raise ValidationFailed([FieldError("file", message, 1)], detail=message)
        found[field] = index
    missing = [c.label for c in SHEET_COLUMNS if c.required and c.field not in found]
    if missing:
        message = (
            f"第1行缺少必需的列：{'、'.join(missing)}。请使用下载的模板，第1行为列名"
            if found
            else "第1行没有找到模板的列名（户号、姓名、证件号码……），请使用下载的模板填写"
        )
        raise ValidationFailed([FieldError("file", message, 1)], detail=message)
    return found


_TAG_RE = re.compile(r"^(?P<name>.+?)\s*(?:[(（]\s*(?P<g1>[0-9一二三四]+)\s*级?\s*[)）]|(?P<g2>[0-9一二三四]+)级)?$")
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}


# ---------------------------------------------------------------------------------------------- import


@dataclass(slots=True)
class _Household:
    """What the file says about one 户号, then what the database says."""

    number: str
    first_row: int
    kind: str
    house_id: int | None = None
    house_row: int | None = None
    grid_id: int | None = None
    id: int | None = None
    state: str = "unresolved"  # unresolved → existing | new | foreign | invalid
    head_row: int | None = None  # the row naming the head (户主) in the file
    head_id: int | None = None  # the head already registered


@dataclass(slots=True)
class _Row:
    row: int
    values: dict
    household: _Household
    tags: list[tuple[int, int | None]]
    given: frozenset


class _PersonsImport:
    def __init__(self, *, user, job: ImportJob, on_duplicate: str):
        self.user = user
        self.job = job
        self.update = on_duplicate == ImportJob.OnDuplicate.UPDATE
        self.scope = registry_path(user)
        self.issues: list[tuple[int | None, str, str]] = []
        self.error_count = 0
        self.rows = self.created = self.updated = self.skipped = self.households_created = 0
        self.changed_ids: list[int] = []  # the first ids, for the audit entry
        self.batch: list[_Row] = []
        self.households: dict[str, _Household] = {}
        self.unresolved: list[_Household] = []
        self.seen_ids: dict[bytes, int] = {}  # id hash (16 bytes) → first row
        self.heads: list[tuple[int, int]] = []  # (household id, person id) to set at the end
        self._load_houses()
        self._load_tags()

    # -- lookups loaded once ------------------------------------------------------------------------

    def _load_houses(self) -> None:
        """(小区, 楼栋, 单元, 房号) → (house id, grid id) for every house in scope; ambiguous keys map to None."""
        self.houses: dict[tuple, tuple[int, int] | None] = {}
        self.estates: set[str] = set()
        self.buildings: set[tuple] = set()
        self.units: set[tuple] = set()
        fields = ("id", "grid_id", "unit__building__estate__name", "unit__building__number", "unit__number", "number")
        for house_id, grid_id, *parts in house_queryset(user=self.user).values_list(*fields).iterator(2000):
            key = house_key(*parts)
            self.houses[key] = None if key in self.houses else (house_id, grid_id)
            self.estates.add(key[0])
            self.buildings.add(key[:2])
            self.units.add(key[:3])

    def _load_tags(self) -> None:
        allowed = can_view_sensitive_tags(self.user)
        self.tags = {t.name: t for t in Tag.objects.all() if allowed or not t.sensitive}

    def in_scope(self, path: str) -> bool:
        return contains(self.scope, path)

    # -- issues --------------------------------------------------------------------------------------

    @property
    def failed(self) -> bool:
        return self.error_count > 0

    def error(self, row: int | None, field: str, message: str) -> None:
        self.error_count += 1
        if len(self.issues) < ISSUE_CAP:
            self.issues.append((row, LABEL_BY_FIELD.get(field, field), message))

    # -- one row -------------------------------------------------------------------------------------

    def read_row(self, row_no: int, cells: tuple, columns: dict[str, int]) -> None:
        def cell(field: str) -> Any:
            index = columns.get(field)
            return cells[index] if index is not None and index < len(cells) else None

        number = plain(cell("household_number"))
        if number.startswith(EXAMPLE_PREFIX):
            return
        self.rows += 1
        raw = {field: cell(field) for field in PERSON_FIELDS}
        # An 18-digit number typed into a number cell keeps only 15 significant digits: say so plainly.
        lost = isinstance(raw["id_number"], float) and abs(raw["id_number"]) >= 1e15
        if lost:
            self.error(
                row_no, "id_number", "证件号码被Excel存成了数字，末几位已经丢失；请把该列设为文本格式后重新填写号码"
            )
        raw["id_number"] = "" if lost else plain(raw["id_number"])
        raw["phone"] = plain(raw["phone"])
        values, errors = person_clean(raw, row=row_no)
        ok = not errors and not lost
        for e in errors:
            if not (lost and e.field == "id_number"):
                self.error(row_no, e.field, e.message)

        if ok:  # duplicates within the file: report both rows
            key = bytes.fromhex(values["id_hash"])[:16]
            first = self.seen_ids.get(key)
            if first is None:
                self.seen_ids[key] = row_no
            else:
                self.error(row_no, "id_number", f"证件号码与第{first}行重复")
                self.error(first, "id_number", f"证件号码与第{row_no}行重复")
                ok = False

        household = self._household_for(row_no, number, cell)
        tags = self._tags_for(row_no, plain(cell("tags")))
        if household is None or tags is None:
            ok = False
        if household is not None and values.get("relationship") == Person.Relationship.HEAD:
            if household.head_row is None:
                household.head_row = row_no
            elif household.head_row != row_no:
                self.error(
                    row_no, "relationship", f"户号{number}的户主已在第{household.head_row}行填写，每户只能有一名户主"
                )
                ok = False
        if not ok:
            return
        given = frozenset(f for f in PERSON_FIELDS if plain(raw[f])) if self.update else frozenset()
        self.batch.append(_Row(row_no, values, household, tags, given))
        if len(self.batch) >= BATCH_SIZE:
            self.flush()

    def _household_for(self, row_no: int, number: str, cell) -> _Household | None:
        if not number:
            self.error(row_no, "household_number", "户号不能为空")
            return None
        if len(number) > 30:
            self.error(row_no, "household_number", "户号不能超过30个字符")
            return None
        kind_text = plain(cell("kind"))
        kind = Household.Kind.FAMILY
        if kind_text:
            kind = next((v for v, label in Household.Kind.choices if kind_text in (v, label)), None)
            if kind is None:
                self.error(row_no, "kind", "户别应为家庭户或集体户")
                return None
        parts = [plain(cell(f)) for f in HOUSE_FIELDS]
        house = None
        if any(parts):
            house = self._house_for(row_no, parts)
            if house is None:
                return None
        household = self.households.get(number)
        if household is None:
            household = _Household(number=number, first_row=row_no, kind=kind)
            self.households[number] = household
            self.unresolved.append(household)
        if house is not None and household.state not in ("invalid", "foreign"):
            if household.house_id is None:  # only while unresolved: the first row that names a house
                household.house_id, household.grid_id = house
                household.house_row = row_no
            elif household.house_id != house[0]:
                where = f"第{household.house_row}行" if household.house_row else "系统中登记"
                self.error(row_no, "house_number", f"户号{number}的房屋与{where}的不一致，同一户只能在一处房屋")
                return None
        return household

    def _house_for(self, row_no: int, parts: list[str]) -> tuple[int, int] | None:
        missing = [LABEL_BY_FIELD[f] for f, p in zip(HOUSE_FIELDS, parts, strict=True) if not p]
        if missing:
            self.error(
                row_no,
                HOUSE_FIELDS[parts.index("")],
                f"房屋信息不完整：请同时填写小区、楼栋、单元、房号（缺{'、'.join(missing)}）",
            )
            return None
        key = house_key(*parts)
        if key in self.houses:
            found = self.houses[key]
            if found is None:
                self.error(
                    row_no, "estate", f"辖区内有多个名为“{parts[0]}”的小区，无法确定房屋；请由所在社区的工作人员导入"
                )
            return found
        estate, building, unit, number = key
        if estate not in self.estates:
            self.error(row_no, "estate", f"小区“{parts[0]}”不在您的辖区内或尚未登记")
        elif key[:2] not in self.buildings:
            self.error(row_no, "building", f"{estate}没有{building}号楼")
        elif key[:3] not in self.units:
            self.error(row_no, "unit", f"{estate}{building}号楼没有{unit}单元")
        else:
            self.error(row_no, "house_number", f"{estate}{building}号楼{unit}单元没有{number}室，请先登记房屋")
        return None

    def _tags_for(self, row_no: int, text: str) -> list[tuple[int, int | None]] | None:
        result: dict[int, int | None] = {}
        ok = True
        for token in filter(None, (t.strip() for t in re.split(r"[,，、;；]", text))):
            match = _TAG_RE.match(token)
            name, grade_text = match["name"].strip(), match["g1"] or match["g2"]
            tag = self.tags.get(name)
            if tag is None:
                self.error(row_no, "tags", f"标签“{name}”不存在或您无权设置")
                ok = False
                continue
            grade = None
            if grade_text:
                grade = _CN_DIGITS.get(grade_text) or (int(grade_text) if grade_text.isdigit() else 0)
                if not tag.graded:
                    self.error(row_no, "tags", f"标签“{name}”不分等级，请去掉等级")
                    ok = False
                    continue
                if grade not in (1, 2, 3, 4):
                    self.error(row_no, "tags", f"标签“{name}”的等级应为1-4级")
                    ok = False
                    continue
            elif tag.graded:
                self.error(row_no, "tags", f"标签“{name}”须写明等级，如“{name}(2级)”")
                ok = False
                continue
            result[tag.pk] = grade
        return list(result.items()) if ok else None

    # -- a batch -------------------------------------------------------------------------------------

    def _resolve_households(self) -> None:
        pending, self.unresolved = self.unresolved, []
        for start in range(0, len(pending), BATCH_SIZE):
            chunk = pending[start : start + BATCH_SIZE]
            found = {
                number: rest
                for number, *rest in Household.objects.filter(number__in=[h.number for h in chunk]).values_list(
                    "number", "id", "house_id", "house__grid_id", "house__grid__path", "head_id"
                )
            }
            for h in chunk:
                if h.number in found:
                    pk, house_id, grid_id, path, head_id = found[h.number]
                    if not self.in_scope(path):
                        h.state = "foreign"
                        continue
                    if h.house_id is not None and h.house_id != house_id:
                        self.error(
                            h.house_row, "house_number", f"户号{h.number}已登记在其他房屋，与本行填写的房屋不一致"
                        )
                    h.state, h.id, h.house_id, h.grid_id, h.head_id = "existing", pk, house_id, grid_id, head_id
                    h.house_row = None
                elif h.house_id is None:
                    h.state = "invalid"
                    self.error(h.first_row, "estate", f"户号{h.number}尚未登记，新户须填写小区、楼栋、单元、房号")
                else:
                    h.state = "new"

    def flush(self) -> None:
        batch, self.batch = self.batch, []
        self._resolve_households()
        found = {
            h: (pk, path)
            for h, pk, path in Person.objects.filter(id_hash__in=[r.values["id_hash"] for r in batch]).values_list(
                "id_hash", "id", "grid__path"
            )
        }
        creates: list[_Row] = []
        updates: list[tuple[_Row, int]] = []
        for r in batch:
            h = r.household
            if h.state == "foreign":
                self.error(r.row, "household_number", f"户号{h.number}已在其他辖区登记，不能把人员导入该户")
                continue
            if h.state == "invalid":
                continue  # reported once, on the household's first row
            hit = found.get(r.values["id_hash"])
            if hit and not self.in_scope(hit[1]):
                self.error(
                    r.row, "id_number", "该证件号码已在其他辖区登记，不能重复登记；如已迁入本辖区，请联系原辖区办理迁出"
                )
                continue
            if hit and not self.update:
                self.skipped += 1
                continue
            if (
                r.values.get("relationship") == Person.Relationship.HEAD
                and h.head_id
                and (not hit or hit[0] != h.head_id)
            ):
                self.error(r.row, "relationship", f"户号{h.number}已登记户主，如需更换请在一户一档中修改")
                continue
            if hit:
                updates.append((r, hit[0]))
            else:
                creates.append(r)
        if self.failed:
            return  # keep validating the rest of the file, but write nothing more
        self._create_households([r.household for r in creates] + [r.household for r, _ in updates])
        self._create_persons(creates)
        self._update_persons(updates)

    def _create_households(self, used: list[_Household]) -> None:
        """Create the new households that get at least one person (not those whose rows were all skipped)."""
        new = list({h.number: h for h in used if h.state == "new" and h.id is None}.values())
        if not new:
            return
        rows = [{"number": h.number, "kind": h.kind, "house_id": h.house_id} for h in new]
        for h, obj in zip(new, households_insert_batch(user=self.user, rows=rows), strict=True):
            h.id = obj.pk
        self.households_created += len(new)

    def _create_persons(self, creates: list[_Row]) -> None:
        if not creates:
            return
        rows = [{**r.values, "household_id": r.household.id, "grid_id": r.household.grid_id} for r in creates]
        people = persons_insert_batch(user=self.user, rows=rows)
        links = []
        for r, person in zip(creates, people, strict=True):
            links.extend(PersonTag(person_id=person.pk, tag_id=tag, grade=grade) for tag, grade in r.tags)
            if r.values.get("relationship") == Person.Relationship.HEAD:
                self.heads.append((r.household.id, person.pk))
                r.household.head_id = person.pk
            if len(self.changed_ids) < 10_000:
                self.changed_ids.append(person.pk)
        if links:
            bulk_create_with_history(links, PersonTag, batch_size=BATCH_SIZE, default_user=self.user)
        self.created += len(creates)

    UPDATE_FIELDS = [*PERSON_FIELDS, "birth_date", "phone_hash", "household", "grid", "version", "updated_at"]

    def _update_persons(self, updates: list[tuple[_Row, int]]) -> None:
        if not updates:
            return
        people = Person.objects.in_bulk([pk for _, pk in updates])
        now = timezone.now()
        changed = []
        for r, pk in updates:
            person = people[pk]
            for field in r.given:
                setattr(person, field, r.values[field])
            for field in ("gender", "birth_date"):  # derived from the ID number when it encodes them
                if r.values.get(field):
                    setattr(person, field, r.values[field])
            if "phone" in r.given:
                person.phone_hash = r.values["phone_hash"]
            person.household_id, person.grid_id = r.household.id, r.household.grid_id
            person.version += 1
            person.updated_at = now
            changed.append(person)
            if r.values.get("relationship") == Person.Relationship.HEAD and r.household.head_id != pk:
                self.heads.append((r.household.id, pk))
                r.household.head_id = pk
            if len(self.changed_ids) < 10_000:
                self.changed_ids.append(pk)
        bulk_update_with_history(changed, Person, self.UPDATE_FIELDS, batch_size=BATCH_SIZE, default_user=self.user)
        self._merge_tags([(pk, r.tags) for r, pk in updates if r.tags])
        self.updated += len(updates)

    def _merge_tags(self, wanted: list[tuple[int, list[tuple[int, int | None]]]]) -> None:
        """Add the listed tags to existing persons (a tag already there takes the new grade); none are removed."""
        if not wanted:
            return
        existing = {
            (link.person_id, link.tag_id): link
            for link in PersonTag.objects.filter(person_id__in=[pk for pk, _ in wanted])
        }
        new, regraded = [], []
        for pk, tags in wanted:
            for tag, grade in tags:
                link = existing.get((pk, tag))
                if link is None:
                    new.append(PersonTag(person_id=pk, tag_id=tag, grade=grade))
                elif link.grade != grade:
                    link.grade = grade
                    regraded.append(link)
        if new:
            bulk_create_with_history(new, PersonTag, batch_size=BATCH_SIZE, default_user=self.user)
        if regraded:
            bulk_update_with_history(regraded, PersonTag, ["grade"], batch_size=BATCH_SIZE, default_user=self.user)

    def set_heads(self) -> None:
        """Point each household at its head: one UPDATE per chunk (no per-row CASE), then its history rows."""
        now = timezone.now()
        for start in range(0, len(self.heads), BATCH_SIZE):
            chunk = dict(self.heads[start : start + BATCH_SIZE])
            head = Person.objects.filter(household_id=OuterRef("pk"), pk__in=list(chunk.values())).values("pk")[:1]
            Household.objects.filter(pk__in=list(chunk)).update(
                head_id=Subquery(head), version=F("version") + 1, updated_at=now
            )
            households = list(Household.objects.filter(pk__in=list(chunk)))
            Household.history.bulk_history_create(
                households, batch_size=BATCH_SIZE, update=True, default_user=self.user, default_date=now
            )

    def run(self, rows: Iterator[tuple], columns: dict[str, int]) -> None:
        max_rows = getattr(settings, "IMPORT_MAX_ROWS", 200_000)
        for row_no, cells in enumerate(rows, start=2):
            if not any(c is not None and str(c).strip() for c in cells):
                continue
            if self.rows >= max_rows:
                self.error(row_no, "", f"一次最多导入{max_rows}行，请拆分文件后分批导入")
                break
            self.read_row(row_no, cells, columns)
        self.flush()
        if self.rows == 0 and not self.failed:
            self.error(None, "", "文件中没有可导入的数据行（第1行为列名，从第2行起每行一人）")
        if not self.failed:
            self.set_heads()


def persons_import(*, user, file: IO[bytes], on_duplicate: str = ImportJob.OnDuplicate.SKIP) -> ImportJob:
    """Import persons and households from an uploaded .xlsx, all or nothing.

    File-level problems (not an .xlsx, corrupt, too big, no header) raise ValidationFailed and leave no
    job. Otherwise a job is returned: "done" with its counts, or "rejected" with its issues and nothing
    changed in the registry.
    """
    check_importer(user)
    if registry_path(user) is None:
        raise PermissionDenied("您的账号没有关联辖区，不能导入人员")
    if on_duplicate not in ImportJob.OnDuplicate.values:
        raise ValidationFailed([FieldError("on_duplicate", "请选择已登记人员的处理方式：跳过或更新")])
    name = (getattr(file, "name", "") or "").rsplit("/", 1)[-1]
    check_xlsx(file, name)
    wb, header, rows = _open_rows(file)
    try:
        columns = _column_map(header)
        job = ImportJob.objects.create(user=user, file_name=name[:200] or "未命名.xlsx", on_duplicate=on_duplicate)
        work = _PersonsImport(user=user, job=job, on_duplicate=on_duplicate)
        try:
            with transaction.atomic():
                try:
                    work.run(rows, columns)
                except CORRUPT_ERRORS:
                    work.error(None, "", "文件读取到一半出错，文件可能已损坏；请用Excel打开检查后重新保存再上传")
                if work.failed:
                    transaction.set_rollback(True)
        except IntegrityError:
            log.exception("import job %s hit a constraint", job.pk)
            _finish(
                job,
                work,
                ImportJob.Status.FAILED,
                "导入期间数据被他人同时修改（如同一证件号码被同时登记），已全部撤销，请重新导入",
            )
            return job
        except Exception:
            _finish(job, work, ImportJob.Status.FAILED, "导入中途出错，已全部撤销；请联系系统管理员")
            raise
    finally:
        wb.close()
    if work.failed:
        _finish(job, work, ImportJob.Status.REJECTED, _rejected_message(work))
    else:
        _finish(job, work, ImportJob.Status.DONE, "")
    return job


def _rejected_message(work: _PersonsImport) -> str:
    text = f"发现{work.error_count}处错误，未导入任何数据；请按错误清单修改后重新上传"
    if work.error_count > len(work.issues):
        text += f"（错误过多，只列出前{len(work.issues)}处）"
    return text


def _finish(job: ImportJob, work: _PersonsImport, status: str, message: str) -> None:
    done = status == ImportJob.Status.DONE
    job.status, job.message, job.finished_at = status, message[:300], timezone.now()
    job.rows, job.error_count = work.rows, work.error_count
    job.created = work.created if done else 0
    job.updated = work.updated if done else 0
    job.skipped = work.skipped if done else 0
    job.households_created = work.households_created if done else 0
    job.save()
    if status == ImportJob.Status.REJECTED:
        ImportIssue.objects.bulk_create(
            (ImportIssue(job=job, row=row, column=column[:20], message=msg[:300]) for row, column, msg in work.issues),
            batch_size=BATCH_SIZE,
        )
    audit_record(
        actor=job.user,
        action="import",
        object_type="person",
        object_ids=work.changed_ids if done else (),
        count=job.created + job.updated,
        detail=(
            f"导入任务#{job.pk} {job.file_name}：{job.get_status_display()}；共{job.rows}行，新增{job.created}人、"
            f"更新{job.updated}人、跳过{job.skipped}人、新增{job.households_created}户，错误{job.error_count}处"
        ),
    )


# ---------------------------------------------------------------------------------------------- reports


def sees_everyones_jobs(user) -> bool:
    return is_admin(user)


def import_jobs(*, user) -> QuerySet:
    """The user's own import jobs; administrators see everyone's."""
    qs = ImportJob.objects.select_related("user")
    if not sees_everyones_jobs(user):
        qs = qs.filter(user=user)
    return qs.order_by("-started_at", "-id")


def import_job_get(*, user, pk: int) -> ImportJob:
    return get_or_404(import_jobs(user=user), pk=pk)


def import_issues(*, job: ImportJob) -> QuerySet:
    return job.issues.order_by("row", "id")


def issues_workbook(*, job: ImportJob, out: IO[bytes]) -> None:
    """The issues of a job as an .xlsx (write_only, so a 10,000-line report stays small in memory)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("错误清单")
    ws.column_dimensions["A"].width = 8
    ws.column_dimensions["B"].width = 14
    ws.column_dimensions["C"].width = 80
    ws.append([f"文件：{job.file_name}", "", job.message or job.get_status_display()])
    ws.append(["行号", "列", "错误说明"])
    for row, column, message in import_issues(job=job).values_list("row", "column", "message").iterator(2000):
        ws.append([row or "", column, message])
    wb.save(out)
