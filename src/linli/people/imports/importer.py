"""The person import as the worker runs it: check the whole file, then write it in short transactions.

1. Check: the workbook is read as a stream (openpyxl read_only) and every row validated with the same
   `person_clean` as the forms and API, against the file (duplicates, one head per household) and the database
   (houses in scope, registered persons and households). Nothing is written; the rows that will be written wait in
   a temporary file. A file with any problem ends here, rejected, with every problem listed.
2. Write: the checked rows go in through the shared bulk insert path, one batch per transaction, so the
   database's write lock (SQLite's covers the whole database) is held for a batch at a time, never for the whole
   file. Each batch first checks that what the check found still holds (nobody registered the same person since),
   and records what it wrote and what it replaced as an `ImportStep` in the same transaction.
3. Undo: if a batch meets a change made meanwhile, or the worker dies (the stale-job sweep notices), the steps are
   undone newest first, a transaction each. So the file is imported whole or not at all, as before; what is new is
   that others may see the first batches while later ones are still being written.
"""

import json
import pickle
import re
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import F, OuterRef, ProtectedError, Subquery
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import load_workbook
from simple_history.utils import bulk_create_with_history

from linli.accounts.scope import contains, registry_path
from linli.core.errors import FieldError, ValidationFailed
from linli.core.spreadsheets import CORRUPT_ERRORS, CORRUPT_MESSAGE, MAX_COLUMNS, plain
from linli.core.text import Kind, check
from linli.people.models import Household, ImportJob, ImportStep, Person, PersonTag, Tag
from linli.people.selectors import can_view_sensitive_tags, house_queryset
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

BATCH_SIZE = 1000  # rows checked against the database at a time
# Rows written per transaction: the write lock (SQLite's is the whole database's) is held for one batch, a fifth
# of a second on the reference machine (docs/performance.md).
WRITE_BATCH = 200
# SQLite's busy handler lets a writer that has waited a while retry only every 100 ms: a worker that began its next
# batch the moment it committed could keep an editor waiting batch after batch. PostgreSQL locks rows, not the file.
PAUSE = 0.05
ISSUE_CAP = 10_000  # issues kept for the report; the total is always counted
# What an update replaces, by attribute: kept in its step so the update can be undone.
RESTORED = [*PERSON_FIELDS, "birth_date", "phone_hash", "household_id", "grid_id"]
UPDATE_FIELDS = [*PERSON_FIELDS, "birth_date", "phone_hash", "household", "grid", "version", "updated_at"]


class Abandoned(Exception):
    """The job is no longer this worker's: the stale-job sweep has taken it over."""


class RegistryChanged(Exception):
    """A batch found the registry changed since the check (the same person or household registered meanwhile)."""


class UndoIncomplete(Exception):
    """A step could not be undone: what it wrote is now used elsewhere."""


def beat(job, **progress) -> None:
    """Report progress; the update is the job's heartbeat too. It only touches a job still running the stage this
    worker runs, so a worker the sweep has given up on stops at its next batch."""
    progress["heartbeat_at"] = timezone.now()
    mine = type(job).objects.filter(pk=job.pk, status="running")
    if hasattr(job, "stage"):
        mine = mine.filter(stage=job.stage)
    if not mine.update(**progress):
        raise Abandoned
    for name, value in progress.items():
        setattr(job, name, value)


def pause() -> None:
    """Between two write transactions: give the writers waiting for SQLite's lock their turn."""
    if connection.vendor == "sqlite":
        time.sleep(PAUSE)


def save_rows(objs: list, fields: list[str], user) -> None:
    """Save changed rows and their history rows: an UPDATE by primary key each. Django's bulk_update builds a CASE per
    field and row instead, some 20 ms a person in Python, and a batch held SQLite's write lock for 20 s meanwhile."""
    if not objs:
        return
    model = type(objs[0])
    columns = [(name, model._meta.get_field(name).attname) for name in fields]
    for obj in objs:
        model.objects.filter(pk=obj.pk).update(**{name: getattr(obj, attname) for name, attname in columns})
    model.history.bulk_history_create(objs, batch_size=BATCH_SIZE, update=True, default_user=user)


# ---------------------------------------------------------------------------------------------- reading


def open_rows(file: IO[bytes]):
    """(workbook, header, rows iterator) of the import sheet, streaming; raises ValidationFailed."""
    try:
        wb = load_workbook(file, read_only=True, data_only=True)
        ws = wb[SHEET_NAME] if SHEET_NAME in wb.sheetnames else wb.worksheets[0]
        ws.reset_dimensions()  # some writers record a wrong used range; read what is there
        rows = ws.iter_rows(values_only=True, max_col=MAX_COLUMNS)
        header = next(rows, None)
    except (*CORRUPT_ERRORS, ValueError):  # openpyxl wraps what it cannot parse in a ValueError ("Unable to read")
        raise ValidationFailed([FieldError("file", CORRUPT_MESSAGE)], detail=CORRUPT_MESSAGE) from None
    return wb, header, rows


def column_map(header) -> dict[str, int]:
    """Field → column index from the header row's labels; unknown columns are ignored."""
    found: dict[str, int] = {}
    for index, value in enumerate(header or ()):
        label = re.sub(r"[\s*＊]|[（(]必填[)）]", "", plain(value))
        field = FIELD_BY_LABEL.get(label)
        if field is None:
            continue
        if field in found:
            message = gettext("第1行有两列都叫“%(label)s”，请删去重复的列") % {"label": label}
            raise ValidationFailed([FieldError("file", message, 1)], detail=message)
        found[field] = index
    missing = [c.label for c in SHEET_COLUMNS if c.required and c.field not in found]
    if missing:
        message = (
            gettext("第1行缺少必需的列：%(join)s。请使用下载的模板，第1行为列名") % {"join": "、".join(missing)}
            if found
            else gettext("第1行没有找到模板的列名（户号、姓名、证件号码……），请使用下载的模板填写")
        )
        raise ValidationFailed([FieldError("file", message, 1)], detail=message)
    return found


# ---------------------------------------------------------------------------------------------- checking and writing


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


class PersonsImport:
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
        self.staged = tempfile.TemporaryFile()  # the checked rows, waiting for the whole file to pass
        self.staged_count = self.written = 0
        self.households: dict[str, _Household] = {}
        self.unresolved: list[_Household] = []
        self.seen_ids: dict[bytes, int] = {}  # id hash (16 bytes) → first row
        self.heads: list[tuple[int, int]] = []  # (household id, person id) the batch being written sets
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

    def file_errors(self, exc: ValidationFailed) -> None:
        """Problems of the file as a whole, as issues without a column."""
        for e in exc.errors:
            self.error(e.row, "", e.message)

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
                row_no,
                "id_number",
                gettext("证件号码被Excel存成了数字，末几位已经丢失；请把该列设为文本格式后重新填写号码"),
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
                self.error(row_no, "id_number", gettext("证件号码与第%(first)s行重复") % {"first": first})
                self.error(first, "id_number", gettext("证件号码与第%(row_no)s行重复") % {"row_no": row_no})
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
                    row_no,
                    "relationship",
                    gettext("户号%(number)s的户主已在第%(head_row)s行填写，每户只能有一名户主")
                    % {"number": number, "head_row": household.head_row},
                )
                ok = False
        if not ok:
            return
        given = frozenset(f for f in PERSON_FIELDS if plain(raw[f])) if self.update else frozenset()
        self.batch.append(_Row(row_no, values, household, tags, given))
        if len(self.batch) >= BATCH_SIZE:
            self.check_batch()

    def _household_for(self, row_no: int, number: str, cell) -> _Household | None:
        if not number:
            self.error(row_no, "household_number", gettext("户号不能为空"))
            return None
        if len(number) > 30:
            self.error(row_no, "household_number", gettext("户号不能超过30个字符"))
            return None
        kind_text = plain(cell("kind"))
        kind = Household.Kind.FAMILY
        if kind_text:
            kind = next((v for v, label in Household.Kind.choices if kind_text in (v, label)), None)
            if kind is None:
                self.error(row_no, "kind", gettext("户别应为家庭户或集体户"))
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
                where = (
                    gettext("第%(house_row)s行") % {"house_row": household.house_row}
                    if household.house_row
                    else gettext("系统中登记")
                )
                self.error(
                    row_no,
                    "house_number",
                    gettext("户号%(number)s的房屋与%(where)s的不一致，同一户只能在一处房屋")
                    % {"number": number, "where": where},
                )
                return None
        return household

    def _house_for(self, row_no: int, parts: list[str]) -> tuple[int, int] | None:
        missing = [LABEL_BY_FIELD[f] for f, p in zip(HOUSE_FIELDS, parts, strict=True) if not p]
        if missing:
            self.error(
                row_no,
                HOUSE_FIELDS[parts.index("")],
                gettext("房屋信息不完整：请同时填写小区、楼栋、单元、房号（缺%(join)s）")
                % {"join": "、".join(missing)},
            )
            return None
        key = house_key(*parts)
        if key in self.houses:
            found = self.houses[key]
            if found is None:
                self.error(
                    row_no,
                    "estate",
                    gettext("辖区内有多个名为“%(parts)s”的小区，无法确定房屋；请由所在社区的工作人员导入")
                    % {"parts": parts[0]},
                )
            return found
        estate, building, unit, number = key
        if estate not in self.estates:
            self.error(row_no, "estate", gettext("小区“%(parts)s”不在您的辖区内或尚未登记") % {"parts": parts[0]})
        elif key[:2] not in self.buildings:
            self.error(
                row_no, "building", gettext("%(estate)s没有%(building)s号楼") % {"estate": estate, "building": building}
            )
        elif key[:3] not in self.units:
            self.error(
                row_no,
                "unit",
                gettext("%(estate)s%(building)s号楼没有%(unit)s单元")
                % {"estate": estate, "building": building, "unit": unit},
            )
        else:
            self.error(
                row_no,
                "house_number",
                gettext("%(estate)s%(building)s号楼%(unit)s单元没有%(number)s室，请先登记房屋")
                % {"estate": estate, "building": building, "unit": unit, "number": number},
            )
        return None

    def _tags_for(self, row_no: int, text: str) -> list[tuple[int, int | None]] | None:
        result: dict[int, int | None] = {}
        ok = True
        for name, grade in split_tags(text):
            tag = self.tags.get(name)
            if tag is None:
                self.error(row_no, "tags", gettext("标签“%(name)s”不存在或您无权设置") % {"name": name})
                ok = False
                continue
            if grade is not None:
                if not tag.graded:
                    self.error(row_no, "tags", gettext("标签“%(name)s”不分等级，请去掉等级") % {"name": name})
                    ok = False
                    continue
                if grade not in (1, 2, 3, 4):
                    self.error(row_no, "tags", gettext("标签“%(name)s”的等级应为1-4级") % {"name": name})
                    ok = False
                    continue
            elif tag.graded:
                self.error(row_no, "tags", gettext("标签“%(name)s”须写明等级，如“%(name)s(2级)”") % {"name": name})
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
                    "number", "id", "house_id", "grid_id", "grid__path", "head_id"
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
                            h.house_row,
                            "house_number",
                            gettext("户号%(number)s已登记在其他房屋，与本行填写的房屋不一致") % {"number": h.number},
                        )
                    h.state, h.id, h.house_id, h.grid_id, h.head_id = "existing", pk, house_id, grid_id, head_id
                    h.house_row = None
                elif h.house_id is None:
                    h.state = "invalid"
                    self.error(
                        h.first_row,
                        "estate",
                        gettext("户号%(number)s尚未登记，新户须填写小区、楼栋、单元、房号") % {"number": h.number},
                    )
                else:
                    h.state = "new"

    @staticmethod
    def _registered(hashes: list[str]) -> dict[str, tuple[int, str]]:
        """id hash → (person id, grid path) of the persons already registered under these ID numbers."""
        return {
            h: (pk, path)
            for h, pk, path in Person.objects.filter(id_hash__in=hashes).values_list("id_hash", "id", "grid__path")
        }

    # -- 1. check ------------------------------------------------------------------------------------

    def check(self, rows: Iterator[tuple], columns: dict[str, int]) -> None:
        max_rows = settings.IMPORT_MAX_ROWS
        for row_no, cells in enumerate(rows, start=2):
            if row_no % BATCH_SIZE == 0:
                beat(self.job, progress=row_no)
            if not any(c is not None and str(c).strip() for c in cells):
                continue
            if self.rows >= max_rows:
                self.error(
                    row_no, "", gettext("一次最多导入%(max_rows)s行，请拆分文件后分批导入") % {"max_rows": max_rows}
                )
                break
            self.read_row(row_no, cells, columns)
        self.check_batch()
        if self.rows == 0 and not self.failed:
            self.error(None, "", gettext("文件中没有可导入的数据行（第1行为列名，从第2行起每行一人）"))

    def check_batch(self) -> None:
        """Decide what each row of the batch will do (create, update or skip) against the database; keep the rows
        to write in the staging file while the file has no problem."""
        batch, self.batch = self.batch, []
        self._resolve_households()
        found = self._registered([r.values["id_hash"] for r in batch])
        for r in batch:
            h = r.household
            if h.state == "foreign":
                self.error(
                    r.row,
                    "household_number",
                    gettext("户号%(number)s已在其他辖区登记，不能把人员导入该户") % {"number": h.number},
                )
                continue
            if h.state == "invalid":
                continue  # reported once, on the household's first row
            hit = found.get(r.values["id_hash"])
            if hit and not self.in_scope(hit[1]):
                self.error(
                    r.row,
                    "id_number",
                    gettext("该证件号码已在其他辖区登记，不能重复登记；如已迁入本辖区，请联系原辖区办理迁出"),
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
                self.error(
                    r.row,
                    "relationship",
                    gettext("户号%(number)s已登记户主，如需更换请在一户一档中修改") % {"number": h.number},
                )
                continue
            if not self.failed:  # a failed file writes nothing: keep checking, stop keeping rows
                pickle.dump((r.row, r.values, h.number, r.tags, r.given, hit[0] if hit else None), self.staged)
                self.staged_count += 1

    # -- 2. write ------------------------------------------------------------------------------------

    def write(self) -> None:
        """The checked rows, a batch per transaction, each with its step."""
        beat(self.job, stage=ImportJob.Stage.WRITE, progress=0, progress_total=self.staged_count)
        self.staged.seek(0)
        batch = []
        for _ in range(self.staged_count):
            batch.append(pickle.load(self.staged))  # our own file, written by check_batch
            if len(batch) == WRITE_BATCH:
                self._write_batch(batch)
                batch = []
        if batch:
            self._write_batch(batch)

    def _write_batch(self, entries: list[tuple]) -> None:
        with transaction.atomic():
            beat(self.job, progress=self.written)
            found = self._registered([values["id_hash"] for _, values, *_ in entries])
            creates: list[_Row] = []
            updates: list[tuple[_Row, int]] = []
            for row_no, values, number, tags, given, pk in entries:
                hit = found.get(values["id_hash"])
                if (hit[0] if hit else None) != pk or (hit and not self.in_scope(hit[1])):
                    raise RegistryChanged
                r = _Row(row_no, values, self.households[number], tags, given)
                if pk:
                    updates.append((r, pk))
                else:
                    creates.append(r)
            step = ImportStep(job=self.job)
            step.households = self._create_households(
                [r.household for r in creates] + [r.household for r, _ in updates]
            )
            self.heads = []
            step.persons = self._create_persons(creates)
            before = self._update_persons(updates, step) if updates else {}
            if self.heads:
                before["heads"] = self._set_heads(dict(self.heads))
            if before:
                step.before = json.dumps(before, cls=DjangoJSONEncoder)
            step.save()
        self.written += len(entries)
        pause()

    def _create_households(self, used: list[_Household]) -> list[int]:
        """Create the new households that get at least one person (not those whose rows were all skipped)."""
        new = list({h.number: h for h in used if h.state == "new" and h.id is None}.values())
        if not new:
            return []
        rows = [{"number": h.number, "kind": h.kind, "house_id": h.house_id, "grid_id": h.grid_id} for h in new]
        for h, obj in zip(new, households_insert_batch(user=self.user, rows=rows), strict=True):
            h.id = obj.pk
        self.households_created += len(new)
        return [h.id for h in new]

    def _create_persons(self, creates: list[_Row]) -> list[int]:
        if not creates:
            return []
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
        return [p.pk for p in people]

    def _update_persons(self, updates: list[tuple[_Row, int]], step: ImportStep) -> dict:
        """Apply the updates; answer what they replaced (fields, tag grades), and note added tag links in `step`."""
        people = Person.objects.in_bulk([pk for _, pk in updates])
        now = timezone.now()
        changed, before = [], {}
        for r, pk in updates:
            person = people[pk]
            before[pk] = {name: getattr(person, name) for name in RESTORED}
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
        save_rows(changed, UPDATE_FIELDS, self.user)
        step.tags, grades = self._merge_tags([(pk, r.tags) for r, pk in updates if r.tags])
        self.updated += len(updates)
        return {"persons": before, "grades": grades}

    def _merge_tags(self, wanted: list[tuple[int, list[tuple[int, int | None]]]]) -> tuple[list[int], dict]:
        """Add the listed tags to existing persons (a tag already there takes the new grade); none are removed.
        Answers the links added and the grades replaced."""
        if not wanted:
            return [], {}
        existing = {
            (link.person_id, link.tag_id): link
            for link in PersonTag.objects.filter(person_id__in=[pk for pk, _ in wanted])
        }
        new, regraded, grades = [], [], {}
        for pk, tags in wanted:
            for tag, grade in tags:
                link = existing.get((pk, tag))
                if link is None:
                    new.append(PersonTag(person_id=pk, tag_id=tag, grade=grade))
                elif link.grade != grade:
                    grades[link.pk] = link.grade
                    link.grade = grade
                    regraded.append(link)
        if new:
            new = bulk_create_with_history(new, PersonTag, batch_size=BATCH_SIZE, default_user=self.user)
        if regraded:
            save_rows(regraded, ["grade"], self.user)
        return [link.pk for link in new], grades

    def _set_heads(self, heads: dict[int, int]) -> dict[int, int | None]:
        """Point the households at their heads: one UPDATE (no per-row CASE), then history rows. Answers the heads
        they had."""
        now = timezone.now()
        before = dict(Household.objects.filter(pk__in=list(heads)).values_list("id", "head_id"))
        head = Person.objects.filter(household_id=OuterRef("pk"), pk__in=list(heads.values())).values("pk")[:1]
        Household.objects.filter(pk__in=list(heads)).update(
            head_id=Subquery(head), version=F("version") + 1, updated_at=now
        )
        households = list(Household.objects.filter(pk__in=list(heads)))
        Household.history.bulk_history_create(
            households, batch_size=BATCH_SIZE, update=True, default_user=self.user, default_date=now
        )
        return before


# ---------------------------------------------------------------------------------------------- undo


def undo(job: ImportJob) -> int:
    """Undo the job's committed steps, newest first, one transaction each; an undone step is deleted with it, so
    an undo that is interrupted resumes where it stopped. Answers the number of steps undone."""
    steps = list(job.steps.order_by("-id").values_list("id", flat=True))
    beat(job, stage=ImportJob.Stage.UNDO, progress=0, progress_total=len(steps))
    for done, pk in enumerate(steps, start=1):
        try:
            with transaction.atomic():
                _undo_step(ImportStep.objects.get(pk=pk), job.user)
                beat(job, progress=done)
        except ProtectedError as exc:  # a rental now names an imported person
            raise UndoIncomplete from exc
        pause()
    return len(steps)


def _undo_step(step: ImportStep, user) -> None:
    before = json.loads(step.before) if step.before else {}
    now = timezone.now()
    if heads := before.get("heads"):
        households = list(Household.objects.filter(pk__in=heads))
        for h in households:
            h.head_id, h.version, h.updated_at = heads[str(h.pk)], h.version + 1, now
        save_rows(households, ["head", "version", "updated_at"], user)
    if grades := before.get("grades"):
        links = list(PersonTag.objects.filter(pk__in=grades))
        for link in links:
            link.grade = grades[str(link.pk)]
        save_rows(links, ["grade"], user)
    PersonTag.objects.filter(pk__in=step.tags).delete()
    if replaced := before.get("persons"):
        people = list(Person.objects.filter(pk__in=replaced))
        for person in people:
            for name, value in replaced[str(person.pk)].items():
                setattr(person, name, Person._meta.get_field(name).to_python(value))
            person.version, person.updated_at = person.version + 1, now
        save_rows(people, UPDATE_FIELDS, user)
    Person.objects.filter(pk__in=step.persons).delete()
    Household.objects.filter(pk__in=step.households).delete()
    step.delete()
