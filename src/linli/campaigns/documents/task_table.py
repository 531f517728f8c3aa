"""Import of a plan's 任务分解表 from .xlsx, the way offices exchange them: all or nothing.

Columns are found by their header (common synonyms accepted) in the first rows of the first sheet, so both our own
export (a title above the header) and a table typed by an office read. The tree comes from the 层级 column, else the
序号 column (一、 → （一） → 1. → （1） → ①, or 1 → 1.1 → 1.1.1), else from numbers typed in front of the task
names. Units are matched by name against the organisations serving the plan's area and the region offices inside
it: the exact name, else a unique part of a name (“甲一” → 甲一社区), else a unique abbreviation (住建局 →
区住房和城乡建设局). Every problem is reported with its row and column and nothing is saved while one remains.
"""

import calendar
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import load_workbook

from linli.accounts.scope import ancestors_or_self
from linli.core.errors import FieldError, ValidationFailed
from linli.core.spreadsheets import CORRUPT_ERRORS, CORRUPT_MESSAGE, MAX_COLUMNS, cell_text, check_xlsx
from linli.core.text import Kind, check
from linli.regions.models import Region

from ..models import Plan
from ..plans.selectors import unit_candidates
from . import rules

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_DEPTH = 5
HEADER_SEARCH_ROWS = 10
MAX_ERRORS = 200
REPLACE, APPEND = "replace", "append"
MODE_LABELS = {APPEND: "追加到现有任务之后", REPLACE: "替换现有全部任务"}

# Field → (label used in messages, accepted headers).
HEADERS = {
    "number": ("序号", ("序号", "编号", "序列号")),
    "level": ("层级", ("层级", "级别", "任务层级")),
    "title": ("任务", ("任务", "任务名称", "工作任务", "任务事项", "工作事项", "项目", "任务项目")),
    "content": (
        "工作内容及标准",
        ("工作内容及标准", "工作内容", "工作标准", "内容及标准", "具体内容", "测评标准", "工作措施", "任务内容"),
    ),
    "lead": ("牵头单位", ("牵头单位", "牵头部门", "牵头")),
    "responsible": ("责任单位", ("责任单位", "责任部门", "配合单位", "责任主体")),
    "direct_person": ("直接责任人", ("直接责任人", "责任人")),
    "handler": ("承办人", ("承办人", "经办人", "具体承办人")),
    "due_on": ("完成时限", ("完成时限", "完成时间", "时限", "时间节点", "完成期限", "截止时间", "截止日期")),
    "deliverables": ("成果形式", ("成果形式", "工作成果", "成果", "成果要求")),
}
_FIELD_BY_HEADER = {header: f for f, (_, headers) in HEADERS.items() for header in headers}
LIMITS = {"title": 200, "direct_person": 100, "handler": 100, "deliverables": 300, "content": 4000}
UNIT_SPLIT = re.compile(r"[、，,;；\n\r/／]+")


@dataclass
class UnitRef:
    kind: str  # "org" or "region"
    pk: int
    name: str


@dataclass
class ParsedTask:
    row: int
    level: int
    title: str
    content: str = ""
    direct_person: str = ""
    handler: str = ""
    due_on: date | None = None
    deliverables: str = ""
    leads: list[UnitRef] = field(default_factory=list)
    responsibles: list[UnitRef] = field(default_factory=list)
    position: int = 0  # among its siblings, 1-based

    @property
    def label(self) -> str:
        return rules.marker(rules.style_at(rules.TABLE_STYLES, self.level), self.position)


@dataclass
class ImportResult:
    created: int
    removed: int
    units: int
    tasks: list[ParsedTask]


# ---------------------------------------------------------------------------------------------- pure parts


def normalise(text: str) -> str:
    """For comparing names: full-width forms folded, spaces dropped."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def header_field(value: Any) -> str | None:
    label = re.sub(r"[*]|[(]必填[)]", "", normalise(cell_text(value)))
    return _FIELD_BY_HEADER.get(label)


_NO_DEADLINE = {"长期", "长期坚持", "持续推进", "常态化", "长期推进", "持续", "常年"}
_FULL_DATE = re.compile(r"(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?")
_MONTH_DAY = re.compile(r"(?<!\d)(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_MONTH_END = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(?:底|末|份)")
_YEAR_END = re.compile(r"(?:(\d{4})\s*年\s*)?年\s*(?:底|末)|(\d{4})\s*年\s*(?:底|末)")
_EXCEL_EPOCH = date(1899, 12, 30)


# The text rule of each column as the task form applies it (linli.core.text); the others are parsed further and pass
# the multi-line rule every kind includes.
CELL_KINDS = {"title": Kind.NAME, "direct_person": Kind.NAME, "handler": Kind.NAME, "deliverables": Kind.LINE}


class BadDate(ValueError):
    pass


def parse_due(value: Any, year: int) -> date | None:
    """A 完成时限 cell: a date cell, 2026年5月30日, 2026-05-30, 5月30日前 (the plan's year), 6月底, 年底前;
    “长期坚持” and blanks have no deadline. Raises BadDate."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 30000 <= value <= 80000:  # an Excel serial date typed into a cell without a date format
            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise BadDate(str(value))
    text = normalise(str(value))
    if not text:
        return None
    if text in _NO_DEADLINE:
        return None
    try:
        if match := _FULL_DATE.search(text):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := _MONTH_DAY.search(text):
            return date(year, int(match[1]), int(match[2]))
        if match := _MONTH_END.search(text):
            y, m = int(match[1] or year), int(match[2])
            return date(y, m, calendar.monthrange(y, m)[1])
        if match := _YEAR_END.search(text):
            return date(int(match[1] or match[2] or year), 12, 31)
    except ValueError:
        raise BadDate(text) from None
    raise BadDate(text)


def parse_level(value: Any) -> int | None:
    """层级: 1, “2”, “二级”, “第3级”."""
    text = normalise(cell_text(value)).removeprefix("第").removesuffix("级")
    if text.isdigit():
        return int(text)
    cn = {rules.chinese_number(n): n for n in range(1, 10)}
    return cn.get(text)


class UnitResolver:
    """Names → units within the plan's reach, from two queries; every distinct name is resolved once."""

    COLLECTIVE = {
        "各街道": Region.Level.STREET,
        "各街道办事处": Region.Level.STREET,
        "各乡镇街道": Region.Level.STREET,
        "各社区": Region.Level.COMMUNITY,
        "各社区居委会": Region.Level.COMMUNITY,
        "各村社区": Region.Level.COMMUNITY,
    }

    def __init__(self, plan: Plan):
        orgs_qs, offices_qs = unit_candidates(plan)
        orgs = orgs_qs.values_list("pk", "name")
        regions = offices_qs.values_list("pk", "name", "level")
        # “沈河区住房和城乡建设局”: the names of the plan's region and those above it may stand in front.
        above = ancestors_or_self(plan.region.path).values_list("name", flat=True)
        self.prefixes = sorted((normalise(n) for n in above), key=len, reverse=True)
        self.candidates: list[tuple[str, UnitRef]] = [(normalise(n), UnitRef("org", pk, n)) for pk, n in orgs]
        self.levels: dict[int, list[UnitRef]] = {}
        for pk, name, level in regions:
            ref = UnitRef("region", pk, name)
            self.candidates.append((normalise(name), ref))
            self.levels.setdefault(level, []).append(ref)
        self.cache: dict[str, tuple[list[UnitRef], str | None]] = {}

    def resolve(self, name: str) -> tuple[list[UnitRef], str | None]:
        key = normalise(name)
        if key not in self.cache:
            self.cache[key] = self._resolve(key, name.strip())
        return self.cache[key]

    def _resolve(self, key: str, shown: str) -> tuple[list[UnitRef], str | None]:
        collective = self.COLLECTIVE.get(re.sub(r"[()（）]", "", key))
        if collective is not None:
            refs = self.levels.get(collective, [])
            return (
                (refs, None) if refs else ([], gettext("“%(shown)s”：本方案范围内没有这一级的单位") % {"shown": shown})
            )
        exact = [ref for name, ref in self.candidates if name == key]
        if len(exact) == 1:
            return exact, None
        key = self._without_region_prefix(key)
        steps = (
            lambda c: c == key,
            lambda c: len(key) >= 2 and key in c,
            lambda c: len(c) >= 2 and c in key,
            lambda c: len(key) >= 2 and c[-1] == key[-1] and _is_subsequence(key, c),
        )
        for matches in steps:
            found = {id(ref): ref for name, ref in self.candidates if matches(name)}
            if len(found) == 1:
                return list(found.values()), None
            if len(found) > 1:
                names = "、".join(sorted({ref.name for ref in found.values()})[:5])
                return [], gettext("“%(shown)s”可能指%(names)s等多个单位，请写全称") % {"shown": shown, "names": names}
        return [], gettext("“%(shown)s”不是本方案范围内的单位（部门、企业或街道、社区），请核对名称") % {"shown": shown}

    def _without_region_prefix(self, key: str) -> str:
        stripped = True
        while stripped:
            stripped = False
            for prefix in self.prefixes:
                if key.startswith(prefix) and len(key) > len(prefix):
                    key, stripped = key[len(prefix) :], True
        return key


def _is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


# ---------------------------------------------------------------------------------------------- reading


class _Reader:
    def __init__(self, plan: Plan):
        self.plan = plan
        self.year = plan.issued_on.year if plan.issued_on else _first_phase_year(plan) or timezone.localdate().year
        self.units = UnitResolver(plan)
        self.errors: list[FieldError] = []
        self.error_count = 0
        self.tasks: list[ParsedTask] = []
        self.ranks: list[int] = []  # ranks of the open ancestors of the next row, by 序号
        self.top: tuple[int, int, str] | None = None  # (rank, row, 序号) of the first numbered row

    def error(self, row: int | None, field_name: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            label = HEADERS[field_name][0] if field_name in HEADERS else ""
            where = gettext("第%(row)s行") % {"row": row} if row else ""
            prefix = f"{where}“{label}”：" if label else (f"{where}：" if where else "")
            self.errors.append(FieldError(field_name or "file", prefix + message, row))

    def header(self, rows: Iterator[tuple]) -> tuple[int, dict[str, int]]:
        for row_no, cells in enumerate(rows, start=1):
            columns: dict[str, int] = {}
            for index, value in enumerate(cells):
                name = header_field(value)
                if name is None:
                    continue
                if name in columns:
                    raise _file_error(
                        gettext("第%(row_no)s行有两列都表示“%(HEADERS)s”，请删去重复的列")
                        % {"row_no": row_no, "HEADERS": HEADERS[name][0]},
                        row_no,
                    )
                columns[name] = index
            if "title" in columns:
                return row_no, columns
            if row_no >= HEADER_SEARCH_ROWS:
                break
        raise _file_error(gettext("前10行中没有找到列名“任务”（或“任务名称”“工作任务”），请保留表头行"), None)

    def read(self, rows: Iterator[tuple], header_row: int, columns: dict[str, int]) -> None:
        previous_level = 0
        count = 0
        for row_no, cells in enumerate(rows, start=header_row + 1):
            values = {name: cells[i] if i < len(cells) else None for name, i in columns.items()}
            if not any(cell_text(v) for v in values.values()):
                continue
            count += 1
            if count > MAX_ROWS:
                self.error(
                    row_no, "", gettext("一次最多导入%(MAX_ROWS)s项任务，请拆分后分批导入") % {"MAX_ROWS": MAX_ROWS}
                )
                break
            task = self.row(row_no, values, columns, previous_level)
            if task is not None:
                self.tasks.append(task)
                previous_level = task.level
        if count == 0:
            self.error(None, "", gettext("表头下面没有任务行"))
        self.number_siblings()

    def row(self, row_no: int, values: dict, columns: dict[str, int], previous_level: int) -> ParsedTask | None:
        text = {name: cell_text(v) for name, v in values.items()}
        for name, value in text.items():
            if problem := check(value, CELL_KINDS.get(name, Kind.TEXT)):
                self.error(row_no, name, problem.message)
        style, title = rules.split_own_number(text.get("title") or "")
        if not title:
            self.error(row_no, "title", gettext("任务名称为空"))
        level = self.level(row_no, text, columns, style, previous_level)
        task = ParsedTask(row=row_no, level=level or 1, title=title)
        for name in ("content", "direct_person", "handler", "deliverables"):
            setattr(task, name, text.get(name) or "")
        for name, limit in LIMITS.items():
            value = getattr(task, name)
            if len(value) > limit:
                self.error(
                    row_no,
                    name,
                    gettext("超过%(limit)s字（现有%(len)s字），请精简") % {"limit": limit, "len": len(value)},
                )
        try:
            task.due_on = parse_due(values.get("due_on"), self.year)
        except BadDate as exc:
            self.error(
                row_no,
                "due_on",
                gettext("“%(exc)s”不是日期，请写成2026年5月30日、2026-05-30或5月30日前") % {"exc": exc},
            )
        for name, target in (("lead", task.leads), ("responsible", task.responsibles)):
            seen: set[tuple[str, int]] = set()
            for part in UNIT_SPLIT.split(text.get(name) or ""):
                if not part.strip():
                    continue
                refs, problem = self.units.resolve(part)
                if problem:
                    self.error(row_no, name, problem)
                for ref in refs:
                    if (ref.kind, ref.pk) not in seen:
                        seen.add((ref.kind, ref.pk))
                        target.append(ref)
        return task if level else None

    def level(self, row_no: int, text: dict, columns: dict, title_style: str | None, previous: int) -> int | None:
        if "level" in columns:
            level = parse_level(text.get("level"))
            if level is None or level < 1:
                self.error(row_no, "level", gettext("“%(get)s”不是层级，请填1、2、3……") % {"get": text.get("level")})
                return None
            return self._check_parent(row_no, "level", level, previous)
        if "number" in columns:
            number = text.get("number") or ""
            if not number:
                return max(previous, 1)  # an unnumbered row continues the list it stands in
            rank = rules.number_rank(number)
            if rank is None:
                self.error(
                    row_no,
                    "number",
                    gettext("无法识别序号“%(number)s”，请用一、（一）1.（1）或1、1.1这样的编号") % {"number": number},
                )
                return None
            return self.by_rank(row_no, rank, number, dotted=rules.is_dotted(number))
        if title_style:
            return self.by_rank(row_no, rules.STYLE_RANK[title_style], text["title"][:6], dotted=False)
        return max(previous, 1)  # 一是……, or no numbers at all

    def by_rank(self, row_no: int, rank: int, shown: str, *, dotted: bool) -> int | None:
        if self.top is None:
            self.top = (rank, row_no, shown)
        elif rank < self.top[0]:
            self.error(
                row_no,
                "number",
                gettext("序号“%(shown)s”比第%(top)s行的“%(top2)s”高一级：下级任务不能写在上级任务之前")
                % {"shown": shown, "top": self.top[1], "top2": self.top[2]},
            )
            return None
        if dotted and self.ranks and rank > self.ranks[-1] + 1:
            self.error(row_no, "number", gettext("序号“%(shown)s”前面缺少它的上级任务") % {"shown": shown})
            return None
        while self.ranks and self.ranks[-1] >= rank:
            self.ranks.pop()
        self.ranks.append(rank)
        return self._check_parent(row_no, "number", len(self.ranks), len(self.ranks) - 1)

    def _check_parent(self, row_no: int, name: str, level: int, previous: int) -> int | None:
        if level > previous + 1:
            self.error(
                row_no,
                name,
                gettext("第%(level)s级任务前面没有它的上级任务（下级任务不能写在上级任务之前）") % {"level": level},
            )
            return None
        if level > MAX_DEPTH:
            self.error(row_no, name, gettext("任务最多分%(MAX_DEPTH)s级") % {"MAX_DEPTH": MAX_DEPTH})
            return None
        return level

    def number_siblings(self) -> None:
        counters: list[int] = []
        for task in self.tasks:
            del counters[task.level :]
            counters.extend([0] * (task.level - len(counters)))
            counters[task.level - 1] += 1
            task.position = counters[task.level - 1]


def _first_phase_year(plan: Plan) -> int | None:
    first = plan.phases.order_by("starts_on").values_list("starts_on", flat=True).first()
    return first.year if first else None


def _file_error(message: str, row: int | None) -> ValidationFailed:
    return ValidationFailed([FieldError("file", message, row)], detail=message)


def parse_task_table(*, plan: Plan, file: IO[bytes]) -> list[ParsedTask]:
    """The tree in the file, with its units resolved; ValidationFailed lists every problem by row and column."""
    name = (getattr(file, "name", "") or "").rsplit("/", 1)[-1]
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
        file.seek(0)
    if size > MAX_BYTES:
        raise _file_error(
            gettext("文件大小为%(value)sMB，任务分解表不能超过%(value2)sMB")
            % {"value": format(size / 1048576, ".1f"), "value2": MAX_BYTES // 1048576},
            None,
        )
    check_xlsx(file, name, max_rows=MAX_ROWS + HEADER_SEARCH_ROWS)
    reader = _Reader(plan)
    try:
        wb = load_workbook(file, read_only=True, data_only=True)
    except (*CORRUPT_ERRORS, ValueError):
        raise _file_error(CORRUPT_MESSAGE, None) from None
    try:
        ws = wb.worksheets[0]
        ws.reset_dimensions()
        rows = ws.iter_rows(values_only=True, max_col=MAX_COLUMNS)
        header_row, columns = reader.header(rows)
        reader.read(rows, header_row, columns)
    except CORRUPT_ERRORS:
        raise _file_error(CORRUPT_MESSAGE, None) from None
    finally:
        wb.close()
    if reader.error_count:
        detail = gettext("发现%(error_count)s处错误，未导入任何任务；请修改后重新上传") % {
            "error_count": reader.error_count
        }
        if reader.error_count > len(reader.errors):
            detail += gettext("（只列出前%(len)s处）") % {"len": len(reader.errors)}
        raise ValidationFailed(reader.errors, detail=detail)
    return reader.tasks
