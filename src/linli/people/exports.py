"""Excel export of the person list (SPEC §2): the list's filters, masked unless permitted, always audited."""

from collections.abc import Mapping
from dataclasses import asdict, fields
from typing import IO, Any
from urllib.parse import urlencode

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from linli.accounts.scope import registry_path
from linli.audit.services import MAX_IDS, audit_record
from linli.core.errors import FieldError, PermissionDenied, ValidationFailed
from linli.core.pii import mask_id_number, mask_phone

from .imports import SHEET_COLUMNS
from .selectors import PersonFilter, can_export_pii, person_list

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
            if not text.isdigit():
                errors.append(FieldError(name, f"{_INT_FILTERS[name]}应为数字"))
                continue
            values[name] = int(text)
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
        ws.append(_row(person, unmasked))
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


def export_params(filters: PersonFilter) -> dict:
    """The filters as query parameters (for links from the person list to the export)."""
    return {k: v for k, v in asdict(filters).items() if k in EXPORT_FILTERS and v not in (None, "")}
