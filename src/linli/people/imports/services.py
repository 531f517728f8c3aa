"""Excel import and export of persons and households (SPEC §2): the all-or-nothing import and the audited export.

An upload is read as a stream (openpyxl read_only) and validated row by row; valid rows are written in
batches through the shared bulk insert path as they come, inside one transaction. If any row has a
problem, the transaction is rolled back at the end and only the problems are kept, so the file is either
imported whole or not at all.
"""

import logging
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields
from typing import IO, Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from linli.accounts.scope import contains, registry_path
from linli.audit.services import MAX_IDS, audit_record
from linli.core.errors import FieldError, PermissionDenied, ValidationFailed
from linli.core.pii import mask_id_number, mask_phone
from linli.core.schemas import ID_MAX, whole_number
from linli.core.spreadsheets import CORRUPT_ERRORS, CORRUPT_MESSAGE, check_xlsx, plain, row_out
from linli.core.text import Kind, check
from linli.people.models import Household, ImportIssue, ImportJob, Person, PersonTag, Tag
from linli.people.selectors import PersonFilter, can_export_pii, can_view_sensitive_tags, house_queryset, person_list
from linli.people.services import households_insert_batch, person_clean, persons_insert_batch

from .columns import (
    EXAMPLE_PREFIX,
    FIELD_BY_LABEL,
    HOUSE_FIELDS,
    LABEL_BY_FIELD,
    PERSON_FIELDS,
    SHEET_COLUMNS,
    SHEET_NAME,
)
from .rules import house_key, split_tags
from .selectors import check_importer

log = logging.getLogger(__name__)

BATCH_SIZE = 1000
ISSUE_CAP = 10_000  # issues kept for the report; the total is always counted


# ---------------------------------------------------------------------------------------------- reading


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
        # The rule the forms and the API apply (linli.core.text): a name is a name, every other column one line.
        refused = [
            (field, problem)
            for field, value in raw.items()
            if isinstance(value, str) and (problem := check(value.strip(), Kind.NAME if field == "name" else Kind.LINE))
        ]
        for field, problem in refused:
            self.error(row_no, field, problem.message)
        values, errors = person_clean(raw, row=row_no)
        ok = not errors and not lost and not refused
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
        for name, grade in split_tags(text):
            tag = self.tags.get(name)
            if tag is None:
                self.error(row_no, "tags", f"标签“{name}”不存在或您无权设置")
                ok = False
                continue
            if grade is not None:
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


# ---------------------------------------------------------------------------------------------- export

# The import template's columns, so an unmasked export can be corrected and imported back; then the grid.
EXPORT_HEADER = [c.label for c in SHEET_COLUMNS] + ["网格"]
EXPORT_FILTERS = ("region", "grid", "tag", "residence_type", "gender", "age_min", "age_max", "name")
_INT_FILTERS = {"region": "区域", "grid": "网格", "age_min": "最小年龄", "age_max": "最大年龄"}


def export_filters(params: Mapping[str, Any]) -> PersonFilter:
    """The person list's filters from query parameters; blank ones are ignored, bad numbers refused."""
    values: dict[str, Any] = {}
    errors = []
    for name in EXPORT_FILTERS:
        text = str(params.get(name) or "").strip()
        if not text:
            continue
        if name in _INT_FILTERS:
            values[name] = whole_number(text, 0, ID_MAX)
            if values[name] is None:
                errors.append(FieldError(name, f"{_INT_FILTERS[name]}应为数字"))
        elif problem := check(text, Kind.LINE):
            errors.append(FieldError(name, problem.message))
        else:
            values[name] = text[:50]
    if errors:
        raise ValidationFailed(errors)
    return PersonFilter(**values)


def describe_filters(filters: PersonFilter) -> str:
    used = {f.name: v for f in fields(filters) if (v := getattr(filters, f.name)) not in (None, "")}
    return urlencode(used) or "全部"


def _row(person, unmasked: bool) -> list:
    household = person.household
    house = household.house if household else None
    unit = house.unit if house else None
    building = unit.building if unit else None
    id_number = person.id_number if unmasked else mask_id_number(person.id_number)
    phone = person.phone if unmasked else mask_phone(person.phone)
    tags = ",".join(f"{link.tag.name}({link.grade}级)" if link.grade else link.tag.name for link in person.visible_tags)
    return [
        household.number if household else "",
        household.get_kind_display() if household else "",
        building.estate.name if building else "",
        building.number if building else "",
        unit.number if unit else "",
        house.number if house else "",
        person.name,
        person.get_id_type_display(),
        id_number,
        person.get_gender_display(),
        person.birth_date.isoformat() if person.birth_date else "",
        person.ethnicity,
        phone,
        person.hukou_address,
        person.current_address,
        person.get_residence_type_display(),
        person.get_education_display(),
        person.get_employment_display(),
        person.employer,
        person.get_political_status_display(),
        person.get_marital_status_display(),
        person.get_relationship_display(),
        person.note,
        tags,
        person.grid.name,
    ]


def persons_export(
    *, user, filters: PersonFilter, out: IO[bytes], unmasked: bool = False, purpose: str = "", request=None
) -> int:
    """Write the filtered person list to `out` as .xlsx, streaming; returns the number of persons written.

    ID and phone numbers are masked unless the user holds people.export_pii and asked for full numbers
    with a stated purpose. Every export is written to the audit log with its count, purpose and filters.
    """
    if registry_path(user) is None:
        raise PermissionDenied("您的角色不能导出人口信息")
    purpose = (purpose or "").strip()
    if unmasked:
        if not can_export_pii(user):
            raise PermissionDenied("您没有导出完整证件号码和电话的权限")
        if len(purpose) < 2:
            raise ValidationFailed([FieldError("purpose", "导出完整信息须填写用途")], detail="请填写导出用途")
    qs = person_list(user=user, filters=filters).select_related("household__house__unit__building__estate")

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("人员")
    for index, column in enumerate(SHEET_COLUMNS):
        ws.column_dimensions[get_column_letter(index + 1)].width = column.width
    ws.freeze_panes = "A2"
    ws.append(EXPORT_HEADER)
    count, ids = 0, []
    for person in qs.iterator(chunk_size=2000):
        ws.append(row_out(_row(person, unmasked)))
        count += 1
        if len(ids) < MAX_IDS:
            ids.append(person.pk)
    wb.save(out)
    audit_record(
        actor=user,
        action="export",
        object_type="person",
        object_ids=ids,
        count=count,
        purpose=purpose,
        detail=f"{'完整信息' if unmasked else '脱敏'}导出人员名单；筛选条件：{describe_filters(filters)}",
        request=request,
    )
    return count


