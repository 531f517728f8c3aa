"""API schemas of the people registry: explicit fields in and out; ID and phone numbers always masked on output."""

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Field
from pydantic import ConfigDict, model_validator

from linli.core.pii import mask_id_number, mask_phone
from linli.core.schemas import Area, Day, Id, In, Name, Row, Schema, Version

from . import rules
from .models import House, Household, Person

# ---------------------------------------------------------------- shared pieces


# A related object named in a row: its id and display name. Other apps publish a `Ref` of the same shape under the
# same component name, so this one carries no docstring of its own (it would become the published description).
class Ref(Row):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str


class HouseholdRef(Row):
    model_config = ConfigDict(from_attributes=True)

    id: int
    number: str


class HouseRef(Schema):
    id: int
    address: str

    @staticmethod
    def resolve_address(obj: House) -> str:
        return house_address(obj)


def house_address(house: House) -> str:
    """幸福里 3号楼 2单元 501 — the caller has selected unit__building__estate."""
    building = house.unit.building
    return _("%(name)s%(number)s号楼%(number2)s单元%(number3)s") % {
        "name": building.estate.name,
        "number": building.number,
        "number2": house.unit.number,
        "number3": house.number,
    }


def _visible_tags(obj) -> list:
    # Only what the selectors prefetched for this user; a person fetched any other way shows no tags
    # rather than risking a sensitive one.
    return getattr(obj, "visible_tags", [])


class TagLinkOut(Row):
    code: str
    name: str
    grade: int | None
    note: str


# ---------------------------------------------------------------- persons


class PersonFilterIn(In):
    region: Id | None = Field(None, description="区域（含下级）")
    grid: Id | None = Field(None, description="网格")
    tag: str | None = Field(None, description="标签代码")
    residence_type: Person.ResidenceType | None = Field(None, description="人口类型")
    gender: Person.Gender | None = Field(None, description="性别")
    age_min: int | None = Field(None, ge=0, le=150, description="最小年龄（含）")
    age_max: int | None = Field(None, ge=0, le=150, description="最大年龄（含）")
    name: str | None = Field(None, max_length=50, description="姓名（包含）")
    household: Id | None = Field(None, description="户")
    estate: Id | None = Field(None, description="小区")


class PersonSearchIn(PersonFilterIn):
    """The list's filters and the full numbers, in a request body: a URL reaches access logs and proxies."""

    id_number: str | None = Field(None, max_length=30, description="证件号码（精确）")
    phone: str | None = Field(None, max_length=20, description="电话（精确）")


# Choice labels of the person fields, looked up once: Django's get_FOO_display rebuilds the choices dict on
# every call, which was the largest single cost of a page of the person list.
_LABELS = {
    name: dict(Person._meta.get_field(name).flatchoices)
    for name in (
        "gender",
        "residence_type",
        "relationship",
        "education",
        "employment",
        "political_status",
        "marital_status",
    )
}


def _label(field: str, value: str) -> str:
    return _LABELS[field].get(value, value)


class _PersonRow(Row):
    """Person outputs are built as plain dicts by each class's `row(person, today)` and validated natively by
    pydantic: a resolver-based ninja Schema costs several times as much per row, and the person list pays it
    20 to 100 times a request."""

    @model_validator(mode="before")
    @classmethod
    def _from_person(cls, obj):
        if not isinstance(obj, Person):
            # Only `row` masks the numbers and keeps to the tags the user may see: nothing else gets through.
            raise TypeError(f"{cls.__name__} is built from a Person, not {type(obj).__name__}")
        return cls.row(obj, date.today())


class PersonMemberOut(_PersonRow):
    """A person as a row of a household file."""

    id: int
    name: str
    id_type: str
    id_type_label: str
    id_number: str = Field(description="脱敏")
    gender: str
    gender_label: str
    birth_date: date | None
    age: int | None
    phone: str = Field(description="脱敏")
    residence_type: str
    residence_type_label: str
    relationship: str
    relationship_label: str
    tags: list[TagLinkOut]
    version: int

    @classmethod
    def row(cls, p: Person, today: date) -> dict:
        return {
            "id": p.pk,
            "name": p.name,
            "id_type": p.id_type,
            "id_type_label": rules.ID_TYPE_LABELS.get(p.id_type, p.id_type),
            "id_number": mask_id_number(p.id_number),
            "gender": p.gender,
            "gender_label": _label("gender", p.gender),
            "birth_date": p.birth_date,
            "age": rules.age_on(p.birth_date, today) if p.birth_date else None,
            "phone": mask_phone(p.phone),
            "residence_type": p.residence_type,
            "residence_type_label": _label("residence_type", p.residence_type),
            "relationship": p.relationship,
            "relationship_label": _label("relationship", p.relationship),
            "tags": [
                {"code": t.tag.code, "name": t.tag.name, "grade": t.grade, "note": t.note} for t in _visible_tags(p)
            ],
            "version": p.version,
        }


class PersonOut(PersonMemberOut):
    ethnicity: str
    hukou_address: str
    current_address: str
    education: str
    education_label: str
    employment: str
    employment_label: str
    employer: str
    political_status: str
    political_status_label: str
    marital_status: str
    marital_status_label: str
    grid: Ref
    household: HouseholdRef | None
    note: str

    @classmethod
    def row(cls, p: Person, today: date) -> dict:
        return super().row(p, today) | {
            "ethnicity": p.ethnicity,
            "hukou_address": p.hukou_address,
            "current_address": p.current_address,
            "education": p.education,
            "education_label": _label("education", p.education),
            "employment": p.employment,
            "employment_label": _label("employment", p.employment),
            "employer": p.employer,
            "political_status": p.political_status,
            "political_status_label": _label("political_status", p.political_status),
            "marital_status": p.marital_status,
            "marital_status_label": _label("marital_status", p.marital_status),
            "grid": {"id": p.grid_id, "name": p.grid.name},
            "household": {"id": p.household_id, "number": p.household.number} if p.household_id else None,
            "note": p.note,
        }


class PersonDetailOut(PersonOut):
    house: HouseRef | None

    @classmethod
    def row(cls, p: Person, today: date) -> dict:
        return super().row(p, today) | {"house": p.household.house if p.household_id else None}


class _PersonFields(In):
    """Attributes as person_clean takes them; choices accept the code or the Chinese label."""

    id_type: str | None = Field(None, description="证件类型：resident/hmt_permit/passport/foreign_pr 或中文名称")
    gender: str | None = Field(None, description="性别：M/F 或 男/女；居民身份证可推导")
    birth_date: Day | None = Field(None, description="出生日期；居民身份证可推导")
    ethnicity: str | None = None
    phone: str | None = None
    hukou_address: str | None = None
    current_address: str | None = None
    residence_type: str | None = None
    education: str | None = None
    employment: str | None = None
    employer: str | None = None
    political_status: str | None = None
    marital_status: str | None = None
    relationship: str | None = None
    note: str | None = None
    household_id: Id | None = Field(None, description="所属户（与 grid_id 二选一）")
    grid_id: Id | None = Field(None, description="无户时所在网格")


class PersonIn(_PersonFields):
    name: Name
    id_number: str


class PersonPatch(_PersonFields):
    version: Version
    name: Name | None = None
    id_number: str | None = None


class RevealIn(In):
    purpose: str = Field(description="查看用途，记入审计日志")


class RevealOut(Schema):
    id_number: str
    phone: str


class TagSetIn(In):
    tag: str = Field(description="标签代码")
    grade: int | None = Field(None, ge=1, le=4, description="分等级标签的等级（1-4）")
    note: str = ""


class TagOut(Schema):
    code: str
    name: str
    sensitive: bool
    graded: bool


# ---------------------------------------------------------------- households


class HouseholdFilterIn(In):
    region: Id | None = None
    grid: Id | None = None
    estate: Id | None = None
    number: str | None = Field(None, max_length=30, description="户号（精确）")
    head_name: str | None = Field(None, max_length=50, description="户主姓名（包含）")


class HouseholdOut(Schema):
    id: int
    number: str
    kind: str
    kind_label: str
    house: HouseRef
    grid: Ref
    estate: Ref
    head: Ref | None
    note: str
    version: int

    @staticmethod
    def resolve_kind_label(obj: Household) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_grid(obj: Household):
        return obj.house.grid

    @staticmethod
    def resolve_estate(obj: Household):
        return obj.house.unit.building.estate


class HouseholdDetailOut(HouseholdOut):
    community: Ref | None
    members: list[PersonMemberOut]

    @staticmethod
    def resolve_community(obj: Household):
        return obj.house.grid.parent

    @staticmethod
    def resolve_members(obj: Household):
        return list(obj.members.all())


class HouseholdIn(In):
    number: str
    kind: str = Field(Household.Kind.FAMILY, description="family/collective 或 家庭户/集体户")
    house_id: Id
    note: str = ""


class HouseholdPatch(In):
    version: Version
    number: str | None = None
    kind: str | None = None
    house_id: Id | None = None
    head_id: Id | None = Field(None, description="户主（须为本户成员）；null 清除")
    note: str | None = None


# ---------------------------------------------------------------- houses


class HouseFilterIn(In):
    region: Id | None = None
    grid: Id | None = None
    estate: Id | None = None
    use: House.Use | None = None


class HouseOut(Schema):
    id: int
    address: str
    estate: Ref
    building: str
    unit: str
    number: str
    floor: int | None
    grid: Ref
    building_area: Decimal | None
    exclusive_area: Decimal | None
    use: str
    use_label: str
    version: int

    @staticmethod
    def resolve_address(obj: House) -> str:
        return house_address(obj)

    @staticmethod
    def resolve_estate(obj: House):
        return obj.unit.building.estate

    @staticmethod
    def resolve_building(obj: House) -> str:
        return obj.unit.building.number

    @staticmethod
    def resolve_unit(obj: House) -> str:
        return obj.unit.number

    @staticmethod
    def resolve_use_label(obj: House) -> str:
        return obj.get_use_display()


class HouseIn(In):
    estate_id: Id
    building: str = Field(description="楼栋号")
    unit: str = Field(description="单元号")
    number: str = Field(description="房号")
    floor: int | None = Field(None, ge=-10, le=200, description="楼层，地下为负数")
    grid_id: Id
    building_area: Area | None = None
    exclusive_area: Area | None = None
    use: str = House.Use.OWNER_OCCUPIED


class HousePatch(In):
    version: Version
    building_area: Area | None = None
    exclusive_area: Area | None = None
    use: str | None = None
    grid_id: Id | None = None


# ---------------------------------------------------------------- estates


class EstateFilterIn(In):
    region: Id | None = None
    name: str | None = Field(None, max_length=100)


class EstateOut(Schema):
    id: int
    name: str
    region: Ref
    address: str
    built_year: int | None
    latitude: Decimal | None
    longitude: Decimal | None
    version: int


class EstateIn(In):
    region_id: Id = Field(description="所属社区/村")
    name: Name
    address: str = ""
    built_year: int | None = Field(None, ge=1800, le=2200)


class EstatePatch(In):
    version: Version
    name: Name | None = None
    address: str | None = None


# ---------------------------------------------------------------- rentals


class TenantOut(Schema):
    id: int
    name: str
    registered_on: date

    @staticmethod
    def resolve_id(obj) -> int:
        return obj.person_id

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.person.name


class RentalOut(Schema):
    id: int
    house_id: int
    landlord: Ref
    starts_on: date
    ends_on: date | None
    rent: Decimal | None
    note: str
    tenants: list[TenantOut]

    @staticmethod
    def resolve_tenants(obj):
        return list(obj.tenants.all())


class RentalIn(In):
    house_id: Id
    landlord_id: Id
    starts_on: Day
    ends_on: Day | None = None
    rent: Decimal | None = Field(None, ge=0, lt=10**8, max_digits=10, decimal_places=2)
    note: str = ""
    tenant_ids: list[Id] = Field(
        max_length=rules.MAX_TENANTS, description=f"承租人（须已登记，最多{rules.MAX_TENANTS}人）"
    )
