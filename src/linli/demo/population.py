"""Households and residents of one community: pure functions of a random.Random (and a Faker zh_CN on it).

Households are drawn by type (a widow living alone, an elderly couple, a couple with one child, three
generations under one roof, a collective dormitory …) with ages chained through the family, so that
relationships, surnames, marital status and ages agree: a child is 22–38 years younger than the mother,
a spouse a few years apart, a grandchild the child of the head's child. The mix of types is tuned so the
population pyramid looks like a North-Eastern city centre in the 2020s (about a quarter aged 60 and over).
Every value is what a clerk would type in the registry form; the builder runs each person through
people.services.person_clean, the same validation as manual entry and Excel import.
"""

import random
from bisect import bisect
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import accumulate

from faker import Faker

from linli.people import rules
from linli.people.models import Household, Person

from . import catalog
from .identity import IdAllocator, PhoneAllocator

# The demo's census moment (标准时点): ages, leases and registrations are counted on this day, so the same
# seed gives the same data whatever the date of the build.
REFERENCE_DATE = date(2026, 7, 1)

R = Person.Relationship
RT = Person.ResidenceType
E = Person.Education
EMP = Person.Employment
POL = Person.Political
MAR = Person.Marital


@dataclass
class Member:
    relationship: str
    gender: str
    age: int
    marital: str
    surname: str
    origin: str = ""  # residence type if it differs from the household's
    fields: dict = field(default_factory=dict)  # raw values for person_clean
    tags: list[tuple[str, int | None]] = field(default_factory=list)

    @property
    def male(self) -> bool:
        return self.gender == "M"


@dataclass
class HouseholdSpec:
    number: str
    kind: str
    house: int  # index into the community's houses
    members: list[Member]
    origin: str  # residence type of the household
    htype: str
    note: str = ""

    @property
    def head(self) -> int | None:
        return next((i for i, m in enumerate(self.members) if m.relationship == R.HEAD), None)


@dataclass
class RentalSpec:
    house: int
    landlord: tuple[int, int]  # (household index, member index)
    tenants: list[tuple[int, int]]
    starts_on: date
    ends_on: date | None
    rent: Decimal
    registered_on: date


@dataclass
class OwnerSpec:
    house: int
    person: tuple[int, int]
    since: date


@dataclass
class CommunityPopulation:
    households: list[HouseholdSpec]
    rentals: list[RentalSpec]
    owners: list[OwnerSpec]


@dataclass(frozen=True)
class HouseInfo:
    """What the population generator needs to know of a house."""

    use: str
    building_area: Decimal
    address: str  # 现住址
    built_year: int


def _weighted(pairs):
    items = [p[0] for p in pairs]
    cum = list(accumulate(p[-1] for p in pairs))
    return items, cum


def pick(rng: random.Random, table) -> object:
    items, cum = table
    return items[bisect(cum, rng.random() * cum[-1])]


class Context:
    """Shared state of one build: the random stream, Faker on it, and the allocators of unique numbers."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.fake = Faker("zh_CN")
        self.fake.random = rng
        person = self.fake.provider("faker.providers.person")
        self.surnames = _weighted(list(person.last_names.items()))
        self.male_chars = list(person.first_names_male)
        self.female_chars = list(person.first_names_female)
        self.male_single = [c for c in self.male_chars if len(c) == 1]
        self.female_single = [c for c in self.female_chars if len(c) == 1]
        self.ids = IdAllocator(rng)
        self.phones = PhoneAllocator(rng)
        self.ethnicities = _weighted(catalog.ETHNICITIES)
        self.origins = _weighted([((code, name), w) for code, name, w in catalog.ORIGIN_COUNTIES])

    def surname(self) -> str:
        return pick(self.rng, self.surnames)

    def given_name(self, male: bool, birth_year: int) -> str:
        rng = self.rng
        if birth_year < 1965:
            pool = catalog.GIVEN_OLD_MALE if male else catalog.GIVEN_OLD_FEMALE
        elif birth_year >= 1995:
            pool = catalog.GIVEN_YOUNG_MALE if male else catalog.GIVEN_YOUNG_FEMALE
        else:
            pool = self.male_chars if male else self.female_chars
        first = rng.choice(pool)
        if len(first) > 1 or rng.random() < 0.25:  # Faker's pools hold some two-character names already
            return first
        second = rng.choice(self.male_single if male else self.female_single)
        return first + second


# --- household compositions -------------------------------------------------------------------------------
# Each returns members with relationships to the head, ages, genders, marital status and surnames.


def _clip(value: float, low: int, high: int) -> int:
    return int(max(low, min(high, round(value))))


def _couple(ctx: Context, husband_age: int, head_is_wife: float = 0.25) -> list[Member]:
    rng = ctx.rng
    wife_age = _clip(husband_age - rng.gauss(2, 2.5), 20, 99)
    husband = Member(R.HEAD, "M", husband_age, MAR.MARRIED, ctx.surname())
    wife = Member(R.SPOUSE, "F", wife_age, MAR.MARRIED, ctx.surname())
    if rng.random() < head_is_wife:
        husband.relationship, wife.relationship = R.SPOUSE, R.HEAD
        return [wife, husband]
    return [husband, wife]


def _father(members: list[Member]) -> Member:
    return next(m for m in members if m.male and m.relationship in (R.HEAD, R.SPOUSE))


def _mother(members: list[Member]) -> Member:
    return next(m for m in members if not m.male and m.relationship in (R.HEAD, R.SPOUSE))


def _child(ctx: Context, parents: list[Member], age: int, relationship: str = R.CHILD) -> Member:
    rng = ctx.rng
    male = rng.random() < 0.515
    father = next((m for m in parents if m.male), None)
    mother = next((m for m in parents if not m.male), None)
    surname = father.surname if father and rng.random() < 0.95 else mother.surname if mother else ctx.surname()
    marital = MAR.SINGLE if age < 25 or rng.random() < 0.8 else rng.choice([MAR.DIVORCED, MAR.SINGLE])
    return Member(relationship, "M" if male else "F", age, marital, surname)


def _family_with_children(ctx: Context, child_ages: list[int], head_is_wife: float = 0.25) -> list[Member]:
    rng = ctx.rng
    mother_at_birth = _clip(rng.gauss(28, 3.5), 21, 40)
    mother_age = max(child_ages) + mother_at_birth
    husband_age = _clip(mother_age + rng.gauss(2, 2.5), 22, 99)
    members = _couple(ctx, husband_age, head_is_wife)
    _mother(members).age = mother_age
    parents = members[:2]
    for age in sorted(child_ages, reverse=True):
        members.append(_child(ctx, parents, age))
    return members


def single_old(ctx: Context) -> list[Member]:
    rng = ctx.rng
    age = _clip(65 + rng.expovariate(1 / 11), 65, 99)
    female = rng.random() < 0.68
    marital = pick(rng, ([MAR.WIDOWED, MAR.DIVORCED, MAR.SINGLE, MAR.MARRIED], [70, 84, 88, 100]))
    return [Member(R.HEAD, "F" if female else "M", age, marital, ctx.surname())]


def old_couple(ctx: Context) -> list[Member]:
    return _couple(ctx, _clip(60 + ctx.rng.expovariate(1 / 9), 60, 97), head_is_wife=0.1)


def single_adult(ctx: Context, young: bool = False) -> list[Member]:
    rng = ctx.rng
    age = _clip(rng.triangular(20, 45 if young else 59, 27), 19, 59)
    marital = MAR.SINGLE if age < 30 or rng.random() < 0.55 else rng.choice([MAR.DIVORCED, MAR.DIVORCED, MAR.WIDOWED])
    return [Member(R.HEAD, "M" if rng.random() < 0.55 else "F", age, marital, ctx.surname())]


def couple(ctx: Context, young: bool = False) -> list[Member]:
    rng = ctx.rng
    age = rng.randint(25, 35) if young or rng.random() < 0.6 else rng.randint(45, 59)
    return _couple(ctx, age)


def couple_one_child(ctx: Context, young: bool = False) -> list[Member]:
    age = ctx.rng.randint(0, 14) if young else round(ctx.rng.triangular(0, 30, 21))
    return _family_with_children(ctx, [age])


def couple_two_children(ctx: Context, young: bool = False) -> list[Member]:
    rng = ctx.rng
    younger = rng.randint(0, 9)
    older = younger + rng.randint(2, 8)
    return _family_with_children(ctx, [older, younger])


def three_generations(ctx: Context) -> list[Member]:
    """Head, spouse and a child, with one or both of the head's parents."""
    rng = ctx.rng
    members = _family_with_children(ctx, [rng.randint(0, 17)])
    head = members[0]
    father_age = _clip(head.age + rng.gauss(29, 3.5), head.age + 20, 99)
    mother_age = _clip(father_age - rng.gauss(2, 2), head.age + 19, 99)
    father = Member(R.PARENT, "M", father_age, MAR.MARRIED, head.surname if head.male else ctx.surname())
    mother = Member(R.PARENT, "F", mother_age, MAR.MARRIED, ctx.surname())
    if rng.random() < 0.55:
        members += [father, mother]
    else:
        widowed = mother if rng.random() < 0.75 else father
        widowed.marital = MAR.WIDOWED
        members.append(widowed)
    return members


def single_parent(ctx: Context, young: bool = False) -> list[Member]:
    rng = ctx.rng
    child_age = rng.randint(0, 12 if young else 24)
    parent_age = child_age + _clip(rng.gauss(29, 4), 21, 42)
    female = rng.random() < 0.75
    marital = pick(rng, ([MAR.DIVORCED, MAR.WIDOWED, MAR.MARRIED], [70, 82, 100]))
    parent = Member(R.HEAD, "F" if female else "M", parent_age, marital, ctx.surname())
    return [parent, _child(ctx, [parent], child_age)]


def grandparents_with_child(ctx: Context) -> list[Member]:
    """Grandparents bringing up grandchildren whose parents work elsewhere (留守儿童)."""
    rng = ctx.rng
    grand_age = rng.randint(55, 72)
    if rng.random() < 0.7:
        members = _couple(ctx, grand_age, head_is_wife=0.2)
    else:
        members = [Member(R.HEAD, "F", grand_age - 2, MAR.WIDOWED, ctx.surname())]
    for _ in range(1 if rng.random() < 0.8 else 2):
        age = rng.randint(3, 15)
        kid = _child(ctx, members, age, R.GRANDCHILD)
        kid.surname = members[0].surname if rng.random() < 0.7 else ctx.surname()
        members.append(kid)
    return members


def extended(ctx: Context) -> list[Member]:
    """An older couple, their married child with the child's spouse, and grandchildren."""
    rng = ctx.rng
    child_age = rng.randint(27, 42)
    members = _family_with_children(ctx, [child_age], head_is_wife=0.1)
    child = members[-1]
    child.marital = MAR.MARRIED
    partner_age = _clip(child.age + (2 if not child.male else -2) + rng.gauss(0, 2), 20, 70)
    partner = Member(R.IN_LAW, "F" if child.male else "M", partner_age, MAR.MARRIED, ctx.surname())
    members.append(partner)
    mother = partner if child.male else child
    father = child if child.male else partner
    kids = 1 if rng.random() < 0.75 else 2
    for _ in range(kids):
        age = rng.randint(0, max(0, min(16, mother.age - 22)))
        kid = _child(ctx, [father, mother], age, R.GRANDCHILD)
        members.append(kid)
    return members


def with_companion(ctx: Context, young: bool = False) -> list[Member]:
    """Two siblings or two friends sharing a flat, or (not young) a very old person with a live-in carer."""
    rng = ctx.rng
    if not young and rng.random() < 0.5:
        old = Member(R.HEAD, "F" if rng.random() < 0.7 else "M", rng.randint(80, 97), MAR.WIDOWED, ctx.surname())
        carer = Member(R.NON_RELATIVE, "F", rng.randint(42, 60), MAR.MARRIED, ctx.surname(), origin=RT.FLOATING)
        return [old, carer]
    head = single_adult(ctx, young=True)[0]
    if rng.random() < 0.5:
        sibling = Member(
            R.SIBLING, rng.choice("MF"), _clip(head.age + rng.gauss(0, 4), 18, 59), MAR.SINGLE, head.surname
        )
    else:
        sibling = Member(
            R.NON_RELATIVE, head.gender, _clip(head.age + rng.gauss(0, 3), 18, 59), MAR.SINGLE, ctx.surname()
        )
    head.marital = MAR.SINGLE
    return [head, sibling]


def collective(ctx: Context) -> list[Member]:
    """集体户: a staff dormitory; the person in charge is entered as 户主, the others as 非亲属."""
    rng = ctx.rng
    size = rng.randint(3, 8)
    members = []
    for i in range(size):
        age = _clip(rng.triangular(18, 50, 24), 18, 55)
        marital = MAR.SINGLE if age < 28 or rng.random() < 0.5 else MAR.MARRIED
        members.append(
            Member(
                R.HEAD if i == 0 else R.NON_RELATIVE, "M" if rng.random() < 0.6 else "F", age, marital, ctx.surname()
            )
        )
    return members


OWNER_TYPES = _weighted(
    [
        (single_old, 12),
        (old_couple, 21),
        (single_adult, 8),
        (couple, 9),
        (couple_one_child, 25),
        (couple_two_children, 3),
        (three_generations, 8),
        (single_parent, 5),
        (grandparents_with_child, 1),
        (extended, 5),
        (with_companion, 2),
    ]
)
RENTER_TYPES = _weighted(
    [
        (single_adult, 40),
        (couple, 20),
        (couple_one_child, 24),
        (couple_two_children, 3),
        (single_parent, 4),
        (with_companion, 9),
    ]
)
YOUNG_ARG = {single_adult, couple, couple_one_child, couple_two_children, single_parent, with_companion}


# --- attributes -------------------------------------------------------------------------------------------


def birth_date_for(rng: random.Random, age: int, on: date = REFERENCE_DATE) -> date:
    """A birth date at which someone is exactly `age` on `on`."""
    latest = on.replace(year=on.year - age)
    earliest = on.replace(year=on.year - age - 1) + timedelta(days=1)
    return earliest + timedelta(days=rng.randrange((latest - earliest).days + 1))


EDUCATION_BY_COHORT = [
    (1955, _weighted([(E.NONE, 8), (E.PRIMARY, 22), (E.JUNIOR, 38), (E.SENIOR, 22), (E.COLLEGE, 6), (E.BACHELOR, 4)])),
    (
        1970,
        _weighted(
            [
                (E.NONE, 2),
                (E.PRIMARY, 8),
                (E.JUNIOR, 40),
                (E.SENIOR, 32),
                (E.COLLEGE, 10),
                (E.BACHELOR, 7),
                (E.POSTGRADUATE, 1),
            ]
        ),
    ),
    (
        1985,
        _weighted(
            [
                (E.NONE, 0.5),
                (E.PRIMARY, 3),
                (E.JUNIOR, 28),
                (E.SENIOR, 28),
                (E.COLLEGE, 20),
                (E.BACHELOR, 18),
                (E.POSTGRADUATE, 2.5),
            ]
        ),
    ),
    (
        9999,
        _weighted(
            [(E.PRIMARY, 1), (E.JUNIOR, 12), (E.SENIOR, 19), (E.COLLEGE, 28), (E.BACHELOR, 33), (E.POSTGRADUATE, 7)]
        ),
    ),
]
FLOATING_EDUCATION = _weighted(
    [(E.PRIMARY, 6), (E.JUNIOR, 38), (E.SENIOR, 28), (E.COLLEGE, 15), (E.BACHELOR, 12), (E.POSTGRADUATE, 1)]
)


def education_for(rng: random.Random, age: int, born: int, floating: bool) -> tuple[str, bool]:
    """(education, still at school)."""
    if age < 6:
        return "", False
    if age < 12:
        return E.PRIMARY, True
    if age < 15:
        return E.JUNIOR, True
    if age < 18:
        return (E.SENIOR, True) if rng.random() < 0.9 else (E.JUNIOR, False)
    if age < 23 and rng.random() < 0.6:
        return (E.COLLEGE if rng.random() < 0.35 else E.BACHELOR), True
    if age < 26 and rng.random() < 0.1:
        return E.POSTGRADUATE, True
    if floating:
        return pick(rng, FLOATING_EDUCATION), False
    table = next(t for year, t in EDUCATION_BY_COHORT if born < year)
    return pick(rng, table), False


def employment_for(rng: random.Random, age: int, male: bool, at_school: bool, local: bool) -> str:
    if age < 6:
        return EMP.PRESCHOOL
    if at_school:
        return EMP.STUDENT
    if age < 18:
        return EMP.OTHER
    retire_at = 60 if male else (55 if rng.random() < 0.5 else 50)
    if age >= retire_at:
        if age < 65 and rng.random() < 0.12:
            return EMP.EMPLOYED
        return EMP.RETIRED if local or rng.random() < 0.3 else EMP.OTHER
    x = rng.random()
    if x < 0.80:
        return EMP.EMPLOYED
    if x < 0.86:
        return EMP.UNEMPLOYED
    return EMP.OTHER


def political_for(rng: random.Random, age: int, male: bool, veteran: bool) -> str:
    if age < 14:
        return ""
    x = rng.random()
    if veteran:
        return POL.CPC if x < 0.4 else POL.MASSES
    if age <= 28:
        if x < (0.55 if age < 19 else 0.3):
            return POL.CYL
        if age >= 18 and x > 0.94:
            return POL.CPC if x > 0.955 else POL.CPC_PROBATIONARY
        return POL.MASSES
    cpc = 0.09 if age < 60 else (0.17 if male else 0.09)
    if x < cpc:
        return POL.CPC
    if x < cpc + 0.004:
        return POL.DEMOCRATIC
    return POL.MASSES


def phone_for(ctx: Context, age: int) -> str:
    x = ctx.rng.random()
    if age < 12:
        return ""
    if age < 18:
        return ctx.phones.mobile() if x < 0.45 else ""
    if age < 70:
        return ctx.phones.mobile() if x < 0.97 else ""
    if age < 80:
        return ctx.phones.mobile() if x < 0.8 else ctx.phones.landline() if x < 0.92 else ""
    return ctx.phones.mobile() if x < 0.5 else ctx.phones.landline() if x < 0.75 else ""


def employer_for(ctx: Context) -> str:
    if ctx.rng.random() < 0.4:
        return ctx.rng.choice(catalog.LOCAL_EMPLOYERS)
    return ctx.fake.company()


DISABILITY_GRADES = _weighted([(1, 12), (2, 23), (3, 27), (4, 38)])


def person_tags(rng: random.Random, m: Member, hh: HouseholdSpec) -> list[tuple[str, int | None]]:
    """Tags at the rates a community's care records show; sensitive ones are rare."""
    age, tags = m.age, []
    if hh.htype == "single_old" and age >= 70:
        tags.append(("elderly_alone", None))
    if hh.htype == "old_couple" and age >= 60 and rng.random() < 0.85:
        tags.append(("empty_nest", None))
    if not m.male and 22 <= age <= 42 and m.marital == MAR.MARRIED:
        has_baby = any(o.age == 0 and o.relationship in (R.CHILD, R.GRANDCHILD) for o in hh.members)
        if rng.random() < (0.5 if has_baby else 0.03):
            tags.append(("maternal", None))
    disabled = rng.random() < (
        0.015 if age < 18 else 0.03 if age < 45 else 0.065 if age < 60 else 0.13 if age < 75 else 0.22
    )
    grade = pick(rng, DISABILITY_GRADES) if disabled else None
    if disabled:
        tags.append(("disabled", grade))
    if (
        (age >= 75 and rng.random() < 0.2)
        or (60 <= age < 75 and rng.random() < 0.04)
        or (grade in (1, 2) and rng.random() < 0.5)
    ):
        tags.append(("limited_mobility", None))
    if age >= 40 and rng.random() < 0.0012:
        tags.append(("dialysis", None))
    if age >= 18 and rng.random() < 0.0045:
        tags.append(("mental_disorder", None))
    if rng.random() < (0.12 if 40 <= age < 60 else 0.35 if 60 <= age < 75 else 0.5 if age >= 75 else 0):
        tags.append(("chronic_disease", None))
    if age >= 22 and rng.random() < (0.06 if m.male else 0.003):
        tags.append(("veteran", None))
        if age >= 55 and rng.random() < 0.05:
            tags.append(("special_care", None))
    elif age >= 60 and rng.random() < 0.002:
        tags.append(("special_care", None))  # martyrs' and servicemen's families
    if hh.htype == "grandparents_with_child" and m.relationship == R.GRANDCHILD and age < 16 and rng.random() < 0.85:
        tags.append(("left_behind_child", None))
    if 18 <= age <= 60 and rng.random() < (0.0008 if m.male else 0.0002):
        tags.append(("community_correction", None))
    if 25 <= age <= 70 and rng.random() < (0.006 if m.male else 0.0006):
        tags.append(("released_prisoner", None))
    return tags


def _address(ctx: Context, county_name: str) -> str:
    rng = ctx.rng
    road = rng.choice("友谊 建设 人民 解放 胜利 新华 和平 中山 光明 团结 向阳 长江 黄河 振兴".split())
    return f"{county_name}{road}{rng.choice(['路', '街', '大街'])}{rng.randint(1, 300)}号"


def _fill(ctx: Context, m: Member, hh: HouseholdSpec, house: HouseInfo, ethnicity: str) -> None:
    """The registry fields of one member, consistent with the household's place and origin."""
    rng = ctx.rng
    origin = m.origin or hh.origin
    born = birth_date_for(rng, m.age)
    male = m.male
    values = {
        "name": m.surname + ctx.given_name(male, born.year),
        "gender": m.gender,
        "birth_date": born.isoformat(),
        "ethnicity": ethnicity,
        "current_address": house.address,
        "residence_type": origin,
        "marital_status": m.marital,
        "relationship": m.relationship,
        "id_type": rules.ID_RESIDENT,
        "note": "",
    }
    if origin == RT.REGISTERED:
        x = rng.random()
        prefix = (
            "210103"
            if x < 0.6 or m.age < 30
            else rng.choice(catalog.SHENYANG_COUNTIES)[0]
            if x < 0.85
            else (pick(rng, ctx.origins)[0])
        )
        values["hukou_address"] = house.address
    elif origin == RT.SEPARATED:
        county, name = rng.choice(catalog.SHENYANG_COUNTIES)
        prefix = county if rng.random() < 0.5 else "210103"
        values["hukou_address"] = _address(ctx, name)
    else:  # floating population and long-term residents registered elsewhere
        county, name = pick(rng, ctx.origins)
        prefix = county
        values["hukou_address"] = _address(ctx, name)
        if county == "222401" and rng.random() < 0.6:
            values["ethnicity"] = "朝鲜族"
    values["id_number"] = ctx.ids.resident(prefix, born, male)
    m.tags = person_tags(rng, m, hh)
    veteran = any(code == "veteran" for code, _ in m.tags)
    education, at_school = education_for(rng, m.age, born.year, origin == RT.FLOATING)
    employment = employment_for(rng, m.age, male, at_school, origin in (RT.REGISTERED, RT.SEPARATED, RT.RESIDENT))
    values.update(
        education=education,
        employment=employment,
        employer=employer_for(ctx) if employment == EMP.EMPLOYED else "",
        political_status=political_for(rng, m.age, male, veteran),
        phone=phone_for(ctx, m.age),
    )
    if m.relationship == R.NON_RELATIVE and hh.htype == "with_companion" and m.origin == RT.FLOATING:
        values.update(employment=EMP.EMPLOYED, employer="家政服务", note="住家护理员")
    m.fields = values


def _fill_overseas(ctx: Context, m: Member, house: HouseInfo) -> None:
    """境外人员: foreigners with passports (or a permanent residence card), and residents of HK, Macao, Taiwan."""
    rng = ctx.rng
    born = birth_date_for(rng, m.age)
    x = rng.random()
    values = {
        "gender": m.gender,
        "birth_date": born.isoformat(),
        "current_address": house.address,
        "residence_type": RT.OVERSEAS,
        "marital_status": m.marital,
        "relationship": m.relationship,
        "education": rng.choice([E.BACHELOR, E.BACHELOR, E.COLLEGE, E.POSTGRADUATE, E.SENIOR]),
        "employment": EMP.EMPLOYED if m.age >= 18 else EMP.STUDENT if m.age >= 6 else EMP.PRESCHOOL,
        "phone": ctx.phones.mobile() if m.age >= 16 else "",
    }
    if x < 0.2:
        prefix, place = rng.choice(catalog.HMT_PREFIXES)
        values.update(
            name=m.surname + ctx.given_name(m.male, born.year),
            id_type=rules.ID_HMT_PERMIT,
            id_number=ctx.ids.resident(prefix, born, m.male),
            hukou_address=place,
            ethnicity="汉族",
            note=f"{place}居民",
        )
    else:
        country, letters, male_names, female_names = rng.choice(catalog.FOREIGNERS)
        permanent = x > 0.95 and country == "韩国"
        values.update(
            name=rng.choice(male_names if m.male else female_names),
            id_type=rules.ID_FOREIGN_PR if permanent else rules.ID_PASSPORT,
            id_number=ctx.ids.foreign_permanent(born, m.male) if permanent else ctx.ids.passport(letters),
            hukou_address=country,
            ethnicity="",
            note=f"国籍：{country}",
        )
    if values["employment"] == EMP.EMPLOYED:
        values["employer"] = employer_for(ctx)
    m.fields = values
    m.tags = []


# --- a whole community ------------------------------------------------------------------------------------


def _household_origin(rng: random.Random, use: str) -> str:
    x = rng.random()
    if use == "rent":
        return RT.FLOATING if x < 0.8 else RT.SEPARATED if x < 0.95 else RT.RESIDENT
    return RT.REGISTERED if x < 0.82 else RT.SEPARATED if x < 0.9 else RT.RESIDENT if x < 0.95 else RT.FLOATING


def populate_community(ctx: Context, *, houses: list[HouseInfo], number_prefix: str) -> CommunityPopulation:
    """Households in every lived-in house, their members, owners, and the rentals of rented houses."""
    rng = ctx.rng
    households: list[HouseholdSpec] = []

    def add(house_index: int, members: list[Member], origin: str, htype: str, kind=Household.Kind.FAMILY, note=""):
        number = f"{number_prefix}{len(households) + 1:05d}"
        households.append(HouseholdSpec(number, kind, house_index, members, origin, htype, note))
        return len(households) - 1

    by_house: dict[int, list[int]] = {}
    for i, house in enumerate(houses):
        if house.use == "own":
            make = pick(rng, OWNER_TYPES)
            by_house[i] = [add(i, make(ctx), _household_origin(rng, "own"), make.__name__)]
        elif house.use == "rent":
            x = rng.random()
            if x < 0.06:
                by_house[i] = [
                    add(i, collective(ctx), RT.FLOATING, "collective", Household.Kind.COLLECTIVE, "员工集体宿舍")
                ]
            elif x < 0.075:
                members = single_adult(ctx, young=True) if rng.random() < 0.6 else couple(ctx, young=True)
                by_house[i] = [add(i, members, RT.OVERSEAS, "overseas", note="境外人员租住")]
            else:
                count = 2 if rng.random() < 0.1 else 1
                ids = []
                for _ in range(count):
                    make = pick(rng, RENTER_TYPES) if count == 1 else single_adult
                    ids.append(add(i, make(ctx, young=True), _household_origin(rng, "rent"), make.__name__))
                by_house[i] = ids

    # 低保户 and 特困人员 are decided per household, among the registered ones, more often for the frail.
    for hh in households:
        house = houses[hh.house]
        ethnicity = pick(rng, ctx.ethnicities)
        for m in hh.members:
            if hh.origin == RT.REGISTERED and m.relationship in (R.SPOUSE, R.IN_LAW) and rng.random() < 0.05:
                m.origin = RT.FLOATING if rng.random() < 0.6 else RT.RESIDENT
            own_ethnicity = (
                ethnicity
                if m.relationship not in (R.SPOUSE, R.IN_LAW, R.NON_RELATIVE) or (rng.random() < 0.85)
                else pick(rng, ctx.ethnicities)
            )
            if hh.origin == RT.OVERSEAS:
                _fill_overseas(ctx, m, house)
            else:
                _fill(ctx, m, hh, house, own_ethnicity)
        if hh.origin in (RT.REGISTERED, RT.SEPARATED) and hh.kind == Household.Kind.FAMILY:
            frail = hh.htype in ("single_old", "single_parent") or any(
                code == "disabled" for m in hh.members for code, _ in m.tags
            )
            if rng.random() < (0.04 if frail else 0.006):
                for m in hh.members:
                    m.tags.append(("subsistence", None))
            if hh.htype == "single_old" and hh.members[0].age >= 75 and rng.random() < 0.03:
                hh.members[0].tags.append(("extreme_poverty", None))

    owners: list[OwnerSpec] = []
    landlords: list[tuple[int, int]] = []
    for hi, hh in enumerate(households):
        house = houses[hh.house]
        if house.use != "own" or hh.head is None:
            continue
        head = hh.members[hh.head]
        since = _since(rng, house.built_year)
        owners.append(OwnerSpec(hh.house, (hi, hh.head), since))
        spouse = next((i for i, m in enumerate(hh.members) if m.relationship == R.SPOUSE), None)
        if spouse is not None and rng.random() < 0.6:
            owners.append(OwnerSpec(hh.house, (hi, spouse), since))
        if head.age >= 35 and hh.origin == RT.REGISTERED:
            landlords.append((hi, hh.head))
    rng.shuffle(landlords)

    rentals: list[RentalSpec] = []
    pool = iter(landlords * 2)  # a landlord lets out at most two flats
    for i, house in enumerate(houses):
        if house.use not in ("rent", "vacant"):
            continue
        if house.use == "vacant" and rng.random() < 0.4:
            continue  # the owner is not a resident of the district
        landlord = next(pool, None)
        if landlord is None:
            continue
        owners.append(OwnerSpec(i, landlord, _since(rng, house.built_year)))
        if house.use == "vacant":
            continue
        tenants = [(hi, mi) for hi in by_house.get(i, []) for mi, m in enumerate(households[hi].members) if m.age >= 16]
        length = rng.choice([365, 365, 365, 730, 182, None])
        starts_on = REFERENCE_DATE - timedelta(days=rng.randint(3, (length or 900) - 2))
        ends_on = starts_on + timedelta(days=length) if length else None
        rent = (house.building_area * Decimal(f"{rng.uniform(18, 32):.1f}") / 50).quantize(Decimal("1")) * 50
        registered_on = min(REFERENCE_DATE, starts_on + timedelta(days=rng.randint(0, 20)))
        rentals.append(RentalSpec(i, landlord, tenants, starts_on, ends_on, rent, registered_on))
    return CommunityPopulation(households, rentals, owners)


def _since(rng: random.Random, built_year: int) -> date:
    start = date(max(built_year, 1998), 1, 1)
    return start + timedelta(days=rng.randrange((REFERENCE_DATE - start).days - 30))
