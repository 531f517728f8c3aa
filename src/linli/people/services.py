"""Writes to the people registry: one function per use case, transactional and scope-checked."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext
from simple_history.utils import bulk_create_with_history

from linli.accounts.scope import contains
from linli.audit.services import audit_record
from linli.core.errors import Conflict, FieldError, PermissionDenied, ValidationFailed
from linli.core.pii import lookup_hash
from linli.regions.models import Region
from linli.regions.selectors import region_get

from . import rules
from .models import Building, Estate, House, Household, Person, PersonTag, Rental, RentalTenant, Tag, Unit
from .selectors import (
    can_edit_registry,
    can_view_pii,
    can_view_sensitive_tags,
    estate_get,
    house_get,
    household_get,
    person_get,
    persons_check,
)


@dataclass(frozen=True)
class Column:
    """One person attribute as forms, the API and the Excel template name it."""

    field: str
    label: str
    required: bool = False
    choices: type | None = None


PERSON_COLUMNS = [
    Column("name", "姓名", required=True),
    Column("id_type", "证件类型", choices=Person.IdType),
    Column("id_number", "证件号码", required=True),
    Column("gender", "性别", choices=Person.Gender),
    Column("birth_date", "出生日期"),
    Column("ethnicity", "民族"),
    Column("phone", "联系电话"),
    Column("hukou_address", "户籍地"),
    Column("current_address", "现住址"),
    Column("residence_type", "人口类型", choices=Person.ResidenceType),
    Column("education", "文化程度", choices=Person.Education),
    Column("employment", "就业状况", choices=Person.Employment),
    Column("employer", "工作单位"),
    Column("political_status", "政治面貌", choices=Person.Political),
    Column("marital_status", "婚姻状况", choices=Person.Marital),
    Column("relationship", "与户主关系", choices=Person.Relationship),
    Column("note", "备注"),
]
COLUMN_BY_FIELD = {c.field: c for c in PERSON_COLUMNS}
TEXT_LIMITS = {"name": 50, "hukou_address": 200, "current_address": 200, "employer": 100, "note": 200}


def check_registry_editor(user) -> None:
    if not can_edit_registry(user):
        raise PermissionDenied(gettext("您的角色不能维护人口信息"))


@cache
def _accepted(column: Column) -> dict[str, str]:
    """Stored values and Chinese labels → stored value, the first pair that names it winning. Built once: the
    choices' enum builds its list anew on every access, which was most of the cost of checking a person."""
    accepted: dict[str, str] = {}
    for stored, label in column.choices.choices:
        accepted.setdefault(stored, stored)
        accepted.setdefault(str(label), stored)
    return accepted


def _choice(column: Column, value: str) -> str:
    """Accept the stored value or its Chinese label (what a clerk types in Excel)."""
    stored = _accepted(column).get(value)
    if stored is not None:
        return stored
    raise rules.InvalidValue(
        gettext("%(label)s应为：%(join)s")
        % {"label": column.label, "join": "、".join((str(label) for _, label in column.choices.choices))}
    )


def parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    for candidate in (text, text.replace("年", "-").replace("月", "-").rstrip("日")):
        try:
            return date.fromisoformat("-".join(p.zfill(2) for p in candidate.split("-")))
        except ValueError:
            continue
    raise rules.InvalidValue(gettext("日期格式应为YYYY-MM-DD"))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():  # Excel keeps digits typed as numbers as floats
        value = int(value)
    return str(value).strip()


def person_clean(raw: Mapping[str, Any], *, row: int | None = None, today: date | None = None):
    """Validate and normalise one person's attributes. Returns (values, errors); values are model fields."""
    errors: list[FieldError] = []
    values: dict[str, Any] = {}

    def fail(field: str, message: str) -> None:
        errors.append(FieldError(field, message, row))

    for column in PERSON_COLUMNS:
        text = _text(raw.get(column.field))
        if column.required and not text:
            fail(column.field, gettext("%(label)s不能为空") % {"label": column.label})
            continue
        if not text:
            values[column.field] = ""
            continue
        try:
            if column.choices:
                values[column.field] = _choice(column, text)
            elif column.field in TEXT_LIMITS and len(text) > TEXT_LIMITS[column.field]:
                raise rules.InvalidValue(
                    gettext("%(label)s不能超过%(TEXT_LIMITS)s个字")
                    % {"label": column.label, "TEXT_LIMITS": TEXT_LIMITS[column.field]}
                )
            else:
                values[column.field] = text
        except rules.InvalidValue as exc:
            fail(column.field, str(exc))

    values["id_type"] = values.get("id_type") or rules.ID_RESIDENT
    facts = None
    if values.get("id_number"):
        values["id_number"] = rules.normalize_id_number(values["id_number"])
        try:
            facts = rules.parse_id_number(values["id_type"], values["id_number"], today)
        except rules.InvalidValue as exc:
            fail("id_number", str(exc))

    birth = raw.get("birth_date")
    values["birth_date"] = None
    if _text(birth):
        try:
            values["birth_date"] = parse_date(birth)
        except rules.InvalidValue as exc:
            fail("birth_date", str(exc))
    if facts and facts.birth_date:
        if values["birth_date"] and values["birth_date"] != facts.birth_date:
            fail("birth_date", gettext("出生日期与证件号码不符"))
        values["birth_date"] = facts.birth_date
    if facts and facts.gender:
        if values.get("gender") and values["gender"] != facts.gender:
            fail("gender", gettext("性别与证件号码不符"))
        values["gender"] = facts.gender
    if not values.get("gender") and not {"gender", "id_number"} & {e.field for e in errors}:
        fail("gender", gettext("性别不能为空（证件号码无法推导性别时须填写）"))
    if values["birth_date"] and values["birth_date"] > (today or date.today()):
        fail("birth_date", gettext("出生日期不能晚于今天"))

    if values.get("ethnicity"):
        name = values["ethnicity"] if values["ethnicity"].endswith("族") else values["ethnicity"] + gettext("族")
        if name not in rules.ETHNIC_GROUPS:
            fail("ethnicity", gettext("民族应为56个民族之一，如“汉族”"))
        values["ethnicity"] = name
    if values.get("phone"):
        try:
            values["phone"] = rules.validate_phone(values["phone"])
        except rules.InvalidValue as exc:
            fail("phone", str(exc))

    values["id_hash"] = lookup_hash(values["id_number"]) if values.get("id_number") else ""
    values["phone_hash"] = lookup_hash(values["phone"]) if values.get("phone") else ""
    return values, errors


def _scoped_grid(user, grid_id) -> Region:
    grid = region_get(user=user, pk=grid_id)
    if grid.level != Region.Level.GRID:
        raise ValidationFailed([FieldError("grid", gettext("请选择网格（而不是街道或社区）"))])
    return grid


def _placement(user, data: Mapping[str, Any]) -> dict:
    """Where the person lives: a household (its house's grid) or, without one, a grid."""
    if data.get("household_id"):
        household = household_get(user=user, pk=data["household_id"])
        return {"household": household, "grid_id": household.house.grid_id}
    if data.get("grid_id"):
        return {"household": None, "grid_id": _scoped_grid(user, data["grid_id"]).pk}
    raise ValidationFailed([FieldError("household", gettext("请选择所属户或网格"))])


def _check_unique_id(values: dict, exclude_pk: int | None = None) -> None:
    clash = Person.objects.filter(id_hash=values["id_hash"])
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationFailed([FieldError("id_number", gettext("该证件号码已登记，请勿重复录入"))])


@transaction.atomic
def person_create(*, user, data: Mapping[str, Any]) -> Person:
    check_registry_editor(user)
    values, errors = person_clean(data)
    if errors:
        raise ValidationFailed(errors)
    place = _placement(user, data)
    _check_unique_id(values)
    person = Person(**values, **place)
    person._history_user = user
    person.save()
    if place["household"] and values.get("relationship") == Person.Relationship.HEAD:
        _make_head(user, place["household"], person)
    return person


def _make_head(user, household: Household, person: Person) -> None:
    household.head = person
    household.version += 1
    household._history_user = user
    household.save(update_fields=["head", "version", "updated_at"])


@transaction.atomic
def person_update(*, user, pk: int, version: int, data: Mapping[str, Any]) -> Person:
    """Change some attributes; `version` is what the editor saw. A stale version answers 409."""
    check_registry_editor(user)
    person = Person.objects.select_for_update().get(pk=person_get(user=user, pk=pk).pk)
    if person.version != version:
        raise Conflict()
    current = {c.field: getattr(person, c.field) for c in PERSON_COLUMNS}
    current["birth_date"] = person.birth_date
    merged = {**current, **{k: v for k, v in data.items() if k in COLUMN_BY_FIELD or k == "birth_date"}}
    values, errors = person_clean(merged)
    if errors:
        raise ValidationFailed(errors)
    _check_unique_id(values, exclude_pk=person.pk)
    if "household_id" in data or "grid_id" in data:
        place = _placement(user, {"household_id": data.get("household_id"), "grid_id": data.get("grid_id")})
        values.update(household=place["household"], grid_id=place["grid_id"])
    for field, value in values.items():
        setattr(person, field, value)
    person.version += 1
    person._history_user = user
    person.save()
    if person.household_id and person.relationship == Person.Relationship.HEAD and not person.household.head_id:
        _make_head(user, person.household, person)
    return person


def person_reveal(*, user, pk: int, purpose: str, request=None) -> dict:
    """Unmasked ID and phone numbers, for a stated purpose; every reveal is audited (PIPL)."""
    if not can_view_pii(user):
        raise PermissionDenied(gettext("您没有查看完整个人信息的权限"))
    purpose = (purpose or "").strip()
    if len(purpose) < 2:
        raise ValidationFailed([FieldError("purpose", gettext("请填写查看用途"))])
    person = person_get(user=user, pk=pk)
    audit_record(
        actor=user, action="view_pii", object_type="person", object_ids=[person.pk], purpose=purpose, request=request
    )
    return {"id_number": person.id_number, "phone": person.phone}


def _tag_for(user, code: str) -> Tag:
    tag = Tag.objects.filter(code=code).first()
    if tag is None or (tag.sensitive and not can_view_sensitive_tags(user)):
        raise ValidationFailed([FieldError("tag", gettext("标签不存在"))])
    return tag


@transaction.atomic
def person_tag_set(*, user, person_id: int, tag_code: str, grade: int | None = None, note: str = "") -> PersonTag:
    check_registry_editor(user)
    person = person_get(user=user, pk=person_id)
    tag = _tag_for(user, tag_code)
    if tag.graded and grade not in (1, 2, 3, 4):
        raise ValidationFailed([FieldError("grade", gettext("%(name)s须填写等级（1-4级）") % {"name": tag.name})])
    if not tag.graded and grade is not None:
        raise ValidationFailed([FieldError("grade", gettext("%(name)s不分等级") % {"name": tag.name})])
    link = PersonTag.objects.filter(person=person, tag=tag).first() or PersonTag(person=person, tag=tag)
    link.grade, link.note = grade, (note or "")[:200]
    link._history_user = user
    link.save()
    return link


@transaction.atomic
def person_tag_remove(*, user, person_id: int, tag_code: str) -> None:
    check_registry_editor(user)
    person = person_get(user=user, pk=person_id)
    link = PersonTag.objects.filter(person=person, tag=_tag_for(user, tag_code)).first()
    if link:
        link._history_user = user
        link.delete()


def household_values(data: Mapping[str, Any]) -> dict:
    """A household's own fields (number, kind, note), validated; raises ValidationFailed. Shared with bulk loads."""
    errors = []
    number = _text(data.get("number"))
    kind = _text(data.get("kind")) or Household.Kind.FAMILY
    if not number:
        errors.append(FieldError("number", gettext("户号不能为空")))
    elif len(number) > 30:
        errors.append(FieldError("number", gettext("户号不能超过30个字符")))
    if kind not in Household.Kind.values:
        kind = {label: value for value, label in Household.Kind.choices}.get(kind)
        if kind is None:
            errors.append(FieldError("kind", gettext("户别应为家庭户或集体户")))
    if errors:
        raise ValidationFailed(errors)
    return {"number": number, "kind": kind, "note": _text(data.get("note"))[:200]}


@transaction.atomic
def household_create(*, user, data: Mapping[str, Any]) -> Household:
    check_registry_editor(user)
    values = household_values(data)
    if not data.get("house_id"):
        raise ValidationFailed([FieldError("house", gettext("请选择房屋"))])
    house = house_get(user=user, pk=data["house_id"])
    if Household.objects.filter(number=values["number"]).exists():
        raise ValidationFailed([FieldError("number", gettext("该户号已存在"))])
    household = Household(house=house, **values)
    household._history_user = user
    household.save()
    return household


@transaction.atomic
def household_update(*, user, pk: int, version: int, data: Mapping[str, Any]) -> Household:
    check_registry_editor(user)
    household = Household.objects.select_for_update().get(pk=household_get(user=user, pk=pk).pk)
    if household.version != version:
        raise Conflict()
    values = household_values({"number": household.number, "kind": household.kind, "note": household.note, **data})
    if Household.objects.filter(number=values["number"]).exclude(pk=household.pk).exists():
        raise ValidationFailed([FieldError("number", gettext("该户号已存在"))])
    if data.get("house_id"):
        household.house = house_get(user=user, pk=data["house_id"])
        Person.objects.filter(household=household).update(grid_id=household.house.grid_id)
    if "head_id" in data:
        head = household.members.filter(pk=data["head_id"]).first() if data["head_id"] else None
        if data["head_id"] and head is None:
            raise ValidationFailed([FieldError("head", gettext("户主必须是本户成员"))])
        household.head = head
    for field, value in values.items():
        setattr(household, field, value)
    household.version += 1
    household._history_user = user
    household.save()
    return household


def _decimal(value: Any, field: str, label: str, errors: list) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        errors.append(FieldError(field, gettext("%(label)s应为数字") % {"label": label}))
        return None
    if not number.is_finite() or number < 0 or number > Decimal("100000"):  # NaN would raise on comparison
        errors.append(FieldError(field, gettext("%(label)s应在0到100000平方米之间") % {"label": label}))
        return None
    return number.quantize(Decimal("0.01"))


def house_clean(data: Mapping[str, Any]) -> tuple[dict, list[FieldError]]:
    """Validate and normalise a house's own fields (building, unit and house numbers, areas, use). Returns
    (values, errors); shared by house_create and the bulk loads."""
    errors: list[FieldError] = []
    building_no, unit_no, number = (_text(data.get(k)) for k in ("building", "unit", "number"))
    for field, label, value in (
        ("building", gettext("楼栋号"), building_no),
        ("unit", gettext("单元号"), unit_no),
        ("number", gettext("房号"), number),
    ):
        if not value:
            errors.append(FieldError(field, gettext("%(label)s不能为空") % {"label": label}))
    building_area = _decimal(data.get("building_area"), "building_area", gettext("建筑面积"), errors)
    exclusive_area = _decimal(data.get("exclusive_area"), "exclusive_area", gettext("专有部分面积"), errors)
    if building_area and exclusive_area and exclusive_area > building_area:
        errors.append(FieldError("exclusive_area", gettext("专有部分面积不能大于建筑面积")))
    use = _text(data.get("use")) or House.Use.OWNER_OCCUPIED
    if use not in House.Use.values:
        errors.append(FieldError("use", gettext("用途应为自住、出租、空置、商铺或办公")))
    values = {"building": building_no, "unit": unit_no, "number": number, "floor": data.get("floor"), "use": use,
              "building_area": building_area, "exclusive_area": exclusive_area}  # fmt: skip
    return values, errors


@transaction.atomic
def house_create(*, user, data: Mapping[str, Any]) -> House:
    """A house at estate/building/unit/number; the building and unit are created on first use."""
    check_registry_editor(user)
    estate = estate_get(user=user, pk=data.get("estate_id") or 0)
    values, errors = house_clean(data)
    if errors:
        raise ValidationFailed(errors)
    grid = _scoped_grid(user, data.get("grid_id") or 0)
    if not contains(estate.region.path, grid.path):
        raise ValidationFailed([FieldError("grid", gettext("网格不在该小区所属社区内"))])
    building, _ = Building.objects.get_or_create(estate=estate, number=values.pop("building"), defaults={"grid": grid})
    unit, _ = Unit.objects.get_or_create(building=building, number=values.pop("unit"))
    if House.objects.filter(unit=unit, number=values["number"]).exists():
        raise ValidationFailed([FieldError("number", gettext("该房屋已登记"))])
    return House.objects.create(unit=unit, grid=grid, **values)


@transaction.atomic
def house_update(*, user, pk: int, version: int, data: Mapping[str, Any]) -> House:
    check_registry_editor(user)
    house = House.objects.select_for_update().get(pk=house_get(user=user, pk=pk).pk)
    if house.version != version:
        raise Conflict()
    errors: list[FieldError] = []
    for field, label in (("building_area", gettext("建筑面积")), ("exclusive_area", gettext("专有部分面积"))):
        if field in data:
            setattr(house, field, _decimal(data[field], field, label, errors))
    if "use" in data:
        if data["use"] not in House.Use.values:
            errors.append(FieldError("use", gettext("用途应为自住、出租、空置、商铺或办公")))
        house.use = data["use"]
    if house.building_area and house.exclusive_area and house.exclusive_area > house.building_area:
        errors.append(FieldError("exclusive_area", gettext("专有部分面积不能大于建筑面积")))
    if errors:
        raise ValidationFailed(errors)
    if data.get("grid_id"):
        house.grid = _scoped_grid(user, data["grid_id"])
        Household.objects.filter(house=house).update(grid=house.grid)
        Person.objects.filter(household__house=house).update(grid=house.grid)
    house.version += 1
    house.save()
    return house


@transaction.atomic
def estate_create(*, user, data: Mapping[str, Any]) -> Estate:
    check_registry_editor(user)
    community = region_get(user=user, pk=data.get("region_id") or 0)
    errors = []
    if community.level != Region.Level.COMMUNITY:
        errors.append(FieldError("region", gettext("小区应隶属于社区/村")))
    name = _text(data.get("name"))
    if not name:
        errors.append(FieldError("name", gettext("小区名称不能为空")))
    elif Estate.objects.filter(region=community, name=name).exists():
        errors.append(FieldError("name", gettext("该社区已有同名小区")))
    if errors:
        raise ValidationFailed(errors)
    return Estate.objects.create(
        region=community, name=name, address=_text(data.get("address"))[:200], built_year=data.get("built_year") or None
    )


@transaction.atomic
def estate_update(*, user, pk: int, version: int, data: Mapping[str, Any]) -> Estate:
    check_registry_editor(user)
    estate = Estate.objects.select_for_update().get(pk=estate_get(user=user, pk=pk).pk)
    if estate.version != version:
        raise Conflict()
    name = _text(data.get("name", estate.name))
    if not name:
        raise ValidationFailed([FieldError("name", gettext("小区名称不能为空"))])
    if Estate.objects.filter(region=estate.region, name=name).exclude(pk=estate.pk).exists():
        raise ValidationFailed([FieldError("name", gettext("该社区已有同名小区"))])
    estate.name, estate.address = name, _text(data.get("address", estate.address))[:200]
    estate.version += 1
    estate.save()
    return estate


@transaction.atomic
def rental_create(*, user, data: Mapping[str, Any]) -> Rental:
    """出租屋登记: the landlord and tenants must already be in the registry (within scope)."""
    check_registry_editor(user)
    house = house_get(user=user, pk=data.get("house_id") or 0)
    landlord = person_get(user=user, pk=data.get("landlord_id") or 0)
    errors = []
    try:
        starts_on = parse_date(data.get("starts_on") or "")
    except rules.InvalidValue:
        errors.append(FieldError("starts_on", gettext("请填写租期开始日期（YYYY-MM-DD）")))
        starts_on = None
    ends_on = None
    if data.get("ends_on"):
        try:
            ends_on = parse_date(data["ends_on"])
        except rules.InvalidValue as exc:
            errors.append(FieldError("ends_on", str(exc)))
    if starts_on and ends_on and ends_on < starts_on:
        errors.append(FieldError("ends_on", gettext("租期结束不能早于开始")))
    try:
        tenant_ids = rules.rental_tenants(data.get("tenant_ids") or [])
    except rules.InvalidValue as exc:
        errors.append(FieldError("tenants", str(exc)))
    if errors:
        raise ValidationFailed(errors)
    persons_check(user=user, pks=tenant_ids)
    rental = Rental.objects.create(
        house=house,
        landlord=landlord,
        starts_on=starts_on,
        ends_on=ends_on,
        rent=data.get("rent"),
        note=_text(data.get("note"))[:200],
        created_by=user,
    )
    RentalTenant.objects.bulk_create(
        RentalTenant(rental=rental, person_id=pk, registered_on=date.today()) for pk in tenant_ids
    )
    if house.use != House.Use.RENTED:
        House.objects.filter(pk=house.pk).update(use=House.Use.RENTED, version=F("version") + 1)
    return rental


def persons_insert_batch(*, user, rows: list[dict]) -> list[Person]:
    """Insert already-cleaned persons (person_clean values plus grid_id/household_id) with their history rows.

    The bulk path shared by the Excel import and the demo builder; the caller holds the transaction and
    has checked scope and uniqueness for the whole batch.
    """
    people = [Person(**row) for row in rows]
    return bulk_create_with_history(people, Person, batch_size=1000, default_user=user)


def households_insert_batch(*, user, rows: list[dict]) -> list[Household]:
    """Insert households (number, kind, house_id and that house's grid_id) with their history rows; heads are set
    afterwards."""
    return bulk_create_with_history([Household(**row) for row in rows], Household, batch_size=1000, default_user=user)
